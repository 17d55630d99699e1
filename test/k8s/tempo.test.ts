import { App, Chart, Testing } from 'cdk8s';
import { Retention, Tempo, TempoChart, TempoChartProps, TEMPO_RECEIVER_PORTS } from '../../lib/k8s';
import { restrictedViolations } from '../helpers/pod-security';
import { expectValidManifests, K8sObject } from '../helpers/schema';
import { configMapYaml, findObject, synthChart } from '../helpers/synth';
import { tenantBlockProblems, unknownTempoKeys, unknownTempoOverrideKeys } from '../helpers/tempo-keys';

const storage = { bucketName: 'traces-bucket', region: 'eu-west-1' };

function synth(props: Partial<TempoChartProps> = {}): K8sObject[] {
  const app = Testing.app();
  const chart = new TempoChart(app, 'tempo', { namespace: 'tracing', storage, ...props });
  return synthChart(chart);
}

const full: Partial<TempoChartProps> = {
  retention: Retention.days(10),
  multitenancy: true,
  tenants: [
    { id: 'team-payments', retention: Retention.days(30), limits: { ingestionRateLimitBytes: 50_000_000, ingestionBurstSizeBytes: 60_000_000 } },
    { id: 'team-search' },
  ],
  limits: { maxTracesPerUser: 20_000 },
  metricsGenerator: { remoteWriteUrl: 'http://prometheus.monitoring:9090/api/v1/write', externalLabels: { cluster: 'prod' } },
  storageClassName: 'gp3',
};

