import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COLLECTOR_METRICS } from '../../lib/render/alert-rules';
import { describeTally, tallySink } from './harness/accounting';
import { stopAllCollectors } from './harness/collector-process';
import { FakeKubeApi, startFakeKubeApi } from './harness/fake-kube-api';
import { differences } from './harness/localize';
import { otelcolBinary } from './harness/program';
import { exampleCharts, collectorsOf, ShippedCollector } from './harness/shipped';
import { metricSum, readSink, scrape } from './harness/sink';
import { buildTopology, Tier, Topology } from './harness/topology';
import { SentTrace, sendTraffic, TrafficPlan } from './harness/traffic';

// End to end on loopback: spans from the OpenTelemetry JS SDK (OTLP gRPC, OTLP HTTP, Zipkin, Jaeger
// Thrift) -> our agent -> our gateway -> 2 replicas of our tail sampler -> a capture sink, every one a
// real collector process (test/upstream/otelcol, the release our images pin) running the config our
// constructs render, changed only by localize() (addresses, ports, file paths, the k8s resolver).

const EXAMPLE = 'environments/prod/otel-collector';
const REPLICAS = 2;

function pick(): { agent: ShippedCollector; gateway: ShippedCollector; sampler: ShippedCollector } {
  const chart = exampleCharts().find((c) => c.chart === EXAMPLE);
  if (!chart) throw new Error(`no example chart ${EXAMPLE}`);
  const collectors = collectorsOf(chart.chart, chart.objects);
  const by = (kind: string) => {
    const found = collectors.find((c) => c.kind === kind);
    if (!found) throw new Error(`${EXAMPLE} has no collector ${kind}`);
    return found;
  };
  return { agent: by('DaemonSet'), gateway: by('Deployment'), sampler: by('StatefulSet') };
}

