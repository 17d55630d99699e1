import { SpanMetrics } from './grafana-span-metrics';

/**
 * The OpenTelemetry Collector's internal metrics as Prometheus stores them
 * (pull reader on :8888). Collector 0.161.0 exposes its counters without a
 * `_total` suffix, in every exposition format it offers (text and protobuf; it
 * offers no OpenMetrics): read from the real collector by
 * test/otelcol/pipeline.test.ts. Jaeger v2 is a collector distribution and
 * reports the same names.
 */
export const COLLECTOR_METRICS = {
  version: '0.161.0',
  receiverAcceptedSpans: 'otelcol_receiver_accepted_spans',
  /** Refused: a downstream component (memory_limiter, a full queue) pushed back; the client was told to retry. */
  receiverRefusedSpans: 'otelcol_receiver_refused_spans',
  /** Failed: the receiver could not process the data (malformed, pipeline error). */
  receiverFailedSpans: 'otelcol_receiver_failed_spans',
  exporterSentSpans: 'otelcol_exporter_sent_spans',
  /** Spans dropped after retries were exhausted (or on a permanent error). */
  exporterSendFailedSpans: 'otelcol_exporter_send_failed_spans',
  /** Spans dropped because the sending queue was full. */
  exporterEnqueueFailedSpans: 'otelcol_exporter_enqueue_failed_spans',
  exporterQueueSize: 'otelcol_exporter_queue_size',
  exporterQueueCapacity: 'otelcol_exporter_queue_capacity',
} as const;

/** Tempo 3.0's own metrics. */
export const TEMPO_METRICS = {
  /** Spans the distributor refused, by `reason` (`rate_limited`, `live_traces_exceeded`, `trace_too_large`). */
  discardedSpans: 'tempo_discarded_spans_total',
  /** Spans Tempo's receivers could not push into the distributor. */
  receiverRefusedSpans: 'tempo_receiver_refused_spans',
  receiverAcceptedSpans: 'tempo_receiver_accepted_spans',
  distributorSpansReceived: 'tempo_distributor_spans_received_total',
} as const;

/** The exporter name Jaeger v2 writes spans to storage with. */
export const JAEGER_STORAGE_EXPORTER = 'jaeger_storage_exporter';

/** A group of scrape targets the alerts read, by the labels the scrape gives its series. */
export interface ScrapedTargetGroup {
  /** What the targets are, e.g. `Tempo distributor tracing/tempo`. */
  readonly description: string;
  /** Label matchers (no braces) selecting exactly the group's series, e.g. `namespace="tracing", job="tracing/tempo"`. */
  readonly matchers: string;
  /** Labels of the absence alert (it has no series to take them from), so each group's alert is its own in Alertmanager. */
  readonly labels: Record<string, string>;
}

/** Thresholds and scoping after defaults. */
export interface TracingAlertRulesInput {
  /** PromQL label matchers (without braces) that select the collectors' series; undefined when there are no collectors to alert on. */
  readonly collectorMatchers?: string;
  /** Every target group the other alerts read: each gets an alert for its absence and one for a target down. */
  readonly scrapeTargets: ScrapedTargetGroup[];
  /** Matchers selecting Tempo's series; undefined when there is no Tempo. */
  readonly tempoMatchers?: string;
  /** Matchers selecting Jaeger's series; undefined when there is no Jaeger. */
  readonly jaegerMatchers?: string;
  /** Span metrics for the per-service error ratio; undefined to leave it out. */
  readonly spanMetrics?: SpanMetrics;
  /** Share of spans refused or failed at the collector receivers that fires the alert (0-1). */
  readonly refusedRatio: number;
  /** Queue fill (0-1) that fires the alert. */
  readonly queueFillRatio: number;
  /** Error ratio (0-1) per service. */
  readonly serviceErrorRatio: number;
  /** Minimum calls per second of a service before its error ratio is judged. */
  readonly serviceMinCallsPerSecond: number;
  /** Labels on every alert, e.g. `{ severity }` overrides are per rule; these are added. */
  readonly extraLabels: Record<string, string>;
  /** Link prefix for runbooks; the alert name is appended as an anchor. */
  readonly runbookBaseUrl?: string;
}

/** One alerting rule (Prometheus rule-file shape). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** A Prometheus rule file (`groups`), which is also a PrometheusRule's `spec`. */
export interface RuleFile {
  readonly groups: Array<{ name: string; rules: AlertRule[] }>;
}

function sel(matchers: string, extra?: string): string {
  const parts = [matchers.trim(), extra].filter((p) => p && p.length > 0);
  return `{${parts.join(', ')}}`;
}

