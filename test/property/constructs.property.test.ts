// Property-based tests (issue 13): for every public construct, thousands of generated prop combinations
// (valid, edge and invalid) must each either throw our configuration error (path, value, fix) or
// synthesize output that passes every checker (test/property/oracle.ts). `npm test` runs a short pass;
// CDK_TRACING_PROPERTY_RUNS=<n> runs n combinations per construct, CDK_TRACING_PROPERTY_SEED=<seed>
// replays one reported failure (see test/property/README.md).
import { App, Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { SamplingStrategy, TraceSampling } from '../../lib/core';
import {
  CertificateIssuer, CollectorBackend, CollectorSamplingMode, ElasticsearchCluster, ExtraPropagator, LokiTraceIdMatcher, OtelInstrumentation, PrometheusEndpoint,
  PrometheusTracingPatch, TracingDatasources, IngressAuth, IngressBackend, IngressController, IngressTls, JaegerChart,
  JaegerIndexRotation, JaegerStorage, OtlpReceiver, TempoChart, TempoDeploymentMode, TempoKafka, TracingCollectorChart, TracingIngress,
} from '../../lib/k8s';
import { K8sObject } from '../helpers/schema';
import {
  bucketName, dnsLabelValue, httpUrl, int, labelMap, logLevel, maybe, mixed, name, namespaces, quantity, region, resources, retention, weirdNumber, weirdString,
} from './arbitraries';
import { judge, Outcome, refusals, runs, seed } from './oracle';

const outcomes: Record<string, Record<Outcome, number>> = {};
function property<T>(id: string, arb: fc.Arbitrary<T>, build: (value: T) => K8sObject[], shortRuns: number): void {
  outcomes[id] = { refused: 0, synthesized: 0 };
  fc.assert(fc.property(arb, (value) => { outcomes[id][judge(() => build(value))]++; }), { numRuns: runs(shortRuns), seed: seed(), endOnFailure: true });
}

afterAll(() => {
  // Shows that both outcomes are reached: a generator that only produces refused props tests little.
  if (process.env.CDK_TRACING_PROPERTY_RUNS) {
    const top = [...refusals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([r, n]) => `${n}\t${r}`);
    // eslint-disable-next-line no-console
    console.log(`${JSON.stringify(outcomes)}\nmost frequent refusals:\n${top.join('\n')}`);
  }
});

const limits = maybe(fc.record({
  ingestionRateLimitBytes: maybe(int(1, 100_000_000)),
  ingestionBurstSizeBytes: maybe(int(1, 200_000_000)),
  maxTracesPerUser: maybe(int(1, 100_000)),
  maxBytesPerTrace: maybe(int(1, 50_000_000)),
}, { requiredKeys: [] }));

const tenantId = mixed(fc.constantFrom('storefront', 'payments', 'team-a', 'x'), weirdString, fc.constantFrom('overrides', '.', '..', 'a'.repeat(151)));

const kafka = fc.oneof(
  fc.record({
    clusterName: maybe(name), brokers: maybe(int(1, 6)), replicationFactor: maybe(int(1, 4)), minInsyncReplicas: maybe(int(1, 3)),
    retentionMinutes: maybe(int(30, 3000)), maxMessageBytes: maybe(int(15_000_000, 20_000_000)), storageSize: maybe(quantity),
    storageClassName: maybe(name), resources, kafkaVersion: maybe(mixed(fc.constantFrom('4.1.0', '4.0.0'), weirdString)), topic: maybe(name),
  }, { requiredKeys: [] }).map((o) => TempoKafka.strimzi(o as any)),
  fc.record({
    bootstrapServer: mixed(fc.constantFrom('kafka-bootstrap.kafka.svc:9092', 'b-1.msk:9092'), weirdString, fc.constantFrom('a:1,b:2', 'kafka://x:9092')),
    topic: maybe(name),
    saslPlain: maybe(fc.record({ secretName: name, usernameKey: maybe(name), passwordKey: maybe(name) }, { requiredKeys: ['secretName'] })),
  }, { requiredKeys: ['bootstrapServer'] }).map((o) => TempoKafka.external(o as any)),
);

const deploymentMode = maybe(fc.oneof(
  { weight: 2, arbitrary: fc.constant(TempoDeploymentMode.monolithic()) },
  { weight: 1, arbitrary: fc.record({ ingestBytesPerSecond: int(1, 300_000_000), kafka }).map((o) => TempoDeploymentMode.microservices(o as any)) },
));

const tempoProps = fc.record({
  namespace: name,
  createNamespace: maybe(fc.boolean()),
  storage: fc.record({
    bucketName, region,
    prefix: maybe(mixed(fc.constantFrom('tempo', 'traces/tempo'), weirdString, fc.constantFrom('/x', 'x/', 'a*', 'a/../b'))),
    endpoint: maybe(mixed(fc.constantFrom('minio.storage:9000', 's3.eu-west-1.amazonaws.com'), weirdString, fc.constantFrom('https://minio:9000'))),
    insecure: maybe(fc.boolean()), forcePathStyle: maybe(fc.boolean()),
  }, { requiredKeys: ['bucketName', 'region'] }),
  name: maybe(name),
  retention: maybe(retention),
  multitenancy: maybe(fc.boolean()),
  tenants: maybe(fc.array(fc.record({ id: tenantId, retention: maybe(retention), limits }, { requiredKeys: ['id'] }), { maxLength: 3 })),
  limits,
  metricsGenerator: maybe(fc.record({ remoteWriteUrl: httpUrl, serviceGraphs: maybe(fc.boolean()), spanMetrics: maybe(fc.boolean()), externalLabels: maybe(labelMap) }, { requiredKeys: ['remoteWriteUrl'] })),
  allowedNamespaces: namespaces,
  logLevel,
  storageSize: maybe(quantity),
  storageClassName: maybe(name),
  resources,
  serviceAccountAnnotations: maybe(labelMap),
  deploymentMode,
}, { requiredKeys: ['namespace', 'storage'] });

function tempoChart(props: unknown, app: App = Testing.app()): TempoChart {
  return new TempoChart(app, 'tempo', props as any);
}

describe('property: every public construct throws our error or synthesizes valid output', () => {
  test('TempoChart / Tempo / TempoMicroservices / StrimziKafkaCluster', () => {
    property('TempoChart', tempoProps, (p) => tempoChart(p).toJson() as K8sObject[], 40);
  });

  const url = mixed(
    fc.constantFrom('https://es-http.tracing.svc:9200', 'https://search.example.com', 'http://es.tracing.svc:9200', 'https://vpc-x.eu-west-1.es.amazonaws.com'),
    weirdString, fc.constantFrom('es:9200', 'https://user:pw@es:9200', 'https://es/path'),
  );
  const backendOptions = fc.record({
    serverUrls: mixed(fc.array(url, { minLength: 1, maxLength: 2 }), fc.constant([])),
    basicAuth: maybe(fc.record({ secretName: name, usernameKey: maybe(name), username: maybe(mixed(fc.constant('elastic'), weirdString)), passwordKey: maybe(name) }, { requiredKeys: ['secretName'] })),
    sigv4: maybe(fc.record({ region, service: maybe(mixed(fc.constantFrom('es', 'aoss'), weirdString)) }, { requiredKeys: ['region'] })),
    tls: maybe(fc.record({ caSecretName: maybe(name), caKey: maybe(name), serverName: maybe(name), insecureSkipVerify: maybe(fc.boolean()) }, { requiredKeys: [] })),
    unauthenticatedReason: maybe(mixed(fc.constant('dev cluster with security disabled'), weirdString)),
  }, { requiredKeys: ['serverUrls'] });
  const storage = fc.oneof(
    fc.tuple(backendOptions, maybe(int(8, 9))).map(([o, v]) => JaegerStorage.elasticsearch({ ...(o as any), majorVersion: v })),
    backendOptions.map((o) => JaegerStorage.opensearch(o as any)),
  );
  const cron = mixed(fc.constantFrom('55 23 * * *', '10 0 * * *', '0 23 * * 1'), weirdString);
  const esUnit = mixed(fc.constantFrom('1d', '12h', '6h', '90m'), weirdString);
  const rotation = maybe(fc.oneof(
    fc.record({ indexCleaner: maybe(fc.boolean()), cleanerSchedule: maybe(cron) }, { requiredKeys: [] }).map((o) => JaegerIndexRotation.daily(o)),
    fc.record({ maxAge: maybe(esUnit), rolloverSchedule: maybe(cron), cleanupSchedule: maybe(cron) }, { requiredKeys: [] }).map((o) => JaegerIndexRotation.rollover(o)),
    fc.record({ policyName: maybe(name), maxAge: maybe(esUnit), managePolicy: maybe(fc.boolean()) }, { requiredKeys: [] }).map((o) => JaegerIndexRotation.lifecyclePolicy(o)),
  ));
  const ratio = mixed(fc.double({ min: 0, max: 1, noNaN: true }), weirdNumber);
  const sampling = maybe(fc.oneof(
    fc.constant(TraceSampling.keepAll()),
    fc.record({
      baselineRatio: maybe(ratio), keepErrors: maybe(fc.boolean()), latencyThresholdMs: maybe(int(1, 60_000)),
      services: maybe(fc.array(fc.record({
        service: name,
        strategy: fc.oneof(ratio.map((r) => SamplingStrategy.probabilistic(r)), weirdNumber.map((m) => SamplingStrategy.timesBaseline(m as number)), int(1, 1000).map((t) => SamplingStrategy.rateLimiting(t))),
      }), { maxLength: 2 })),
      defaultOperations: maybe(fc.array(fc.record({ operation: mixed(fc.constantFrom('GET /healthz', '/metrics'), weirdString), ratio }), { maxLength: 2 })),
      maxSpansPerSecond: maybe(int(1, 100_000)),
    }, { requiredKeys: [] }).map((o) => TraceSampling.of(o as any)),
  ));
  const scaling = maybe(fc.record({ minReplicas: maybe(int(1, 5)), maxReplicas: maybe(int(1, 10)), targetCpuUtilization: maybe(int(1, 100)), resources }, { requiredKeys: [] }));

  test('JaegerChart / Jaeger', () => {
    const props = fc.record({
      namespace: name, storage, name: maybe(name), retention: maybe(retention), indexPrefix: maybe(mixed(fc.constantFrom('prod', 'dev1'), weirdString)),
      indexRotation: rotation, spanShards: maybe(int(1, 10)), indexReplicas: maybe(int(0, 3)),
      collector: scaling, query: maybe(fc.record({ replicas: maybe(int(1, 4)), basePath: maybe(mixed(fc.constantFrom('/', '/jaeger'), weirdString)), resources }, { requiredKeys: [] })),
      legacyReceivers: maybe(fc.boolean()), sampling,
      dependencies: maybe(fc.record({ schedule: maybe(cron), resources }, { requiredKeys: [] })),
      allowedNamespaces: namespaces, logLevel, serviceAccountAnnotations: maybe(labelMap),
    }, { requiredKeys: ['namespace', 'storage'] });
    property('JaegerChart', props, (p) => new JaegerChart(Testing.app(), 'jaeger', p as any).toJson() as K8sObject[], 40);
  });

  test('TracingCollectorChart / TracingCollector', () => {
    const props = fc.record({
      backendKind: fc.constantFrom('tempo', 'external', 'receiver'),
      endpoint: mixed(fc.constantFrom('tempo.tracing.svc.cluster.local:4317', 'otlp.example.com:443'), weirdString, fc.constantFrom('http://x:4317', 'x')),
      tenant: maybe(tenantId), insecure: maybe(fc.boolean()), headers: maybe(labelMap), tempoMultitenancy: fc.boolean(),
      chart: fc.record({
        namespace: name, name: maybe(name), sampling, samplingMode: maybe(mixed(fc.constantFrom(CollectorSamplingMode.TAIL, CollectorSamplingMode.HEAD, CollectorSamplingMode.NONE), weirdString)),
        remoteSampling: maybe(fc.boolean()),
        traffic: maybe(fc.record({ tracesPerSecond: maybe(int(1, 100_000)), spansPerTrace: maybe(int(1, 500)), p99TraceDurationSeconds: maybe(int(1, 120)), averageSpanBytes: maybe(int(64, 10_000)) }, { requiredKeys: [] })),
        agent: maybe(fc.record({ resources, image: maybe(mixed(fc.constant('otel/opentelemetry-collector-k8s:0.159.0'), weirdString)), resourceDetectors: maybe(fc.array(mixed(fc.constantFrom('env', 'k8s_api', 'eks', 'gcp'), weirdString), { maxLength: 3 })) }, { requiredKeys: [] })),
        gateway: scaling, sampler: maybe(fc.record({ minReplicas: maybe(int(1, 5)), maxReplicas: maybe(int(1, 10)), queueVolumeSize: maybe(quantity), storageClassName: maybe(name), resources }, { requiredKeys: [] })),
        serviceMonitor: maybe(fc.record({ labels: maybe(labelMap), interval: maybe(mixed(fc.constantFrom('30s', '1m'), weirdString)) }, { requiredKeys: [] })),
        logLevel,
      }, { requiredKeys: ['namespace'] }),
    });
    property('TracingCollectorChart', props, (p) => {
      const app = Testing.app();
      let backend: CollectorBackend;
      if (p.backendKind === 'tempo') {
        const tempo = tempoChart({ namespace: 'tracing', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' }, multitenancy: p.tempoMultitenancy }, app).tempo;
        backend = CollectorBackend.tempo(tempo, { tenant: p.tenant });
      } else if (p.backendKind === 'receiver') {
        backend = CollectorBackend.receiver({ otlpGrpcEndpoint: p.endpoint, multitenancy: p.tempoMultitenancy }, { tenant: p.tenant });
      } else {
        backend = CollectorBackend.external(p.endpoint, { insecure: p.insecure, headers: p.headers });
      }
      const chart = new TracingCollectorChart(app, 'collector', { ...(p.chart as any), backend });
      return [...(p.backendKind === 'tempo' ? app.charts.filter((c) => c !== chart).flatMap((c) => c.toJson()) : []), ...chart.toJson()] as K8sObject[];
    }, 30);
  });

  test('TracingIngress', () => {
    const arn = mixed(fc.constant('arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666'), weirdString);
    const props = fc.record({
      host: mixed(fc.constantFrom('tempo.example.com', 'otlp.example.com', '*.example.com'), weirdString, fc.constantFrom('https://x.com/', 'x')),
      backend: fc.constantFrom('tempoQueryApi', 'otlpHttp', 'otlpGrpc'),
      controller: fc.oneof(
        fc.record({ className: maybe(name), namespace: maybe(name), podLabels: maybe(labelMap) }, { requiredKeys: [] }).map((o) => IngressController.nginx(o as any)),
        fc.record({ className: maybe(name), vpcCidrs: mixed(fc.constant(['10.0.0.0/16']), fc.constant([]), fc.array(weirdString, { maxLength: 2 })), internetFacing: maybe(fc.boolean()), groupName: maybe(name), sslPolicy: maybe(mixed(fc.constant('ELBSecurityPolicy-TLS13-1-2-2021-06'), weirdString)) }, { requiredKeys: ['vpcCidrs'] })
          .map((o) => IngressController.awsLoadBalancer(o as any)),
      ),
      tls: fc.oneof(
        fc.record({ issuer: fc.oneof(name.map((n) => CertificateIssuer.clusterIssuer(n)), name.map((n) => CertificateIssuer.issuer(n))), secretName: maybe(name), viaIngressAnnotation: maybe(fc.boolean()) }, { requiredKeys: ['issuer'] })
          .map((o) => IngressTls.certManager(o)),
        name.map((n) => IngressTls.existingSecret(n)),
        arn.map((a) => IngressTls.acm(a)),
      ),
      auth: fc.oneof(
        fc.record({ secretName: name, realm: maybe(weirdString) }, { requiredKeys: ['secretName'] }).map((o) => IngressAuth.basicAuth(o)),
        fc.record({ authUrl: httpUrl, signinUrl: httpUrl, responseHeaders: maybe(fc.array(weirdString, { maxLength: 2 })) }, { requiredKeys: ['authUrl', 'signinUrl'] }).map((o) => IngressAuth.oauth2Proxy(o)),
        fc.record({ issuer: httpUrl, authorizationEndpoint: httpUrl, tokenEndpoint: httpUrl, userInfoEndpoint: httpUrl, secretName: name }).map((o) => IngressAuth.albOidc(o)),
        mixed(fc.constant('internal ALB reachable only through the VPN'), weirdString).map((r) => IngressAuth.unauthenticated(r)),
      ),
      name: maybe(name),
      hstsMaxAgeSeconds: maybe(int(300, 63_072_000)),
    });
    property('TracingIngress', props, (p) => {
      const app = Testing.app();
      const tempoChartInstance = tempoChart({ namespace: 'tracing', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' } }, app);
      const tempo = tempoChartInstance.tempo;
      const backend = p.backend === 'tempoQueryApi' ? IngressBackend.tempoQueryApi(tempo)
        : p.backend === 'otlpHttp' ? IngressBackend.otlpHttp(OtlpReceiver.fromTempo(tempo)) : IngressBackend.otlpGrpc(OtlpReceiver.fromTempo(tempo));
      const chart = new Chart(app, 'ingress', { namespace: 'tracing', disableResourceNameHashes: true });
      new TracingIngress(chart, 'Ingress', { ...p, backend } as any);
      return [...tempoChartInstance.toJson(), ...chart.toJson()] as K8sObject[];
    }, 60);
  });

  test('ElasticsearchCluster', () => {
    const props = fc.record({
      namespace: name,
      es: fc.record({
        name: maybe(name), image: maybe(mixed(fc.constant('docker.elastic.co/elasticsearch/elasticsearch:8.19.4'), weirdString)),
        nodeSets: maybe(fc.array(fc.record({
          name, count: maybe(int(1, 5)), storageSize: maybe(quantity), storageClassName: maybe(name), resources,
          roles: maybe(fc.array(mixed(fc.constantFrom('master', 'data', 'ingest'), weirdString), { maxLength: 3 })),
        }, { requiredKeys: ['name'] }), { maxLength: 2 })),
        jaegerUser: maybe(fc.record({ secretName: name, roleName: maybe(name), indexPattern: maybe(mixed(fc.constant('*jaeger-*'), weirdString)) }, { requiredKeys: ['secretName'] })),
        operatorNamespace: maybe(name), allowedNamespaces: namespaces,
      }, { requiredKeys: [] }),
    });
    property('ElasticsearchCluster', props, (p) => {
      const chart = new Chart(Testing.app(), 'es', { namespace: p.namespace, disableResourceNameHashes: true });
      new ElasticsearchCluster(chart, 'Es', p.es as any);
      return chart.toJson() as K8sObject[];
    }, 30);
  });

  test('OtelInstrumentation', () => {
    const props = fc.record({
      name: maybe(name), samplerRatio: maybe(mixed(fc.double({ min: 0, max: 1, noNaN: true }), weirdNumber)),
      extraPropagators: maybe(fc.array(mixed(fc.constantFrom(ExtraPropagator.B3, ExtraPropagator.B3_MULTI, ExtraPropagator.JAEGER, ExtraPropagator.XRAY), weirdString), { maxLength: 3 })),
      resourceAttributes: maybe(mixed(fc.dictionary(fc.constantFrom('deployment.environment.name', 'service.namespace'), dnsLabelValue, { maxKeys: 2 }), fc.dictionary(weirdString, weirdString, { maxKeys: 2 }))),
    }, { requiredKeys: [] });
    property('OtelInstrumentation', props, (p) => {
      const app = Testing.app();
      const chart = new TracingCollectorChart(app, 'collector', { namespace: 'observability', backend: CollectorBackend.external('otlp.example.com:443') });
      new OtelInstrumentation(chart, 'Instrumentation', { ...(p as any), collector: chart.collector });
      return chart.toJson() as K8sObject[];
    }, 15);
  });

  test('PrometheusTracingPatch', () => {
    const props = fc.record({
      namespace: name, prometheusName: name, exemplarsMaxSize: maybe(int(1, 10_000_000)), remoteWriteReceiver: maybe(fc.boolean()),
    }, { requiredKeys: ['namespace', 'prometheusName'] });
    property('PrometheusTracingPatch', props, (p) => {
      const chart = new Chart(Testing.app(), 'prom', { namespace: p.namespace, disableResourceNameHashes: true });
      new PrometheusTracingPatch(chart, 'Patch', p as any);
      return chart.toJson() as K8sObject[];
    }, 40);
  });

  test('TracingDatasources', () => {
    const uid = maybe(mixed(fc.constantFrom('tempo-main', 'prom', 'logs'), weirdString));
    const props = fc.record({
      tempo: maybe(fc.record({ multitenancy: fc.boolean(), tenant: maybe(tenantId), uid, streaming: maybe(fc.boolean()), generator: fc.boolean() })),
      jaeger: maybe(fc.record({ uid })),
      prometheus: maybe(fc.record({
        endpoint: fc.oneof(
          fc.record({ serviceName: maybe(name), namespace: maybe(name), port: maybe(int(1, 65535)) }, { requiredKeys: [] }).map((o) => PrometheusEndpoint.inCluster(o)),
          fc.record({ queryUrl: httpUrl, remoteWriteUrl: httpUrl }).map((o) => PrometheusEndpoint.fromUrls(o)),
        ),
        uid, isDefault: maybe(fc.boolean()), additionalExemplarTraceIdLabels: maybe(fc.array(mixed(fc.constantFrom('trace_id', 'traceId'), weirdString), { maxLength: 2 })),
      }, { requiredKeys: ['endpoint'] })),
      loki: maybe(fc.record({
        url: httpUrl, uid,
        traceIdMatcher: maybe(fc.oneof(mixed(fc.constant('trace_id'), weirdString).map((l) => LokiTraceIdMatcher.label(l)), mixed(fc.constant('traceID=(\\w+)'), weirdString).map((r) => LokiTraceIdMatcher.regex(r)))),
      }, { requiredKeys: ['url'] })),
      externalDatasourceUids: maybe(fc.array(mixed(fc.constant('elastic'), weirdString), { maxLength: 2 })),
      name: maybe(name),
    }, { requiredKeys: [] });
    property('TracingDatasources', props, (p) => {
      const app = Testing.app();
      const extra: K8sObject[] = [];
      let tempo: any;
      if (p.tempo) {
        const tc = tempoChart({
          namespace: 'tracing', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' }, multitenancy: p.tempo.multitenancy,
          ...(p.tempo.generator ? { metricsGenerator: { remoteWriteUrl: 'http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/write' } } : {}),
        }, app);
        extra.push(...(tc.toJson() as K8sObject[]));
        tempo = { target: tc.tempo, tenant: p.tempo.tenant, uid: p.tempo.uid, streaming: p.tempo.streaming };
      }
      let jaeger: any;
      if (p.jaeger) {
        const jc = new JaegerChart(app, 'jaeger', { namespace: 'jaeger', storage: JaegerStorage.elasticsearch({ serverUrls: ['http://es.jaeger.svc:9200'] }) });
        extra.push(...(jc.toJson() as K8sObject[]));
        jaeger = { target: jc.jaeger, uid: p.jaeger.uid };
      }
      const chart = new Chart(app, 'grafana', { namespace: 'monitoring', disableResourceNameHashes: true });
      new TracingDatasources(chart, 'Datasources', { ...(p as any), tempo, jaeger });
      return [...extra, ...chart.toJson()] as K8sObject[];
    }, 20);
  });

});

// Each failure the property runs found, kept as a regression case with the counterexample fast-check
// reported (seeds refer to the generators as they were when found; see test/property/README.md).
describe('property-found regressions', () => {
  test('seed 976641827: collector serviceMonitor.labels with a key Kubernetes refuses was written to the ServiceMonitor', () => {
    const app = Testing.app();
    const backend = CollectorBackend.receiver({ otlpGrpcEndpoint: 'tempo.tracing.svc.cluster.local:4317' });
    expect(judge(() => new TracingCollectorChart(app, 'collector', {
      namespace: 'w6qlgzv-atu', name: 'v', backend, serviceMonitor: { labels: { 'ünïcødé': 'x' } },
    }).toJson() as K8sObject[])).toBe('refused');
    expect(() => new TracingCollectorChart(Testing.app(), 'collector', { namespace: 'o', backend, serviceMonitor: { interval: 'soon' } }))
      .toThrow(/\[collector\/Collector\] serviceMonitor.interval is not a Prometheus duration \(got "soon"\)/);
  });

  test('seed -366344969: Tempo serviceAccountAnnotations with keys Kubernetes refuses were written to the ServiceAccount', () => {
    expect(judge(() => tempoChart({
      namespace: 'd-5', storage: { bucketName: 'tempo-traces', region: 'ap-southeast-2' }, serviceAccountAnnotations: { "IAadJ8'Ff": 'h>F' },
    }).toJson() as K8sObject[])).toBe('refused');
  });

  test('seed 670849232: OtelInstrumentation wrote any extraPropagators string into the Instrumentation, which its CRD refuses', () => {
    const chart = new TracingCollectorChart(Testing.app(), 'collector', { namespace: 'observability', backend: CollectorBackend.external('otlp.example.com:443') });
    expect(() => new OtelInstrumentation(chart, 'Instrumentation', { collector: chart.collector, extraPropagators: ['b3multi', '\u{10a6d}', 'b3'] as any }))
      .toThrow(/^\[collector\/Instrumentation\] extraPropagators holds a value that is not an ExtraPropagator \(got "\u{10a6d}"\); use "b3", "b3multi", "jaeger", "xray"/u);
  });

  test('Jaeger serviceAccountAnnotations are checked the same way', () => {
    const storage = JaegerStorage.elasticsearch({ serverUrls: ['http://es.tracing.svc:9200'] });
    expect(() => new JaegerChart(Testing.app(), 'jaeger', { namespace: 'tracing', storage, serviceAccountAnnotations: { 'a b': 'c' } }))
      .toThrow(/^\[jaeger\/Jaeger\] serviceAccountAnnotations holds an invalid annotation/);
  });
});
