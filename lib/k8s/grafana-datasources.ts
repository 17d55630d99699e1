import { ApiObject } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import {
  GrafanaDatasourceModel, GrafanaTagMapping, TraceToLogsLink, TraceToMetricsLink, renderDatasourceProvisioningFile, renderJaegerDatasource,
  renderLokiDatasource, renderPrometheusDatasource, renderTempoDatasource, validateDatasourceReferences,
} from '../render/grafana-datasources';
import { SpanMetrics } from '../render/grafana-span-metrics';
import { toYaml } from '../render/yaml';
import { GRAFANA_OPERATOR_API_VERSION, GrafanaDelivery } from './grafana-delivery';
import { PrometheusEndpoint, wiringLabels } from './prometheus';

/** What the Tempo datasource needs of a Tempo; the `Tempo` construct satisfies it. */
export interface ITempoQueryTarget {
  /** In-cluster query URL, e.g. `http://tempo.tracing.svc.cluster.local:3200`. */
  readonly queryUrl: string;
  /** Whether Tempo requires `X-Scope-OrgID`. */
  readonly multitenancy: boolean;
  /** Where Tempo's metrics-generator writes, when enabled. */
  readonly metricsGeneratorRemoteWriteUrl?: string;
}

/** What the Jaeger datasource and ingress need of Jaeger: its query service. */
export interface IJaegerQueryTarget {
  /** In-cluster query URL (UI and HTTP API), e.g. `http://jaeger-query.tracing.svc.cluster.local:16686`. */
  readonly queryUrl: string;
}

/** The trace backend exemplars, log lines and dashboards link to. */
export enum TraceBackend {
  TEMPO = 'tempo',
  JAEGER = 'jaeger',
}

/** How Loki finds the trace id in a log. */
export class LokiTraceIdMatcher {
  /**
   * A label or structured-metadata field (Loki 3 stores OTLP logs' `trace_id` there).
   * Needs Grafana 10.3 or newer.
   */
  public static label(name: string = 'trace_id'): LokiTraceIdMatcher {
    return new LokiTraceIdMatcher('label', name, (path) => {
      if (typeof name !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) {
        throw configError(path, 'loki traceIdMatcher label is not a Loki label name', name, 'use letters, digits and "_", e.g. "trace_id"');
      }
    });
  }

  /** A regular expression over the log line with exactly one capture group, e.g. `traceID=(\w+)`. */
  public static regex(pattern: string): LokiTraceIdMatcher {
    return new LokiTraceIdMatcher('regex', pattern, (path) => {
      let groups = -1;
      try {
        if (typeof pattern !== 'string' || pattern === '') throw new Error('empty');
        groups = new RegExp(`${pattern}|`).exec('')!.length - 1;
      } catch (e) {
        throw configError(path, `loki traceIdMatcher regex is not a valid regular expression (${(e as Error).message})`, pattern, 'fix the pattern, e.g. "traceID=(\\\\w+)"');
      }
      if (groups !== 1) {
        throw configError(path, 'loki traceIdMatcher regex must have exactly one capture group, around the trace id', pattern,
          'wrap only the id in parentheses, e.g. "trace_?[iI][dD]=(\\\\w+)", and make other groups non-capturing "(?:...)"');
      }
    });
  }

  private constructor(public readonly matcherType: 'label' | 'regex', public readonly matcher: string, private readonly check: (path: string) => void) {}

  /** @internal The factory keeps what it was given; TracingDatasources checks it under its own path. */
  public _validate(path: string): void { this.check(path); }
}

