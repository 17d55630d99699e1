import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { RuleFile, renderTracingAlertRules } from '../render/alert-rules';
import { SpanMetrics } from '../render/grafana-span-metrics';
import { wiringLabels } from './prometheus';
import { IMetricsSource, MONITORING_API_VERSION, resolveSources } from './scrape';

/** Props of {@link TracingAlerts}. */
export interface TracingAlertsProps {
  /**
   * Alert on the collector tier: receivers refusing spans, exporters dropping them, queues filling.
   * It must be scraped (`serviceMonitor` on the TracingCollector); the alerts select its series by
   * the labels that scrape gives them (its namespace and its tiers' jobs).
   * @default - no collector alerts
   */
  readonly collector?: IMetricsSource;
  /**
   * Alert on Tempo rate limiting, discarding or refusing spans. It must be scraped (`podMonitor` on Tempo).
   * @default - no Tempo alerts
   */
  readonly tempo?: IMetricsSource;
  /**
   * Alert on Jaeger failing to write to storage. It must be scraped (`podMonitor` on Jaeger).
   * @default - no Jaeger alerts
   */
  readonly jaeger?: IMetricsSource;
  /**
   * Span metrics for the per-service error-ratio alert.
   * @default - no per-service alert
   */
  readonly spanMetrics?: SpanMetrics;
  /**
   * Share (0-1) of spans refused or failed at collector receivers that fires `TracingCollectorRefusingSpans`.
   * @default 0.01
   */
  readonly refusedRatio?: number;
  /**
   * Exporter queue fill (0-1) that fires `TracingCollectorQueueNearlyFull`.
   * @default 0.8
   */
  readonly queueFillRatio?: number;
  /**
   * Per-service error ratio (0-1) that fires `TracingServiceHighErrorRatio`.
   * @default 0.05
   */
  readonly serviceErrorRatio?: number;
  /**
   * Calls per second a service needs before its error ratio is judged (quiet services flap).
   * @default 0.1
   */
  readonly serviceMinCallsPerSecond?: number;
  /**
   * Labels on the PrometheusRule object, so the Prometheus `ruleSelector` picks it up
   * (kube-prometheus-stack selects `release: <release name>` by default).
   * @default - none
   */
  readonly ruleLabels?: Record<string, string>;
  /**
   * Labels added to every alert (routing in Alertmanager).
   * @default - none
   */
  readonly alertLabels?: Record<string, string>;
  /**
   * Runbook base URL; `#<alert name in lowercase>` is appended.
   * @default - no runbook_url annotation
   */
  readonly runbookBaseUrl?: string;
  /**
   * Name of the PrometheusRule.
   * @default 'tracing-alerts'
   */
  readonly name?: string;
}

/**
 * A prometheus-operator `PrometheusRule` with alerts for the tracing pipeline:
 * collectors refusing or failing spans, exporters dropping spans (retries
 * exhausted, queue full), queues near full, Tempo rate limiting and discarding
 * spans, Jaeger failing to write to storage, and per-service error ratio from span metrics.
 * Every component it reads must be scraped; each scraped target group also gets an alert
 * for its absence (`TracingMetricsAbsent`) and for a failing scrape (`TracingScrapeTargetDown`),
 * so an alert that cannot see its data is itself reported.
 */
export class TracingAlerts extends Construct {
  /** The rule file (also `spec` of the PrometheusRule); feed it to `promtool check rules`. */
  public readonly rules: RuleFile;
  public readonly prometheusRule: ApiObject;

  constructor(scope: Construct, id: string, props: TracingAlertsProps = {}) {
    super(scope, id);
    const path = this.node.path;
    const name = props.name ?? 'tracing-alerts';
    validateDnsLabel(path, 'name', name);
    const sources = resolveSources(this, path, 'alerts', props);
    if (!sources.collector && !sources.tempo && !sources.jaeger && !props.spanMetrics) {
      throw configError(path, 'nothing to alert on: none of collector, tempo, jaeger or spanMetrics is set', undefined,
        'pass the components to watch, e.g. { collector, tempo }');
    }
    const ratio = (key: string, value: number | undefined, fallback: number): number => {
      const v = value ?? fallback;
      if (!(v > 0 && v < 1)) throw configError(path, `${key} must be a ratio between 0 and 1 (exclusive)`, v, `use e.g. ${fallback} for ${fallback * 100}%`);
      return v;
    };
    const minCalls = props.serviceMinCallsPerSecond ?? 0.1;
    if (!(minCalls >= 0) || !Number.isFinite(minCalls)) throw configError(path, 'serviceMinCallsPerSecond must be a number >= 0', minCalls, 'use e.g. 0.1');
    const labelsOk = (what: string, labels: Record<string, string> | undefined) => {
      for (const [k, v] of Object.entries(labels ?? {})) {
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) throw configError(path, `${what} key is not a Prometheus label name`, k, 'use letters, digits and "_"');
        if (typeof v !== 'string') throw configError(path, `${what} value must be a string`, v, 'quote it');
      }
    };
    labelsOk('alertLabels', props.alertLabels);
    if (props.alertLabels?.severity !== undefined) {
      throw configError(path, 'alertLabels must not set severity; each alert carries its own (critical for data loss, warning otherwise)', props.alertLabels.severity, 'remove severity from alertLabels');
    }
    if (props.runbookBaseUrl !== undefined && !/^https?:\/\/\S+$/.test(props.runbookBaseUrl)) {
      throw configError(path, 'runbookBaseUrl is not an http(s) URL', props.runbookBaseUrl, 'use e.g. "https://runbooks.example.com/tracing"');
    }

    this.rules = renderTracingAlertRules({
      collectorMatchers: sources.collector?.matchers,
      tempoMatchers: sources.tempo?.matchers,
      jaegerMatchers: sources.jaeger?.matchers,
      scrapeTargets: sources.targets,
      spanMetrics: props.spanMetrics,
      refusedRatio: ratio('refusedRatio', props.refusedRatio, 0.01),
      queueFillRatio: ratio('queueFillRatio', props.queueFillRatio, 0.8),
      serviceErrorRatio: ratio('serviceErrorRatio', props.serviceErrorRatio, 0.05),
      serviceMinCallsPerSecond: minCalls,
      extraLabels: { ...(props.alertLabels ?? {}) },
      runbookBaseUrl: props.runbookBaseUrl,
    });
    this.prometheusRule = new ApiObject(this, 'PrometheusRule', {
      apiVersion: MONITORING_API_VERSION,
      kind: 'PrometheusRule',
      metadata: { name, labels: { ...wiringLabels('alerts', name), ...(props.ruleLabels ?? {}) } },
      spec: this.rules,
    });
  }
}
