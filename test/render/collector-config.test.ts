import { TraceSampling } from '../../lib/core';
import {
  OTELCOL_CONTRIB, OTELCOL_K8S, distributionFor, missingComponents, renderAgentConfig, renderGatewayConfig, renderSamplerConfig,
  renderTailSamplingPolicies, toPercentage,
} from '../../lib/render';

const common = { memoryLimitPercentage: 75, memorySpikePercentage: 20, queueSize: 100, batchSize: 1024, logLevel: 'info' };
const backend = { endpoint: 'tempo.tracing.svc.cluster.local:4317', insecure: true };
const sizing = { decisionWaitSeconds: 12, numTraces: 12000, expectedNewTracesPerSecond: 500, decisionCacheSize: 60000, spansPerTrace: 20 };

describe('collector renderers (pure)', () => {
  test('no service rules: a plain baseline policy; baseline 0 renders no baseline policy', () => {
    expect(renderTailSamplingPolicies(TraceSampling.of().resolve('t'), 20).map((p) => p.name)).toEqual(['keep-errors', 'baseline']);
    expect(renderTailSamplingPolicies(TraceSampling.of({ baselineRatio: 0 }).resolve('t'), 20).map((p) => p.name)).toEqual(['keep-errors']);
  });

  test('rate cap stage only when maxSpansPerSecond is set, after tail_sampling and before batch; no error bypass without keepErrors', () => {
    const capped = renderSamplerConfig({ ...common, sizing, backend, sampling: TraceSampling.of({ maxSpansPerSecond: 100, keepErrors: false, baselineRatio: 0.5 }).resolve('t') }) as any;
    expect(capped.service.pipelines.traces.processors).toEqual(['memory_limiter', 'tail_sampling', 'tail_sampling/rate_limit', 'batch']);
    expect(capped.processors['tail_sampling/rate_limit'].policies).toEqual([{ name: 'rate-limit', type: 'rate_limiting', rate_limiting: { spans_per_second: 100 } }]);
    const plain = renderSamplerConfig({ ...common, sizing, backend, sampling: TraceSampling.of().resolve('t') }) as any;
    expect(plain.service.pipelines.traces.processors).toEqual(['memory_limiter', 'tail_sampling', 'batch']);
  });

  test('rate cap stage buffers every trace that can reach it during its decision_wait, however low the cap', () => {
    // A full tail_sampling buffer evicts its oldest trace before the decision, and an evicted trace is dropped:
    // error traces, which the cap stage promises to keep, included. What arrives is bounded by this replica's
    // new traces per second, not by the cap (here 100 spans/s = 5 traces/s against 5000 new traces/s).
    const busy = { ...sizing, expectedNewTracesPerSecond: 5000, numTraces: 120000 };
    const capped = renderSamplerConfig({ ...common, sizing: busy, backend, sampling: TraceSampling.of({ maxSpansPerSecond: 100 }).resolve('t') }) as any;
    const stage = capped.processors['tail_sampling/rate_limit'];
    const waitSeconds = Number(/^(\d+)s$/.exec(stage.decision_wait)![1]);
    expect(stage.num_traces).toBeGreaterThanOrEqual(busy.expectedNewTracesPerSecond * waitSeconds);
    expect(stage.policies.map((p: any) => p.type)).toEqual(['status_code', 'rate_limiting']);
  });

  test('a model that keeps nothing is refused by the renderer too', () => {
    expect(() => renderSamplerConfig({ ...common, sizing, backend, sampling: TraceSampling.of({ baselineRatio: 0, keepErrors: false }).resolve('t') }))
      .toThrow(/keeps nothing/);
  });

  test('gateway needs exactly one of backend or sampler', () => {
    expect(() => renderGatewayConfig({ ...common, maxConnectionAge: '60s' })).toThrow(/exactly one of backend .* or sampler/);
    expect(() => renderGatewayConfig({ ...common, maxConnectionAge: '60s', backend, sampler: { service: 's.ns', port: 4317 } })).toThrow(/exactly one/);
  });

  test('load_balancing: synchronous (no queue, no retries at either level), so the autoscaled gateway holds nothing', () => {
    const gw = renderGatewayConfig({ ...common, queueSize: undefined, maxConnectionAge: '60s', sampler: { service: 'otel-sampler.o', port: 4317 } }) as any;
    const lb = gw.exporters['load_balancing/sampler'];
    expect(lb.protocol.otlp.sending_queue).toEqual({ enabled: false });
    expect(lb.protocol.otlp.retry_on_failure).toEqual({ enabled: false });
    expect(lb.sending_queue).toEqual({ enabled: false });
    expect(lb.retry_on_failure).toEqual({ enabled: false });
    expect(Object.keys(gw.extensions)).toEqual(['health_check']);
  });

  test('a tier that exports through a persistent queue needs a queue size', () => {
    expect(() => renderGatewayConfig({ ...common, queueSize: undefined, maxConnectionAge: '60s', backend })).toThrow(/needs queueSize/);
  });

  test('distribution: k8s unless a contrib-only component is used', () => {
    const agent = renderAgentConfig({ ...common, gateway: backend, resourceDetectors: ['env'] });
    expect(distributionFor(agent)).toBe(OTELCOL_K8S);
    const remote = renderAgentConfig({ ...common, gateway: backend, resourceDetectors: ['env'], remoteSamplingFile: '/conf/s.json' });
    expect(missingComponents(remote, OTELCOL_K8S)).toEqual(['extensions/jaegerremotesampling']);
    expect(distributionFor(remote)).toBe(OTELCOL_CONTRIB);
  });

  test('percentages without float noise', () => {
    expect(toPercentage(0.3)).toBe(30);
    expect(toPercentage(0.001)).toBe(0.1);
    expect(toPercentage(0.07)).toBe(7);
  });
});
