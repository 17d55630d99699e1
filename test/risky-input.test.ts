// Risky inputs (issue 13, defect 7): refused, or accepted only as an explicit choice that is recorded in the output.
// Every error names the construct path (never a factory), the value and the fix.
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Testing } from 'cdk8s';
import { JaegerOnEks, JaegerOnEksProps, JaegerOpenSearchDomain, OpenSearchDomainAuth, TempoOnS3 } from '../lib/aws';
import { JaegerBackendOptions, JaegerChart, JaegerStorage, TempoChart } from '../lib/k8s';
import { expectConfigError } from './helpers/errors';
import { K8sObject } from './helpers/schema';

function jaeger(options: JaegerBackendOptions, engine: 'elasticsearch' | 'opensearch' = 'elasticsearch'): K8sObject[] {
  const storage = engine === 'elasticsearch' ? JaegerStorage.elasticsearch(options) : JaegerStorage.opensearch(options);
  return new JaegerChart(Testing.app(), 'jaeger', { namespace: 'tracing', storage }).toJson() as K8sObject[];
}

function jaegerOnEks(props: Partial<JaegerOnEksProps>): () => void {
  return () => {
    const stack = new Stack(new App(), 'Tracing', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0a1b2c3d4e5f60718', availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
    });
    const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:kubectl' });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'platform', kubectlProvider, clusterSecurityGroupId: 'sg-0123456789abcdef0' });
    const domain = new JaegerOpenSearchDomain(stack, 'Domain', { vpc, domainName: 'jaeger-test', auth: OpenSearchDomainAuth.fineGrained() });
    new JaegerOnEks(stack, 'Jaeger', { cluster, domain, ...props });
  };
}

const CA = { caSecretName: 'tracing-es-http-certs-public' };

// [case, build, path, problem, value shown, fix]
const refused: Array<[string, () => unknown, string, RegExp, string, RegExp]> = [
  ['https Elasticsearch outside the cluster, no credentials', () => jaeger({ serverUrls: ['https://search.example.com'] }),
    'jaeger/Jaeger', /storage is an https endpoint outside the cluster with no credentials/, '"https://search.example.com"', /set basicAuth .*sigv4 .*unauthenticatedReason/],
  ['https OpenSearch outside the cluster, no credentials', () => jaeger({ serverUrls: ['https://vpc-x.eu-west-1.es.amazonaws.com'] }, 'opensearch'),
    'jaeger/Jaeger', /https endpoint outside the cluster with no credentials/, '"https://vpc-x.eu-west-1.es.amazonaws.com"', /sigv4 for Amazon OpenSearch Service/],
  ['a CA but no credentials in-cluster', () => jaeger({ serverUrls: ['https://tracing-es-http.tracing.svc:9200'], tls: CA }),
    'jaeger/Jaeger', /trusts a CA \(tls\) for an https endpoint inside the cluster but gives no credentials/, '["https://tracing-es-http.tracing.svc:9200"]', /"<cluster>-es-elastic-user"/],
  ['basic auth over plain http', () => jaeger({ serverUrls: ['http://es.tracing.svc:9200'], basicAuth: { secretName: 'es-creds' } }),
    'jaeger/Jaeger', /basicAuth over plain http sends the password in clear text/, '["http://es.tracing.svc:9200"]', /use https:\/\/ URLs/],
  ['a reason too short to say anything', () => jaeger({ serverUrls: ['https://search.example.com'], unauthenticatedReason: 'ok' }),
    'jaeger/Jaeger', /unauthenticatedReason must say, in at least 10 characters/, '"ok"', /give the reason/],
  ['a reason next to credentials', () => jaeger({ serverUrls: ['https://search.example.com'], basicAuth: { secretName: 'c' }, unauthenticatedReason: 'anonymous read-only proxy' }),
    'jaeger/Jaeger', /unauthenticatedReason is set but credentials are given too/, '"anonymous read-only proxy"', /remove unauthenticatedReason/],
  ['JaegerOnEks, fine-grained access, no Secret source', jaegerOnEks({}),
    'Tracing/Jaeger', /fine-grained access control, so Jaeger needs basic-auth credentials, but nothing would create the Secret/, 'undefined', /set externalSecretStoreName .* or credentialsSecretName/],
  ['a bucket name S3 refuses (Kubernetes)', () => new TempoChart(Testing.app(), 'tempo', { namespace: 'tracing', storage: { bucketName: 'Acme_Traces', region: 'eu-west-1' } }),
    'tempo/Tempo', /storage\.bucketName is not a valid S3 bucket name/, '"Acme_Traces"', /e\.g\. "acme-traces"/],
  ['a bucket name S3 refuses (AWS)', () => new TempoOnS3(new Stack(new App(), 'S'), 'Tempo', { bucketName: 'Acme_Traces' }),
    'S/Tempo/Storage', /bucketName is not a valid S3 bucket name/, '"Acme_Traces"', /e\.g\. "acme-traces"/],
  ['a bucket name like an IP address', () => new TempoChart(Testing.app(), 'tempo', { namespace: 'tracing', storage: { bucketName: '192.168.1.10', region: 'eu-west-1' } }),
    'tempo/Tempo', /must not look like an IP address/, '"192.168.1.10"', /lowercase letters/],
  ['a bucket name with a reserved suffix', () => new TempoChart(Testing.app(), 'tempo', { namespace: 'tracing', storage: { bucketName: 'traces-s3alias', region: 'eu-west-1' } }),
    'tempo/Tempo', /uses "-s3alias", which S3 reserves/, '"traces-s3alias"', /choose a name without it/],
];

describe('risky inputs are refused with path, value and fix', () => {
  test.each(refused)('%s', (_n, build, path, problem, value, fix) => {
    expectConfigError(build, path, problem, value, fix);
  });
});

describe('risky choices made on purpose are accepted and recorded', () => {
  test('anonymous https storage with a reason: the reason is on both Jaeger Deployments', () => {
    const reason = 'read-only anonymous proxy in front of the cluster';
    const objects = jaeger({ serverUrls: ['https://search.example.com'], unauthenticatedReason: reason });
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.length).toBe(2);
    for (const d of deployments) expect(d.metadata?.annotations?.['cdk-tracing/unauthenticated-storage-reason']).toBe(reason);
  });

  test('no reason is recorded when credentials are used', () => {
    const objects = jaeger({ serverUrls: ['https://tracing-es-http.tracing.svc:9200'], tls: CA, basicAuth: { secretName: 'es-creds' } });
    for (const d of objects.filter((o) => o.kind === 'Deployment')) expect(d.metadata?.annotations).toBeUndefined();
  });

  test('plain http in-cluster without credentials stays allowed (no password to leak)', () => {
    expect(() => jaeger({ serverUrls: ['http://es.tracing.svc:9200'] })).not.toThrow();
  });

  test('JaegerOnEks, fine-grained access: a reference to a Secret you create, or an ExternalSecret', () => {
    expect(jaegerOnEks({ credentialsSecretName: 'jaeger-os-credentials' })).not.toThrow();
    expect(jaegerOnEks({ externalSecretStoreName: 'aws-secrets-manager' })).not.toThrow();
  });
});
