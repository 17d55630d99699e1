import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kplus from 'cdk8s-plus-28';
import { TempoIdentity, TempoOnEks } from '../../lib/aws';
import { Retention } from '../../lib/core';
import { nagFindings } from '../helpers/nag';

function importedCluster(stack: Stack): eks.ICluster {
  const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'KubectlProvider', {
    serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:kubectl-onEvent',
  });
  return eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'platform', kubectlProvider });
}

function manifestParts(template: Template): any[] {
  const resources = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')) as any[];
  expect(resources).toHaveLength(1);
  return resources[0].Properties.Manifest['Fn::Join'][1];
}

describe('TempoOnEks', () => {
  test('chart applied to the imported cluster, bucket and region flowing in as CloudFormation references', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const tempo = new TempoOnEks(stack, 'Tempo', { cluster: importedCluster(stack), retention: Retention.days(7) });
    const template = Template.fromStack(stack);
    const parts = manifestParts(template);
    const bucketRef = { Ref: Stack.of(stack).getLogicalId(tempo.aws.tempoBucket.bucket.node.defaultChild as any) };
    expect(parts).toContainEqual(bucketRef);
    expect(parts).toContainEqual({ Ref: 'AWS::Region' });
    const text = parts.filter((p) => typeof p === 'string').join('');
    expect(text).toContain('block_retention: 168h');
    expect(text).not.toMatch(/\$\{Token\[/);
    // The pod identity association exists before the manifest, so pods start with credentials.
    const manifestId = Object.keys(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))[0];
    const assocId = Object.keys(template.findResources('AWS::EKS::PodIdentityAssociation'))[0];
    expect(template.toJSON().Resources[manifestId].DependsOn).toContain(assocId);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'platform', Namespace: 'tracing', ServiceAccount: 'tempo' });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('the same config checksum on every synth (token numbers must not roll pods)', () => {
    const checksum = () => {
      const app = new App();
      const stack = new Stack(app, 'S');
      // Create unrelated tokens first so token numbering differs between the two runs.
      if (checksums.length === 1) for (let i = 0; i < 5; i++) new iam.Role(stack, `R${i}`, { assumedBy: new iam.AccountRootPrincipal() });
      new TempoOnEks(stack, 'Tempo', { cluster: importedCluster(stack) });
      const text = manifestParts(Template.fromStack(stack)).filter((p) => typeof p === 'string').join('');
      return /checksum\/config":"([0-9a-f]{64})/.exec(text)?.[1];
    };
    const checksums: Array<string | undefined> = [];
    checksums.push(checksum());
    checksums.push(checksum());
    expect(checksums[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(checksums[1]).toBe(checksums[0]);
  });

  test('IRSA puts the role ARN on the ServiceAccount and creates no association', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc', 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC');
    new TempoOnEks(stack, 'Tempo', { cluster: importedCluster(stack), identity: TempoIdentity.irsa(provider) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    const parts = manifestParts(template);
    const i = parts.findIndex((p) => typeof p === 'string' && p.endsWith('eks.amazonaws.com/role-arn":"'));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(parts[i + 1])).toMatch(/TempoAwsRole.*Arn/);
  });

  test('a change to the chart after it was applied fails the synth instead of being dropped', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const tempo = new TempoOnEks(stack, 'Tempo', { cluster: importedCluster(stack) });
    new kplus.k8s.KubeConfigMap(tempo.chart, 'Late', { metadata: { name: 'added-too-late' } });
    expect(() => app.synth()).toThrow(/changed after it was added to the cluster/);
  });

  test('an imported cluster without a kubectl provider is rejected by aws-eks-v2 at construction', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'platform' });
    expect(() => new TempoOnEks(stack, 'Tempo', { cluster })).toThrow(/Kubectl Provider is not defined/);
  });
});