describe('Tempo (monolithic, Kubernetes)', () => {
  test('snapshot: default', () => {
    expect(synth()).toMatchSnapshot();
  });

  test('snapshot: multi-tenant with metrics-generator', () => {
    expect(synth(full)).toMatchSnapshot();
  });

  test.each([['default', {}], ['full', full]])('every object validates against the strict 1.28 schemas (%s)', (_name, props) => {
    expectValidManifests(synth(props as Partial<TempoChartProps>));
  });

  test.each([['default', {}], ['full', full]])('every pod template meets Pod Security Standard "restricted" (%s)', (_name, props) => {
    expect(restrictedViolations(synth(props as Partial<TempoChartProps>))).toEqual([]);
  });

  test.each([['default', {}], ['full', full]])('every key of tempo.yaml and overrides.yaml exists in Tempo 3.0.3 (%s)', (_name, props) => {
    const objects = synth(props as Partial<TempoChartProps>);
    expect(unknownTempoKeys(configMapYaml(objects, 'tempo-config', 'tempo.yaml'))).toEqual([]);
    const cm = findObject(objects, 'ConfigMap', 'tempo-config') as any;
    if (cm.data['overrides.yaml']) {
      expect(unknownTempoOverrideKeys(configMapYaml(objects, 'tempo-config', 'overrides.yaml'))).toEqual([]);
    }
  });

  test.each([['default', {}], ['full', full]])('the defaults block and every tenant block keep Tempo\'s built-in defaults for what we do not set (%s)', (_name, props) => {
    const objects = synth(props as Partial<TempoChartProps>);
    const cm = findObject(objects, 'ConfigMap', 'tempo-config') as any;
    const blocks = [configMapYaml(objects, 'tempo-config', 'tempo.yaml').overrides.defaults,
      ...Object.values(cm.data['overrides.yaml'] ? configMapYaml(objects, 'tempo-config', 'overrides.yaml').overrides : {})];
    expect(blocks.length).toBe(props === full ? 3 : 1);
    for (const block of blocks) expect(tenantBlockProblems(block as Record<string, unknown>)).toEqual([]);
  });

  test('receiver ports in tempo.yaml equal the Service and container ports, all bound to 0.0.0.0', () => {
    const objects = synth();
    const config = configMapYaml(objects, 'tempo-config', 'tempo.yaml');
    const receivers = config.distributor.receivers;
    const endpoints: string[] = [
      receivers.otlp.protocols.grpc.endpoint, receivers.otlp.protocols.http.endpoint,
      receivers.jaeger.protocols.grpc.endpoint, receivers.jaeger.protocols.thrift_http.endpoint,
      receivers.jaeger.protocols.thrift_compact.endpoint, receivers.jaeger.protocols.thrift_binary.endpoint,
      receivers.zipkin.endpoint,
    ];
    for (const e of endpoints) expect(e).toMatch(/^0\.0\.0\.0:\d+$/);
    const configPorts = endpoints.map((e) => Number(e.split(':')[1])).sort();
    const service = findObject(objects, 'Service', 'tempo') as any;
    const servicePorts = service.spec.ports.map((p: any) => p.port);
    const container = (findObject(objects, 'StatefulSet', 'tempo') as any).spec.template.spec.containers[0];
    const containerPorts = new Map<string, any>(container.ports.map((p: any) => [p.name, p]));
    for (const port of configPorts) expect(servicePorts).toContain(port);
    // Every Service port targets a named container port with the same number and protocol.
    for (const sp of service.spec.ports) {
      const cp = containerPorts.get(sp.targetPort);
      expect(cp).toBeDefined();
      expect(cp.containerPort).toBe(sp.port);
      expect(cp.protocol).toBe(sp.protocol);
    }
    // Jaeger compact and binary are UDP.
    expect(service.spec.ports.filter((p: any) => p.protocol === 'UDP').map((p: any) => p.port).sort()).toEqual([6831, 6832]);
    expect(config.server.http_listen_port).toBe(3200);
    expect(servicePorts).toContain(3200);
    expect(configPorts).toEqual(TEMPO_RECEIVER_PORTS.map((r) => r.port).sort());
  });

  test('retention drives both block_retention keys and every tenant block, which repeats every default field', () => {
    const objects = synth(full);
    const config = configMapYaml(objects, 'tempo-config', 'tempo.yaml');
    expect(config.backend_worker.compaction.block_retention).toBe('240h');
    expect(config.backend_scheduler.provider.compaction.compaction.block_retention).toBe('240h');
    expect(config.overrides.defaults.compaction.block_retention).toBe('240h');
    expect(config.overrides.per_tenant_override_config).toBe('/conf/overrides.yaml');
    const overrides = configMapYaml(objects, 'tempo-config', 'overrides.yaml').overrides;
    expect(overrides['team-payments'].compaction.block_retention).toBe('720h');
    expect(overrides['team-search'].compaction.block_retention).toBe('240h');
    expect(overrides['team-payments'].ingestion.rate_limit_bytes).toBe(50_000_000);
    // Tenant blocks replace defaults in Tempo: they must carry the same fields as defaults.
    const shape = (o: any): string[] => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? shape(v).map((s) => `${k}.${s}`) : [k])).sort();
    for (const tenant of Object.values(overrides)) expect(shape(tenant)).toEqual(shape(config.overrides.defaults));
    expect(overrides['team-search'].ingestion.max_traces_per_user).toBe(20_000);
    expect(config.multitenancy_enabled).toBe(true);
  });

  test('default retention is 14 days', () => {
    const config = configMapYaml(synth(), 'tempo-config', 'tempo.yaml');
    expect(config.backend_worker.compaction.block_retention).toBe('336h');
  });

  test('StatefulSet: one replica, a PVC template mounted on /var/tempo, probes on /ready, UID 10001, GOMEMLIMIT below the limit', () => {
    const sts = findObject(synth({ storageSize: '50Gi', storageClassName: 'gp3' }), 'StatefulSet', 'tempo') as any;
    expect(sts.spec.replicas).toBe(1);
    const claim = sts.spec.volumeClaimTemplates[0];
    expect(claim.metadata.name).toBe('data');
    expect(claim.spec.resources.requests.storage).toBe('50Gi');
    expect(claim.spec.storageClassName).toBe('gp3');
    const pod = sts.spec.template.spec;
    const container = pod.containers[0];
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/tempo' });
    expect(pod.volumes.map((v: any) => v.name)).not.toContain('data');
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(container.startupProbe.httpGet.path).toBe('/ready');
    expect(pod.securityContext.runAsUser).toBe(10001);
    expect(pod.securityContext.fsGroup).toBe(10001);
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    expect(env.GOMEMLIMIT).toBe('3481MiB'); // 85% of 4Gi
    expect(parseInt(env.GOMEMLIMIT, 10)).toBeLessThan(4096);
    expect(env.AWS_REGION).toBe('eu-west-1');
    expect(container.image).toBe('docker.io/grafana/tempo:3.0.3');
  });

  test('an image upgrade changes only mutable StatefulSet fields (selector and volumeClaimTemplates are immutable)', () => {
    const sts = (image?: string) => (findObject(synth(image ? { image } : {}), 'StatefulSet', 'tempo') as any).spec;
    const before = sts();
    const after = sts('docker.io/grafana/tempo:3.0.4');
    expect(after.template.metadata.labels['app.kubernetes.io/version']).toBe('3.0.4');
    // The API server rejects any update of these: "updates to statefulset spec for fields other than ... are forbidden".
    expect(after.volumeClaimTemplates).toEqual(before.volumeClaimTemplates);
    expect(after.selector).toEqual(before.selector);
    expect(after.serviceName).toEqual(before.serviceName);
    expect(after.volumeClaimTemplates[0].metadata.labels['app.kubernetes.io/instance']).toBe('tempo');
  });

  test('config change rolls the pod: the checksum annotation follows the config', () => {
    const checksum = (props: Partial<TempoChartProps>) =>
      (findObject(synth(props), 'StatefulSet', 'tempo') as any).spec.template.metadata.annotations['checksum/config'];
    expect(checksum({})).toBe(checksum({}));
    expect(checksum({ retention: Retention.days(7) })).not.toBe(checksum({}));
  });

  test('memberlist cluster label is unique per install', () => {
    const config = configMapYaml(synth({ name: 'tempo-eu' }), 'tempo-eu-config', 'tempo.yaml');
    expect(config.memberlist.cluster_label).toBe('tempo-eu.tracing');
  });

  test('NetworkPolicy admits the Service ports only, from the allowed namespaces', () => {
    const objects = synth({ allowedNamespaces: ['apps', 'monitoring'] });
    const np = findObject(objects, 'NetworkPolicy', 'tempo') as any;
    const service = findObject(objects, 'Service', 'tempo') as any;
    const [publicRule, gossipRule] = np.spec.ingress;
    expect(publicRule.ports.map((p: any) => `${p.port}/${p.protocol}`).sort())
      .toEqual(service.spec.ports.map((p: any) => `${p.port}/${p.protocol}`).sort());
    expect(publicRule.from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual(['apps', 'monitoring']);
    expect(gossipRule.ports).toEqual([{ port: 7946, protocol: 'TCP' }]);
    expect(np.spec.podSelector.matchLabels).toEqual(service.spec.selector);
  });

  test('standard labels on every object', () => {
    for (const obj of synth()) {
      if (obj.kind === 'Namespace') continue;
      expect(Object.keys(obj.metadata?.labels ?? {})).toEqual(expect.arrayContaining([
        'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component',
        'app.kubernetes.io/version', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by']));
    }
  });

  test('namespace is created with the restricted Pod Security Standard enforced and no namespace of its own', () => {
    const ns = findObject(synth(), 'Namespace', 'tracing') as any;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(synth({ createNamespace: false }).some((o) => o.kind === 'Namespace')).toBe(false);
  });

  test('metrics-generator remote-writes with exemplars and is enabled for every tenant', () => {
    const objects = synth(full);
    const config = configMapYaml(objects, 'tempo-config', 'tempo.yaml');
    expect(config.metrics_generator.storage.remote_write).toEqual([{ url: 'http://prometheus.monitoring:9090/api/v1/write', send_exemplars: true }]);
    expect(config.metrics_generator.storage.path.startsWith('/var/tempo/')).toBe(true);
    expect(config.overrides.defaults.metrics_generator.processors).toEqual(['service-graphs', 'span-metrics']);
    const overrides = configMapYaml(objects, 'tempo-config', 'overrides.yaml').overrides;
    for (const t of Object.values<any>(overrides)) expect(t.metrics_generator.processors).toEqual(['service-graphs', 'span-metrics']);
  });

  test('endpoints computed for clients', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'obs' });
    const tempo = new Tempo(chart, 'Tempo', { storage });
    expect(tempo.otlpGrpcEndpoint).toBe('tempo.obs.svc.cluster.local:4317');
    expect(tempo.otlpHttpEndpoint).toBe('http://tempo.obs.svc.cluster.local:4318');
    expect(tempo.queryUrl).toBe('http://tempo.obs.svc.cluster.local:3200');
  });

  test('a chart without namespace is rejected with the fix', () => {
    const app = new App();
    const chart = new Chart(app, 'nons');
    expect(() => new Tempo(chart, 'Tempo', { storage })).toThrow(/\[nons\/Tempo\] the chart holding Tempo has no namespace.*namespace: "tracing"/);
  });
});
