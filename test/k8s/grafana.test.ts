import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  CollectorBackend, GrafanaDelivery, Jaeger, JaegerChart, JaegerIndexRotation, JaegerStorage, LokiTraceIdMatcher, PrometheusEndpoint, PrometheusTracingPatch, SpanMetrics, SpanMetricsHistogramUnit,
  Tempo, TempoChart, TraceBackend, TracingDashboards, TracingDatasources, TracingCollectorChart, TracingDatasourcesProps, kubePrometheusStackTracingValues,
} from '../../lib/k8s';
import { datasourceReferences, escapeProvisioningDollars, renderDatasourceProvisioningFile } from '../../lib/render/grafana-datasources';
import { K8sObject } from '../helpers/schema';
import { findObject, synthChart } from '../helpers/synth';
import { expectValidObjects } from './grafana-test-helpers';

const REMOTE_WRITE = 'http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/write';

function tempoIn(app: App, extra: Record<string, unknown> = {}) {
  return new TempoChart(app, 'tempo', {
    namespace: 'tracing', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' },
    metricsGenerator: { remoteWriteUrl: REMOTE_WRITE }, podMonitor: {}, ...extra,
  }).tempo;
}

function jaegerIn(app: App) {
  return new JaegerChart(app, 'jaeger', {
    namespace: 'jaeger',
    storage: JaegerStorage.opensearch({ serverUrls: ['https://search.example.com'], sigv4: { region: 'eu-west-1' } }),
    indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }),
    query: { basePath: '/jaeger' },
    podMonitor: {},
  }).jaeger;
}

interface Built { objects: K8sObject[]; datasources: TracingDatasources }

function build(make: (app: App) => Partial<TracingDatasourcesProps>, delivery?: GrafanaDelivery): Built {
  const app = Testing.app();
  const partial = make(app);
  const chart = new Chart(app, 'grafana', { namespace: 'monitoring', disableResourceNameHashes: true });
  const datasources = new TracingDatasources(chart, 'Datasources', { delivery, ...partial } as TracingDatasourcesProps);
  // The dashboards read every scraped component of the stack: the collector tier in front of Tempo, Tempo, Jaeger.
  const tempo = partial.tempo?.target as Tempo | undefined;
  const collector = tempo && !tempo.multitenancy
    ? new TracingCollectorChart(app, 'otel', { namespace: 'observability', backend: CollectorBackend.tempo(tempo), serviceMonitor: {} }).collector
    : undefined;
  new TracingDashboards(chart, 'Dashboards', { datasources, delivery, collector, tempo, jaeger: partial.jaeger?.target as Jaeger | undefined });
  const objects = synthChart(chart);
  expectValidObjects(objects);
  return { objects, datasources };
}

const fullStack = (app: App): Partial<TracingDatasourcesProps> => ({
  tempo: { target: tempoIn(app) },
  jaeger: { target: jaegerIn(app) },
  prometheus: { endpoint: PrometheusEndpoint.inCluster() },
  loki: { url: 'http://loki-gateway.logging.svc.cluster.local' },
});

/** Datasources as Grafana will read them: the provisioning file with `$$` turned back into `$`, or the operator's spec. */
function datasourcesOf(objects: K8sObject[]): any[] {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.labels?.grafana_datasource) as any;
  if (cm) {
    const text: string = Object.values(cm.data)[0] as string;
    return parse(text.replace(/\$\$/g, '$')).datasources;
  }
  return objects.filter((o) => o.kind === 'GrafanaDatasource').map((o: any) => ({ uid: o.spec.uid, ...o.spec.datasource }));
}

function allReferencedUids(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => allReferencedUids(n, found));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'datasourceUid' && typeof v === 'string') found.push(v);
      else allReferencedUids(v, found);
    }
  }
  return found;
}

