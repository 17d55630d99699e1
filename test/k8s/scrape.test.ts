import { Testing } from 'cdk8s';
import { CollectorBackend, JaegerChart, JaegerIndexRotation, JaegerStorage, TempoChart, TracingCollectorChart } from '../../lib/k8s';

const storage = { bucketName: 'tempo-traces', region: 'eu-west-1' };
const jaegerStorage = () => ({
  storage: JaegerStorage.opensearch({ serverUrls: ['https://search.example.com'], sigv4: { region: 'eu-west-1' } }),
  indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }),
});

describe('monitors: bad input', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['Tempo podMonitor behind allowedNamespaces without prometheusNamespace',
      () => new TempoChart(Testing.app(), 'tempo', { namespace: 'tracing', storage, allowedNamespaces: ['observability'], podMonitor: {} }),
      /\[tempo\/Tempo\] podMonitor with allowedNamespaces needs podMonitor.prometheusNamespace: the NetworkPolicy admits only observability to port 3200, where the metrics are \(got undefined\); set podMonitor.prometheusNamespace/],
    ['Tempo prometheusNamespace outside allowedNamespaces',
      () => new TempoChart(Testing.app(), 'tempo', { namespace: 'tracing', storage, allowedNamespaces: ['observability'], podMonitor: { prometheusNamespace: 'monitoring' } }),
      /podMonitor.prometheusNamespace is not in allowedNamespaces \(observability\), so the NetworkPolicy would drop every scrape of port 3200 \(got "monitoring"\); add "monitoring" to allowedNamespaces/],
    ['Jaeger prometheusNamespace outside allowedNamespaces',
      () => new JaegerChart(Testing.app(), 'jaeger', { namespace: 'tracing', ...jaegerStorage(), allowedNamespaces: ['shop'], podMonitor: { prometheusNamespace: 'monitoring' } }),
      /\[jaeger\/Jaeger\] podMonitor.prometheusNamespace is not in allowedNamespaces \(shop\), so the NetworkPolicy would drop every scrape of port 8888/],
    ['Tempo podMonitor interval', () => new TempoChart(Testing.app(), 'tempo', { namespace: 'tracing', storage, podMonitor: { interval: '30 seconds' } }),
      /podMonitor.interval is not a Prometheus duration \(got "30 seconds"\); use e.g. "30s"/],
    ['Jaeger podMonitor label', () => new JaegerChart(Testing.app(), 'jaeger', { namespace: 'tracing', ...jaegerStorage(), podMonitor: { labels: { release: 'kube prometheus' } } }),
      /podMonitor.labels value is not a Kubernetes label value \(got "kube prometheus"\)/],
    ['collector serviceMonitor interval', () => {
      const app = Testing.app();
      const tempo = new TempoChart(app, 'tempo', { namespace: 'tracing', storage }).tempo;
      return new TracingCollectorChart(app, 'otel', { namespace: 'observability', backend: CollectorBackend.tempo(tempo), serviceMonitor: { interval: '-1s' } });
    }, /\[otel\/Collector\] serviceMonitor.interval is not a Prometheus duration \(got "-1s"\)/],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('with prometheusNamespace among allowedNamespaces, Tempo and Jaeger synthesize their monitors', () => {
    const app = Testing.app();
    const tempo = new TempoChart(app, 'tempo', { namespace: 'tracing', storage, allowedNamespaces: ['monitoring'], podMonitor: { prometheusNamespace: 'monitoring' } }).tempo;
    expect(tempo.metricsScrape?.monitors.map((m) => `${m.kind}/${m.name}`)).toEqual(['PodMonitor/tempo']);
    const jaeger = new JaegerChart(app, 'jaeger', { namespace: 'tracing', ...jaegerStorage(), allowedNamespaces: ['monitoring'], podMonitor: { prometheusNamespace: 'monitoring' } }).jaeger;
    expect(jaeger.metricsScrape?.monitors.map((m) => `${m.kind}/${m.name}`)).toEqual(['PodMonitor/jaeger-collector', 'PodMonitor/jaeger-query']);
  });
});
