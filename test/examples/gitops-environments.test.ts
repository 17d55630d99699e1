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

// Sampling shows up in the sampler's tail-sampling policy config; anything else differing there would be a leak.
function prodOnlySamplingPaths(paths: string[]): string[] {
  return paths.filter((k) => k.startsWith('ConfigMap/otel-sampler') && k.includes('sampling_percentage'));
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
    // Every leaf that differs between dev and prod, as "<kind>/<name> <path>"; config files are parsed too.
    const leaves = (env: string): Map<string, unknown> => {
      const out = new Map<string, unknown>();
      const walk = (prefix: string, v: unknown) => {
        if (typeof v === 'string' && /\.ya?ml$/.test(prefix)) { walk(prefix, parse(v)); return; }
        if (v && typeof v === 'object') { for (const [k, c] of Object.entries(v)) walk(`${prefix}.${k}`, c); return; }
        out.set(prefix, v);
      };
      for (const o of objects(dir, env)) walk(`${o.kind}/${o.metadata?.name}`, o);
      return out;
    };
    const dev = leaves('dev');
    const prod = leaves('prod');
    const differing = [...new Set([...dev.keys(), ...prod.keys()])]
      .filter((k) => JSON.stringify(dev.get(k)) !== JSON.stringify(prod.get(k)))
      .filter((k) => !k.includes('checksum/config')) // follows the config, by design
      .map((k) => k.replace(/\.\d+\./g, '.#.'))
      .sort();
    expect([...new Set(differing)]).toEqual([
      // AWS values from each environment's stack outputs
      'ConfigMap/tempo-config.data.tempo.yaml.storage.trace.s3.bucket',
      'ConfigMap/tempo-config.data.tempo.yaml.storage.trace.s3.endpoint',
      'ConfigMap/tempo-config.data.tempo.yaml.storage.trace.s3.prefix',
      'ConfigMap/tempo-config.data.tempo.yaml.storage.trace.s3.region',
      // retention
      'ConfigMap/tempo-config.data.tempo.yaml.backend_scheduler.provider.compaction.compaction.block_retention',
      'ConfigMap/tempo-config.data.tempo.yaml.backend_worker.compaction.block_retention',
      'ConfigMap/tempo-config.data.tempo.yaml.overrides.defaults.compaction.block_retention',
      // sampling baseline
      ...prodOnlySamplingPaths(differing),
      // replicas
      'Deployment/otel-gateway.spec.replicas',
      'StatefulSet/otel-sampler.spec.replicas',
      // tail-sampling buffers are sized per sampler replica, so they follow the replica count
      'ConfigMap/otel-sampler-config.data.config.yaml.processors.tail_sampling.decision_cache.non_sampled_cache_size',
      'ConfigMap/otel-sampler-config.data.config.yaml.processors.tail_sampling.decision_cache.sampled_cache_size',
      'ConfigMap/otel-sampler-config.data.config.yaml.processors.tail_sampling.expected_new_traces_per_sec',
      'ConfigMap/otel-sampler-config.data.config.yaml.processors.tail_sampling.num_traces',
      'HorizontalPodAutoscaler/otel-gateway.spec.maxReplicas',
      'HorizontalPodAutoscaler/otel-gateway.spec.minReplicas',
      // hosts
      ...differing.filter((k) => /^(Ingress|Certificate)\//.test(k)),
      // sizes
      'StatefulSet/tempo.spec.template.spec.containers.#.env.#.value',
      'StatefulSet/tempo.spec.template.spec.containers.#.resources.limits.memory',
      'StatefulSet/tempo.spec.volumeClaimTemplates.#.spec.resources.requests.storage',
    ].sort());
    expect(differing.some((k) => /^Ingress\//.test(k) && k.endsWith('.host'))).toBe(true);
    expect(prodOnlySamplingPaths(differing).length).toBeGreaterThan(0);
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
