import { App, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { buildGrafanaWiring } from '../../examples/grafana-wiring/chart';
import { buildTempoGitOps } from '../../examples/tempo-gitops/chart';
import { CollectorBackend, JaegerChart, JaegerIndexRotation, JaegerStorage, TracingCollectorChart } from '../../lib/k8s';
import { findLeakedTokens } from '../../lib/k8s/tokens';
import { K8sObject } from '../helpers/schema';
import { checkRules } from './alert-promtool';
import { expectValidObjects } from './grafana-test-helpers';

function synthAll(app: App): Record<string, K8sObject[]> {
  return Object.fromEntries(app.charts.map((c) => [c.node.id, Testing.synth(c) as K8sObject[]]));
}

describe('example: grafana-wiring on the default Tempo example', () => {
  test('ingress, datasources, dashboards, alerts and the Prometheus patch are synthesized and valid', () => {
    const app = Testing.app();
    buildTempoGitOps(app);
    buildGrafanaWiring(app);
    const charts = synthAll(app);
    expect(Object.keys(charts).sort()).toEqual(['grafana-wiring', 'otlp-ingress', 'prometheus-tracing-patch', 'tempo', 'tracing-ingress']);
    const wiring = ['grafana-wiring', 'otlp-ingress', 'prometheus-tracing-patch', 'tracing-ingress'];
    for (const id of wiring) expectValidObjects(charts[id]);
    expect(findLeakedTokens(app.synthYaml())).toEqual([]);
    expect(Object.fromEntries(wiring.map((id) => [id, charts[id]]))).toMatchSnapshot();

    const kinds = wiring.flatMap((id) => charts[id].map((o) => o.kind)).sort();
    for (const k of ['Ingress', 'Certificate', 'NetworkPolicy', 'ConfigMap', 'PrometheusRule', 'Prometheus']) expect(kinds).toContain(k);

    // Tempo's metrics-generator writes where the Prometheus datasource reads.
    const tempoConfig = parse((charts.tempo.find((o: any) => o.kind === 'ConfigMap' && o.metadata.name === 'tempo-config') as any).data['tempo.yaml']);
    const ds = parse(((charts['grafana-wiring'].find((o: any) => o.metadata.name === 'tracing-datasources') as any).data['tracing-datasources.yaml'] as string).replace(/\$\$/g, '$'));
    const prom = ds.datasources.find((d: any) => d.type === 'prometheus');
    expect(tempoConfig.metrics_generator.storage.remote_write[0].url).toBe(`${prom.url}/api/v1/write`);

    const rule = charts['grafana-wiring'].find((o) => o.kind === 'PrometheusRule') as any;
    expect(checkRules(rule.spec).code).toBe(0);
  });

  test('with the collector tier and Jaeger: OTLP goes to the gateway, Jaeger gets a datasource and a UI ingress', () => {
    const app = Testing.app();
    const tempoChart = buildTempoGitOps(app);
    new TracingCollectorChart(app, 'otel-collector', { namespace: 'observability', backend: CollectorBackend.tempo(tempoChart.tempo), serviceMonitor: {} });
    new JaegerChart(app, 'jaeger', {
      namespace: 'jaeger', storage: JaegerStorage.opensearch({ serverUrls: ['https://search.example.com'], sigv4: { region: 'eu-west-1' } }),
      indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }), podMonitor: {},
    });
    buildGrafanaWiring(app);
    const charts = synthAll(app);
    for (const id of ['grafana-wiring', 'otlp-ingress', 'prometheus-tracing-patch', 'tracing-ingress', 'jaeger-ingress']) expectValidObjects(charts[id]);
    const otlp = charts['otlp-ingress'].filter((o) => o.kind === 'Ingress') as any[];
    expect(otlp.every((i) => i.metadata.namespace === 'observability')).toBe(true);
    const jaegerIngress = charts['jaeger-ingress'].find((o) => o.kind === 'Ingress') as any;
    expect(jaegerIngress.metadata.annotations['nginx.ingress.kubernetes.io/auth-url']).toContain('oauth2-proxy');
    const ds = parse((charts['grafana-wiring'].find((o: any) => o.metadata.name === 'tracing-datasources') as any).data['tracing-datasources.yaml']);
    expect(ds.datasources.map((d: any) => d.uid).sort()).toEqual(['jaeger', 'loki', 'prometheus', 'tempo']);
  });

  test('a collector or Jaeger that nothing scrapes is refused: the wiring\'s alerts and dashboards would read no data', () => {
    for (const monitored of ['collector', 'jaeger'] as const) {
      const app = Testing.app();
      const tempoChart = buildTempoGitOps(app);
      new TracingCollectorChart(app, 'otel-collector', {
        namespace: 'observability', backend: CollectorBackend.tempo(tempoChart.tempo), ...(monitored === 'collector' ? { serviceMonitor: {} } : {}),
      });
      new JaegerChart(app, 'jaeger', {
        namespace: 'jaeger', storage: JaegerStorage.opensearch({ serverUrls: ['https://search.example.com'], sigv4: { region: 'eu-west-1' } }),
        indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }), ...(monitored === 'jaeger' ? { podMonitor: {} } : {}),
      });
      const missing = monitored === 'collector' ? /Jaeger jaeger\/jaeger \(jaeger\), but no ServiceMonitor or PodMonitor scrapes it/ : /collector observability\/otel \(collector\), but no ServiceMonitor or PodMonitor scrapes it/;
      expect(() => buildGrafanaWiring(app)).toThrow(missing);
    }
  });
});
