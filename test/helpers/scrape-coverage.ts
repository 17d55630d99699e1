import { parse } from 'yaml';
import { K8sObject } from './schema';

/**
 * A model of what prometheus-operator scrapes in one cluster, from the synthesized objects alone,
 * and a check that every series an alert or dashboard panel reads comes from a target it scrapes.
 *
 * Targets follow prometheus-operator's relabelling (pkg/prometheus/promcfg.go, no jobLabel set):
 * a PodMonitor keeps the pods its selector matches in its namespaceSelector's namespaces (its own
 * namespace when it has none) with a container port named like the endpoint's `port`, and labels
 * them namespace, container, pod, job = `<monitor namespace>/<monitor name>`, endpoint = the port name;
 * a ServiceMonitor keeps the Services its selector matches that have a port named like the endpoint's
 * `port`, reaches the pods the Service selects on that port's targetPort, and labels them namespace,
 * service, pod, container, job = the Service name, endpoint = the port name. A monitor the Prometheus
 * does not select (its serviceMonitorSelector/podMonitorSelector) yields no target, and neither does a
 * pod whose NetworkPolicies drop connections from Prometheus' namespace to the scraped port.
 */

/** The cluster's Prometheus, as prometheus-operator runs it. */
export interface PrometheusModel {
  readonly namespace: string;
  /** `serviceMonitorSelector`/`podMonitorSelector`/`ruleSelector` matchLabels (kube-prometheus-stack: `release: <release>`). */
  readonly selector: Record<string, string>;
  /** URL its remote-write receiver listens on (Tempo's metrics-generator writes span metrics there). */
  readonly remoteWriteUrl: string;
}

interface Pod {
  readonly namespace: string;
  readonly workload: string;
  readonly labels: Record<string, string>;
  readonly containers: Array<{ name: string; image: string; args: string[]; ports: Array<{ name?: string; containerPort: number }> }>;
}

/** One scrape target: the labels its series get and what serves it. */
export interface Target {
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly args: string[];
  readonly port: number;
  readonly monitor: string;
}

const subset = (sel: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(sel ?? {}).every(([k, v]) => (labels ?? {})[k] === v);

function podsOf(objects: K8sObject[]): Pod[] {
  return objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)).map((o: any) => ({
    namespace: o.metadata.namespace,
    workload: o.metadata.name,
    labels: o.spec.template.metadata?.labels ?? {},
    containers: (o.spec.template.spec.containers ?? []).map((c: any) => ({ name: c.name, image: c.image, args: c.args ?? [], ports: c.ports ?? [] })),
  }));
}

/** Whether the pod's NetworkPolicies admit `fromNamespace` to `port` (no policy selecting the pod: admitted). */
function admitted(objects: K8sObject[], pod: Pod, fromNamespace: string, port: number): boolean {
  const policies = objects.filter((o: any) => o.kind === 'NetworkPolicy' && o.metadata.namespace === pod.namespace
    && subset(o.spec.podSelector?.matchLabels, pod.labels) && (o.spec.policyTypes ?? ['Ingress']).includes('Ingress')) as any[];
  if (policies.length === 0) return true;
  return policies.some((p) => (p.spec.ingress ?? []).some((rule: any) => {
    const fromOk = !rule.from || rule.from.some((peer: any) => peer.namespaceSelector && !peer.podSelector
      && subset(peer.namespaceSelector.matchLabels, { 'kubernetes.io/metadata.name': fromNamespace }));
    const portOk = !rule.ports || rule.ports.some((pp: any) => pp.port === port);
    return fromOk && portOk;
  }));
}

