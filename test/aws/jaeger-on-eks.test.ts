import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Testing } from 'cdk8s';
import {
  JaegerOnEks, JaegerOnEksProps, JaegerOpenSearchDomain, JaegerOpenSearchDomainProps, OpenSearchDomainAuth, OpenSearchIsmPolicy,
} from '../../lib/aws';
import { Retention } from '../../lib/core';
import { renderDailyIsmDeletePolicy } from '../../lib/render/jaeger-config';
import { JaegerIndexRotation, JaegerStorage } from '../../lib/k8s';
import { buildJaegerOnOpenSearch } from '../../examples/jaeger-on-opensearch/stack';
import { buildJaegerOnOpenSearchGitOps } from '../../examples/jaeger-on-opensearch/chart';
import { nagFindings } from '../helpers/nag';
import { restrictedViolations } from '../helpers/pod-security';
import { expectValidManifests, K8sObject } from '../helpers/schema';
import { synthChart } from '../helpers/synth';

function base() {
  const app = new App();
  const stack = new Stack(app, 'Tracing', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2', 'subnet-0ccccccccccccccc3'],
  });
  const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:kubectl' });
  const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'platform', kubectlProvider, clusterSecurityGroupId: 'sg-0123456789abcdef0' });
  return { app, stack, vpc, cluster };
}

function build(domainProps: Partial<JaegerOpenSearchDomainProps> = {}, jaegerProps: Partial<JaegerOnEksProps> = {}) {
  const { app, stack, vpc, cluster } = base();
  const domain = new JaegerOpenSearchDomain(stack, 'Domain', { vpc, domainName: 'jaeger-test', ...domainProps });
  const jaeger = new JaegerOnEks(stack, 'Jaeger', { cluster, domain, indexPrefix: 'prod', retention: Retention.days(10), ...jaegerProps });
  return { app, stack, domain, jaeger, template: Template.fromStack(stack) };
}

const fgac = { auth: OpenSearchDomainAuth.fineGrained() };

