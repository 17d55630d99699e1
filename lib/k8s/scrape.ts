// How a component's own metrics reach Prometheus through prometheus-operator, and which labels the
// scrape gives its series. Alerts and dashboards select on exactly these labels, so they can only read
// what a monitor we generate (or one the user declared) actually scrapes.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { promMatchersProblem } from '../render/alert-rules';

/** API version of prometheus-operator's ServiceMonitor, PodMonitor and PrometheusRule. */
export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';

/** Options of the monitor a component creates for its own metrics. */
export interface MetricsMonitorOptions {
  /**
   * Labels on the monitor, so the Prometheus `serviceMonitorSelector`/`podMonitorSelector` picks it up
   * (kube-prometheus-stack selects `release: <release name>` by default).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Scrape interval.
   * @default '30s'
   */
  readonly interval?: string;
}

/** Options of the PodMonitor of a backend (Tempo, Jaeger) whose NetworkPolicy may restrict who reaches its metrics port. */
export interface BackendMonitorOptions extends MetricsMonitorOptions {
  /**
   * Namespace of the Prometheus that scrapes. Required with `allowedNamespaces`: the NetworkPolicy
   * admits only those namespaces, so Prometheus' must be one of them or every scrape times out.
   * @default - not needed when every namespace is admitted
   */
  readonly prometheusNamespace?: string;
}

/**
 * With a namespace allow-list on the backend's NetworkPolicy, Prometheus must be admitted to the
 * metrics port, or the monitor exists and every scrape fails.
 */
export function checkPrometheusAdmitted(path: string, key: string, options: BackendMonitorOptions, allowed: string[] | undefined, port: number): void {
  const ns = options.prometheusNamespace;
  if (ns !== undefined) validateDnsLabel(path, `${key}.prometheusNamespace`, ns);
  if (!allowed) return;
  if (ns === undefined) {
    throw configError(path, `${key} with allowedNamespaces needs ${key}.prometheusNamespace: the NetworkPolicy admits only ${allowed.join(', ')} to port ${port}, where the metrics are`,
      ns, `set ${key}.prometheusNamespace to the namespace Prometheus runs in (and list it in allowedNamespaces)`);
  }
  if (!allowed.includes(ns)) {
    throw configError(path, `${key}.prometheusNamespace is not in allowedNamespaces (${allowed.join(', ')}), so the NetworkPolicy would drop every scrape of port ${port}`,
      ns, `add "${ns}" to allowedNamespaces`);
  }
}

/** One group of scrape targets the alerts and dashboards read, so its silence can be reported. */
export interface ScrapeTarget {
  /** What the targets are, for alert text, e.g. `Tempo distributor tracing/tempo`. */
  readonly description: string;
  /** PromQL label matchers (no braces) selecting exactly this group's series, built from labels the scrape sets. */
  readonly matchers: string;
  /** The equality matchers among them (`namespace`, `job`, `container`), which identify the group's absence alert. */
  readonly labels: Record<string, string>;
}

/** How a component is scraped: the labels selecting its series, and the target groups we rely on. */
export interface MetricsScrape {
  /** The component, for messages, e.g. `Tempo tracing/tempo`. */
  readonly component: string;
  /** PromQL label matchers (no braces) selecting every series of the component. */
  readonly matchers: string;
  /** Target groups whose disappearance an alert reports. */
  readonly targets: ScrapeTarget[];
  /** The monitors we generate for it; empty for a component scraped by configuration we do not own. */
  readonly monitors: ApiObject[];
  /** The construct that owns the monitors, to check alerts are built for the same cluster (app). */
  readonly owner?: Construct;
}

/**
 * Something whose metrics alerts and dashboards may read: {@link Tempo}, {@link Jaeger},
 * {@link TracingCollector}, or {@link ExternalMetricsSource.of} for metrics scraped elsewhere.
 */
export interface IMetricsSource {
  /** How its metrics are scraped; undefined when no monitor scrapes them. */
  readonly metricsScrape?: MetricsScrape;
  /** The component and the prop that adds its monitor, for the error when {@link metricsScrape} is undefined. */
  readonly metricsSourceInfo: { readonly component: string; readonly enable: string };
}

/** Props of {@link ExternalMetricsSource.of}. */
export interface ExternalMetricsSourceProps {
  /** The component, for messages, e.g. `Tempo (Helm release tempo)`. */
  readonly component: string;
  /** PromQL label matchers (no braces) selecting its series as your scrape configuration labels them, e.g. `job="tempo"`. */
  readonly matchers: string;
}

/**
 * Metrics of a component another tool deploys and scrapes (a Helm chart, an existing ServiceMonitor).
 * Using it is the explicit, recorded statement that something else scrapes the component with these labels;
 * the alerts still report when no target matching them is up.
 */
