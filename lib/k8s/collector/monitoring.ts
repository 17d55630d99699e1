// The collector's own metrics (port 8888): which Service is scraped, and the optional ServiceMonitor.
import { ApiObject } from 'cdk8s';
import type { TierScope } from './tier';

/** Label marking the Service a ServiceMonitor scrapes (one per tier). */
export const METRICS_SERVICE_LABEL = 'cdk-tracing.io/metrics';

/**
 * Labels of the one Service per tier that carries the metrics port: a tier with two Services
 * (gateway) must not be scraped twice.
 */
export function metricsServiceLabels(labels: Record<string, string>): Record<string, string> {
  return { ...labels, [METRICS_SERVICE_LABEL]: 'true' };
}

/** A Prometheus Operator ServiceMonitor for the tier, when the collector was given `serviceMonitor`. */
export function collectorServiceMonitor(ctx: TierScope, id: string, name: string, labels: Record<string, string>, selector: Record<string, string>): void {
  const options = ctx.monitor;
  if (!options) return;
  new ApiObject(ctx.scope, id, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name, labels: { ...labels, ...(options.labels ?? {}) } },
    spec: {
      selector: { matchLabels: metricsServiceLabels(selector) },
      namespaceSelector: { matchNames: [ctx.namespace] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: options.interval ?? '30s' }],
    },
  });
}
