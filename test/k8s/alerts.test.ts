import { App, Chart, Testing } from 'cdk8s';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  CollectorBackend, ExternalMetricsSource, MB, TempoDeploymentMode, TempoKafka, Jaeger, JaegerChart, JaegerIndexRotation, JaegerStorage, SpanMetrics, Tempo, TempoChart,
  TracingAlerts, TracingAlertsProps, TracingCollector, TracingCollectorChart,
} from '../../lib/k8s';
import { COLLECTOR_METRICS, promMatchersProblem } from '../../lib/render/alert-rules';
import { K8sObject } from '../helpers/schema';
import { findObject, synthChart } from '../helpers/synth';
import { checkRules, expandTemplate, promtool, runPromtoolTest } from './alert-promtool';
import { expectValidObjects } from './grafana-test-helpers';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'promtool');

/** The components the alerts read, each with its monitor: Tempo in tracing, Jaeger in jaeger, the collector tier in observability. */
interface Sources { tempo: Tempo; jaeger: Jaeger; collector: TracingCollector }

function sourcesIn(app: App, monitored = true): Sources {
  const tempo = new TempoChart(app, 'tempo', {
    namespace: 'tracing', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' }, ...(monitored ? { podMonitor: {} } : {}),
  }).tempo;
  const jaeger = new JaegerChart(app, 'jaeger', {
    namespace: 'jaeger',
    storage: JaegerStorage.opensearch({ serverUrls: ['https://search.example.com'], sigv4: { region: 'eu-west-1' } }),
    indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }),
    ...(monitored ? { podMonitor: {} } : {}),
  }).jaeger;
  const collector = new TracingCollectorChart(app, 'otel', {
    namespace: 'observability', backend: CollectorBackend.tempo(tempo), ...(monitored ? { serviceMonitor: {} } : {}),
  }).collector;
  return { tempo, jaeger, collector };
}

/** Alerts in the monitoring namespace (where Prometheus runs), reading the components of `sourcesIn`. */
function synth(props: (s: Sources) => TracingAlertsProps = (s) => ({ collector: s.collector })): K8sObject[] {
  const app = Testing.app();
  const sources = sourcesIn(app);
  const chart = new Chart(app, 'alerts', { namespace: 'monitoring', disableResourceNameHashes: true });
  new TracingAlerts(chart, 'Alerts', props(sources));
  const objects = synthChart(chart);
  expectValidObjects(objects);
  return objects;
}

const full = (s: Sources): TracingAlertsProps => ({
  collector: s.collector,
  tempo: s.tempo,
  jaeger: s.jaeger,
  spanMetrics: SpanMetrics.tempoMetricsGenerator(),
  ruleLabels: { release: 'kube-prometheus-stack' },
});

function specOf(objects: K8sObject[]): any {
  return (findObject(objects, 'PrometheusRule', 'tracing-alerts') as any).spec;
}