export class ExternalMetricsSource implements IMetricsSource {
  public static of(props: ExternalMetricsSourceProps): ExternalMetricsSource {
    const path = 'ExternalMetricsSource.of';
    if (!props.component || props.component.trim() === '') throw configError(path, 'component is empty', props.component, 'name the component, e.g. "Tempo (Helm release tempo)"');
    const problem = promMatchersProblem(props.matchers ?? '');
    if (problem) throw configError(path, `matchers is not a PromQL label-matcher list: ${problem}`, props.matchers, 'write matchers without braces, e.g. job="tempo", namespace="tracing"');
    if (!props.matchers || props.matchers.trim() === '') {
      throw configError(path, 'matchers is empty, so the alerts would read every series of every job', props.matchers, 'select the component, e.g. job="tempo"');
    }
    const labels: Record<string, string> = {};
    for (const m of props.matchers.matchAll(/(?:^|,)\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2];
    return new ExternalMetricsSource(props.component, props.matchers, labels);
  }

  public readonly metricsScrape: MetricsScrape;
  public readonly metricsSourceInfo: { readonly component: string; readonly enable: string };

  private constructor(component: string, matchers: string, labels: Record<string, string>) {
    this.metricsScrape = { component, matchers, targets: [{ description: component, matchers, labels }], monitors: [] };
    this.metricsSourceInfo = { component, enable: 'nothing: it is scraped elsewhere' };
  }
}

const INTERVAL = /^([0-9]+(ms|s|m|h))+$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Checks the monitor options; returns the interval to use. */
export function resolveMonitorOptions(path: string, key: string, options: MetricsMonitorOptions): string {
  for (const [k, v] of Object.entries(options.labels ?? {})) {
    if (!LABEL_KEY.test(k)) throw configError(path, `${key}.labels key is not a Kubernetes label key`, k, 'use e.g. "release"');
    if (typeof v !== 'string' || !LABEL_VALUE.test(v)) throw configError(path, `${key}.labels value is not a Kubernetes label value`, v, 'use at most 63 letters, digits, "-", "_" or "."');
  }
  const interval = options.interval ?? '30s';
  if (!INTERVAL.test(interval)) throw configError(path, `${key}.interval is not a Prometheus duration`, interval, 'use e.g. "30s" or "1m"');
  return interval;
}

/** Input of {@link podMonitor}. */
export interface PodMonitorInput {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Labels the selected pods carry. */
  readonly selector: Record<string, string>;
  /** Name of the container port serving `/metrics` on every selected pod. */
  readonly port: string;
  readonly interval: string;
}

/**
 * A PodMonitor. Its targets' series carry `namespace` (the pod's), `job` = `<namespace>/<name>`
 * (prometheus-operator's default with no jobLabel), `pod`, `container` and `endpoint` = the port name.
 */
export function podMonitor(scope: Construct, id: string, input: PodMonitorInput): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: MONITORING_API_VERSION,
    kind: 'PodMonitor',
    metadata: { name: input.name, labels: input.labels },
    spec: {
      selector: { matchLabels: input.selector },
      namespaceSelector: { matchNames: [input.namespace] },
      podMetricsEndpoints: [{ port: input.port, path: '/metrics', interval: input.interval }],
    },
  });
}

/** The `job` label prometheus-operator gives a PodMonitor's targets. */
export function podMonitorJob(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Matchers on namespace and one or more jobs (`job="a"` or `job=~"a|b"`; names are DNS labels and `/`, no regex metacharacters). */
export function jobMatchers(namespace: string, jobs: string[]): string {
  const job = jobs.length === 1 ? `job="${jobs[0]}"` : `job=~"${jobs.join('|')}"`;
  return `namespace="${namespace}", ${job}`;
}

/** A target group selected by equality on `labels` (namespace, job, and container when one monitor covers several components). */
export function scrapeTarget(description: string, labels: Record<string, string>): ScrapeTarget {
  return { description, labels, matchers: Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ') };
}

/**
 * The scrape of every source, or a configuration error naming the component whose metrics
 * nothing scrapes, the alerts or dashboards that read them, and the prop that adds the monitor.
 */
export function requireScrape(path: string, reader: string, key: string, source: IMetricsSource, scope: Construct): MetricsScrape {
  const scrape = source.metricsScrape;
  if (!scrape) {
    throw configError(path, `${reader} read the metrics of ${source.metricsSourceInfo.component} (${key}), but no ServiceMonitor or PodMonitor scrapes it, so they would see no data and never fire`,
      source.metricsSourceInfo.component, `set ${source.metricsSourceInfo.enable}, or pass an ExternalMetricsSource.of({...}) when another tool scrapes it`);
  }
  if (scrape.owner && scrape.owner.node.root !== scope.node.root) {
    throw configError(path, `${key} (${scrape.component}) is in another app, so its monitors are applied to another cluster than these ${reader}`,
      scrape.owner.node.path, 'build the alerts and dashboards in the same cdk8s App as the components they read');
  }
  return scrape;
}

/** The scrapes of the sources alerts or dashboards read, and every target group they rely on. */
export interface ResolvedSources {
  readonly collector?: MetricsScrape;
  readonly tempo?: MetricsScrape;
  readonly jaeger?: MetricsScrape;
  readonly targets: ScrapeTarget[];
}

/** Checks that every given source is scraped in the same app as `scope`; `reader` names the readers in messages. */
export function resolveSources(scope: Construct, path: string, reader: string,
  props: { readonly collector?: IMetricsSource; readonly tempo?: IMetricsSource; readonly jaeger?: IMetricsSource }): ResolvedSources {
  const get = (key: 'collector' | 'tempo' | 'jaeger') => {
    const source = props[key];
    return source ? requireScrape(path, reader, key, source, scope) : undefined;
  };
  const collector = get('collector');
  const tempo = get('tempo');
  const jaeger = get('jaeger');
  const targets = [collector, tempo, jaeger].flatMap((s) => s?.targets ?? []);
  return { collector, tempo, jaeger, targets };
}