/** The Tempo datasource. */
export interface TempoDatasourceOptions {
  /** The Tempo to query. */
  readonly target: ITempoQueryTarget;
  /**
   * Datasource uid (1-40 of letters, digits, `-`, `_`). Never change it once dashboards and links use it.
   * @default 'tempo'
   */
  readonly uid?: string;
  /**
   * Display name.
   * @default 'Tempo'
   */
  readonly name?: string;
  /**
   * URL Grafana uses, when it is not the in-cluster one (a Grafana outside the cluster, through the query ingress).
   * @default - `target.queryUrl`
   */
  readonly url?: string;
  /**
   * Tenant sent as `X-Scope-OrgID`. Required when Tempo runs multi-tenant; refused otherwise.
   * @default - no header
   */
  readonly tenant?: string;
  /**
   * Stream search and TraceQL-metrics results (gRPC over Tempo's HTTP port). Turn off when a proxy between Grafana and Tempo does not pass HTTP/2.
   * @default true
   */
  readonly streaming?: boolean;
}

/** The Jaeger datasource. */
export interface JaegerDatasourceOptions {
  /** The Jaeger query service. */
  readonly target: IJaegerQueryTarget;
  /**
   * Datasource uid.
   * @default 'jaeger'
   */
  readonly uid?: string;
  /**
   * Display name.
   * @default 'Jaeger'
   */
  readonly name?: string;
  /**
   * URL Grafana uses, when it is not the in-cluster one.
   * @default - `target.queryUrl`
   */
  readonly url?: string;
}

/** The Prometheus datasource holding span metrics and exemplars. */
export interface PrometheusDatasourceOptions {
  /** The Prometheus (or compatible) server. */
  readonly endpoint: PrometheusEndpoint;
  /**
   * Datasource uid.
   * @default 'prometheus'
   */
  readonly uid?: string;
  /**
   * Display name.
   * @default 'Prometheus'
   */
  readonly name?: string;
  /**
   * Make it Grafana's default datasource.
   * @default false
   */
  readonly isDefault?: boolean;
  /**
   * Exemplar labels holding a trace id, besides `trace_id` (OpenTelemetry SDKs, collector)
   * and `traceID` (Tempo's metrics-generator), which are always configured.
   * @default - none
   */
  readonly additionalExemplarTraceIdLabels?: string[];
}

/** The Loki datasource, with a link from log lines to traces. */
export interface LokiDatasourceOptions {
  /** Loki URL Grafana queries, e.g. `http://loki-gateway.logging.svc.cluster.local`. */
  readonly url: string;
  /**
   * Datasource uid.
   * @default 'loki'
   */
  readonly uid?: string;
  /**
   * Display name.
   * @default 'Loki'
   */
  readonly name?: string;
  /**
   * Where the trace id is in a log.
   * @default LokiTraceIdMatcher.label('trace_id')
   */
  readonly traceIdMatcher?: LokiTraceIdMatcher;
  /**
   * Span attributes that select the logs of a span, mapped to Loki labels.
   * @default [{ key: 'service.name', value: 'service_name' }]
   */
  readonly traceToLogsTags?: GrafanaTagMapping[];
}

/** Props of {@link TracingDatasources}. */
export interface TracingDatasourcesProps {
  /**
   * How Grafana receives the datasources.
   * @default GrafanaDelivery.sidecar()
   */
  readonly delivery?: GrafanaDelivery;
  /**
   * Tempo datasource.
   * @default - none (then `jaeger` is required)
   */
  readonly tempo?: TempoDatasourceOptions;
  /**
   * Jaeger datasource.
   * @default - none (then `tempo` is required)
   */
  readonly jaeger?: JaegerDatasourceOptions;
  /**
   * Prometheus datasource: exemplar links to traces, trace-to-metrics, service map.
   * @default - none: no exemplar links, no trace-to-metrics, no service map
   */
  readonly prometheus?: PrometheusDatasourceOptions;
  /**
   * Loki datasource: trace-to-logs and log-to-trace links.
   * @default - none: no trace/log links
   */
  readonly loki?: LokiDatasourceOptions;
  /**
   * Which trace datasource exemplars and log lines open.
   * @default - Tempo when given, else Jaeger
   */
  readonly linkTracesTo?: TraceBackend;
  /**
   * Producer of the span metrics (names differ between Tempo's generator and the collector's connector).
   * @default - Tempo's metrics-generator when the Tempo target has it enabled, else the collector's spanmetrics connector
   */
  readonly spanMetrics?: SpanMetrics;
  /**
   * uids of datasources another tool provisions, which links may point at.
   * @default - none
   */
  readonly externalDatasourceUids?: string[];
  /**
   * Name of the ConfigMap (sidecar) or prefix of the GrafanaDatasource objects (operator).
   * @default 'tracing-datasources' / 'tracing'
   */
  readonly name?: string;
}