/** Every target the cluster's Prometheus scrapes through the monitors in `objects`. */
export function scrapeTargets(objects: K8sObject[], prometheus: PrometheusModel): { targets: Target[]; problems: string[] } {
  const pods = podsOf(objects);
  const targets: Target[] = [];
  const problems: string[] = [];
  for (const m of objects.filter((o) => o.kind === 'PodMonitor' || o.kind === 'ServiceMonitor') as any[]) {
    const id = `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`;
    if (!subset(prometheus.selector, m.metadata.labels)) { problems.push(`${id}: Prometheus does not select it (labels lack ${JSON.stringify(prometheus.selector)})`); continue; }
    const namespaces: string[] = m.spec.namespaceSelector?.matchNames ?? [m.metadata.namespace];
    const found: Target[] = [];
    if (m.kind === 'PodMonitor') {
      for (const ep of m.spec.podMetricsEndpoints) {
        for (const pod of pods.filter((p) => namespaces.includes(p.namespace) && subset(m.spec.selector.matchLabels, p.labels))) {
          for (const c of pod.containers) {
            const cp = c.ports.find((p) => p.name === ep.port);
            if (!cp) continue;
            if (!admitted(objects, pod, prometheus.namespace, cp.containerPort)) { problems.push(`${id}: the NetworkPolicy of ${pod.workload} drops scrapes from ${prometheus.namespace} on port ${cp.containerPort}`); continue; }
            found.push({
              labels: { namespace: pod.namespace, container: c.name, pod: `${pod.workload}-x`, job: `${m.metadata.namespace}/${m.metadata.name}`, endpoint: ep.port },
              image: c.image, args: c.args, port: cp.containerPort, monitor: id,
            });
          }
        }
      }
    } else {
      const services = objects.filter((o: any) => o.kind === 'Service' && namespaces.includes(o.metadata.namespace) && subset(m.spec.selector.matchLabels, o.metadata.labels)) as any[];
      for (const ep of m.spec.endpoints) {
        for (const svc of services) {
          const sp = (svc.spec.ports ?? []).find((p: any) => p.name === ep.port);
          if (!sp) continue;
          for (const pod of pods.filter((p) => p.namespace === svc.metadata.namespace && svc.spec.selector && subset(svc.spec.selector, p.labels))) {
            for (const c of pod.containers) {
              const cp = c.ports.find((p) => (typeof sp.targetPort === 'string' ? p.name === sp.targetPort : p.containerPort === (sp.targetPort ?? sp.port)));
              if (!cp) continue;
              if (!admitted(objects, pod, prometheus.namespace, cp.containerPort)) { problems.push(`${id}: the NetworkPolicy of ${pod.workload} drops scrapes from ${prometheus.namespace} on port ${cp.containerPort}`); continue; }
              found.push({
                labels: { namespace: pod.namespace, service: svc.metadata.name, container: c.name, pod: `${pod.workload}-x`, job: svc.metadata.name, endpoint: ep.port },
                image: c.image, args: c.args, port: cp.containerPort, monitor: id,
              });
            }
          }
        }
      }
    }
    if (found.length === 0) problems.push(`${id}: selects no pod with the port it scrapes`);
    targets.push(...found);
  }
  return { targets, problems };
}

// Who serves which metric on which port (facts: collector 0.159 and Jaeger 2.20 telemetry on 8888,
// Tempo 3.0 on its HTTP port 3200; Tempo's ingest metrics come from the distributor, or `target: all`).
const TEMPO_INGEST = /^tempo_(distributor_|discarded_spans_total|receiver_)/;
function produces(metric: string, t: Target): boolean {
  if (metric === 'up') return true;
  if (metric.startsWith('otelcol_')) return t.port === 8888 && /opentelemetry-collector|jaegertracing\/jaeger:/.test(t.image);
  if (metric.startsWith('tempo_')) {
    if (t.port !== 3200 || !t.image.includes('grafana/tempo:')) return false;
    const target = t.args.find((a) => a.startsWith('-target='))?.slice('-target='.length) ?? 'all';
    return !TEMPO_INGEST.test(metric) || target === 'all' || target === 'distributor';
  }
  return false;
}

/** A vector selector found in an expression: the metric and its label matchers. */
export interface Selector { readonly metric: string; readonly matchers: Array<{ name: string; op: string; value: string }> }

const KEYWORDS = new Set(['sum', 'max', 'min', 'avg', 'count', 'by', 'without', 'rate', 'irate', 'increase', 'or', 'and', 'unless', 'on', 'ignoring',
  'group_left', 'group_right', 'histogram_quantile', 'absent', 'vector', 'label_values', 'bool', 'offset']);

