// Bad input gets a clear error at synth time: each case names the construct path, the value and the fix.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Testing } from 'cdk8s';
import { TempoOnS3, TempoOnS3Props } from '../lib/aws';
import { Retention } from '../lib/core';
import { TempoChart, TempoChartProps } from '../lib/k8s';
import { expectConfigError } from './helpers/errors';

const storage = { bucketName: 'tempo-traces', region: 'eu-west-1' };

function k8s(props: Partial<TempoChartProps>): () => void {
  return () => new TempoChart(Testing.app(), 'tempo', { namespace: 'tracing', storage, ...props });
}

function aws(props: TempoOnS3Props | ((stack: Stack) => TempoOnS3Props)): () => void {
  return () => {
    const stack = new Stack(new App(), 'S');
    new TempoOnS3(stack, 'Tempo', typeof props === 'function' ? props(stack) : props);
  };
}

// [case, build, path, problem, value shown, fix]
const cases: Array<[string, () => void, string, RegExp, string, RegExp]> = [
  ['retention zero', k8s({ retention: Retention.days(0) }), 'tempo/Tempo', /retention must be a whole number of hours, at least 1 hour/, '"0 days"', /use Retention\.days\(n\)/],
  ['retention negative', aws({ retention: Retention.days(-3) }), 'S/Tempo/Storage', /retention must be a whole number of hours/, '"-3 days"', /n >= 1/],
  ['retention fractional hours', k8s({ retention: Retention.hours(1.5) }), 'tempo/Tempo', /whole number of hours/, '"1.5 hours"', /Retention\.hours\(n\)/],
  ['tenant retention zero', k8s({ multitenancy: true, tenants: [{ id: 'a', retention: Retention.hours(0) }] }), 'tempo/Tempo', /retention of tenant "a" must be a whole number/, '"0 hours"', /Retention\.days/],
  ['backstop shorter than retention', aws({ retention: Retention.days(14), expiryBackstop: Duration.days(10) }), 'S/Tempo/Storage', /expiryBackstop must exceed the longest retention \(14 days\) by at least 7 days/, '"10 days"', /use Duration\.days\(21\) or more/],
  ['backstop shorter than a tenant retention', aws({ multitenancy: true, tenants: [{ id: 'audit', retention: Retention.days(90) }], expiryBackstop: Duration.days(60) }), 'S/Tempo/Storage', /longest retention \(90 days\)/, '"60 days"', /Duration\.days\(97\)/],
  ['backstop not whole days', aws({ expiryBackstop: Duration.hours(36 * 24 + 12) }), 'S/Tempo/Storage', /expiryBackstop must be whole days/, '"36 days 12 hours"', /Duration\.days\(37\)/],
  ['backstop with multitenancy but no declared tenants', aws({ multitenancy: true, expiryBackstop: Duration.days(30) }), 'S/Tempo/Storage', /needs declared tenants/, '"30 days"', /declare the tenants/],
  ['tenant id with a space', k8s({ multitenancy: true, tenants: [{ id: 'team a' }] }), 'tempo/Tempo', /tenant id must be 1-150 characters/, '"team a"', /rename the tenant/],
  ['tenant id reserved by the bucket layout', aws({ multitenancy: true, tenants: [{ id: 'overrides' }] }), 'S/Tempo/Storage', /tenant id is reserved/, '"overrides"', /choose another tenant id/],
  ['tenant listed twice', k8s({ multitenancy: true, tenants: [{ id: 'a' }, { id: 'a' }] }), 'tempo/Tempo', /tenant id is listed twice/, '"a"', /list each tenant once/],
  ['tenants without multitenancy', k8s({ tenants: [{ id: 'a' }] }), 'tempo/Tempo', /tenants are set but multitenancy is off/, '["a"]', /set multitenancy: true/],
  ['prefix with a leading slash (AWS)', aws({ prefix: '/tempo' }), 'S/Tempo/Storage', /prefix must not be empty, start or end with "\/"/, '"/tempo"', /use "tempo"/],
  ['prefix with a "*" (an IAM wildcard)', aws({ prefix: 'tempo*' }), 'S/Tempo/Storage', /prefix must not contain "\*": the role's IAM policy would read it as a wildcard/, '"tempo*"', /use "tempo-"/],
  ['prefix with a ".." segment (Tempo cleans it away)', aws({ prefix: 'traces/../tempo' }), 'S/Tempo/Storage', /prefix must not have "\." or "\.\." segments/, '"traces/../tempo"', /without "\." and "\.\." segments/],
  ['a "*" in the Kubernetes-side prefix', k8s({ storage: { ...storage, prefix: 'traces*' } }), 'tempo/Tempo', /storage\.prefix must not contain "\*"/, '"traces*"', /use "traces-"/],
  ['a ".." segment in the Kubernetes-side prefix', k8s({ storage: { ...storage, prefix: 'a/../tempo' } }), 'tempo/Tempo', /storage\.prefix must not have "\." or "\.\." segments/, '"a/../tempo"', /without "\." and "\.\." segments/],
  ['prefix with a trailing slash (Kubernetes)', k8s({ storage: { ...storage, prefix: 'traces/tempo/' } }), 'tempo/Tempo', /storage\.prefix must not be empty, start or end with "\/"/, '"traces/tempo/"', /"traces\/tempo"/],
  ['KMS key with S3-managed encryption', aws((stack) => ({ encryption: s3.BucketEncryption.S3_MANAGED, encryptionKey: new kms.Key(stack, 'K') })), 'S/Tempo/Storage', /encryptionKey is set but encryption is S3-managed/, '"S3_MANAGED"', /set encryption: s3\.BucketEncryption\.KMS, or remove encryptionKey/],
  ['unencrypted bucket', aws({ encryption: s3.BucketEncryption.UNENCRYPTED }), 'S/Tempo/Storage', /encryption must be S3_MANAGED or KMS/, '"UNENCRYPTED"', /S3_MANAGED \(default\)/],
  ['name not a DNS label', k8s({ name: 'Tempo_1' }), 'tempo/Tempo', /name must be a DNS label/, '"Tempo_1"', /choose a name/],
  ['namespace not a DNS label', () => new TempoChart(Testing.app(), 'tempo', { namespace: 'Tracing', storage }), 'tempo', /namespace must be a DNS label/, '"Tracing"', /choose a name/],
  ['memory request above limit', k8s({ resources: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '8Gi', memoryLimit: '4Gi' } }), 'tempo/Tempo', /memoryRequest exceeds resources\.memoryLimit/, '"8Gi > 4Gi"', /raise the limit/],
  ['malformed CPU quantity', k8s({ resources: { cpuRequest: '1x', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '4Gi' } }), 'tempo/Tempo', /cpuRequest is not a positive CPU quantity/, '"1x"', /Kubernetes quantities/],
  ['remote-write URL without scheme', k8s({ metricsGenerator: { remoteWriteUrl: 'prometheus:9090/api/v1/write' } }), 'tempo/Tempo', /remoteWriteUrl is not an http\(s\) URL/, '"prometheus:9090/api/v1/write"', /api\/v1\/write/],
  ['metrics-generator with nothing to generate', k8s({ metricsGenerator: { remoteWriteUrl: 'http://p:9090/api/v1/write', serviceGraphs: false, spanMetrics: false } }), 'tempo/Tempo', /both serviceGraphs and spanMetrics are off/, '{"serviceGraphs":false,"spanMetrics":false}', /enable at least one processor/],
  ['S3 endpoint with a scheme', k8s({ storage: { ...storage, endpoint: 'https://minio.storage:9000' } }), 'tempo/Tempo', /storage\.endpoint must be a host without scheme/, '"https://minio.storage:9000"', /use "minio\.storage:9000"/],
  ['negative ingestion limit', k8s({ limits: { ingestionRateLimitBytes: -1 } }), 'tempo/Tempo', /limits\.ingestionRateLimitBytes must be a positive whole number/, '-1', /positive integer/],
  ['burst below rate', k8s({ limits: { ingestionRateLimitBytes: 50_000_000 } }), 'tempo/Tempo', /ingestionBurstSizeBytes is below ingestionRateLimitBytes/, '30000000', /ingestionBurstSizeBytes >= ingestionRateLimitBytes \(50000000\)/],
  ['unknown log level', k8s({ logLevel: 'verbose' }), 'tempo/Tempo', /logLevel is not a Tempo log level/, '"verbose"', /debug, info, warn, error/],
  ['bad PVC size', k8s({ storageSize: 'lots' }), 'tempo/Tempo', /storageSize is not a storage quantity/, '"lots"', /"20Gi"/],
];

describe('bad input is rejected at synth time with a clear message', () => {
  test('at least 15 distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  test.each(cases)('%s', (_name, build, path, problem, value, fix) => {
    expectConfigError(build, path, problem, value, fix);
  });
});
