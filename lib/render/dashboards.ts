import { COLLECTOR_METRICS, JAEGER_STORAGE_EXPORTER, ScrapedTargetGroup, TEMPO_METRICS } from './alert-rules';
import { SpanMetrics } from './grafana-span-metrics';

/**
 * Grafana dashboards for the tracing stack, as dashboard JSON models. Pure:
 * datasources are referenced by fixed uid (`{type, uid}`), checked by the
 * construct against the provisioned datasources.
 */

export const PIPELINE_DASHBOARD_UID = 'tracing-pipeline';
export const SERVICES_DASHBOARD_UID = 'tracing-services';

export interface PipelineDashboardInput {
  readonly prometheusUid: string;
  /** Matchers (no braces) for the collectors' series; undefined leaves the collectors' panels out. */
  readonly collectorMatchers?: string;
  /** The scraped target groups the panels read; a panel shows how many of each are up. */
  readonly scrapeTargets: ScrapedTargetGroup[];
  /** Matchers for Tempo's series; undefined leaves Tempo's panels out. */
  readonly tempoMatchers?: string;
  /** Matchers for Jaeger's series; undefined leaves Jaeger's panels out. */
  readonly jaegerMatchers?: string;
}

export interface ServiceDashboardInput {
  readonly prometheusUid: string;
  /** Trace datasource exemplars open (shown as a link on each exemplar). */
  readonly traceUid: string;
  readonly spanMetrics: SpanMetrics;
}

type Panel = Record<string, unknown>;

function sel(matchers: string, extra?: string): string {
  return `{${[matchers.trim(), extra].filter((p) => p && p.length > 0).join(', ')}}`;
}

class Layout {
  private y = 0;
  private x = 0;
  private id = 1;
  public readonly panels: Panel[] = [];
  constructor(private readonly datasource: { type: string; uid: string }) {}

  public row(title: string): void {
    if (this.x > 0) { this.x = 0; this.y += 8; }
    this.panels.push({ id: this.id++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: this.y }, panels: [] });
    this.y += 1;
  }

  public timeseries(title: string, unit: string, targets: Array<{ expr: string; legend: string; exemplar?: boolean }>, description: string): void {
    const w = 12;
    if (this.x + w > 24) { this.x = 0; this.y += 8; }
    this.panels.push({
      id: this.id++,
      type: 'timeseries',
      title,
      description,
      datasource: this.datasource,
      gridPos: { h: 8, w, x: this.x, y: this.y },
      fieldConfig: { defaults: { unit, min: 0 }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
      targets: targets.map((t, i) => ({
        refId: String.fromCharCode(65 + i),
        datasource: this.datasource,
        expr: t.expr,
        legendFormat: t.legend,
        range: true,
        ...(t.exemplar ? { exemplar: true } : {}),
      })),
    });
    this.x += w;
  }
}

function dashboard(uid: string, title: string, description: string, panels: Panel[], templating: Panel[] = []): Record<string, unknown> {
  return {
    uid,
    title,
    description,
    tags: ['tracing', 'cdk-tracing'],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-1h', to: 'now' },
    refresh: '1m',
    timezone: 'browser',
    templating: { list: templating },
    annotations: { list: [] },
    links: [],
    panels,
  };
}

/** Pipeline health: collector receivers, exporters, queues; Tempo ingestion; Jaeger storage writes. */
export function renderPipelineDashboard(input: PipelineDashboardInput): Record<string, unknown> {
  const c = COLLECTOR_METRICS;
  const L = new Layout({ type: 'prometheus', uid: input.prometheusUid });
  const r = (metric: string, by: string, matchers: string, extra?: string) => `sum by (${by}) (rate(${metric}${sel(matchers, extra)}[$__rate_interval]))`;
  if (input.scrapeTargets.length > 0) {
    L.row('Scrape');
    L.timeseries('Scrape targets up', 'short', input.scrapeTargets.map((t) => ({ expr: `sum(up{${t.matchers}}) or vector(0)`, legend: t.description })),
      'Targets Prometheus scrapes successfully, per group the panels below read. At 0 the panels of that group show no data because nothing is scraped, not because all is well.');
  }
  if (input.collectorMatchers !== undefined) {
    const m = input.collectorMatchers;
    L.row('Collectors');
    L.timeseries('Spans received', 'cps', [
      { expr: r(c.receiverAcceptedSpans, 'job', m), legend: '{{job}} accepted' },
      { expr: r(c.receiverRefusedSpans, 'job', m), legend: '{{job}} refused' },
      { expr: r(c.receiverFailedSpans, 'job', m), legend: '{{job}} failed' },
    ], 'Spans the collectors\' receivers accepted, refused (back-pressure: senders retry) and failed to process.');
    L.timeseries('Spans exported', 'cps', [
      { expr: r(c.exporterSentSpans, 'job, exporter', m), legend: '{{job}} {{exporter}} sent' },
      { expr: r(c.exporterSendFailedSpans, 'job, exporter', m), legend: '{{job}} {{exporter}} dropped after retries' },
      { expr: r(c.exporterEnqueueFailedSpans, 'job, exporter', m), legend: '{{job}} {{exporter}} dropped, queue full' },
    ], 'Spans the exporters delivered, and spans they dropped.');
    L.timeseries('Sending queue fill', 'percentunit', [
      { expr: `max by (job, exporter) (${c.exporterQueueSize}${sel(m)}) / max by (job, exporter) (${c.exporterQueueCapacity}${sel(m)})`, legend: '{{job}} {{exporter}}' },
    ], 'Queue size over capacity. At 100% new spans are dropped.');
  }
  if (input.tempoMatchers !== undefined) {
    const t = input.tempoMatchers;
    L.row('Tempo');
    L.timeseries('Tempo ingestion', 'cps', [
      { expr: r(TEMPO_METRICS.distributorSpansReceived, 'job', t), legend: '{{job}} received' },
      { expr: r(TEMPO_METRICS.receiverRefusedSpans, 'job', t), legend: '{{job}} refused at receiver' },
    ], 'Spans reaching Tempo\'s distributor, and spans its receivers refused.');
    L.timeseries('Tempo discarded spans', 'cps', [
      { expr: r(TEMPO_METRICS.discardedSpans, 'job, reason', t), legend: '{{job}} {{reason}}' },
    ], 'Spans the distributor discarded, by limit (rate_limited, live_traces_exceeded, trace_too_large).');
  }
  if (input.jaegerMatchers !== undefined) {
    const j = input.jaegerMatchers;
    const storage = `exporter=~"${JAEGER_STORAGE_EXPORTER}.*"`;
    L.row('Jaeger');
    L.timeseries('Jaeger storage writes', 'cps', [
      { expr: r(c.exporterSentSpans, 'job', j, storage), legend: '{{job}} written' },
      { expr: r(c.exporterSendFailedSpans, 'job', j, storage), legend: '{{job}} failed' },
    ], 'Spans Jaeger wrote to Elasticsearch/OpenSearch, and writes that failed.');
  }
  return dashboard(PIPELINE_DASHBOARD_UID, 'Tracing pipeline', 'Health of the trace pipeline: collectors, queues and the trace backend.', L.panels);
}