/** Known uids of the datasources dashboards can use. */
export interface ITracingDatasourceUids {
  /** uid of the Prometheus datasource holding span and pipeline metrics. */
  readonly prometheusUid: string;
  /** uid of the trace datasource exemplars open. */
  readonly traceUid: string;
  /** Every uid that exists (ours and external). */
  readonly knownUids: string[];
  /** Producer of the span metrics, when known. */
  readonly spanMetrics?: SpanMetrics;
}

const UID = /^[a-zA-Z0-9_-]{1,40}$/;
const HTTP_URL = /^https?:\/\/[^\s/$.?#][^\s]*$/;
const SHIFT = '5m';

/**
 * Grafana datasources for a tracing stack, cross-linked by fixed uids: Tempo
 * (trace to logs, trace to metrics, service map, node graph, search, time-bounded
 * trace lookups), Jaeger, Prometheus with exemplar links for both `trace_id` and
 * `traceID`, and Loki with a derived field to traces. Every link is checked at
 * synth time against the uids that exist.
 */
export class TracingDatasources extends Construct implements ITracingDatasourceUids {
  /** Rendered datasources (single `$`; escaping is applied only to the provisioning file). */
  public readonly datasources: GrafanaDatasourceModel[];
  public readonly prometheusUid: string;
  public readonly traceUid: string;
  public readonly knownUids: string[];
  public readonly spanMetrics: SpanMetrics;
  /** The sidecar ConfigMap, with sidecar delivery. */
  public readonly configMap?: k8s.KubeConfigMap;
  /** The GrafanaDatasource objects, with operator delivery. */
  public readonly operatorObjects: ApiObject[] = [];

  constructor(scope: Construct, id: string, props: TracingDatasourcesProps) {
    super(scope, id);
    const path = this.node.path;
    const delivery = props.delivery ?? GrafanaDelivery.sidecar();
    if (!props.tempo && !props.jaeger) {
      throw configError(path, 'no trace datasource: neither tempo nor jaeger is set', undefined, 'pass tempo: { target: tempo } or jaeger: { target: jaeger }');
    }

    const tempoUid = props.tempo ? checkUid(path, 'tempo.uid', props.tempo.uid ?? 'tempo') : undefined;
    const jaegerUid = props.jaeger ? checkUid(path, 'jaeger.uid', props.jaeger.uid ?? 'jaeger') : undefined;
    props.prometheus?.endpoint?._validate(path);
    props.loki?.traceIdMatcher?._validate(path);
    const promUid = props.prometheus ? checkUid(path, 'prometheus.uid', props.prometheus.uid ?? 'prometheus') : undefined;
    const lokiUid = props.loki ? checkUid(path, 'loki.uid', props.loki.uid ?? 'loki') : undefined;
    const external = (props.externalDatasourceUids ?? []).map((u, i) => checkUid(path, `externalDatasourceUids[${i}]`, u));

    const ours: Array<[string, string]> = [
      ...(tempoUid ? [['tempo', tempoUid] as [string, string]] : []),
      ...(jaegerUid ? [['jaeger', jaegerUid] as [string, string]] : []),
      ...(promUid ? [['prometheus', promUid] as [string, string]] : []),
      ...(lokiUid ? [['loki', lokiUid] as [string, string]] : []),
    ];
    const seen = new Map<string, string>();
    for (const [what, uid] of [...ours, ...external.map((u) => ['externalDatasourceUids', u] as [string, string])]) {
      const other = seen.get(uid);
      if (other) {
        throw configError(path, `uid "${uid}" is used by both ${other} and ${what}; Grafana would keep only one of them`, uid, `give ${what} its own uid`);
      }
      seen.set(uid, what);
    }

    const linkTo = props.linkTracesTo ?? (props.tempo ? TraceBackend.TEMPO : TraceBackend.JAEGER);
    if (linkTo === TraceBackend.TEMPO && !tempoUid) {
      throw configError(path, 'linkTracesTo is TEMPO but no tempo datasource is configured', linkTo, 'add tempo, or use TraceBackend.JAEGER');
    }
    if (linkTo === TraceBackend.JAEGER && !jaegerUid) {
      throw configError(path, 'linkTracesTo is JAEGER but no jaeger datasource is configured', linkTo, 'add jaeger, or use TraceBackend.TEMPO');
    }
    this.traceUid = (linkTo === TraceBackend.TEMPO ? tempoUid : jaegerUid)!;

    const generator = props.tempo?.target.metricsGeneratorRemoteWriteUrl !== undefined;
    this.spanMetrics = props.spanMetrics ?? (generator ? SpanMetrics.tempoMetricsGenerator() : SpanMetrics.collectorConnector());

    // One remote-write URL, shared: Tempo must write where this Prometheus datasource reads.
    if (props.prometheus && props.tempo?.target.metricsGeneratorRemoteWriteUrl !== undefined
      && props.tempo.target.metricsGeneratorRemoteWriteUrl !== props.prometheus.endpoint.remoteWriteUrl) {
      throw configError(path,
        `Tempo's metrics-generator writes to "${props.tempo.target.metricsGeneratorRemoteWriteUrl}" but the Prometheus datasource's endpoint receives remote-write at "${props.prometheus.endpoint.remoteWriteUrl}", so span metrics and exemplars would not be where Grafana looks`,
        props.tempo.target.metricsGeneratorRemoteWriteUrl,
        'pass the same PrometheusEndpoint\'s remoteWriteUrl to Tempo\'s metricsGenerator.remoteWriteUrl');
    }

    const logs: TraceToLogsLink | undefined = lokiUid ? {
      datasourceUid: lokiUid,
      tags: checkTags(path, props.loki!.traceToLogsTags ?? [{ key: 'service.name', value: 'service_name' }]),
      spanStartTimeShift: `-${SHIFT}`,
      spanEndTimeShift: SHIFT,
    } : undefined;
    const metrics: TraceToMetricsLink | undefined = promUid ? {
      datasourceUid: promUid, spanMetrics: this.spanMetrics, spanStartTimeShift: `-${SHIFT}`, spanEndTimeShift: SHIFT,
    } : undefined;

    const models: GrafanaDatasourceModel[] = [];
    if (promUid) {
      const extra = props.prometheus!.additionalExemplarTraceIdLabels ?? [];
      extra.forEach((l, i) => {
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l)) throw configError(path, `prometheus.additionalExemplarTraceIdLabels[${i}] is not a label name`, l, 'use letters, digits and "_"');
      });
      const labels = [...new Set(['trace_id', 'traceID', ...extra])];
      models.push(renderPrometheusDatasource({
        uid: promUid, name: props.prometheus!.name ?? 'Prometheus', url: checkUrl(path, 'prometheus.endpoint.queryUrl', props.prometheus!.endpoint.queryUrl),
        isDefault: props.prometheus!.isDefault ?? false,
        exemplarDestinations: labels.map((label) => ({ label, traceDatasourceUid: this.traceUid })),
      }));
    }
    if (lokiUid) {
      const matcher = props.loki!.traceIdMatcher ?? LokiTraceIdMatcher.label('trace_id');
      models.push(renderLokiDatasource({
        uid: lokiUid, name: props.loki!.name ?? 'Loki', url: checkUrl(path, 'loki.url', props.loki!.url),
        traceDatasourceUid: this.traceUid, matcherType: matcher.matcherType, matcher: matcher.matcher,
      }));
    }
    if (tempoUid) {
      const t = props.tempo!;
      if (t.target.multitenancy && t.tenant === undefined) {
        throw configError(path, 'Tempo runs multi-tenant, so every query needs an X-Scope-OrgID header, but tempo.tenant is not set', t.tenant,
          'set tempo.tenant to the tenant Grafana should read, e.g. "team-payments"');
      }
      if (!t.target.multitenancy && t.tenant !== undefined) {
        throw configError(path, 'tempo.tenant is set but Tempo runs single-tenant and ignores X-Scope-OrgID', t.tenant, 'remove tempo.tenant, or enable multitenancy on Tempo');
      }
      if (t.tenant !== undefined && !/^[A-Za-z0-9!\-_.*'()]{1,150}$/.test(t.tenant)) {
        throw configError(path, 'tempo.tenant is not a Tempo tenant id', t.tenant, 'use 1-150 characters of letters, digits and !-_.*\'()');
      }
      models.push(renderTempoDatasource({
        uid: tempoUid, name: t.name ?? 'Tempo', url: checkUrl(path, 'tempo.url', t.url ?? t.target.queryUrl), tenant: t.tenant,
        logs, metrics, serviceMapDatasourceUid: promUid, traceQueryShift: '30m', streaming: t.streaming ?? true,
      }));
    }
    if (jaegerUid) {
      const j = props.jaeger!;
      models.push(renderJaegerDatasource({
        uid: jaegerUid, name: j.name ?? 'Jaeger', url: checkUrl(path, 'jaeger.url', j.url ?? j.target.queryUrl), logs, metrics,
      }));
    }
    const names = new Map<string, string>();
    for (const m of models) {
      if (names.has(m.name)) throw configError(path, `two datasources are named "${m.name}" (uids "${names.get(m.name)}" and "${m.uid}")`, m.name, 'give each a distinct name');
      names.set(m.name, m.uid);
    }

    validateDatasourceReferences(path, models, external);
    this.datasources = models;
    this.prometheusUid = promUid ?? '';
    this.knownUids = [...models.map((m) => m.uid), ...external];

    const instance = props.name ?? (delivery.isOperator ? 'tracing' : 'tracing-datasources');
    validateDnsLabel(path, 'name', instance, 40);
    const labels = wiringLabels('grafana-datasources', instance);
    if (delivery.isOperator) {
      for (const m of models) {
        const { uid, ...datasource } = m;
        this.operatorObjects.push(new ApiObject(this, `Datasource-${uid}`, {
          apiVersion: GRAFANA_OPERATOR_API_VERSION,
          kind: 'GrafanaDatasource',
          metadata: { name: `${instance}-${uid.toLowerCase().replace(/_/g, '-')}`, labels },
          spec: {
            uid,
            ...delivery.operatorSpec(),
            // The operator writes through Grafana's HTTP API: no environment expansion, so single `$`.
            datasource,
          },
        }));
      }
    } else {
      this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
        metadata: { name: instance, labels: { ...labels, grafana_datasource: delivery.labelValue } },
        data: { [`${instance}.yaml`]: toYaml(renderDatasourceProvisioningFile(models)) },
      });
    }
  }
}

function checkUid(path: string, what: string, uid: string): string {
  if (!UID.test(uid)) {
    throw configError(path, `${what} is not a Grafana datasource uid`, uid, 'use 1-40 letters, digits, "-" or "_", e.g. "tempo"');
  }
  return uid;
}

function checkUrl(path: string, what: string, url: string): string {
  if (!HTTP_URL.test(url ?? '')) throw configError(path, `${what} is not an http(s) URL`, url, 'use a full URL such as "http://loki-gateway.logging.svc.cluster.local"');
  return url;
}

function checkTags(path: string, tags: GrafanaTagMapping[]): GrafanaTagMapping[] {
  tags.forEach((t, i) => {
    if (typeof t !== 'object' || t === null || typeof t.key !== 'string' || t.key === '') {
      throw configError(path, `loki.traceToLogsTags[${i}] must be { key, value? } with a non-empty key (a bare string breaks Grafana's provisioning)`, t,
        'write { key: "service.name", value: "service_name" }');
    }
  });
  return tags;
}
