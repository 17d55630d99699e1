// The PodMonitors of the collector and query roles: Jaeger's own telemetry on port `metrics` (8888).
import { JAEGER_METRICS } from '../../render/jaeger-ports';
import { BackendMonitorOptions, MetricsScrape, checkPrometheusAdmitted, jobMatchers, podMonitor, podMonitorJob, resolveMonitorOptions, scrapeTarget } from '../scrape';
import { JaegerContext } from './context';
import { jaegerRole } from './role';

/**
 * One PodMonitor per role, so each role has its own `job` (`<namespace>/<name>-collector`,
 * `<namespace>/<name>-query`) and a role that vanishes is reported on its own. The alerts and
 * dashboards read the collector's storage exporter, so the collector is the target they rely on.
 */
export function jaegerPodMonitors(ctx: JaegerContext, path: string, namespace: string, options: BackendMonitorOptions,
  allowedNamespaces: string[] | undefined): MetricsScrape {
  const interval = resolveMonitorOptions(path, 'podMonitor', options);
  checkPrometheusAdmitted(path, 'podMonitor', options, allowedNamespaces, JAEGER_METRICS.port);
  const jobs: string[] = [];
  const monitors = (['collector', 'query'] as const).map((component) => {
    const role = jaegerRole(ctx, component);
    jobs.push(podMonitorJob(namespace, role.name));
    return podMonitor(ctx.scope, component === 'collector' ? 'CollectorPodMonitor' : 'QueryPodMonitor', {
      name: role.name,
      namespace,
      labels: { ...role.labels, ...(options.labels ?? {}) },
      selector: role.selector,
      port: JAEGER_METRICS.name,
      interval,
    });
  });
  return {
    component: `Jaeger ${namespace}/${ctx.name}`,
    matchers: jobMatchers(namespace, jobs),
    targets: [scrapeTarget(`Jaeger collector ${namespace}/${ctx.name}`, { namespace, job: jobs[0] })],
    monitors,
    owner: ctx.scope,
  };
}
