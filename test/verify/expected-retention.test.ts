/**
 * Expected retention from synthesized output: cdk8s manifests (dist/), and
 * CloudFormation from our own constructs (cdk.out/): TempoOnEks carries
 * tempo.yaml inside its manifest, TempoBucket only its lifecycle expiry.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TempoBucket } from '../../lib/aws/tempo-bucket';
import { TempoOnEks } from '../../lib/aws/tempo-on-eks';
import { Retention } from '../../lib/core/retention';
import { retentionFromSynth, TEMPO_DEFAULT_RETENTION_HOURS } from '../../lib/verify/expected-retention';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-expected-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeTemplate(name: string, stack: Stack): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  const assembly = (stack.node.root as App).synth();
  fs.writeFileSync(path.join(dir, 'S.template.json'), JSON.stringify(assembly.getStackByName(stack.stackName).template));
  return dir;
}

function writeManifest(name: string, tempoYaml: string, overridesYaml?: string): string {
  const indent = (text: string) => text.split('\n').map((l) => `    ${l}`).join('\n');
  const file = path.join(tmp, `${name}.k8s.yaml`);
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Service', 'metadata: {name: tempo}', '---',
    'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: tempo-config}', 'data:',
    '  tempo.yaml: |', indent(tempoYaml),
    ...(overridesYaml ? ['  overrides.yaml: |', indent(overridesYaml)] : []),
  ].join('\n'));
  return file;
}

describe('from cdk8s manifests', () => {
  test('worker retention, per-tenant overrides and the prefix', () => {
    const file = writeManifest('full', [
      'storage: {trace: {s3: {bucket: traces, prefix: tempo}}}',
      'backend_worker: {compaction: {block_retention: 168h}}',
      'backend_scheduler: {provider: {compaction: {compaction: {block_retention: 168h}}}}',
    ].join('\n'), 'overrides:\n  team-a: {compaction: {block_retention: 720h}}\n  team-b: {ingestion: {rate_limit_bytes: 1}}');
    const r = retentionFromSynth(file, 'traces');
    // team-b's entry replaces the defaults and has no block_retention: the worker value applies.
    expect(r).toMatchObject({ defaultHours: 168, perTenantHours: { 'team-a': 720, 'team-b': 168 }, prefix: 'tempo', notes: [] });
    expect(r.source).toBe(`${file} (ConfigMap tempo-config)`);
  });

  test('no block_retention means Tempo\'s 336h default, with a note; mismatched scheduler copy is noted', () => {
    expect(retentionFromSynth(writeManifest('none', 'server: {http_listen_port: 3200}'), 'traces')).toMatchObject({
      defaultHours: TEMPO_DEFAULT_RETENTION_HOURS, notes: [expect.stringContaining("Tempo's default of 336h")],
    });
    const split = retentionFromSynth(writeManifest('split', 'backend_worker: {compaction: {block_retention: 48h}}\nbackend_scheduler: {provider: {compaction: {compaction: {block_retention: 72h}}}}'), 'traces');
    expect(split.notes).toEqual(['tempo.yaml sets block_retention 72h for the backend-scheduler but 48h for the workers; keep both equal']);
  });

  test('overrides.defaults and a "*" tenant set the default', () => {
    expect(retentionFromSynth(writeManifest('defaults', 'backend_worker: {compaction: {block_retention: 48h}}\noverrides: {defaults: {compaction: {block_retention: 96h}}}'), 'traces').defaultHours).toBe(96);
    expect(retentionFromSynth(writeManifest('wildcard', 'backend_worker: {compaction: {block_retention: 48h}}', 'overrides:\n  "*": {compaction: {block_retention: 24h}}'), 'traces'))
      .toMatchObject({ defaultHours: 24, perTenantHours: {} });
  });
});

describe('from cdk.out', () => {
  test('TempoOnEks: tempo.yaml is read from the manifest the template applies', () => {
    const stack = new Stack(new App(), 'S');
    const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:k' });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'platform', kubectlProvider });
    new TempoOnEks(stack, 'Tempo', { cluster, retention: Retention.days(9) });
    // The bucket name is a CloudFormation reference in the manifest, so any --bucket is accepted.
    const r = retentionFromSynth(writeTemplate('eks', stack), 'whatever-was-deployed');
    expect(r.defaultHours).toBe(9 * 24);
    expect(r.source).toMatch(/S\.template\.json \(.+\) \(ConfigMap .+\)$/);
  });

  test('TempoBucket: retention and per-tenant retention come from the bucket\'s metadata', () => {
    const stack = new Stack(new App(), 'S');
    new TempoBucket(stack, 'Tempo', {
      retention: Retention.days(14), expiryBackstop: Duration.days(40), multitenancy: true,
      tenants: [{ id: 'audit', retention: Retention.days(30) }, { id: 'web' }],
    });
    const r = retentionFromSynth(writeTemplate('bucket', stack), 'traces');
    expect(r.defaultHours).toBe(14 * 24);
    expect(r.perTenantHours).toEqual({ audit: 30 * 24, web: 14 * 24 });
    expect(r.notes).toEqual([]);
  });

  test('a plain bucket with an expiry rule: retention is the expiry minus the 7-day margin', () => {
    const stack = new Stack(new App(), 'S');
    new s3.Bucket(stack, 'Tempo', { lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }, { prefix: 'single-tenant/', expiration: Duration.days(30) }] });
    const r = retentionFromSynth(writeTemplate('bucket', stack), 'traces');
    expect(r.defaultHours).toBe(23 * 24);
    expect(r.notes).toEqual(['retention derived from the template: shortest expiry 30 days minus the 7-day safety margin']);
  });

  test('a plain bucket without metadata or expiry cannot tell the retention', () => {
    const stack = new Stack(new App(), 'S');
    new s3.Bucket(stack, 'Tempo', { lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }] });
    expect(() => retentionFromSynth(writeTemplate('plain', stack), 'traces')).toThrow(/\(Tempo[A-Za-z0-9]+\) has no expiry rule to derive the retention from; pass --retention$/);
  });
});
