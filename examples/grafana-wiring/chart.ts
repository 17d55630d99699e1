/**
 * Signal links for the other examples' backends: Grafana datasources with fixed
 * uids (Tempo, Jaeger, Prometheus with exemplar links, Loki), dashboards, the
 * pipeline PrometheusRule, the Prometheus settings exemplars need, and TLS
 * Ingresses for Tempo's query API, the Jaeger UI and OTLP, each with an
 * explicit authentication choice. See docs/grafana.md and docs/ingress.md.
 *
 *   npm run synth   # writes dist/grafana-wiring.k8s.yaml, dist/tracing-ingress.k8s.yaml, ...
 */
import { App, Chart } from 'cdk8s';
import {
  CertificateIssuer, GrafanaDelivery, IngressAuth, IngressBackend, IngressController, IngressTls, Jaeger, JaegerQuery, OtlpReceiver,
  PrometheusEndpoint, PrometheusTracingPatch, Tempo, TracingAlerts, TracingCollector, TracingDashboards, TracingDatasources, TracingIngress,
} from '../../lib/k8s';

/** Settings of the wiring; the defaults are the example's. */
export interface GrafanaWiringOptions {
  /** Base DNS domain for the public hosts. */
  readonly domain?: string;
  /** Namespace of Grafana and Prometheus (kube-prometheus-stack). */
  readonly monitoringNamespace?: string;
  /** Deliver to grafana-operator instead of the Grafana chart's sidecar. */
  readonly grafanaOperator?: boolean;
}

/** What the wiring created, for tests and for users who extend it. */
export interface GrafanaWiring {
  readonly ingressCharts: Chart[];
  readonly grafana: Chart;
  readonly prometheusPatch: Chart;
  readonly datasources: TracingDatasources;
}

/**
 * Exposes and wires the tracing stack already in `app`: the Tempo (required),
 * and the collector tier and Jaeger when present.
 *
 * - `tracing-ingress`: Tempo's query API for a Grafana outside the cluster (nginx, cert-manager, basic auth)
 *   and, with Jaeger, the Jaeger UI behind an OAuth2 proxy.
 * - `otlp-ingress`: OTLP HTTP and gRPC for senders outside the cluster, into the collector gateway
 *   (or Tempo's own receivers when there is no collector), basic auth.
 * - `grafana-wiring` (monitoring namespace): datasources with exemplar, trace/log and trace/metrics
 *   links checked at synth time; pipeline and service dashboards; the PrometheusRule with the pipeline alerts.
 * - `prometheus-tracing-patch`: exemplar storage and the remote-write receiver on the operator's
 *   Prometheus, to apply with `kubectl apply --server-side --field-manager=cdk-tracing`.
 *
 * The Prometheus remote-write URL Tempo's metrics-generator uses and the one this
 * wiring reads come from one `PrometheusEndpoint`; TracingDatasources refuses to
 * synthesize when they differ.
 */
