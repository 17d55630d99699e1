import { Chart, Testing } from 'cdk8s';
import * as path from 'path';
import { SpanMetrics, TracingAlerts, TracingAlertsProps } from '../../lib/k8s';
import { COLLECTOR_METRICS, promMatchersProblem } from '../../lib/render/alert-rules';
import { K8sObject } from '../helpers/schema';
import { findObject, synthChart } from '../helpers/synth';
import { checkRules, expandTemplate, runPromtoolTest } from './alert-promtool';
import { expectValidObjects } from './grafana-test-helpers';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'promtool');

function synth(props: TracingAlertsProps = {}): K8sObject[] {
  const chart = new Chart(Testing.app(), 'alerts', { namespace: 'tracing', disableResourceNameHashes: true });
  new TracingAlerts(chart, 'Alerts', props);
  const objects = synthChart(chart);
  expectValidObjects(objects);
  return objects;
}

const full: TracingAlertsProps = {
  tempoMatchers: 'namespace="tracing", job="tracing/tempo"',
  jaegerMatchers: 'namespace="jaeger"',
  spanMetrics: SpanMetrics.tempoMetricsGenerator(),
  ruleLabels: { release: 'kube-prometheus-stack' },
};

function specOf(objects: K8sObject[]): any {
  return (findObject(objects, 'PrometheusRule', 'tracing-alerts') as any).spec;
}

describe('TracingAlerts', () => {
  test('snapshot: Tempo, Jaeger and per-service alerts', () => {
    expect(synth(full)).toMatchSnapshot();
  });

  test('defaults: collector alerts scoped to the chart namespace, no backend or service alerts', () => {
    const spec = specOf(synth());
    expect(spec.groups.map((g: any) => g.name)).toEqual(['tracing-collector']);
    for (const r of spec.groups[0].rules) expect(r.expr).toContain('{namespace="tracing"}');
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

  test('the collector alerts read the metric names of collector 0.159.0', () => {
    const exprs = specOf(synth()).groups[0].rules.map((r: any) => r.expr).join('\n');
    for (const name of [COLLECTOR_METRICS.receiverRefusedSpans, COLLECTOR_METRICS.receiverFailedSpans, COLLECTOR_METRICS.exporterSendFailedSpans,
      COLLECTOR_METRICS.exporterEnqueueFailedSpans, COLLECTOR_METRICS.exporterQueueSize, COLLECTOR_METRICS.exporterQueueCapacity]) {
      expect(exprs).toContain(name);
    }
    expect(COLLECTOR_METRICS.version).toBe('0.159.0');
  });

  test('promtool check rules accepts the PrometheusRule spec (full and default)', () => {
    for (const props of [full, {}, { spanMetrics: SpanMetrics.collectorConnector(), runbookBaseUrl: 'https://runbooks.example.com/tracing', alertLabels: { team: 'platform' } }]) {
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

  test('promtool test rules: every pipeline alert fires on bad input and stays quiet on healthy input', () => {
    const result = runPromtoolTest(path.join(FIXTURES, 'pipeline-alerts.test.yaml'), specOf(synth(full)));
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  test('promtool test rules: per-service error ratio with the collector connector\'s names', () => {
    const result = runPromtoolTest(path.join(FIXTURES, 'service-alerts-collector.test.yaml'),
      specOf(synth({ spanMetrics: SpanMetrics.collectorConnector() })));
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  test('promtool test rules fails when an alert does not fire as the fixture expects (the test can fail)', () => {
    // Raise the threshold above the fixture's 20% error ratio: the expected alert no longer fires.
    const spec = specOf(synth({ spanMetrics: SpanMetrics.collectorConnector(), serviceErrorRatio: 0.5 }));
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

  test.each<[string, TracingAlertsProps, RegExp]>([
    ['braces in matchers', { collectorMatchers: '{namespace="tracing"}' }, /\[alerts\/Alerts\] collectorMatchers is not a PromQL label-matcher list: .*not a label matcher \(got "\{namespace=\\"tracing\\"\}"\); write matchers without braces/],
    ['unquoted tempo matcher value', { tempoMatchers: 'namespace=tracing' }, /tempoMatchers is not a PromQL label-matcher list/],
    ['ratio of 5 meant as percent', { serviceErrorRatio: 5 }, /serviceErrorRatio must be a ratio between 0 and 1 \(exclusive\) \(got 5\)/],
    ['queue ratio 1', { queueFillRatio: 1 }, /queueFillRatio must be a ratio between 0 and 1/],
    ['severity in alertLabels', { alertLabels: { severity: 'page' } }, /alertLabels must not set severity/],
    ['invalid alert label name', { alertLabels: { 'team-name': 'x' } }, /alertLabels key is not a Prometheus label name \(got "team-name"\)/],
    ['runbook not a URL', { runbookBaseUrl: 'runbooks/tracing' }, /runbookBaseUrl is not an http\(s\) URL/],
    ['negative minimum rate', { serviceMinCallsPerSecond: -1 }, /serviceMinCallsPerSecond must be a number >= 0/],
    ['bad rule name', { name: 'Tracing_Alerts' }, /name must be a DNS label/],
  ])('bad input: %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
