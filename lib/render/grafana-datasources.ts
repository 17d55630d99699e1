import { configError } from '../core/errors';
import { SpanMetrics } from './grafana-span-metrics';

/**
 * Grafana datasources as plain objects, the shape both Grafana's file
 * provisioning and grafana-operator's `spec.datasource` take. Pure functions:
 * no constructs, no I/O. Key names follow Grafana 11-13 (`tracesToLogsV2`,
 * `exemplarTraceIdDestinations`, `derivedFields`, ...).
 */

/** One datasource, as Grafana reads it. */
export interface GrafanaDatasourceModel {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly url: string;
  readonly access: 'proxy';
  readonly isDefault: boolean;
  readonly editable: boolean;
  readonly jsonData: Record<string, unknown>;
  readonly secureJsonData?: Record<string, string>;
}

/** A span attribute mapped to a label of the linked datasource (`{key, value}` as Grafana expects, never a bare string). */
export interface GrafanaTagMapping {
  /** Span or resource attribute, e.g. `service.name`. */
  readonly key: string;
  /**
   * Label name in the target datasource, e.g. `service_name`.
   * @default - the same as `key`
   */
  readonly value?: string;
}

/** Trace to logs link, rendered as `tracesToLogsV2`. */
export interface TraceToLogsLink {
  readonly datasourceUid: string;
  readonly tags: readonly GrafanaTagMapping[];
  readonly spanStartTimeShift: string;
  readonly spanEndTimeShift: string;
}

/** Trace to metrics link, rendered as `tracesToMetrics`. */
export interface TraceToMetricsLink {
  readonly datasourceUid: string;
  readonly spanMetrics: SpanMetrics;
  readonly spanStartTimeShift: string;
  readonly spanEndTimeShift: string;
}

export interface TempoDatasourceInput {
  readonly uid: string;
  readonly name: string;
  readonly url: string;
  /** Sent as `X-Scope-OrgID` when Tempo runs multi-tenant. */
  readonly tenant?: string;
  readonly logs?: TraceToLogsLink;
  readonly metrics?: TraceToMetricsLink;
  /** Prometheus holding `traces_service_graph_*`, for the service map. */
  readonly serviceMapDatasourceUid?: string;
  /** Time window around a trace-by-id lookup (`traceQuery`), e.g. `30m`. */
  readonly traceQueryShift: string;
  /** Grafana streams search and metrics results over gRPC on Tempo's HTTP port; proxies must pass HTTP/2. */
  readonly streaming: boolean;
}

export interface JaegerDatasourceInput {
  readonly uid: string;
  readonly name: string;
  readonly url: string;
  readonly logs?: TraceToLogsLink;
  readonly metrics?: TraceToMetricsLink;
}

/** An exemplar label whose value is a trace id, and the trace datasource that opens it. */
export interface ExemplarDestination {
  readonly label: string;
  readonly traceDatasourceUid: string;
}

export interface PrometheusDatasourceInput {
  readonly uid: string;
  readonly name: string;
  readonly url: string;
  readonly isDefault: boolean;
  readonly exemplarDestinations: readonly ExemplarDestination[];
}

export interface LokiDatasourceInput {
  readonly uid: string;
  readonly name: string;
  readonly url: string;
  readonly traceDatasourceUid: string;
  /** `label` (Loki 3 structured metadata / OTLP logs) or `regex` over the log line. */
  readonly matcherType: 'label' | 'regex';
  /** The label name (matcherType label) or a regex with one capture group (matcherType regex). */
  readonly matcher: string;
}

/** The Grafana template variables (`${__span.traceId}`, `$__tags`) are written with a single `$` here; escaping happens once, when a provisioning file is rendered. */
function traceToLogs(link: TraceToLogsLink): Record<string, unknown> {
  return {
    datasourceUid: link.datasourceUid,
    spanStartTimeShift: link.spanStartTimeShift,
    spanEndTimeShift: link.spanEndTimeShift,
    tags: link.tags.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}) })),
    filterByTraceID: true,
    filterBySpanID: false,
    customQuery: false,
  };
}

/** The three queries behind "Related metrics" on a span: rate, errors, p95 duration of that span's service and operation. */
export function traceToMetricsQueries(sm: SpanMetrics): Array<{ name: string; query: string }> {
  return [
    { name: 'Request rate', query: `sum by (${sm.spanNameLabel}) (rate(${sm.callsMetric}{$__tags}[5m]))` },
    { name: 'Error rate', query: `sum by (${sm.spanNameLabel}) (rate(${sm.callsMetric}{${sm.errorMatcher()}, $__tags}[5m]))` },
    { name: 'p95 duration (s)', query: sm.durationQuantile(0.95, '$__tags', '5m', []) },
  ];
}

function traceToMetrics(link: TraceToMetricsLink): Record<string, unknown> {
  return {
    datasourceUid: link.datasourceUid,
    spanStartTimeShift: link.spanStartTimeShift,
    spanEndTimeShift: link.spanEndTimeShift,
    // The span's service.name becomes the producer's service label in $__tags.
    tags: [{ key: 'service.name', value: link.spanMetrics.serviceLabel }],
    queries: traceToMetricsQueries(link.spanMetrics),
  };
}

function negate(shift: string): string {
  return shift.startsWith('-') ? shift.slice(1) : `-${shift}`;
}