/** The sampler's promises, read from its rendered policies. */
function promises(sampler: ShippedCollector): { latencyMs: number; baseline: number; decisionWaitMs: number } {
  const ts = sampler.config.processors.tail_sampling;
  const latency = ts.policies.find((p: any) => p.type === 'latency');
  const baseline = ts.policies.find((p: any) => p.name === 'baseline');
  if (!latency || !baseline || !ts.policies.some((p: any) => p.type === 'status_code')) {
    throw new Error(`${sampler.id}: expected keep-errors, keep-slow and baseline policies`);
  }
  return { latencyMs: latency.latency.threshold_ms, baseline: baseline.probabilistic.sampling_percentage / 100, decisionWaitMs: parseFloat(ts.decision_wait) * 1000 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `probe` returns the same value twice `quietMs` apart (or `timeoutMs` passes). */
async function settle<T>(probe: () => Promise<T> | T, quietMs: number, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = JSON.stringify(await probe());
  for (;;) {
    await sleep(quietMs);
    const value = await probe();
    const now = JSON.stringify(value);
    if (now === last || Date.now() > deadline) return value;
    last = now;
  }
}

const binary = otelcolBinary();
const shipped = pick();
const promise = promises(shipped.sampler);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otelcol-e2e-'));
let kube: FakeKubeApi;
let topo: Topology;

beforeAll(async () => {
  kube = await startFakeKubeApi(path.join(dir, 'kube'));
  topo = await buildTopology({ binary, dir, ...shipped, replicas: REPLICAS, kube });
  await topo.startSink();
  for (const s of topo.samplers) await topo.start(s);
  await topo.start(topo.gateway);
  await topo.start(topo.agent);
}, 300_000);

afterAll(async () => {
  await topo?.stopAll().catch(() => undefined);
  await stopAllCollectors();
  await kube?.close();
  if (!process.env.KEEP_E2E) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

function agentPorts(t: Tier) {
  const p = (n: number) => t.ports.get(n)!;
  return { otlpGrpc: p(4317), otlpHttp: p(4318), zipkin: p(9411), jaegerThriftHttp: p(14268) };
}

const plan = (traces: number, extra: Partial<TrafficPlan> = {}): TrafficPlan => ({
  traces, errorShare: 0.05, slowShare: 0.05, slowMs: promise.latencyMs + 500, services: ['frontend', 'checkout', 'cart'], ...extra,
});

async function metrics(t: Tier): Promise<string> {
  return scrape(t.ports.get(8888)!);
}

/**
 * Waits until the last traces sent are decided (one decision_wait), then until every sampler's export
 * queue is empty and the sink has stopped growing.
 */
async function drainQueues(timeoutMs: number): Promise<void> {
  await sleep(promise.decisionWaitMs + 3000);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const queued = await Promise.all(topo.samplers.map(async (s) => metricSum(await metrics(s), COLLECTOR_METRICS.exporterQueueSize)));
    if (queued.every((q) => q === 0)) break;
    if (Date.now() > deadline) throw new Error(`sampler export queues still hold ${queued.join(', ')} batches after ${timeoutMs / 1000}s`);
    await sleep(1000);
  }
  await settle(() => readSink(topo.sink.layout).length, 2000, 30_000);
}

/** Waits for every trace sent so far to be decided and delivered: past decision_wait, sink steady. */
async function drain(sent: readonly SentTrace[], timeoutMs = 120_000): Promise<void> {
  await sleep(promise.decisionWaitMs + 2000);
  await settle(() => tallySink(sent, topo.sink.layout).keptSpans, 3000, timeoutMs);
}

describe(`collector pipeline end to end (${EXAMPLE}: agent -> gateway -> ${REPLICAS} samplers -> sink)`, () => {
  test('only addresses, ports, file paths and the k8s resolver differ from the configs we ship', () => {
    for (const t of [topo.agent, topo.gateway, ...topo.samplers]) {
      const atomic = t.rewrites.filter((r) => r.kind === 'resolver').map((r) => r.path);
      expect(differences(t.shipped.config, t.config, atomic).sort()).toEqual(t.rewrites.map((r) => r.path).sort());
      for (const r of t.rewrites) expect(['address', 'port', 'file path', 'resolver']).toContain(r.kind);
      process.stdout.write(`${t.name} (${t.shipped.id}) rewrites:\n${t.rewrites.map((r) => `  ${r.path}: ${JSON.stringify(r.from)} -> ${JSON.stringify(r.to)} (${r.kind})`).join('\n')}\n`);
    }
  });

  test('steady traffic over 4 protocols: every error and slow trace kept, baseline within tolerance, one replica per trace, nothing lost', async () => {
    const traffic = await sendTraffic(agentPorts(topo.agent), plan(Number(process.env.E2E_TRACES ?? 2400)));
    process.stdout.write(`traffic: ${traffic.sent.length} traces, ${traffic.spans} spans in ${traffic.seconds}s ${JSON.stringify((traffic as any).exportMs)}\n`);
    expect(traffic.failedBatches).toEqual([]);
    await drain(traffic.sent);
    const t = tallySink(traffic.sent, topo.sink.layout);
    process.stdout.write(`${describeTally('steady traffic', t)}\n`);
    expect(t.sent.normal + t.sent.error + t.sent.slow).toBeGreaterThanOrEqual(2000);
    expect(t.missingMustKeep).toEqual([]);
    expect(t.kept.error).toBe(t.sent.error);
    expect(t.kept.slow).toBe(t.sent.slow);
    expect(t.partial).toEqual([]);
    expect(t.split).toEqual([]);
    // Baseline: kept normal traces are Binomial(n, p); 4.5 standard deviations fail a correct
    // sampler about once in 150,000 runs.
    const n = t.sent.normal;
    const sd = Math.sqrt(n * promise.baseline * (1 - promise.baseline));
    process.stdout.write(`  baseline: kept ${t.kept.normal} of ${n} normal traces, expected ${(n * promise.baseline).toFixed(0)} ± ${(4.5 * sd).toFixed(0)} (4.5 sd)\n`);
    expect(Math.abs(t.kept.normal - n * promise.baseline)).toBeLessThanOrEqual(4.5 * sd);
    for (const s of topo.samplers) {
      const m = await metrics(s);
      expect(metricSum(m, COLLECTOR_METRICS.exporterSendFailedSpans)).toBe(0);
    }
  }, 240_000);

  test('the alert rules and dashboards read metric names the real collector exposes', async () => {
    const exposed = new Map<string, string>();
    for (const t of [topo.agent, topo.gateway, ...topo.samplers]) {
      for (const m of (await metrics(t)).matchAll(/^# TYPE (\S+) (\S+)$/gm)) exposed.set(m[1], m[2]);
    }
    const counters = [...exposed].filter(([name, type]) => type === 'counter' && name.startsWith('otelcol_')).map(([name]) => name);
    expect(counters.length).toBeGreaterThan(5);
    // 0.161.0 exposes counters without `_total`: a rule written for `_total` would match nothing.
    expect(counters.filter((n) => n.endsWith('_total'))).toEqual([]);
    // The failure counters only appear once something failed; the others must be there by name.
    const onlyAfterAFailure: string[] = [COLLECTOR_METRICS.exporterSendFailedSpans, COLLECTOR_METRICS.exporterEnqueueFailedSpans];
    const { version: _version, ...names } = COLLECTOR_METRICS;
    const missing = Object.values(names).filter((n) => !exposed.has(n) && !onlyAfterAFailure.includes(n));
    expect(missing).toEqual([]);
  });

  test('the sink (Tempo) down for 30 s while traffic flows, then back: zero spans lost', async () => {
    await topo.sink.process!.stop();
    const downAt = Date.now();
    const traffic = await sendTraffic(agentPorts(topo.agent), plan(600, { durationMs: 30_000 }), 2);
    expect(traffic.failedBatches).toEqual([]);
    const wait = 30_000 - (Date.now() - downAt);
    if (wait > 0) await sleep(wait);
    const queued = await Promise.all(topo.samplers.map(async (s) => metricSum(await metrics(s), COLLECTOR_METRICS.exporterQueueSize)));
    process.stdout.write(`sink down ${((Date.now() - downAt) / 1000).toFixed(0)}s, sampler export queues hold ${queued.join(' + ')} batches\n`);
    expect(queued.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await topo.startSink();
    await drainQueues(180_000);
    const t = tallySink(traffic.sent, topo.sink.layout);
    process.stdout.write(`${describeTally('sink down 30 s', t)}\n`);
    expect(t.missingMustKeep).toEqual([]);
    expect(t.partial).toEqual([]);
    expect(t.split).toEqual([]);
    // Every span a sampler handed to its exporter (since it started) is at the sink: none dropped.
    const spans = readSink(topo.sink.layout);
    for (const [i, s] of topo.samplers.entries()) {
      const m = await metrics(s);
      const arrived = new Set(spans.filter((x) => x.replica === i).map((x) => x.spanId)).size;
      const sent = metricSum(m, COLLECTOR_METRICS.exporterSentSpans);
      if (process.env.KEEP_E2E) fs.writeFileSync(path.join(dir, `${s.name}.metrics.txt`), m);
      const failed = metricSum(m, COLLECTOR_METRICS.exporterSendFailedSpans) + metricSum(m, COLLECTOR_METRICS.exporterEnqueueFailedSpans);
      process.stdout.write(`  ${s.name}: exporter sent ${sent} spans, failed ${failed}, sink holds ${arrived} distinct spans from it: lost ${sent - arrived + failed}\n`);
      expect(failed).toBe(0);
      expect(arrived).toBe(sent);
    }
  }, 300_000);

  test('a sampler replica killed while its export queue holds decided spans: none of those lost (decision-window spans counted)', async () => {
    const victim = topo.samplers[1];
    await topo.sink.process!.stop();
    // Phase A: decided while the sink is down, so the kept spans wait in the samplers' on-disk queues.
    const a = await sendTraffic(agentPorts(topo.agent), plan(400));
    expect(a.failedBatches).toEqual([]);
    await sleep(promise.decisionWaitMs + 3000);
    const queuedBefore = metricSum(await metrics(victim), COLLECTOR_METRICS.exporterQueueSize);
    // Phase B: error traces only (each must be kept), still inside the decision window at the kill.
    const b = await sendTraffic(agentPorts(topo.agent), plan(200, { errorShare: 1, slowShare: 0 }));
    expect(b.failedBatches).toEqual([]);
    await sleep(1500);
    const onMemory = metricSum(await metrics(victim), 'otelcol_processor_tail_sampling_sampling_traces_on_memory');
    await victim.process!.kill();
    process.stdout.write(`killed ${victim.name} (SIGKILL) with ${queuedBefore} decided batches in its export queue and ${onMemory} traces in its decision window\n`);
    expect(queuedBefore).toBeGreaterThan(0);
    await topo.start(victim);
    await topo.startSink();
    await drainQueues(180_000);
    const ta = tallySink(a.sent, topo.sink.layout);
    process.stdout.write(`${describeTally('decided before the kill (phase A)', ta)}\n`);
    expect(ta.missingMustKeep).toEqual([]);
    expect(ta.partial).toEqual([]);
    expect(ta.split).toEqual([]);
    const tb = tallySink(b.sent, topo.sink.layout);
    const lost = tb.missingMustKeep.length;
    process.stdout.write(`${describeTally('in the decision window at the kill (phase B, all errors)', tb)}\n`);
    process.stdout.write(`  the kill lost ${lost} of ${b.sent.length} error traces (${lost * 4} spans) that were still in ${victim.name}'s decision window; ${onMemory} traces were in its memory\n`);
    expect(lost).toBeLessThanOrEqual(onMemory);
    expect(tb.partial.length + lost).toBeLessThanOrEqual(onMemory);
  }, 300_000);
});