/** Per-service rate, errors and duration (RED) from span metrics, with exemplars linking to traces. */
export function renderServiceDashboard(input: ServiceDashboardInput): Record<string, unknown> {
  const sm = input.spanMetrics;
  const svc = `${sm.serviceLabel}="$service"`;
  const L = new Layout({ type: 'prometheus', uid: input.prometheusUid });
  const calls = (extra?: string) => `${sm.callsMetric}{${[svc, extra].filter(Boolean).join(', ')}}`;
  L.row('Service $service');
  L.timeseries('Request rate', 'reqps', [
    { expr: `sum by (${sm.spanNameLabel}) (rate(${calls()}[$__rate_interval]))`, legend: `{{${sm.spanNameLabel}}}` },
  ], `Calls per second by span name (span metrics from ${sm.producer}).`);
  L.timeseries('Error ratio', 'percentunit', [
    { expr: `sum by (${sm.spanNameLabel}) (rate(${calls(sm.errorMatcher())}[$__rate_interval])) / sum by (${sm.spanNameLabel}) (rate(${calls()}[$__rate_interval]))`, legend: `{{${sm.spanNameLabel}}}` },
  ], 'Share of spans that ended with status ERROR.');
  L.timeseries('Duration', sm.durationGrafanaUnit, [
    { expr: sm.durationQuantileRaw(0.5, svc, '$__rate_interval'), legend: 'p50', exemplar: true },
    { expr: sm.durationQuantileRaw(0.95, svc, '$__rate_interval'), legend: 'p95', exemplar: true },
    { expr: sm.durationQuantileRaw(0.99, svc, '$__rate_interval'), legend: 'p99', exemplar: true },
  ], `Span duration quantiles. The dots are exemplars: click one to open its trace (label ${sm.exemplarTraceIdLabel}).`);
  const templating = [{
    name: 'service',
    label: 'Service',
    type: 'query',
    datasource: { type: 'prometheus', uid: input.prometheusUid },
    query: { query: `label_values(${sm.callsMetric}, ${sm.serviceLabel})`, refId: 'service' },
    definition: `label_values(${sm.callsMetric}, ${sm.serviceLabel})`,
    refresh: 2,
    sort: 1,
    multi: false,
    includeAll: false,
  }];
  const d = dashboard(SERVICES_DASHBOARD_UID, 'Tracing services', `Rate, errors and duration per service from span metrics (${sm.producer}), with exemplars linking to traces.`,
    L.panels, templating);
  // A link to Explore on the trace datasource, for searching beyond the exemplars.
  const panes = { a: { datasource: input.traceUid, queries: [{ refId: 'A', datasource: { uid: input.traceUid } }], range: { from: 'now-1h', to: 'now' } } };
  return {
    ...d,
    links: [{ title: 'Search traces', type: 'link', icon: 'external link', targetBlank: false, url: `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes))}` }],
  };
}

/** Every datasource uid a dashboard refers to (`datasource: {uid}` anywhere), with the panel title for messages. */
export function dashboardDatasourceUids(model: Record<string, unknown>): Array<{ where: string; uid: string }> {
  const found: Array<{ where: string; uid: string }> = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) { node.forEach((n) => walk(n, where)); return; }
    if (typeof node !== 'object' || node === null) return;
    const obj = node as Record<string, unknown>;
    const here = typeof obj.title === 'string' ? `panel "${obj.title}"` : typeof obj.name === 'string' ? `variable "${obj.name}"` : where;
    if (obj.datasource && typeof obj.datasource === 'object' && typeof (obj.datasource as Record<string, unknown>).uid === 'string') {
      found.push({ where: here, uid: (obj.datasource as Record<string, string>).uid });
    }
    for (const [k, v] of Object.entries(obj)) if (k !== 'datasource') walk(v, here);
  };
  walk(model, 'dashboard');
  return found;
}