describe('Jaeger on Amazon OpenSearch Service (AWS)', () => {
  test('snapshot: IAM-only domain with Jaeger on EKS', () => {
    expect(build().template.toJSON()).toMatchSnapshot();
  });

  test('snapshot: fine-grained access control with an ExternalSecret', () => {
    expect(build(fgac, { externalSecretStoreName: 'aws-sm' }).template.toJSON()).toMatchSnapshot();
  });

  test.each([['IAM', {}, {}], ['FGAC', fgac, { externalSecretStoreName: 'aws-sm', dependencies: {} }]])('cdk-nag AwsSolutions is clean (%s)', (_n, d, j) => {
    expect(nagFindings(build(d as any, j as any).stack)).toEqual([]);
  });

  test('the chart put on the cluster validates strictly and is restricted (IAM and FGAC)', () => {
    for (const [d, j] of [[{}, {}], [fgac, { externalSecretStoreName: 'aws-sm' }]] as const) {
      const { jaeger } = build(d as any, j as any);
      const objects = jaeger.chart.toJson() as K8sObject[];
      expectValidManifests(objects);
      expect(restrictedViolations(objects)).toEqual([]);
    }
  });

  test('domain: VPC, encryption at rest and in transit, HTTPS with TLS 1.2+, dedicated masters, zone awareness, logs', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      DomainName: 'jaeger-test',
      EngineVersion: 'OpenSearch_2.19',
      VPCOptions: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'] },
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
      ClusterConfig: Match.objectLike({ DedicatedMasterEnabled: true, DedicatedMasterCount: 3, ZoneAwarenessEnabled: true, ZoneAwarenessConfig: { AvailabilityZoneCount: 2 }, InstanceCount: 2 }),
      EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 100 },
      LogPublishingOptions: Match.objectLike({ SEARCH_SLOW_LOGS: Match.anyValue(), INDEX_SLOW_LOGS: Match.anyValue(), ES_APPLICATION_LOGS: Match.anyValue() }),
      AdvancedOptions: { 'rest.action.multi.allow_explicit_index': 'true' },
    });
    template.hasResource('AWS::OpenSearchService::Domain', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    // IAM-only: no internal users, no master secret.
    expect(template.findResources('AWS::SecretsManager::Secret')).toEqual({});
  });

  test('IAM: the access policy admits only the Pod Identity role and the ISM handler role, on this domain', () => {
    const { template, stack, jaeger } = build();
    const domain = Object.values(template.findResources('AWS::OpenSearchService::Domain'))[0] as any;
    const statement = domain.Properties.AccessPolicies.Statement;
    expect(statement).toHaveLength(1);
    expect(statement[0].Effect).toBe('Allow');
    expect(statement[0].Principal.AWS).toHaveLength(2);
    expect(statement[0].Principal.AWS).toContainEqual(stack.resolve(jaeger.role!.roleArn));
    expect(JSON.stringify(statement[0].Resource)).toContain('domain/jaeger-test/*');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }] },
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'platform', Namespace: 'tracing', ServiceAccount: 'jaeger' });
    // 443 from the cluster security group.
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 443, ToPort: 443, SourceSecurityGroupId: 'sg-0123456789abcdef0' });
  });

  test('IAM: retention is an ISM policy with the same retention and prefix, and no cleaner runs', () => {
    const { template, jaeger } = build();
    const cr = Object.values(template.findResources('Custom::JaegerIsmPolicy'))[0] as any;
    const policy = JSON.parse(cr.Properties.Policy).policy;
    // Retention 10 days: an index keeps receiving spans for a day after its creation, so it goes at 11 days.
    expect(policy.states[0].transitions[0].conditions.min_index_age).toBe('11d');
    expect(policy.ism_template[0].index_patterns).toEqual(['prod-jaeger-span-*', 'prod-jaeger-service-*', 'prod-jaeger-dependencies-*', 'prod-jaeger-sampling-*']);
    const objects = jaeger.chart.toJson() as any[];
    expect(objects.filter((o) => o.kind === 'CronJob' || o.kind === 'Job')).toEqual([]);
    const config = jaeger.chart.jaeger.collectorConfig as any;
    expect(config.extensions.jaeger_storage.backends.trace_storage.opensearch.max_span_age).toBe('240h');
    expect(config.extensions.jaeger_storage.backends.trace_storage.opensearch.auth).toEqual({ authenticator: 'sigv4auth' });
    // The manifest waits for the role binding and the retention policy.
    const manifest = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))[0][1] as any;
    expect(manifest.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/PodIdentity/), expect.stringMatching(/IsmRetention/)]));
  });

  test.each([1, 7, 30])('ISM retention of %i days never deletes a span younger than the retention', (days) => {
    const policy = renderDailyIsmDeletePolicy('prod', Retention.days(days)).policy as any;
    const minAge = /^(\d+)d$/.exec(policy.states[0].transitions[0].conditions.min_index_age);
    expect(minAge).not.toBeNull();
    const deleteAfterHours = Number(minAge![1]) * 24;
    // A daily index is created with the first span of its UTC day (any hour) and receives spans until midnight.
    for (let createdAtHour = 0; createdAtHour < 24; createdAtHour++) {
      const youngestSpanAgeAtDeletion = createdAtHour + deleteAfterHours - 24;
      expect(youngestSpanAgeAtDeletion).toBeGreaterThanOrEqual(days * 24);
    }
  });

  test('IAM: the domain endpoint and region flow into the manifest as tokens', () => {
    const { template } = build();
    template.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', {
      Manifest: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('Domain'), 'DomainEndpoint'] }])] },
    });
  });

  test('the ISM handler is inline, on the latest Node runtime, inside the VPC, under the 4 KiB inline limit', () => {
    const { template } = build();
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as any;
    expect(fn.Properties.Code.ZipFile.length).toBeLessThan(4096);
    expect(fn.Properties.VpcConfig.SubnetIds).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2']);
    expect(fn.Properties.Runtime).toMatch(/^nodejs\d+\.x$/);
  });

  test('FGAC: master user in Secrets Manager, audit logs, basic auth from a Secret synced by an ExternalSecret', () => {
    const { template, jaeger, stack } = build(fgac, { externalSecretStoreName: 'aws-sm' });
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: true, MasterUserOptions: { MasterUserName: 'admin', MasterUserPassword: Match.anyValue() } },
      LogPublishingOptions: Match.objectLike({ AUDIT_LOGS: Match.anyValue() }),
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.resourceCountIs('Custom::JaegerIsmPolicy', 0);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    const objects = jaeger.chart.toJson() as any[];
    const es = objects.find((o) => o.kind === 'ExternalSecret');
    expect(es.spec.target.name).toBe('jaeger-opensearch-credentials');
    expect(stack.resolve(es.spec.data[0].remoteRef.key)).toEqual({ Ref: expect.stringMatching(/MasterUser/) });
    // The cleaner runs with basic auth.
    const cleaner = objects.find((o) => o.kind === 'CronJob' && o.metadata.name === 'jaeger-es-index-cleaner');
    expect(cleaner.spec.jobTemplate.spec.template.spec.containers[0].env).toContainEqual({
      name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'jaeger-opensearch-credentials', key: 'password' } },
    });
  });

  test('the chart is guarded: a change after it was put on the cluster fails the synth', () => {
    const { app, stack, vpc, cluster } = base();
    const domain = new JaegerOpenSearchDomain(stack, 'Domain', { vpc });
    const jaeger = new JaegerOnEks(stack, 'Jaeger', { cluster, domain });
    new (require('cdk8s').ApiObject)(jaeger.chart, 'Late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    expect(() => app.synth()).toThrow(/changed after it was added to the cluster/);
  });

  describe('bad input is rejected with a specific message', () => {
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['IAM auth together with basic auth', () => build({}, { credentialsSecretName: 'creds' }), /domain uses IAM \(SigV4\) auth, but basic-auth credentials were given/],
      ['rollover on an IAM-only domain', () => build({}, { indexRotation: JaegerIndexRotation.rollover() }), /retention is an ISM policy: the cleaner and es-rollover cannot sign/],
      ['spark on an IAM-only domain', () => build({}, { dependencies: {} }), /spark-dependencies cannot sign SigV4/],
      ['retention below a day', () => build({}, { retention: Retention.hours(6) }), /retention is shorter than one day/],
      ['odd data nodes with zone awareness', () => build({ dataNodes: 3 }), /dataNodes must be a positive multiple of availabilityZoneCount \(2\)/],
      ['one zone', () => build({ availabilityZoneCount: 1 }), /availabilityZoneCount must be 2 or 3/],
      ['four masters', () => build({ masterNodes: 4 }), /masterNodes must be 3 or 5/],
      ['old engine', () => build({ version: opensearch.EngineVersion.OPENSEARCH_2_11 }), /engine version is not supported by Jaeger 2.20 \(OpenSearch 2.19 and 3.x are\) \(got "OpenSearch_2.11"\)/],
      ['Elasticsearch instance type', () => build({ dataNodeInstanceType: 'r7g.large' }), /dataNodeInstanceType is not an OpenSearch instance type/],
      ['bad domain name', () => build({ domainName: 'Jaeger' }), /domainName must be 3-28 characters/],
      ['ISM policy on a fine-grained domain', () => {
        const { stack, vpc } = base();
        const domain = new JaegerOpenSearchDomain(stack, 'D', { vpc, ...fgac });
        return new OpenSearchIsmPolicy(stack, 'P', { domain, retention: Retention.days(3) });
      }, /ISM retention policy is for IAM-only domains/],
      ['cluster without security group', () => {
        const { stack, vpc } = base();
        const cluster = eks.Cluster.fromClusterAttributes(stack, 'C2', {
          clusterName: 'c', kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'K2', { serviceToken: 'arn:aws:lambda:eu-west-1:1:function:k' }),
        });
        return new JaegerOnEks(stack, 'J', { cluster, domain: new JaegerOpenSearchDomain(stack, 'D', { vpc }) });
      }, /no known security group.*clusterSecurityGroupId, or pass clientSecurityGroups/],
    ];
    test.each(cases)('%s', (_n, fn, message) => {
      expect(fn).toThrow(message);
    });
  });
});

describe('example: jaeger-on-opensearch', () => {
  test.each([['iam'], ['fine-grained']])('synthesizes to CloudFormation with no credentials and no network, nag-clean (%s)', (auth) => {
    const app = new App({ context: { jaegerAuth: auth } });
    const stack = buildJaegerOnOpenSearch(app);
    const assembly = app.synth();
    expect(assembly.getStackByName(stack.stackName).template.Resources).toBeDefined();
    expect(nagFindings(stack)).toEqual([]);
    const objects = stack.jaeger.chart.toJson() as K8sObject[];
    expectValidManifests(objects);
    expect(restrictedViolations(objects)).toEqual([]);
  });

  test('the GitOps chart synthesizes to plain YAML without tokens', () => {
    const app = Testing.app();
    const objects = synthChart(buildJaegerOnOpenSearchGitOps(app));
    expectValidManifests(objects);
    expect(restrictedViolations(objects)).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/Token\[/);
    expect(objects).toMatchSnapshot();
    void JaegerStorage;
  });
});