export function addGrafanaWiring(app: App, tempo: Tempo, options: GrafanaWiringOptions = {},
  extras: { collector?: TracingCollector; jaeger?: Jaeger } = {}): GrafanaWiring {
  const domain = options.domain ?? 'tracing.example.com';
  const monitoring = options.monitoringNamespace ?? 'monitoring';
  const prometheus = PrometheusEndpoint.inCluster({ namespace: monitoring });
  const nginx = IngressController.nginx();
  const letsEncrypt = CertificateIssuer.clusterIssuer('letsencrypt-prod');
  const ingressCharts: Chart[] = [];

  // Tempo's (and Jaeger's) namespace: an Ingress routes only to Services in its own namespace.
  const backendChart = new Chart(app, 'tracing-ingress', { namespace: tempo.namespace, disableResourceNameHashes: true });
  ingressCharts.push(backendChart);
  new TracingIngress(backendChart, 'TempoQuery', {
    host: `tempo.${domain}`,
    backend: IngressBackend.tempoQueryApi(tempo),
    controller: nginx,
    tls: IngressTls.certManager({ issuer: letsEncrypt }),
    auth: IngressAuth.basicAuth({ secretName: 'tempo-query-basic-auth' }),
  });
  if (extras.jaeger) {
    const jaegerChart = extras.jaeger.namespace === tempo.namespace ? backendChart
      : new Chart(app, 'jaeger-ingress', { namespace: extras.jaeger.namespace, disableResourceNameHashes: true });
    if (jaegerChart !== backendChart) ingressCharts.push(jaegerChart);
    new TracingIngress(jaegerChart, 'JaegerUi', {
      host: `jaeger.${domain}`,
      backend: IngressBackend.jaegerUi(JaegerQuery.fromJaeger(extras.jaeger)),
      controller: nginx,
      tls: IngressTls.certManager({ issuer: letsEncrypt }),
      auth: IngressAuth.oauth2Proxy({
        authUrl: 'http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth',
        signinUrl: `https://auth.${domain}/oauth2/start?rd=$scheme://$host$escaped_request_uri`,
      }),
    });
  }

  // OTLP for senders outside the cluster: into the collector gateway, so they get the same processing.
  const receiver = extras.collector ? OtlpReceiver.fromCollectorGateway(extras.collector) : OtlpReceiver.fromTempo(tempo);
  const otlpChart = new Chart(app, 'otlp-ingress', { namespace: receiver.namespace, disableResourceNameHashes: true });
  ingressCharts.push(otlpChart);
  const otlpAuth = IngressAuth.basicAuth({ secretName: 'otlp-basic-auth', realm: 'OTLP' });
  new TracingIngress(otlpChart, 'OtlpHttp', {
    host: `otlp.${domain}`, backend: IngressBackend.otlpHttp(receiver), controller: nginx,
    tls: IngressTls.certManager({ issuer: letsEncrypt }), auth: otlpAuth,
  });
  new TracingIngress(otlpChart, 'OtlpGrpc', {
    host: `otlp-grpc.${domain}`, backend: IngressBackend.otlpGrpc(receiver), controller: nginx,
    tls: IngressTls.certManager({ issuer: letsEncrypt }), auth: otlpAuth,
  });

  const grafana = new Chart(app, 'grafana-wiring', { namespace: monitoring, disableResourceNameHashes: true });
  const delivery = options.grafanaOperator
    ? GrafanaDelivery.operator({ instanceSelector: { dashboards: 'grafana' } })
    : GrafanaDelivery.sidecar();
  const datasources = new TracingDatasources(grafana, 'Datasources', {
    delivery,
    tempo: { target: tempo, tenant: tempo.multitenancy ? 'single-tenant' : undefined },
    ...(extras.jaeger ? { jaeger: { target: extras.jaeger } } : {}),
    prometheus: { endpoint: prometheus },
    loki: { url: 'http://loki-gateway.logging.svc.cluster.local' },
  });
  // The components the dashboards and alerts read; each must be scraped (its own monitor), or they refuse to synthesize.
  const sources = { collector: extras.collector, tempo, jaeger: extras.jaeger };
  new TracingDashboards(grafana, 'Dashboards', { datasources, delivery, ...sources });
  new TracingAlerts(grafana, 'Alerts', {
    ...sources,
    spanMetrics: datasources.spanMetrics,
    ruleLabels: { release: 'kube-prometheus-stack' },
  });

  const prometheusPatch = new Chart(app, 'prometheus-tracing-patch', { namespace: monitoring, disableResourceNameHashes: true });
  new PrometheusTracingPatch(prometheusPatch, 'Prometheus', { prometheusName: 'kube-prometheus-stack-prometheus' });
  return { ingressCharts, grafana, prometheusPatch, datasources };
}

/**
 * The registered example: wires the Tempo of the default example (and the collector tier, when its
 * example ran first) to Grafana, Prometheus and the outside world.
 */
export function buildGrafanaWiring(app: App): GrafanaWiring {
  const all = app.node.findAll();
  const tempo = all.find((c): c is Tempo => c instanceof Tempo);
  if (!tempo) {
    throw new Error('[examples/grafana-wiring] no Tempo construct in the app (got none); build the Tempo example (buildTempoGitOps) before this one');
  }
  const collector = all.find((c): c is TracingCollector => c instanceof TracingCollector);
  const jaeger = all.find((c): c is Jaeger => c instanceof Jaeger);
  return addGrafanaWiring(app, tempo, {}, { collector, jaeger });
}
