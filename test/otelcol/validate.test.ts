import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App as CdkApp } from 'aws-cdk-lib';
import { Testing } from 'cdk8s';
import { AWS_EXAMPLES } from '../../examples/aws-examples';
import { SamplingStrategy, TraceSampling } from '../../lib/core';
import { TempoChart } from '../../lib/k8s';
import { CollectorBackend, CollectorSamplingMode, TracingCollectorChart, TracingCollectorChartProps } from '../../lib/k8s/collector';
import { FAKE_NODE_NAME, FakeKubeApi, startFakeKubeApi } from './harness/fake-kube-api';
import { collectorConfigCheck } from './conformance-check';
import { otelcolBinary, podEnv, validate, withoutUnbuildable } from './harness/program';
import { collectorsOf, exampleCharts, isCollectorImage, ShippedCollector, shippedCollectors } from './harness/shipped';

// `otelcol validate` of the real collector (test/upstream/otelcol, the release our images pin) on
// every collector configuration we ship: each example's, and the construct's other shapes (head and
// no sampling, the rate-limit stage, rate-limiting service rules, remote sampling). validate builds
// every component from its config (unknown keys, bad values, a pipeline naming a missing component)
// without starting anything.

/** The construct's shapes no example shows, synthesized the way a platform team would. */
function variants(): ShippedCollector[] {
  const shapes: Array<[string, Omit<TracingCollectorChartProps, 'backend' | 'namespace'>, string | undefined]> = [
    ['tail-capped', {
      sampling: TraceSampling.of({
        baselineRatio: 0.1, latencyThresholdMs: 1500, maxSpansPerSecond: 20000,
        services: [
          { service: 'payment-service', strategy: SamplingStrategy.timesBaseline(3) },
          { service: 'batch-importer', strategy: SamplingStrategy.rateLimiting(2) },
        ],
      }),
      remoteSampling: true,
    }, 'team-a'],
    ['head', { samplingMode: CollectorSamplingMode.HEAD, sampling: TraceSampling.of({ baselineRatio: 0.25 }) }, undefined],
    ['none-remote', {
      samplingMode: CollectorSamplingMode.NONE, remoteSampling: true,
      sampling: TraceSampling.of({ baselineRatio: 0.2, services: [{ service: 'payment-service', strategy: SamplingStrategy.probabilistic(1) }] }),
    }, undefined],
  ];
  return shapes.flatMap(([name, props, tenant]) => {
    const app = Testing.app();
    const tempo = new TempoChart(app, `tempo-${name}`, { namespace: 'tracing', storage: { bucketName: 'traces', region: 'eu-west-1' }, multitenancy: tenant !== undefined });
    const chart = new TracingCollectorChart(app, `otel-${name}`, { namespace: 'observability', backend: CollectorBackend.tempo(tempo.tempo, { tenant }), ...props });
    return collectorsOf(`variant-${name}`, chart.toJson());
  });
}

const binary = otelcolBinary();
const shipped = shippedCollectors();
const all = [...shipped, ...variants()];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'otelcol-validate-'));

let kube: FakeKubeApi;

// validate only creates the Kubernetes clients (no call is made): the fake API's service-account
// files and address are what an agent pod has.
beforeAll(async () => { kube = await startFakeKubeApi(path.join(work, 'kube')); });
afterAll(async () => {
  await kube?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('otelcol validate (the real collector, release of our pinned images)', () => {
  test('every example chart with a collector is covered: agents, gateways and samplers', () => {
    const kinds = new Set(shipped.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['DaemonSet', 'Deployment', 'StatefulSet']);
    expect(shipped.length).toBeGreaterThanOrEqual(15);
    process.stdout.write(`otelcol validate: ${shipped.length} example configs, ${all.length - shipped.length} construct variants\n`);
  });

  test('the AWS example stacks put no collector on a cluster (else this suite must read them too)', () => {
    const app = new CdkApp();
    AWS_EXAMPLES.forEach((build) => build(app));
    const templates = JSON.stringify(app.synth().stacks.map((s) => s.template));
    const images = templates.match(/[\w./-]+opentelemetry-collector[\w./:-]*/g) ?? [];
    expect(images.filter(isCollectorImage)).toEqual([]);
  });

  test.each(all.map((c) => [c.id, c] as const))('%s passes validate', (id, collector) => {
    const { config, removed } = withoutUnbuildable(collector.config);
    if (removed.length > 0) process.stdout.write(`otelcol validate: ${id} validated without ${removed.join(', ')} (not buildable here)\n`);
    const result = validate(binary, config, path.join(work, id, 'config.yaml'), podEnv(collector.env, FAKE_NODE_NAME), kube);
    if (result.status !== 0) throw new Error(`otelcol validate rejected ${id} (ConfigMap ${collector.configMap}):\n${result.output}`);
  });

  test('the only component left out of validation is the one the registry cannot serve', () => {
    const unknown = all.flatMap((c) => {
      const r = validate(binary, c.config, path.join(work, 'whole', c.id, 'config.yaml'), podEnv(c.env, FAKE_NODE_NAME), kube);
      return [...r.output.matchAll(/'(\w+)' unknown type: "(\w+)"/g)].map((m) => `${m[1]}/${m[2]}`);
    });
    expect([...new Set(unknown)]).toEqual(['extensions/jaegerremotesampling']);
  });

  test('npm run conformance reports the collector configs through its check: all valid, and a broken one rejected', async () => {
    const objects = shipped.length > 0 ? exampleCharts().flatMap(({ chart, objects: objs }) => objs.map((object: any, i: number) => ({ object, source: `${chart}#${i}`, unit: chart }))) : [];
    const ok = await collectorConfigCheck.run({ client: undefined as any, objects, files: [] });
    expect(ok.failures ?? []).toEqual([]);
    expect((ok.verdicts ?? []).filter((v) => v.rejected)).toEqual([]);
    expect(ok.summary?.[0]).toMatch(new RegExp(`^${shipped.length} collector configs valid`));
    // The same objects with one sampler config broken (an unknown key): that ConfigMap is rejected.
    const broken = objects.map((f) => (f.object.kind === 'ConfigMap' && f.object.metadata.name === 'otel-sampler-config' && f.unit === 'platform'
      ? { ...f, object: { ...f.object, data: { 'config.yaml': `${f.object.data['config.yaml']}\nbogus_top_level_key: 1\n` } } } : f));
    const bad = await collectorConfigCheck.run({ client: undefined as any, objects: broken, files: [] });
    const rejected = (bad.verdicts ?? []).filter((v) => v.rejected);
    expect(rejected.map((v) => `${v.found.unit}/${v.found.object.metadata?.name}`)).toEqual(['platform/otel-sampler-config']);
    expect(rejected[0].rejected).toMatch(/bogus_top_level_key/);
  }, 180_000);
});