describe('TracingDatasources', () => {
  test('snapshot: sidecar ConfigMap, Tempo + Jaeger + Prometheus + Loki, dashboards', () => {
    expect(build(fullStack).objects).toMatchSnapshot();
  });

  test('snapshot: grafana-operator resources', () => {
    expect(build(fullStack, GrafanaDelivery.operator({ instanceSelector: { dashboards: 'grafana' } })).objects).toMatchSnapshot();
  });

  test.each([['sidecar', undefined], ['operator', GrafanaDelivery.operator({ instanceSelector: { dashboards: 'grafana' } })]])(
    'every datasourceUid referenced exists among the synthesized datasources (%s)', (_n, delivery) => {
      const ds = datasourcesOf(build(fullStack, delivery).objects);
      const uids = ds.map((d) => d.uid);
      expect(uids.sort()).toEqual(['jaeger', 'loki', 'prometheus', 'tempo']);
      const refs = allReferencedUids(ds.map((d) => d.jsonData));
      expect(refs.length).toBeGreaterThanOrEqual(8);
      for (const r of refs) expect(uids).toContain(r);
    });

  test('every datasource carries a fixed uid; operator objects set spec.uid (never metadata.uid fallback)', () => {
    const { objects } = build(fullStack, GrafanaDelivery.operator({ instanceSelector: { dashboards: 'grafana' } }));
    const cr = objects.filter((o) => o.kind === 'GrafanaDatasource') as any[];
    expect(cr).toHaveLength(4);
    for (const o of cr) {
      expect(o.spec.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
      expect(o.spec.datasource.uid).toBeUndefined();
      expect(o.spec.instanceSelector).toEqual({ matchLabels: { dashboards: 'grafana' } });
    }
  });

  test('exemplar destinations cover trace_id and traceID, both pointing at the trace datasource, as an array', () => {
    const prom = datasourcesOf(build(fullStack).objects).find((d) => d.type === 'prometheus');
    const dest = prom.jsonData.exemplarTraceIdDestinations;
    expect(Array.isArray(dest)).toBe(true);
    expect(dest.map((d: any) => d.name).sort()).toEqual(['traceID', 'trace_id']);
    for (const d of dest) expect(d.datasourceUid).toBe('tempo');
  });

  test('linkTracesTo JAEGER sends exemplars and log lines to Jaeger', () => {
    const ds = datasourcesOf(build((app) => ({ ...fullStack(app), linkTracesTo: TraceBackend.JAEGER })).objects);
    expect(ds.find((d) => d.type === 'prometheus').jsonData.exemplarTraceIdDestinations.map((d: any) => d.datasourceUid)).toEqual(['jaeger', 'jaeger']);
    expect(ds.find((d) => d.type === 'loki').jsonData.derivedFields[0].datasourceUid).toBe('jaeger');
  });

  test('`$` is escaped as `$$` in the provisioning file and only there', () => {
    const { objects } = build(fullStack);
    const cm = findObject(objects, 'ConfigMap', 'tracing-datasources') as any;
    const text: string = cm.data['tracing-datasources.yaml'];
    expect(text).toContain('$${__value.raw}');
    expect(text).toContain('$$__tags');
    // No single `$` left: every run of `$` has even length.
    for (const run of text.match(/\$+/g) ?? []) expect(run.length % 2).toBe(0);
    const op = build(fullStack, GrafanaDelivery.operator({ instanceSelector: { dashboards: 'grafana' } })).objects;
    const loki = op.find((o: any) => o.kind === 'GrafanaDatasource' && o.spec.uid === 'loki') as any;
    expect(loki.spec.datasource.jsonData.derivedFields[0].url).toBe('${__value.raw}');
    expect(JSON.stringify(op)).not.toContain('$$');
  });

  test('Tempo datasource: trace to logs (tags as objects), trace to metrics with the generator\'s names, service map, node graph, search, time shifts', () => {
    const tempo = datasourcesOf(build(fullStack).objects).find((d) => d.type === 'tempo');
    const j = tempo.jsonData;
    expect(j.tracesToLogsV2).toMatchObject({ datasourceUid: 'loki', filterByTraceID: true, customQuery: false, spanStartTimeShift: '-5m', spanEndTimeShift: '5m' });
    for (const t of j.tracesToLogsV2.tags) expect(typeof t).toBe('object');
    expect(j.tracesToMetrics.datasourceUid).toBe('prometheus');
    expect(j.tracesToMetrics.queries.map((q: any) => q.query).join('\n')).toContain('traces_spanmetrics_calls_total{$__tags}');
    expect(j.tracesToMetrics.tags).toEqual([{ key: 'service.name', value: 'service' }]);
    expect(j.serviceMap).toEqual({ datasourceUid: 'prometheus' });
    expect(j.nodeGraph).toEqual({ enabled: true });
    expect(j.search).toEqual({ hide: false });
    expect(j.traceQuery).toEqual({ timeShiftEnabled: true, spanStartTimeShift: '-30m', spanEndTimeShift: '30m' });
    expect(tempo.url).toBe('http://tempo.tracing.svc.cluster.local:3200');
  });

  test('Jaeger datasource points at the Jaeger construct\'s query URL with its base path', () => {
    const jaeger = datasourcesOf(build(fullStack).objects).find((d) => d.type === 'jaeger');
    expect(jaeger.url).toBe('http://jaeger-query.jaeger.svc.cluster.local:16686/jaeger');
    expect(jaeger.jsonData.traceIdTimeParams).toEqual({ enabled: true });
  });

  test('span metrics follow the producer: collector connector in seconds', () => {
    const { objects } = build((app) => ({
      ...fullStack(app), spanMetrics: SpanMetrics.collectorConnector({ histogramUnit: SpanMetricsHistogramUnit.SECONDS }),
    }));
    const tempo = datasourcesOf(objects).find((d) => d.type === 'tempo');
    expect(tempo.jsonData.tracesToMetrics.tags).toEqual([{ key: 'service.name', value: 'service_name' }]);
    const dash = JSON.parse((findObject(objects, 'ConfigMap', 'tracing-dashboards') as any).data['tracing-services.json']);
    const text = JSON.stringify(dash);
    expect(text).toContain('traces_span_metrics_duration_seconds_bucket');
    expect(text).not.toContain('traces_spanmetrics_');
  });

  test('multi-tenant Tempo: X-Scope-OrgID header with the tenant', () => {
    const tempo = datasourcesOf(build((app) => ({
      tempo: { target: tempoIn(app, { multitenancy: true }), tenant: 'team-payments' }, prometheus: { endpoint: PrometheusEndpoint.inCluster() },
    })).objects).find((d) => d.type === 'tempo');
    expect(tempo.jsonData.httpHeaderName1).toBe('X-Scope-OrgID');
    expect(tempo.secureJsonData.httpHeaderValue1).toBe('team-payments');
  });

  test('Loki regex matcher', () => {
    const loki = datasourcesOf(build((app) => ({
      ...fullStack(app), loki: { url: 'http://loki:3100', traceIdMatcher: LokiTraceIdMatcher.regex('traceID=(\\w+)') },
    })).objects).find((d) => d.type === 'loki');
    expect(loki.jsonData.derivedFields[0]).toMatchObject({ matcherType: 'regex', matcherRegex: 'traceID=(\\w+)', datasourceUid: 'tempo' });
  });

  test('renderer: references are found anywhere and escaping doubles every $', () => {
    const models = build(fullStack).datasources.datasources;
    expect(datasourceReferences(models).map((r) => `${r.fromUid}->${r.toUid}`)).toEqual(expect.arrayContaining(['prometheus->tempo', 'loki->tempo', 'tempo->loki', 'tempo->prometheus', 'jaeger->loki']));
    expect(escapeProvisioningDollars({ a: ['$x', '$$'] })).toEqual({ a: ['$$x', '$$$$'] });
    expect(renderDatasourceProvisioningFile(models).apiVersion).toBe(1);
  });

  type Case = [string, (app: App) => Partial<TracingDatasourcesProps>, RegExp];
  test.each<Case>([
    ['no trace datasource', () => ({ prometheus: { endpoint: PrometheusEndpoint.inCluster() } }), /\[grafana\/Datasources\] no trace datasource: neither tempo nor jaeger is set/],
    ['bad uid', (app) => ({ tempo: { target: tempoIn(app), uid: 'tempo datasource' } }), /tempo\.uid is not a Grafana datasource uid \(got "tempo datasource"\); use 1-40 letters/],
    ['duplicate uid', (app) => ({ tempo: { target: tempoIn(app) }, loki: { url: 'http://loki:3100', uid: 'tempo' } }), /uid "tempo" is used by both tempo and loki/],
    ['external uid clashes', (app) => ({ tempo: { target: tempoIn(app) }, externalDatasourceUids: ['tempo'] }), /uid "tempo" is used by both tempo and externalDatasourceUids/],
    ['multi-tenant Tempo without tenant', (app) => ({ tempo: { target: tempoIn(app, { multitenancy: true }) } }), /Tempo runs multi-tenant.*tempo\.tenant is not set/],
    ['tenant on single-tenant Tempo', (app) => ({ tempo: { target: tempoIn(app), tenant: 'a' } }), /tempo\.tenant is set but Tempo runs single-tenant/],
    ['remote-write URL differs', (app) => ({ tempo: { target: tempoIn(app) }, prometheus: { endpoint: PrometheusEndpoint.inCluster({ namespace: 'observability' }) } }),
      /Tempo's metrics-generator writes to "http:\/\/prometheus-operated\.monitoring\.svc\.cluster\.local:9090\/api\/v1\/write" but the Prometheus datasource's endpoint receives remote-write at "http:\/\/prometheus-operated\.observability/],
    ['Loki URL without scheme', (app) => ({ tempo: { target: tempoIn(app) }, loki: { url: 'loki-gateway.logging' } }), /loki\.url is not an http\(s\) URL \(got "loki-gateway\.logging"\)/],
    ['tags as bare strings', (app) => ({ tempo: { target: tempoIn(app) }, loki: { url: 'http://loki:3100', traceToLogsTags: ['service.name' as any] } }), /traceToLogsTags\[0\] must be \{ key, value\? \}/],
    ['linkTracesTo Jaeger without Jaeger', (app) => ({ tempo: { target: tempoIn(app) }, linkTracesTo: TraceBackend.JAEGER }), /linkTracesTo is JAEGER but no jaeger datasource is configured/],
    ['bad exemplar label', (app) => ({ tempo: { target: tempoIn(app) }, prometheus: { endpoint: PrometheusEndpoint.inCluster(), additionalExemplarTraceIdLabels: ['trace-id'] } }), /additionalExemplarTraceIdLabels\[0\] is not a label name/],
    // The factories keep what they were given; the datasources report it under their own path.
    ['Loki regex without capture group', (app) => ({ tempo: { target: tempoIn(app) }, loki: { url: 'http://loki:3100', traceIdMatcher: LokiTraceIdMatcher.regex('traceID=\\w+') } }),
      /^\[grafana\/Datasources\] loki traceIdMatcher regex must have exactly one capture group/],
    ['Loki regex invalid', (app) => ({ tempo: { target: tempoIn(app) }, loki: { url: 'http://loki:3100', traceIdMatcher: LokiTraceIdMatcher.regex('traceID=(\\w+') } }),
      /^\[grafana\/Datasources\] loki traceIdMatcher regex is not a valid regular expression/],
    ['Prometheus endpoint URL', (app) => ({ tempo: { target: tempoIn(app) }, prometheus: { endpoint: PrometheusEndpoint.fromUrls({ queryUrl: 'prometheus:9090', remoteWriteUrl: 'http://p/api/v1/write' }) } }),
      /^\[grafana\/Datasources\] prometheus endpoint queryUrl is not an http\(s\) URL \(got "prometheus:9090"\)/],
    ['Prometheus endpoint port', (app) => ({ tempo: { target: tempoIn(app) }, prometheus: { endpoint: PrometheusEndpoint.inCluster({ port: 0 }) } }),
      /^\[grafana\/Datasources\] prometheus endpoint port is not a TCP port \(got 0\)/],
  ])('bad input: %s', (_name, make, message) => {
    expect(() => build(make)).toThrow(message);
  });

  test('bad input: a link to a uid nobody provisions names the referring datasource, the field and the missing uid', () => {
    const models = build(fullStack).datasources.datasources.filter((m) => m.type !== 'loki');
    const { validateDatasourceReferences } = jest.requireActual('../../lib/render/grafana-datasources');
    expect(() => validateDatasourceReferences('grafana/Datasources', models)).toThrow(
      /\[grafana\/Datasources\] datasource "Tempo" \(uid "tempo"\) links at jsonData\.tracesToLogsV2\.datasourceUid to datasource uid "loki", which no datasource has; known uids: "prometheus", "tempo", "jaeger" \(got "loki"\); provision a datasource with uid "loki", or list it in externalDatasourceUids/);
    expect(() => validateDatasourceReferences('p', models, ['loki'])).not.toThrow();
  });

  test.each<[string, () => unknown, RegExp]>([
    ['operator without selector', () => GrafanaDelivery.operator({ instanceSelector: {} }), /instanceSelector is empty/],
    ['operator bad resync', () => GrafanaDelivery.operator({ instanceSelector: { a: 'b' }, resyncPeriod: '10 minutes' }), /resyncPeriod is not a Go duration/],
    ['sidecar bad label value', () => GrafanaDelivery.sidecar({ labelValue: 'yes please' }), /labelValue is not a Kubernetes label value/],
    ['custom span metrics without _bucket', () => SpanMetrics.custom({ callsMetric: 'calls_total', durationBucketMetric: 'duration', durationToSeconds: 1, serviceLabel: 'service', exemplarTraceIdLabel: 'trace_id', producer: 'x' }), /must be the histogram's "_bucket" series/],
  ])('bad input: %s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });
});

describe('TracingDashboards', () => {
  test('both dashboards, fixed uids, exemplars on the duration panel, datasources by uid', () => {
    const { objects } = build(fullStack);
    const cm = findObject(objects, 'ConfigMap', 'tracing-dashboards') as any;
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    expect(cm.metadata.annotations.grafana_folder).toBe('Tracing');
    const services = JSON.parse(cm.data['tracing-services.json']);
    const pipeline = JSON.parse(cm.data['tracing-pipeline.json']);
    expect(services.uid).toBe('tracing-services');
    expect(pipeline.uid).toBe('tracing-pipeline');
    const duration = services.panels.find((p: any) => p.title === 'Duration');
    expect(duration.targets.every((t: any) => t.exemplar === true)).toBe(true);
    expect(duration.fieldConfig.defaults.unit).toBe('s');
    expect(services.templating.list[0].query.query).toBe('label_values(traces_spanmetrics_calls_total, service)');
    const pipelineText = JSON.stringify(pipeline);
    expect(pipelineText).toContain('otelcol_exporter_queue_capacity');
    expect(pipelineText).toContain('tempo_discarded_spans_total');
    for (const d of [services, pipeline]) {
      for (const p of d.panels.filter((x: any) => x.type !== 'row')) expect(p.datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    }
  });

  test('operator delivery: GrafanaDashboard with uid, folder and JSON', () => {
    const { objects } = build(fullStack, GrafanaDelivery.operator({ instanceSelector: { dashboards: 'grafana' }, folder: 'Observability' }));
    const dashboards = objects.filter((o) => o.kind === 'GrafanaDashboard') as any[];
    expect(dashboards.map((d) => d.spec.uid).sort()).toEqual(['tracing-pipeline', 'tracing-services']);
    for (const d of dashboards) {
      expect(d.spec.folder).toBe('Observability');
      expect(JSON.parse(d.spec.json).uid).toBe(d.spec.uid);
    }
  });

  test('bad input: dashboards without a Prometheus datasource', () => {
    const app = Testing.app();
    const tempo = tempoIn(app);
    const chart = new Chart(app, 'grafana', { namespace: 'monitoring' });
    const datasources = new TracingDatasources(chart, 'Datasources', { tempo: { target: tempo } });
    expect(() => new TracingDashboards(chart, 'Dashboards', { datasources })).toThrow(/the dashboards read Prometheus, but the datasources have no Prometheus datasource/);
  });

  test('bad input: a dashboard datasource uid that does not exist names the dashboard, the panel and the uid', () => {
    const chart = new Chart(Testing.app(), 'grafana', { namespace: 'monitoring' });
    expect(() => new TracingDashboards(chart, 'Dashboards', { datasources: { prometheusUid: 'mimir', traceUid: 'tempo', knownUids: ['tempo', 'prometheus'] } }))
      .toThrow(/dashboard "tracing-services" variable "service" uses datasource uid "mimir", which no datasource has; known uids: "tempo", "prometheus"/);
  });
});

describe('Prometheus side', () => {
  test('PrometheusEndpoint: one value gives the query URL and the remote-write URL', () => {
    const p = PrometheusEndpoint.inCluster();
    expect(p.queryUrl).toBe('http://prometheus-operated.monitoring.svc.cluster.local:9090');
    expect(p.remoteWriteUrl).toBe(REMOTE_WRITE);
  });

  test('PrometheusTracingPatch: exemplar storage, remote-write receiver; validates against the Prometheus CRD', () => {
    const chart = new Chart(Testing.app(), 'prom', { namespace: 'monitoring', disableResourceNameHashes: true });
    new PrometheusTracingPatch(chart, 'Patch', { prometheusName: 'kube-prometheus-stack-prometheus' });
    const objects = synthChart(chart);
    expectValidObjects(objects);
    expect(objects).toMatchSnapshot();
    const p = findObject(objects, 'Prometheus', 'kube-prometheus-stack-prometheus') as any;
    expect(p.spec).toEqual({ enableFeatures: ['exemplar-storage'], exemplars: { maxSize: 100000 }, enableRemoteWriteReceiver: true });
    expect(kubePrometheusStackTracingValues({ exemplarsMaxSize: 5, remoteWriteReceiver: true })).toEqual({ prometheus: { prometheusSpec: { enableFeatures: ['exemplar-storage'], exemplars: { maxSize: 5 }, enableRemoteWriteReceiver: true } } });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['zero exemplars', { prometheusName: 'p', exemplarsMaxSize: 0 }, /exemplarsMaxSize must be a positive whole number/],
    ['bad name', { prometheusName: 'Prometheus_Main' }, /prometheusName must be a DNS label/],
  ])('bad input: %s', (_n, props, message) => {
    const chart = new Chart(Testing.app(), 'prom', { namespace: 'monitoring' });
    expect(() => new PrometheusTracingPatch(chart, 'Patch', props as any)).toThrow(message);
  });
});
