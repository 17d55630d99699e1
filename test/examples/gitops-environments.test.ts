import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parseAllDocuments, parse } from 'yaml';
import { ENVIRONMENTS, synthGitOpsEnvironments } from '../../examples/gitops-environments/app';
import { restrictedViolations } from '../helpers/pod-security';
import { expectValidManifests, K8sObject } from '../helpers/schema';

function synthTo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-'));
  synthGitOpsEnvironments(dir);
  return dir;
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const env of readdirSync(dir).sort()) {
    for (const f of readdirSync(path.join(dir, env)).sort()) out[`${env}/${f}`] = readFileSync(path.join(dir, env, f), 'utf8');
  }
  return out;
}

function objects(dir: string, env: string): K8sObject[] {
  return readdirSync(path.join(dir, env)).filter((f) => f.endsWith('.k8s.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, env, f), 'utf8')).map((d) => d.toJSON() as K8sObject));
}

describe('GitOps layout for many environments', () => {
  const dir = synthTo();

  test('one directory per environment, each with a kustomization listing exactly its files', () => {
    expect(readdirSync(dir).sort()).toEqual(ENVIRONMENTS.map((e) => e.name).sort());
    for (const env of ENVIRONMENTS) {
      const files = readdirSync(path.join(dir, env.name)).filter((f) => f.endsWith('.k8s.yaml')).sort();
      const k = parse(readFileSync(path.join(dir, env.name, 'kustomization.yaml'), 'utf8'));
      expect(k).toEqual({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files });
      expect(files.length).toBeGreaterThan(0);
    }
  });

  test('byte-for-byte deterministic: two synths give identical trees', () => {
    expect(readTree(synthTo())).toEqual(readTree(dir));
  });

  test('every environment validates, meets "restricted", and carries no CDK token', () => {
    for (const env of ENVIRONMENTS) {
      const objs = objects(dir, env.name);
      expectValidManifests(objs);
      expect(restrictedViolations(objs)).toEqual([]);
      expect(JSON.stringify(objs)).not.toMatch(/\$\{Token\[/);
    }
  });

  test('environments differ exactly where their description differs', () => {
    const dev = readTree(dir)['dev/tempo.k8s.yaml'].split('\n');
    const prod = readTree(dir)['prod/tempo.k8s.yaml'].split('\n');
    expect(dev.length).toBe(prod.length - 1); // prod's outputs carry a bucket prefix line
    const differing = new Set<string>();
    const prodWithoutPrefix = prod.filter((l) => !/^\s+prefix: tempo$/.test(l));
    dev.forEach((line, i) => { if (line !== prodWithoutPrefix[i]) differing.add(`${line.trim()} -> ${prodWithoutPrefix[i].trim()}`); });
    const expected = [
      'bucket: acme-dev-tempo-traces -> bucket: acme-prod-tempo-traces',
      'endpoint: s3.eu-west-1.amazonaws.com -> endpoint: s3.eu-central-1.amazonaws.com',
      'region: eu-west-1 -> region: eu-central-1',
      'value: eu-west-1 -> value: eu-central-1',
      'block_retention: 72h -> block_retention: 720h',
      'memory: 2Gi -> memory: 8Gi',
      'value: 1740MiB -> value: 6963MiB',
      'storage: 10Gi -> storage: 100Gi',
    ];
    for (const d of differing) {
      if (d.startsWith('checksum/config:')) continue; // follows the config, by design
      expect(expected).toContain(d);
    }
    for (const e of expected) expect(differing).toContain(e);
  });
});

describe('GitOps layout refuses leaked CDK tokens', () => {
  test('a token in one environment fails the run and writes nothing', () => {
    const { App, Stack } = require('aws-cdk-lib');
    const s3 = require('aws-cdk-lib/aws-s3');
    const { synthEnvironments, TempoChart } = require('../../lib/k8s');
    const bucket = new s3.Bucket(new Stack(new App(), 'S'), 'B');
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-leak-'));
    expect(() => synthEnvironments([{ name: 'dev', spec: {} }], (app: any) => {
      new TempoChart(app, 'tempo', { namespace: 'tracing', storage: { bucketName: bucket.bucketName, region: 'eu-west-1' } });
    }, { outdir: dir })).toThrow(/\[environments\/dev\] unresolved CDK token/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
