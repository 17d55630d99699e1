import { configError } from '../core/errors';

/** Unit of the span-duration histogram the collector's `spanmetrics` connector writes. */
export enum SpanMetricsHistogramUnit {
  /** `histogram.unit: ms` (the connector's default): `..._duration_milliseconds_bucket`. */
  MILLISECONDS = 'ms',
  /** `histogram.unit: s`: `..._duration_seconds_bucket`. */
  SECONDS = 's',
}

/** Options of {@link SpanMetrics.collectorConnector}. */
export interface CollectorSpanMetricsOptions {
  /**
   * Unit the connector's duration histogram uses.
   * @default SpanMetricsHistogramUnit.MILLISECONDS
   */
  readonly histogramUnit?: SpanMetricsHistogramUnit;
}

/** Options of {@link SpanMetrics.custom}: every name as Prometheus stores it. */
export interface CustomSpanMetricsOptions {
  /** Counter of calls, e.g. `traces_spanmetrics_calls_total`. */
  readonly callsMetric: string;
  /** Histogram bucket series of span durations, e.g. `traces_spanmetrics_latency_bucket`. */
  readonly durationBucketMetric: string;
  /** Multiply a duration value by this to get seconds (1 for seconds, 0.001 for milliseconds). */
  readonly durationToSeconds: number;
  /** Label holding the service name. */
  readonly serviceLabel: string;
  /**
   * Label holding the span name.
   * @default 'span_name'
   */
  readonly spanNameLabel?: string;
  /**
   * Label holding the span status code.
   * @default 'status_code'
   */
  readonly statusCodeLabel?: string;
  /**
   * Value of the status label on failed spans.
   * @default 'STATUS_CODE_ERROR'
   */
  readonly errorStatusValue?: string;
  /** Exemplar label that holds the trace id. */
  readonly exemplarTraceIdLabel: string;
  /** Who produces these series, for dashboard and alert descriptions. */
  readonly producer: string;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Where per-service rate, error and duration metrics come from. Tempo's
 * metrics-generator and the collector's `spanmetrics` connector name the same
 * series differently (and label the trace id of an exemplar differently);
 * dashboards, alerts and the Tempo datasource's trace-to-metrics queries all
 * read the names from one value of this class.
 */
export class SpanMetrics {
  /**
   * Tempo's metrics-generator (`span-metrics` processor): `traces_spanmetrics_calls_total`,
   * `traces_spanmetrics_latency_bucket` in seconds, label `service`, exemplar label `traceID`.
   */
  public static tempoMetricsGenerator(): SpanMetrics {
    return new SpanMetrics({
      callsMetric: 'traces_spanmetrics_calls_total',
      durationBucketMetric: 'traces_spanmetrics_latency_bucket',
      durationToSeconds: 1,
      serviceLabel: 'service',
      exemplarTraceIdLabel: 'traceID',
      producer: "Tempo's metrics-generator",
    });
  }

  /**
   * The OpenTelemetry Collector's `spanmetrics` connector with its default namespace
   * `traces.span.metrics`: `traces_span_metrics_calls_total`,
   * `traces_span_metrics_duration_{milliseconds|seconds}_bucket`, label `service_name`,
   * exemplar label `trace_id` (set `exemplars.enabled: true` on the connector).
   */
  public static collectorConnector(options: CollectorSpanMetricsOptions = {}): SpanMetrics {
    const unit = options.histogramUnit ?? SpanMetricsHistogramUnit.MILLISECONDS;
    const seconds = unit === SpanMetricsHistogramUnit.SECONDS;
    return new SpanMetrics({
      callsMetric: 'traces_span_metrics_calls_total',
      durationBucketMetric: seconds ? 'traces_span_metrics_duration_seconds_bucket' : 'traces_span_metrics_duration_milliseconds_bucket',
      durationToSeconds: seconds ? 1 : 0.001,
      serviceLabel: 'service_name',
      exemplarTraceIdLabel: 'trace_id',
      producer: "the collector's spanmetrics connector",
    });
  }

  /** Any other producer; every name is checked. */
  public static custom(options: CustomSpanMetricsOptions): SpanMetrics {
    const path = 'SpanMetrics.custom';
    for (const key of ['callsMetric', 'durationBucketMetric'] as const) {
      if (!METRIC_NAME.test(options[key])) {
        throw configError(path, `${key} is not a Prometheus metric name`, options[key], 'use letters, digits, "_" and ":", not starting with a digit');
      }
    }
    if (!options.durationBucketMetric.endsWith('_bucket')) {
      throw configError(path, 'durationBucketMetric must be the histogram\'s "_bucket" series', options.durationBucketMetric,
        `use "${options.durationBucketMetric}_bucket"`);
    }
    for (const key of ['serviceLabel', 'spanNameLabel', 'statusCodeLabel', 'exemplarTraceIdLabel'] as const) {
      const value = options[key];
      if (value !== undefined && !LABEL_NAME.test(value)) {
        throw configError(path, `${key} is not a Prometheus label name`, value, 'use letters, digits and "_", not starting with a digit');
      }
    }
    if (!(options.durationToSeconds > 0)) {
      throw configError(path, 'durationToSeconds must be a positive factor', options.durationToSeconds, 'use 1 for seconds, 0.001 for milliseconds');
    }
    return new SpanMetrics(options);
  }

  public readonly callsMetric: string;
  public readonly durationBucketMetric: string;
  public readonly durationToSeconds: number;
  public readonly serviceLabel: string;
  public readonly spanNameLabel: string;
  public readonly statusCodeLabel: string;
  public readonly errorStatusValue: string;
  public readonly exemplarTraceIdLabel: string;
  public readonly producer: string;

  private constructor(options: CustomSpanMetricsOptions) {
    this.callsMetric = options.callsMetric;
    this.durationBucketMetric = options.durationBucketMetric;
    this.durationToSeconds = options.durationToSeconds;
    this.serviceLabel = options.serviceLabel;
    this.spanNameLabel = options.spanNameLabel ?? 'span_name';
    this.statusCodeLabel = options.statusCodeLabel ?? 'status_code';
    this.errorStatusValue = options.errorStatusValue ?? 'STATUS_CODE_ERROR';
    this.exemplarTraceIdLabel = options.exemplarTraceIdLabel;
    this.producer = options.producer;
  }

  /** PromQL selector for failed calls, with extra matchers appended (for example Grafana's `$__tags`). */
  public errorMatcher(): string {
    return `${this.statusCodeLabel}="${this.errorStatusValue}"`;
  }

  /** Grafana unit of the duration histogram's values (`s` or `ms`); exemplars carry values in this unit. */
  public get durationGrafanaUnit(): string {
    return this.durationToSeconds === 1 ? 's' : this.durationToSeconds === 0.001 ? 'ms' : 'none';
  }

  /** PromQL for a duration quantile in the histogram's own unit (so exemplars share the axis). */
  public durationQuantileRaw(quantile: number, selector: string, window: string): string {
    return `histogram_quantile(${quantile}, sum by (le) (rate(${this.durationBucketMetric}{${selector}}[${window}])))`;
  }

  /** PromQL for a duration quantile in seconds, grouped by `by` (without `le`). */
  public durationQuantile(quantile: number, selector: string, window: string, by: string[]): string {
    const groups = ['le', ...by].join(', ');
    const q = `histogram_quantile(${quantile}, sum by (${groups}) (rate(${this.durationBucketMetric}{${selector}}[${window}])))`;
    return this.durationToSeconds === 1 ? q : `${q} * ${this.durationToSeconds}`;
  }
}
