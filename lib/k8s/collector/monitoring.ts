// The collector's own metrics (port 8888): which Service is scraped, and the optional ServiceMonitor.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MONITORING_API_VERSION, MetricsScrape, jobMatchers, scrapeTarget } from '../scrape';
import type { CollectorTier } from './props';
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
    apiVersion: MONITORING_API_VERSION,
    kind: 'ServiceMonitor',
    metadata: { name, labels: { ...labels, ...(options.labels ?? {}) } },
    spec: {
      selector: { matchLabels: metricsServiceLabels(selector) },
      namespaceSelector: { matchNames: [ctx.namespace] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: options.interval ?? '30s' }],
    },
  });
}

/**
 * What the tiers' ServiceMonitors scrape. A ServiceMonitor's targets get `job` = the name of the
 * Service it selected (prometheus-operator's default with no jobLabel): each tier's metrics Service
 * carries the tier's name, so `job` is the tier name and `namespace` the collector's.
 */
export function collectorScrape(collector: Construct & { readonly name: string; readonly namespace: string }, tiers: CollectorTier[]): MetricsScrape {
  const ns = collector.namespace;
  const monitors = collector.node.children.filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'ServiceMonitor');
  return {
    component: `collector ${ns}/${collector.name}`,
    matchers: jobMatchers(ns, tiers.map((t) => t.name)),
    targets: tiers.map((t) => scrapeTarget(`collector tier ${ns}/${t.name}`, { namespace: ns, job: t.name })),
    monitors,
    owner: collector,
  };
}
