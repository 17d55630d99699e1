import { App, Chart, Testing } from 'cdk8s';
import { ENVIRONMENTS, buildEnvironment } from '../../examples/gitops-environments/app';
import sampleOutputs from '../../examples/gitops-environments/outputs.json';
import { K8S_EXAMPLES } from '../../examples/k8s-examples';
import { ExternalMetricsSource, TempoChart, TracingAlerts } from '../../lib/k8s';
import { K8sObject } from '../helpers/schema';
import { PrometheusModel, readExpressions, scrapeTargets, selectorsOf, unscrapedReads } from '../helpers/scrape-coverage';

// The Prometheus every example assumes: kube-prometheus-stack (release "kube-prometheus-stack") in namespace monitoring.
const PROMETHEUS: PrometheusModel = {
  namespace: 'monitoring',
  selector: { release: 'kube-prometheus-stack' },
  remoteWriteUrl: 'http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/write',
};

const objectsOf = (app: App): K8sObject[] => app.charts.flatMap((c) => c.toJson() as K8sObject[]);

/** Each example cluster: the cdk8s examples app (`npm run synth` into dist/), and each GitOps environment. */
function clusters(): Array<[string, K8sObject[]]> {
  const app = Testing.app();
  K8S_EXAMPLES.forEach((build) => build(app));
  const envs = ENVIRONMENTS.map((env): [string, K8sObject[]] => {
    const envApp = Testing.app();
    buildEnvironment(envApp, env, sampleOutputs, 'examples/gitops-environments/outputs.json');
    return [`environments/${env.name}`, objectsOf(envApp)];
  });
  return [['dist (k8s examples)', objectsOf(app)], ...envs];
}

describe('every metric an example\'s alerts and panels read is scraped (or remote-written) in its cluster', () => {
  const all = clusters();

  test.each(all)('%s', (_name, objects) => {
    const reads = readExpressions(objects);
    // Not vacuous: the cluster has alerts that read metrics of scraped components.
    expect(reads.filter((r) => r.where.startsWith('PrometheusRule')).length).toBeGreaterThan(5);
    expect(reads.flatMap((r) => selectorsOf(r.expr)).some((s) => s.metric.startsWith('tempo_'))).toBe(true);
    expect(unscrapedReads(objects, PROMETHEUS)).toEqual([]);
  });

  test('the dist cluster scrapes the collector tiers, Tempo (monolithic and microservices) and Jaeger\'s collector and query', () => {
    const jobs = new Set(scrapeTargets(all[0][1], PROMETHEUS).targets.map((t) => `${t.labels.namespace} ${t.labels.job} ${t.labels.container}`));
    for (const j of ['observability otel-agent otelcol', 'observability otel-gateway otelcol', 'observability otel-sampler otelcol',
      'tracing tracing/tempo tempo', 'tempo-scale tempo-scale/tempo distributor', 'tempo-scale tempo-scale/tempo live-store',
      'tracing tracing/jaeger-collector jaeger', 'tracing tracing/jaeger-query jaeger']) {
      expect(jobs).toContain(j);
    }
  });
});

describe('the coverage check can fail', () => {
  const tempoOnly = (podMonitor: boolean): App => {
    const app = Testing.app();
    new TempoChart(app, 'tempo', {
      namespace: 'traces-prod', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' },
      ...(podMonitor ? { podMonitor: { labels: PROMETHEUS.selector } } : {}),
    });
    return app;
  };

  test('alerts on a Tempo nothing scrapes (the shape every example had: matchers typed by hand, no monitor)', () => {
    const app = tempoOnly(false);
    const alerts = new Chart(app, 'alerts', { namespace: 'monitoring' });
    new TracingAlerts(alerts, 'Alerts', {
      tempo: ExternalMetricsSource.of({ component: 'Tempo', matchers: 'namespace="traces-prod"' }), ruleLabels: PROMETHEUS.selector,
    });
    expect(unscrapedReads(objectsOf(app), PROMETHEUS)).toContainEqual(expect.stringMatching(/TempoRateLimitingSpans reads tempo_discarded_spans_total\{namespace="traces-prod", reason="rate_limited"\}, which no scraped target produces/));
  });

  test('a hard-coded namespace where the backend does not run', () => {
    const app = tempoOnly(true);
    const alerts = new Chart(app, 'alerts', { namespace: 'monitoring' });
    new TracingAlerts(alerts, 'Alerts', { tempo: ExternalMetricsSource.of({ component: 'Tempo', matchers: 'namespace="tracing"' }), ruleLabels: PROMETHEUS.selector });
    expect(unscrapedReads(objectsOf(app), PROMETHEUS)).toContainEqual(expect.stringMatching(/reads tempo_receiver_refused_spans\{namespace="tracing"\}, which no scraped target produces/));
  });

  test('a monitor Prometheus does not select, one that selects no pod, one whose port the pod lacks, and a NetworkPolicy that drops the scrape', () => {
    const app = tempoOnly(true);
    const objects = objectsOf(app);
    const monitor = objects.find((o) => o.kind === 'PodMonitor') as any;
    const variant = (change: (m: any, all: K8sObject[]) => void): string[] => {
      const copy = JSON.parse(JSON.stringify(objects)) as K8sObject[];
      change(copy.find((o) => o.kind === 'PodMonitor'), copy);
      return scrapeTargets(copy, PROMETHEUS).problems;
    };
    expect(scrapeTargets(objects, PROMETHEUS).problems).toEqual([]);
    expect(monitor.spec.podMetricsEndpoints[0].port).toBe('http');
    expect(variant((m) => { m.metadata.labels = {}; })).toEqual([expect.stringMatching(/PodMonitor traces-prod\/tempo: Prometheus does not select it/)]);
    expect(variant((m) => { m.spec.selector.matchLabels['app.kubernetes.io/component'] = 'query'; })).toEqual(['PodMonitor traces-prod/tempo: selects no pod with the port it scrapes']);
    expect(variant((m) => { m.spec.podMetricsEndpoints[0].port = 'metrics'; })).toEqual(['PodMonitor traces-prod/tempo: selects no pod with the port it scrapes']);
    expect(variant((m) => { m.spec.namespaceSelector.matchNames = ['tracing']; })).toEqual(['PodMonitor traces-prod/tempo: selects no pod with the port it scrapes']);
    expect(variant((_m, all) => {
      const np = all.find((o) => o.kind === 'NetworkPolicy') as any;
      np.spec.ingress[0].from = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }];
    })).toContainEqual('PodMonitor traces-prod/tempo: the NetworkPolicy of tempo drops scrapes from monitoring on port 3200');
  });
});