function pct(ratio: number): string {
  return `${+(ratio * 100).toFixed(4)}%`;
}

/**
 * Alerts for the tracing pipeline, as a rule file: collector receivers refusing
 * or failing spans, exporters dropping spans, sending queues near full, Tempo
 * discarding spans (rate limits and other limits) or its receivers refusing them,
 * Jaeger failing to write to storage, and per-service error ratio from span metrics.
 */
export function renderTracingAlertRules(input: TracingAlertRulesInput): RuleFile {
  const c = COLLECTOR_METRICS;
  const cm = input.collectorMatchers ?? '';
  const rule = (alert: string, expr: string, forDuration: string, severity: string, summary: string, description: string, labels: Record<string, string> = {}): AlertRule => ({
    alert,
    expr,
    for: forDuration,
    labels: { severity, ...labels, ...input.extraLabels },
    annotations: {
      summary,
      description,
      ...(input.runbookBaseUrl ? { runbook_url: `${input.runbookBaseUrl}#${alert.toLowerCase()}` } : {}),
    },
  });

  const by = 'sum by (namespace, job)';
  const refused = `${by} (rate(${c.receiverRefusedSpans}${sel(cm)}[5m]))`;
  // Collectors older than the "failed" counter report none: count them as zero failures rather than dropping the series.
  const failed = `(${by} (rate(${c.receiverFailedSpans}${sel(cm)}[5m])) or ${refused} * 0)`;
  const accepted = `${by} (rate(${c.receiverAcceptedSpans}${sel(cm)}[5m]))`;
  const collector: AlertRule[] = input.collectorMatchers === undefined ? [] : [
    rule('TracingCollectorRefusingSpans',
      `(${refused} + ${failed})\n/ (${accepted} + ${refused} + ${failed})\n> ${input.refusedRatio}`,
      '10m', 'warning',
      'Collector {{ $labels.namespace }}/{{ $labels.job }} refuses or fails {{ $value | humanizePercentage }} of incoming spans',
      `More than ${pct(input.refusedRatio)} of spans sent to the collector were refused (memory_limiter or a full queue pushing back) or failed to be processed. `
      + 'Senders retry refused spans for a while, then drop them. Check memory limits, the memory_limiter settings and the exporters behind this collector.'),
    rule('TracingCollectorExportFailing',
      `sum by (namespace, job, exporter) (rate(${c.exporterSendFailedSpans}${sel(cm)}[5m])) > 0`,
      '5m', 'critical',
      'Collector {{ $labels.namespace }}/{{ $labels.job }} exporter {{ $labels.exporter }} drops spans',
      'Spans are dropped after the exporter exhausted its retries (or hit a permanent error): the backend is down, refusing, or unreachable.'),
    rule('TracingCollectorQueueFullDropping',
      `sum by (namespace, job, exporter) (rate(${c.exporterEnqueueFailedSpans}${sel(cm)}[5m])) > 0`,
      '5m', 'critical',
      'Collector {{ $labels.namespace }}/{{ $labels.job }} exporter {{ $labels.exporter }} drops spans: sending queue full',
      'The sending queue is full and new spans are discarded. The backend is slower than the incoming rate; scale the backend or the collectors, or enlarge the queue.'),
    rule('TracingCollectorQueueNearlyFull',
      `max by (namespace, job, exporter) (${c.exporterQueueSize}${sel(cm)})\n/ max by (namespace, job, exporter) (${c.exporterQueueCapacity}${sel(cm)})\n> ${input.queueFillRatio}`,
      '10m', 'warning',
      'Collector {{ $labels.namespace }}/{{ $labels.job }} exporter {{ $labels.exporter }} queue is {{ $value | humanizePercentage }} full',
      `The sending queue has been above ${pct(input.queueFillRatio)} of its capacity for 10 minutes; once full, spans are dropped.`),
  ];

  const backend: AlertRule[] = [];
  if (input.tempoMatchers !== undefined) {
    const tm = input.tempoMatchers;
    backend.push(
      rule('TempoRateLimitingSpans',
        `sum by (namespace, job, reason) (rate(${TEMPO_METRICS.discardedSpans}${sel(tm, 'reason="rate_limited"')}[5m])) > 0`,
        '5m', 'warning',
        'Tempo {{ $labels.namespace }}/{{ $labels.job }} rate-limits ingestion',
        'The distributor discards spans because a tenant exceeds rate_limit_bytes/burst_size_bytes. Raise the tenant\'s ingestion limits or sample upstream.'),
      rule('TempoDiscardingSpans',
        `sum by (namespace, job, reason) (rate(${TEMPO_METRICS.discardedSpans}${sel(tm, 'reason!="rate_limited"')}[5m])) > 0`,
        '10m', 'warning',
        'Tempo {{ $labels.namespace }}/{{ $labels.job }} discards spans ({{ $labels.reason }})',
        'The distributor discards spans for a limit other than the rate (live traces per tenant, bytes per trace). Check the reason label and the matching override.'),
      rule('TempoReceiverRefusingSpans',
        `sum by (namespace, job) (rate(${TEMPO_METRICS.receiverRefusedSpans}${sel(tm)}[5m])) > 0`,
        '5m', 'critical',
        'Tempo {{ $labels.namespace }}/{{ $labels.job }} refuses spans at its receivers',
        'Tempo\'s receivers cannot hand spans to the distributor (ingestion errors or overload); senders see errors and retry, then drop.'),
    );
  }
  if (input.jaegerMatchers !== undefined) {
    backend.push(rule('JaegerStorageWriteFailing',
      `sum by (namespace, job) (rate(${c.exporterSendFailedSpans}${sel(input.jaegerMatchers, `exporter=~"${JAEGER_STORAGE_EXPORTER}.*"`)}[5m])) > 0`,
      '5m', 'critical',
      'Jaeger {{ $labels.namespace }}/{{ $labels.job }} fails to write spans to storage',
      'Jaeger\'s storage exporter drops spans: Elasticsearch/OpenSearch rejects writes (check cluster health, disk watermarks, index templates) or is unreachable.'));
  }

  // The alerts above see nothing when their targets are not scraped: say so, per target group.
  const scrape: AlertRule[] = input.scrapeTargets.map((t) => rule('TracingMetricsAbsent',
    `absent(up{${t.matchers}} == 1)`,
    '10m', 'critical',
    `No scrape target of ${t.description} is up: the alerts on its metrics cannot fire`,
    `Prometheus has no up == 1 series for {${t.matchers}}. Either the pods are gone, or Prometheus does not select their monitor `
    + '(check the monitor\'s labels against serviceMonitorSelector/podMonitorSelector and its namespace selectors), or every scrape fails '
    + '(NetworkPolicy, port, TLS). Until this is fixed every tracing alert and panel reading these series is blind.',
    t.labels));
  if (input.scrapeTargets.length > 0) {
    scrape.push(rule('TracingScrapeTargetDown',
      input.scrapeTargets.map((t) => `up{${t.matchers}} == 0`).join('\nor '),
      '10m', 'warning',
      'Scrape of {{ $labels.namespace }}/{{ $labels.pod }} (job {{ $labels.job }}) fails',
      'Prometheus finds the target but cannot scrape it (pod not ready, port closed, NetworkPolicy). Its metrics are missing from the tracing alerts and dashboards.'));
  }

  const groups: RuleFile['groups'] = [
    ...(collector.length > 0 ? [{ name: 'tracing-collector', rules: collector }] : []),
    ...(backend.length > 0 ? [{ name: 'tracing-backend', rules: backend }] : []),
    ...(scrape.length > 0 ? [{ name: 'tracing-scrape', rules: scrape }] : []),
  ];
  if (input.spanMetrics) {
    const sm = input.spanMetrics;
    const s = sm.serviceLabel;
    const calls = `sum by (${s}) (rate(${sm.callsMetric}[5m]))`;
    groups.push({
      name: 'tracing-services',
      rules: [rule('TracingServiceHighErrorRatio',
        `sum by (${s}) (rate(${sm.callsMetric}{${sm.errorMatcher()}}[5m]))\n/ ${calls}\n> ${input.serviceErrorRatio}\nand ${calls} > ${input.serviceMinCallsPerSecond}`,
        '10m', 'warning',
        `Service {{ $labels.${s} }} fails {{ $value | humanizePercentage }} of its spans`,
        `More than ${pct(input.serviceErrorRatio)} of the spans of this service end with status ERROR (span metrics from ${sm.producer}). Open the service dashboard and follow an exemplar to a failing trace.`)],
    });
  }
  return { groups };
}

/** Checks a PromQL label-matcher list such as `namespace="tracing", job=~"otel-.*"`; returns the problem, or undefined. */
export function promMatchersProblem(matchers: string): string | undefined {
  if (matchers.trim() === '') return undefined;
  const one = /^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*$/;
  const parts = matchers.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
  for (const p of parts) {
    if (!one.test(p)) return `"${p.trim()}" is not a label matcher`;
  }
  if (/,\s*,|^\s*,|,\s*$/.test(matchers)) return 'empty matcher between commas';
  return undefined;
}
