import { App, Chart } from 'cdk8s';
import {
  ElasticsearchCluster, GrafanaDelivery, Jaeger, JaegerChart, JaegerIndexRotation, JaegerStorage, PrometheusEndpoint,
  TempoChart, TracingDashboards, TracingDatasources,
} from '../../lib/k8s';

/**
 * Configurations the examples do not cover, judged by the API server like the examples: every
 * Jaeger index rotation, Elasticsearch through ECK (its CRD's CEL rules), Grafana through the
 * operator. Each builds its charts into the app it is given.
 */
export const CONFIGURATIONS: Record<string, (app: App) => void> = {
  'jaeger rollover': (app) => {
    new JaegerChart(app, 'jaeger', { namespace: 'tracing', storage: elasticsearch(), indexRotation: JaegerIndexRotation.rollover({ maxAge: '12h' }), indexPrefix: 'prod' });
  },
  'jaeger ILM lifecycle policy': (app) => {
    new JaegerChart(app, 'jaeger', { namespace: 'tracing', storage: elasticsearch(), indexRotation: JaegerIndexRotation.lifecyclePolicy(), indexPrefix: 'prod' });
  },
  'jaeger ISM on OpenSearch with Spark dependencies': (app) => {
    new JaegerChart(app, 'jaeger', {
      namespace: 'tracing', storage: opensearch(), indexRotation: JaegerIndexRotation.lifecyclePolicy({ maxAge: '6h' }),
      dependencies: {}, query: { basePath: '/jaeger' }, legacyReceivers: false, allowedNamespaces: ['apps', 'monitoring'],
    });
  },
  'jaeger sigv4 daily': (app) => {
    new JaegerChart(app, 'jaeger', {
      namespace: 'tracing',
      storage: JaegerStorage.opensearch({ serverUrls: ['https://vpc-tracing-abc.eu-west-1.es.amazonaws.com'], sigv4: { region: 'eu-west-1' } }),
      indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }),
    });
  },
  'elasticsearch (ECK) with jaeger': (app) => {
    const chart = new Chart(app, 'tracing', { namespace: 'tracing', disableResourceNameHashes: true });
    const es = new ElasticsearchCluster(chart, 'Elasticsearch', {
      name: 'traces',
      nodeSets: [
        { name: 'masters', count: 3, roles: ['master'], storageSize: '10Gi', resources: { cpuRequest: '500m', cpuLimit: '1', memoryRequest: '2Gi', memoryLimit: '2Gi' } },
        { name: 'data', count: 4, roles: ['data', 'ingest'], storageSize: '500Gi', storageClassName: 'gp3' },
      ],
      jaegerUser: { secretName: 'jaeger-es-user' },
      allowedNamespaces: ['kibana'],
    });
    new Jaeger(chart, 'Jaeger', { storage: es.jaegerStorage(), indexRotation: JaegerIndexRotation.lifecyclePolicy() });
  },
  'grafana through the operator': (app) => {
    const tempo = new TempoChart(app, 'tempo', {
      namespace: 'tracing', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' },
      metricsGenerator: { remoteWriteUrl: 'http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/write' },
      podMonitor: {},
    }).tempo;
    const chart = new Chart(app, 'grafana', { namespace: 'monitoring', disableResourceNameHashes: true });
    const delivery = GrafanaDelivery.operator({ instanceSelector: { dashboards: 'grafana' } });
    const datasources = new TracingDatasources(chart, 'Datasources', {
      delivery, tempo: { target: tempo }, prometheus: { endpoint: PrometheusEndpoint.inCluster() },
    });
    new TracingDashboards(chart, 'Dashboards', { datasources, delivery, tempo });
  },
};

function elasticsearch() {
  return JaegerStorage.elasticsearch({
    serverUrls: ['https://tracing-es-http.tracing.svc:9200'],
    basicAuth: { secretName: 'tracing-es-elastic-user', username: 'elastic', passwordKey: 'elastic' },
    tls: { caSecretName: 'tracing-es-http-certs-public' },
  });
}

function opensearch() {
  return JaegerStorage.opensearch({ serverUrls: ['https://search.example.com'], basicAuth: { secretName: 'jaeger-os-credentials' } });
}
