import { App, Chart } from 'cdk8s';
import {
  CollectorBackend, OtelInstrumentation, SamplingStrategy, Tempo, TraceSampling, TracingCollectorChart,
} from '../../lib/k8s';

/**
 * The collector tier in front of the default example's Tempo: node-local agents,
 * a gateway routing by traceID, a tail-sampling tier keeping every error, every
 * trace slower than 2s, payment-service at 3x and notification-service at 0.5x
 * the 10% baseline. SDKs poll the same model through remote sampling, and the
 * `shop` namespace gets an operator Instrumentation.
 *
 * Runs after the Tempo GitOps example in the same app: the exporter endpoint is
 * computed from that Tempo construct.
 */
export function buildCollectorForTempo(app: App): TracingCollectorChart {
  const tempo = app.node.findAll().find((c): c is Tempo => c instanceof Tempo);
  if (!tempo) {
    throw new Error('[examples/collector-tempo] no Tempo construct in the app (got none); build the Tempo example (buildTempoGitOps) before this one');
  }
  const collector = new TracingCollectorChart(app, 'otel-collector', {
    namespace: 'observability',
    backend: CollectorBackend.tempo(tempo),
    sampling: TraceSampling.of({
      baselineRatio: 0.1,
      keepErrors: true,
      latencyThresholdMs: 2000,
      services: [
        { service: 'payment-service', strategy: SamplingStrategy.timesBaseline(3) },
        { service: 'notification-service', strategy: SamplingStrategy.timesBaseline(0.5) },
      ],
      defaultOperations: [{ operation: 'GET /health', ratio: 0 }],
    }),
    remoteSampling: true,
    traffic: { tracesPerSecond: 2000, spansPerTrace: 20, p99TraceDurationSeconds: 5 },
    agent: { resourceDetectors: ['env', 'k8s_api', 'eks'] },
    serviceMonitor: { labels: { release: 'kube-prometheus-stack' } },
  });
  const shop = new Chart(app, 'shop-instrumentation', { namespace: 'shop', disableResourceNameHashes: true });
  new OtelInstrumentation(shop, 'Instrumentation', { collector: collector.collector });
  return collector;
}