describe('TracingAlerts', () => {
  test('snapshot: Tempo, Jaeger and per-service alerts', () => {
    expect(synth(full)).toMatchSnapshot();
  });

  test('collector alerts select what the ServiceMonitors scrape: the collector\'s namespace and its tiers\' jobs, not the alerts\' namespace', () => {
    const spec = specOf(synth());
    expect(spec.groups.map((g: any) => g.name)).toEqual(['tracing-collector', 'tracing-scrape']);
    for (const r of spec.groups[0].rules) {
      expect(r.expr).toContain('{namespace="observability", job=~"otel-agent|otel-gateway|otel-sampler"}');
      expect(r.expr).not.toContain('namespace="monitoring"');
    }
  });

  test('backend alerts select the backend\'s own namespace and PodMonitor job, never a hard-coded namespace', () => {
    const rules = specOf(synth(full)).groups.flatMap((g: any) => g.rules);
    const expr = (name: string) => rules.find((r: any) => r.alert === name).expr;
    expect(expr('TempoRateLimitingSpans')).toContain('{namespace="tracing", job="tracing/tempo", reason="rate_limited"}');
    expect(expr('JaegerStorageWriteFailing')).toContain('{namespace="jaeger", job=~"jaeger/jaeger-collector|jaeger/jaeger-query", exporter=~"jaeger_storage_exporter.*"}');
    // Tempo elsewhere: the selector follows it.
    const app = Testing.app();
    const tempo = new TempoChart(app, 'tempo', { namespace: 'traces-prod', name: 'tempo-eu', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' }, podMonitor: {} }).tempo;
    const alerts = new TracingAlerts(new Chart(app, 'alerts', { namespace: 'monitoring' }), 'Alerts', { tempo });
    const moved = alerts.rules.groups.flatMap((g) => g.rules);
    expect(moved.find((r) => r.alert === 'TempoRateLimitingSpans')!.expr).toContain('{namespace="traces-prod", job="traces-prod/tempo-eu", reason="rate_limited"}');
    expect(JSON.stringify(moved)).not.toContain('namespace=\\"tracing\\"');
  });

  test('every scraped target group the alerts read has an absence alert labelled with its namespace and job, and a target-down alert', () => {
    const rules = specOf(synth(full)).groups.find((g: any) => g.name === 'tracing-scrape').rules;
    const absent = rules.filter((r: any) => r.alert === 'TracingMetricsAbsent');
    expect(absent.map((r: any) => r.expr)).toEqual([
      'absent(up{namespace="observability", job="otel-agent"} == 1)',
      'absent(up{namespace="observability", job="otel-gateway"} == 1)',
      'absent(up{namespace="observability", job="otel-sampler"} == 1)',
      'absent(up{namespace="tracing", job="tracing/tempo", container="tempo"} == 1)',
      'absent(up{namespace="jaeger", job="jaeger/jaeger-collector"} == 1)',
    ]);
    expect(absent[3].labels).toEqual({ severity: 'critical', namespace: 'tracing', job: 'tracing/tempo', container: 'tempo' });
    const down = rules.filter((r: any) => r.alert === 'TracingScrapeTargetDown');
    expect(down).toHaveLength(1);
    expect(down[0].expr.split('\nor ')).toHaveLength(5);
  });

  test('microservices Tempo: the absence alert watches the distributors, which produce the metrics the alerts read', () => {
    const app = Testing.app();
    const tempo = new TempoChart(app, 'tempo', {
      namespace: 'tempo-scale', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' }, podMonitor: {},
      deploymentMode: TempoDeploymentMode.microservices({ ingestBytesPerSecond: 10 * MB, kafka: TempoKafka.external({ bootstrapServer: 'kafka:9092' }) }),
    }).tempo;
    const alerts = new TracingAlerts(new Chart(app, 'alerts', { namespace: 'monitoring' }), 'Alerts', { tempo });
    const absent = alerts.rules.groups.flatMap((g) => g.rules).filter((r) => r.alert === 'TracingMetricsAbsent');
    expect(absent.map((r) => r.expr)).toEqual(['absent(up{namespace="tempo-scale", job="tempo-scale/tempo", container="distributor"} == 1)']);
  });

  test('an ExternalMetricsSource is the explicit statement that something else scrapes the component; its absence is still alerted', () => {
    const chart = new Chart(Testing.app(), 'alerts', { namespace: 'monitoring' });
    const tempo = ExternalMetricsSource.of({ component: 'Tempo (Helm release tempo)', matchers: 'namespace="tempo", job="tempo"' });
    const rules = new TracingAlerts(chart, 'Alerts', { tempo }).rules.groups.flatMap((g) => g.rules);
    expect(rules.find((r) => r.alert === 'TempoReceiverRefusingSpans')!.expr).toContain('{namespace="tempo", job="tempo"}');
    const absent = rules.find((r) => r.alert === 'TracingMetricsAbsent')!;
    expect(absent.expr).toBe('absent(up{namespace="tempo", job="tempo"} == 1)');
    expect(absent.labels).toEqual({ severity: 'critical', namespace: 'tempo', job: 'tempo' });
  });

  test.each<[string, (s: Sources) => TracingAlertsProps, RegExp]>([
    ['Tempo without podMonitor', (s) => ({ tempo: s.tempo }),
      /\[alerts\/Alerts\] alerts read the metrics of Tempo tracing\/tempo \(tempo\), but no ServiceMonitor or PodMonitor scrapes it, so they would see no data and never fire \(got "Tempo tracing\/tempo"\); set podMonitor: \{\} on Tempo tempo\/Tempo/],
    ['Jaeger without podMonitor', (s) => ({ jaeger: s.jaeger }), /alerts read the metrics of Jaeger jaeger\/jaeger \(jaeger\), but no ServiceMonitor or PodMonitor scrapes it.*set podMonitor: \{\} on Jaeger jaeger\/Jaeger/],
    ['collector without serviceMonitor', (s) => ({ collector: s.collector }),
      /alerts read the metrics of collector observability\/otel \(collector\), but no ServiceMonitor or PodMonitor scrapes it.*set serviceMonitor: \{\} on TracingCollector otel\/Collector/],
  ])('bad input: %s (a component nothing scrapes)', (_name, props, message) => {
    const app = Testing.app();
    const sources = sourcesIn(app, false);
    const chart = new Chart(app, 'alerts', { namespace: 'monitoring' });
    expect(() => new TracingAlerts(chart, 'Alerts', props(sources))).toThrow(message);
  });

  test('bad input: a component of another app (another cluster)', () => {
    const other = sourcesIn(Testing.app());
    const chart = new Chart(Testing.app(), 'alerts', { namespace: 'monitoring' });
    expect(() => new TracingAlerts(chart, 'Alerts', { tempo: other.tempo }))
      .toThrow(/tempo \(Tempo tracing\/tempo\) is in another app, so its monitors are applied to another cluster than these alerts \(got "tempo\/Tempo"\)/);
  });

  test('bad input: nothing to alert on', () => {
    const chart = new Chart(Testing.app(), 'alerts', { namespace: 'monitoring' });
    expect(() => new TracingAlerts(chart, 'Alerts', {})).toThrow(/nothing to alert on: none of collector, tempo, jaeger or spanMetrics is set/);
  });

  test('every alert has a severity, a summary, a description and a for duration', () => {
    for (const g of specOf(synth(full)).groups) {
      for (const r of g.rules) {
        expect(['warning', 'critical']).toContain(r.labels.severity);
        expect(r.annotations.summary.length).toBeGreaterThan(10);
        expect(r.annotations.description.length).toBeGreaterThan(20);
        expect(r.for).toMatch(/^\d+m$/);
      }
    }
  });

  test('the collector alerts read the metric names of collector 0.161.0', () => {
    const exprs = specOf(synth()).groups[0].rules.map((r: any) => r.expr).join('\n');
    for (const name of [COLLECTOR_METRICS.receiverRefusedSpans, COLLECTOR_METRICS.receiverFailedSpans, COLLECTOR_METRICS.exporterSendFailedSpans,
      COLLECTOR_METRICS.exporterEnqueueFailedSpans, COLLECTOR_METRICS.exporterQueueSize, COLLECTOR_METRICS.exporterQueueCapacity]) {
      expect(exprs).toContain(name);
    }
    expect(COLLECTOR_METRICS.version).toBe('0.161.0');
  });

  test('promtool check rules accepts the PrometheusRule spec (full and default)', () => {
    for (const props of [full, undefined, (s: Sources) => ({ collector: s.collector, spanMetrics: SpanMetrics.collectorConnector(), runbookBaseUrl: 'https://runbooks.example.com/tracing', alertLabels: { team: 'platform' } })]) {
      const result = checkRules(specOf(synth(props)));
      expect(result.output).toContain('SUCCESS');
      expect(result.code).toBe(0);
    }
  });

  test('promtool check rules rejects a broken rule (the check can fail)', () => {
    const spec = specOf(synth());
    spec.groups[0].rules[0].expr = 'sum by (job (rate(x[5m]))';
    const result = checkRules(spec);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/parse error/);
  });

  test('promtool is Prometheus 3: range selectors are left-open (Prometheus 2 counts 6 samples here)', () => {
    // The fixtures' windows must hold under what clusters run now; this pins the semantics they see.
    const dir = mkdtempSync(path.join(tmpdir(), 'promtool-'));
    try {
      writeFileSync(path.join(dir, 'test.yaml'), [
        'rule_files: []', 'evaluation_interval: 1m', 'tests:', '  - interval: 1m', '    input_series:',
        "      - series: 'x'", "        values: '1 2 3 4 5 6'", '    promql_expr_test:',
        '      - expr: count_over_time(x[5m])', '        eval_time: 5m', '        exp_samples:',
        "          - labels: '{}'", '            value: 5', '',
      ].join('\n'));
      const result = promtool(['test', 'rules', 'test.yaml'], dir);
      expect(result.output).toContain('SUCCESS');
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('promtool test rules: every pipeline alert fires on bad input and stays quiet on healthy input', () => {
    const result = runPromtoolTest(path.join(FIXTURES, 'pipeline-alerts.test.yaml'), specOf(synth(full)));
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  test('promtool test rules: per-service error ratio with the collector connector\'s names', () => {
    const result = runPromtoolTest(path.join(FIXTURES, 'service-alerts-collector.test.yaml'),
      specOf(synth(() => ({ spanMetrics: SpanMetrics.collectorConnector() }))));
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  test('promtool test rules fails when an alert does not fire as the fixture expects (the test can fail)', () => {
    // Raise the threshold above the fixture's 20% error ratio: the expected alert no longer fires.
    const spec = specOf(synth(() => ({ spanMetrics: SpanMetrics.collectorConnector(), serviceErrorRatio: 0.5 })));
    const result = runPromtoolTest(path.join(FIXTURES, 'service-alerts-collector.test.yaml'), spec);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('TracingServiceHighErrorRatio');
  });

  test('template expansion used to build expected annotations', () => {
    expect(expandTemplate('job {{ $labels.job }} at {{ $value | humanizePercentage }}', { job: 'a' }, 0.5)).toBe('job a at 50%');
  });

  test('matcher syntax check', () => {
    expect(promMatchersProblem('namespace="tracing", job=~"otel-.*"')).toBeUndefined();
    expect(promMatchersProblem('')).toBeUndefined();
    expect(promMatchersProblem('{namespace="tracing"}')).toMatch(/not a label matcher/);
    expect(promMatchersProblem('namespace=tracing')).toMatch(/not a label matcher/);
  });

  test.each<[string, Partial<TracingAlertsProps>, RegExp]>([
    ['ratio of 5 meant as percent', { serviceErrorRatio: 5 }, /\[alerts\/Alerts\] serviceErrorRatio must be a ratio between 0 and 1 \(exclusive\) \(got 5\)/],
    ['queue ratio 1', { queueFillRatio: 1 }, /queueFillRatio must be a ratio between 0 and 1/],
    ['severity in alertLabels', { alertLabels: { severity: 'page' } }, /alertLabels must not set severity/],
    ['invalid alert label name', { alertLabels: { 'team-name': 'x' } }, /alertLabels key is not a Prometheus label name \(got "team-name"\)/],
    ['runbook not a URL', { runbookBaseUrl: 'runbooks/tracing' }, /runbookBaseUrl is not an http\(s\) URL/],
    ['negative minimum rate', { serviceMinCallsPerSecond: -1 }, /serviceMinCallsPerSecond must be a number >= 0/],
    ['bad rule name', { name: 'Tracing_Alerts' }, /name must be a DNS label/],
  ])('bad input: %s', (_name, props, message) => {
    expect(() => synth((s) => ({ collector: s.collector, ...props }))).toThrow(message);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['external matchers with braces', () => ExternalMetricsSource.of({ component: 'Tempo', matchers: '{job="tempo"}' }),
      /\[ExternalMetricsSource.of\] matchers is not a PromQL label-matcher list: .*not a label matcher/],
    ['external matchers empty', () => ExternalMetricsSource.of({ component: 'Tempo', matchers: '' }), /matchers is empty, so the alerts would read every series of every job/],
  ])('bad input: %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