/** The vector selectors of a PromQL expression (our own expressions: every selector has braces or a range). */
export function selectorsOf(expr: string): Selector[] {
  const out: Selector[] = [];
  const re = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}|\[)/g;
  for (const m of expr.matchAll(re)) {
    if (KEYWORDS.has(m[1])) continue;
    const matchers = [...(m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)]
      .map((x) => ({ name: x[1], op: x[2], value: x[3].replace(/\\\\/g, '\\') }));
    out.push({ metric: m[1], matchers });
  }
  for (const m of expr.matchAll(/label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,/g)) out.push({ metric: m[1], matchers: [] });
  return out;
}

const TARGET_LABELS = new Set(['namespace', 'job', 'container', 'pod', 'endpoint', 'service']);
function matches(sel: Selector, t: Target): boolean {
  return sel.matchers.every(({ name, op, value }) => {
    if (!TARGET_LABELS.has(name) || value.includes('$')) return true; // a series label, or a dashboard variable
    const v = t.labels[name] ?? '';
    const re = () => new RegExp(`^(?:${value})$`);
    return op === '=' ? v === value : op === '!=' ? v !== value : op === '=~' ? re().test(v) : !re().test(v);
  });
}

/** Every expression an alert or panel reads, with where it is, from PrometheusRules and dashboards. */
export function readExpressions(objects: K8sObject[]): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  for (const o of objects as any[]) {
    if (o.kind === 'PrometheusRule') {
      for (const g of o.spec.groups) for (const r of g.rules) out.push({ where: `PrometheusRule ${o.metadata.name} ${r.alert ?? r.record}`, expr: r.expr });
    }
    const models: any[] = [];
    if (o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard) models.push(...Object.values(o.data ?? {}).map((j) => JSON.parse(j as string)));
    if (o.kind === 'GrafanaDashboard') models.push(JSON.parse(o.spec.json));
    for (const d of models) {
      for (const p of d.panels ?? []) for (const t of p.targets ?? []) out.push({ where: `dashboard ${d.uid} panel "${p.title}"`, expr: t.expr });
      for (const v of d.templating?.list ?? []) if (v.query?.query) out.push({ where: `dashboard ${d.uid} variable ${v.name}`, expr: v.query.query });
    }
  }
  return out;
}

/** Span metrics of Tempo's metrics-generator reach Prometheus by remote write, not by scrape. */
function remoteWritten(objects: K8sObject[], prometheus: PrometheusModel): string[] {
  const prefixes: string[] = [];
  for (const o of objects as any[]) {
    if (o.kind !== 'ConfigMap' || typeof o.data?.['tempo.yaml'] !== 'string') continue;
    const config = parse(o.data['tempo.yaml']);
    const urls = (config.metrics_generator?.storage?.remote_write ?? []).map((w: any) => w.url);
    if (!urls.includes(prometheus.remoteWriteUrl)) continue;
    const processors: string[] = config.overrides?.defaults?.metrics_generator?.processors ?? [];
    if (processors.includes('span-metrics')) prefixes.push('traces_spanmetrics_');
    if (processors.includes('service-graphs')) prefixes.push('traces_service_graph_');
  }
  return prefixes;
}

/**
 * One line per series an alert or panel reads that nothing in the cluster produces for Prometheus,
 * plus every monitor that scrapes nothing; empty when every read is backed.
 */
export function unscrapedReads(objects: K8sObject[], prometheus: PrometheusModel): string[] {
  const { targets, problems } = scrapeTargets(objects, prometheus);
  const pushed = remoteWritten(objects, prometheus);
  for (const o of objects.filter((x) => x.kind === 'PrometheusRule')) {
    if (!subset(prometheus.selector, o.metadata?.labels)) problems.push(`PrometheusRule ${o.metadata?.name}: Prometheus does not select it`);
  }
  for (const { where, expr } of readExpressions(objects)) {
    for (const sel of selectorsOf(expr)) {
      if (pushed.some((p) => sel.metric.startsWith(p))) continue;
      if (!targets.some((t) => produces(sel.metric, t) && matches(sel, t))) {
        const shown = sel.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ');
        problems.push(`${where} reads ${sel.metric}{${shown}}, which no scraped target produces`);
      }
    }
  }
  return [...new Set(problems)];
}