export function renderTempoDatasource(input: TempoDatasourceInput): GrafanaDatasourceModel {
  const jsonData: Record<string, unknown> = {};
  if (input.logs) jsonData.tracesToLogsV2 = traceToLogs(input.logs);
  if (input.metrics) jsonData.tracesToMetrics = traceToMetrics(input.metrics);
  if (input.serviceMapDatasourceUid) jsonData.serviceMap = { datasourceUid: input.serviceMapDatasourceUid };
  jsonData.nodeGraph = { enabled: true };
  jsonData.search = { hide: false };
  jsonData.traceQuery = { timeShiftEnabled: true, spanStartTimeShift: negate(input.traceQueryShift), spanEndTimeShift: input.traceQueryShift };
  jsonData.streamingEnabled = { search: input.streaming, metrics: input.streaming };
  let secureJsonData: Record<string, string> | undefined;
  if (input.tenant !== undefined) {
    jsonData.httpHeaderName1 = 'X-Scope-OrgID';
    secureJsonData = { httpHeaderValue1: input.tenant };
  }
  return {
    uid: input.uid, name: input.name, type: 'tempo', url: input.url, access: 'proxy', isDefault: false, editable: false,
    jsonData, ...(secureJsonData ? { secureJsonData } : {}),
  };
}

export function renderJaegerDatasource(input: JaegerDatasourceInput): GrafanaDatasourceModel {
  const jsonData: Record<string, unknown> = {};
  if (input.logs) jsonData.tracesToLogsV2 = traceToLogs(input.logs);
  if (input.metrics) jsonData.tracesToMetrics = traceToMetrics(input.metrics);
  jsonData.nodeGraph = { enabled: true };
  // Sends start/end with a trace-by-id lookup, so Jaeger searches only the daily indices that can hold it.
  jsonData.traceIdTimeParams = { enabled: true };
  return { uid: input.uid, name: input.name, type: 'jaeger', url: input.url, access: 'proxy', isDefault: false, editable: false, jsonData };
}

export function renderPrometheusDatasource(input: PrometheusDatasourceInput): GrafanaDatasourceModel {
  return {
    uid: input.uid, name: input.name, type: 'prometheus', url: input.url, access: 'proxy', isDefault: input.isDefault, editable: false,
    jsonData: {
      httpMethod: 'POST',
      // Always an array: an object here breaks Grafana's settings page.
      exemplarTraceIdDestinations: input.exemplarDestinations.map((d) => ({
        name: d.label, datasourceUid: d.traceDatasourceUid, urlDisplayLabel: 'View trace',
      })),
    },
  };
}

export function renderLokiDatasource(input: LokiDatasourceInput): GrafanaDatasourceModel {
  return {
    uid: input.uid, name: input.name, type: 'loki', url: input.url, access: 'proxy', isDefault: false, editable: false,
    jsonData: {
      derivedFields: [{
        name: 'TraceID',
        matcherType: input.matcherType,
        matcherRegex: input.matcher,
        datasourceUid: input.traceDatasourceUid,
        // For an internal link the "url" is the query run against the trace datasource.
        url: '${__value.raw}',
        urlDisplayLabel: 'View trace',
      }],
    },
  };
}

/** A `datasourceUid` found inside a datasource's jsonData. */
export interface DatasourceReference {
  /** uid of the datasource holding the reference. */
  readonly fromUid: string;
  readonly fromName: string;
  /** Where, e.g. `jsonData.tracesToLogsV2.datasourceUid`. */
  readonly path: string;
  /** The uid referred to. */
  readonly toUid: string;
}

/** Every `datasourceUid` anywhere in the jsonData of the given datasources (a generic walk, so no link type is missed). */
export function datasourceReferences(models: readonly GrafanaDatasourceModel[]): DatasourceReference[] {
  const refs: DatasourceReference[] = [];
  const walk = (node: unknown, path: string, model: GrafanaDatasourceModel): void => {
    if (Array.isArray(node)) { node.forEach((n, i) => walk(n, `${path}[${i}]`, model)); return; }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${path}.${key}`;
      if (key === 'datasourceUid' && typeof value === 'string') refs.push({ fromUid: model.uid, fromName: model.name, path: here, toUid: value });
      else walk(value, here, model);
    }
  };
  for (const m of models) walk(m.jsonData, 'jsonData', m);
  return refs;
}

/**
 * Throws when a reference points at a uid no datasource has. The message names
 * both ends: the datasource and field holding the reference, and the missing uid.
 */
export function validateDatasourceReferences(path: string, models: readonly GrafanaDatasourceModel[], externalUids: readonly string[] = []): void {
  const known = new Set([...models.map((m) => m.uid), ...externalUids]);
  for (const ref of datasourceReferences(models)) {
    if (!known.has(ref.toUid)) {
      throw configError(path,
        `datasource "${ref.fromName}" (uid "${ref.fromUid}") links at ${ref.path} to datasource uid "${ref.toUid}", which no datasource has; known uids: ${[...known].map((u) => `"${u}"`).join(', ')}`,
        ref.toUid,
        `provision a datasource with uid "${ref.toUid}", or list it in externalDatasourceUids if another tool provisions it`);
    }
  }
}

/**
 * Grafana expands `$VAR` and `${VAR}` from its environment in provisioning
 * files, so every literal `$` (Grafana template variables such as
 * `${__value.raw}`, `$__tags`) must be written `$$`. Applied to every string.
 */
export function escapeProvisioningDollars<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$') as unknown as T;
  if (Array.isArray(value)) return value.map((v) => escapeProvisioningDollars(v)) as unknown as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeProvisioningDollars(v)])) as T;
  }
  return value;
}

/** A datasource provisioning file (`apiVersion: 1`), with `$` escaped. */
export function renderDatasourceProvisioningFile(models: readonly GrafanaDatasourceModel[]): Record<string, unknown> {
  return { apiVersion: 1, datasources: escapeProvisioningDollars(models.map((m) => ({ ...m }))) };
}
