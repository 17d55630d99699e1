import { Chart, Testing } from 'cdk8s';
import { buildTempoDistributed } from '../../examples/tempo-distributed/chart';
import {
  CollectorBackend, findLeakedTokens, ITempoQueryTarget, MB, Retention, Tempo, TempoChart, TempoChartProps, TempoDeploymentMode, TempoKafka,
  TempoMicroservicesOptions, sizeTempo,
} from '../../lib/k8s';
import { restrictedViolations, strimziPodTemplates } from '../helpers/pod-security';
import { expectValidManifests, K8sObject } from '../helpers/schema';
import { configMapYaml, findObject, synthChart } from '../helpers/synth';
import { tenantBlockProblems, unknownTempoKeys, unknownTempoOverrideKeys } from '../helpers/tempo-keys';

const storage = { bucketName: 'traces-bucket', region: 'eu-west-1' };
const KAFKA_CLIENTS = ['distributor', 'live-store', 'block-builder', 'metrics-generator'];

const strimzi = (o: Partial<TempoMicroservicesOptions> = {}) =>
  TempoDeploymentMode.microservices({ ingestBytesPerSecond: 50 * MB, kafka: TempoKafka.strimzi(), ...o });
const external = (o: Partial<TempoMicroservicesOptions> = {}) => TempoDeploymentMode.microservices({
  ingestBytesPerSecond: 50 * MB,
  kafka: TempoKafka.external({ bootstrapServer: 'kafka-bootstrap.kafka.svc.cluster.local:9092', topic: 'tempo-prod', saslPlain: { secretName: 'tempo-kafka' } }),
  ...o,
});

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
  allowedNamespaces: ['apps', 'monitoring'],
};

function synth(props: Partial<TempoChartProps> = {}): K8sObject[] {
  return synthChart(new TempoChart(Testing.app(), 'tempo', { namespace: 'tracing', storage, deploymentMode: strimzi(), ...props }));
}

function build(props: Partial<TempoChartProps> = {}): Tempo {
  return new TempoChart(Testing.app(), 'tempo', { namespace: 'tracing', storage, deploymentMode: strimzi(), ...props }).tempo;
}

const all = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind) as any[];
const component = (o: any) => o.metadata.labels['app.kubernetes.io/component'];
const workloads = (objects: K8sObject[]) => [...all(objects, 'Deployment'), ...all(objects, 'StatefulSet')];
const workload = (objects: K8sObject[], c: string) => {
  const found = workloads(objects).find((w) => component(w) === c);
  if (!found) throw new Error(`no workload for ${c}`);
  return found;
};
const container = (w: any) => w.spec.template.spec.containers[0];
const targetOf = (w: any) => container(w).args.find((a: string) => a.startsWith('-target='))?.slice('-target='.length);
const config = (objects: K8sObject[]) => configMapYaml(objects, 'tempo-config', 'tempo.yaml');

const variants: Array<[string, Partial<TempoChartProps>]> = [
  ['Strimzi, defaults', {}],
  ['Strimzi, multi-tenant with metrics-generator', full],
  ['external Kafka with SASL', { ...full, deploymentMode: external() }],
  ['200 MB/s', { deploymentMode: strimzi({ ingestBytesPerSecond: 200 * MB }) }],
];

describe('Tempo microservices mode (Kubernetes)', () => {
  test('snapshot: Strimzi Kafka, defaults', () => {
    expect(synth()).toMatchSnapshot();
  });

  test('snapshot: external Kafka, multi-tenant with metrics-generator', () => {
    expect(synth({ ...full, deploymentMode: external() })).toMatchSnapshot();
  });

  test.each(variants)('every object validates against the strict 1.28 and Strimzi v1 schemas (%s)', (_n, props) => {
    expectValidManifests(synth(props));
  });

  test.each(variants)('every pod template meets Pod Security Standard "restricted" (%s)', (_n, props) => {
    expect(restrictedViolations(synth(props))).toEqual([]);
  });

  test.each(variants)('every key of tempo.yaml and overrides.yaml exists in Tempo 3.0.3 (%s)', (_n, props) => {
    const objects = synth(props);
    expect(unknownTempoKeys(config(objects))).toEqual([]);
    const cm = findObject(objects, 'ConfigMap', 'tempo-config') as any;
    if (cm.data['overrides.yaml']) expect(unknownTempoOverrideKeys(configMapYaml(objects, 'tempo-config', 'overrides.yaml'))).toEqual([]);
    const tenants = cm.data['overrides.yaml'] ? configMapYaml(objects, 'tempo-config', 'overrides.yaml').overrides : {};
    for (const block of [config(objects).overrides.defaults, ...Object.values(tenants)]) expect(tenantBlockProblems(block as Record<string, unknown>)).toEqual([]);
  });

  test.each([10, 50, 55, 200])('invariants at %d MB/s: partitions >= live-stores = block-builders, one partition each, no HPA on them, one scheduler', (mbps) => {
    const objects = synth({ deploymentMode: strimzi({ ingestBytesPerSecond: mbps * MB }) });
    const topic = all(objects, 'KafkaTopic')[0];
    const liveStore = workload(objects, 'live-store');
    const blockBuilder = workload(objects, 'block-builder');
    expect(liveStore.kind).toBe('StatefulSet');
    expect(blockBuilder.kind).toBe('StatefulSet');
    expect(topic.spec.partitions).toBeGreaterThanOrEqual(liveStore.spec.replicas);
    expect(liveStore.spec.replicas).toBe(Math.ceil(mbps / 10));
    expect(blockBuilder.spec.replicas).toBe(liveStore.spec.replicas);
    expect(config(objects).block_builder).toEqual({ partitions_per_instance: 1 });
    // No HPA may target a StatefulSet, and none targets a live-store or block-builder by name.
    for (const hpa of all(objects, 'HorizontalPodAutoscaler')) {
      expect(hpa.spec.scaleTargetRef.kind).toBe('Deployment');
      expect([liveStore.metadata.name, blockBuilder.metadata.name]).not.toContain(hpa.spec.scaleTargetRef.name);
    }
    const schedulers = workloads(objects).filter((w) => targetOf(w) === 'backend-scheduler');
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0].kind).toBe('StatefulSet');
    expect(schedulers[0].spec.replicas).toBe(1);
    expect(all(objects, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name)).not.toContain(schedulers[0].metadata.name);
  });

  test('one -target per workload, every component once, all reading the one shared config', () => {
    const objects = synth(full);
    const targets = workloads(objects).map(targetOf);
    expect([...targets].sort()).toEqual(['backend-scheduler', 'backend-worker', 'block-builder', 'distributor', 'live-store',
      'metrics-generator', 'querier', 'query-frontend']);
    for (const w of workloads(objects)) {
      expect(targetOf(w)).toBe(component(w));
      expect(container(w).args).toContain('-config.file=/conf/tempo.yaml');
      expect(w.spec.template.spec.volumes.find((v: any) => v.name === 'config').configMap.name).toBe('tempo-config');
    }
    expect(config(objects).target).toBeUndefined();
    // The metrics-generator only runs when enabled.
    expect(workloads(synth()).map(targetOf)).not.toContain('metrics-generator');
  });

  test('retention keys are identical to monolithic, in tempo.yaml and in every tenant block', () => {
    const micro = synth(full);
    const mono = synth({ ...full, deploymentMode: TempoDeploymentMode.monolithic() });
    const pick = (c: any) => ({
      worker: c.backend_worker.compaction,
      scheduler: c.backend_scheduler.provider,
      defaults: c.overrides.defaults.compaction,
    });
    expect(pick(config(micro))).toEqual(pick(config(mono)));
    expect(config(micro).backend_worker.compaction.block_retention).toBe('240h');
    expect(configMapYaml(micro, 'tempo-config', 'overrides.yaml')).toEqual(configMapYaml(mono, 'tempo-config', 'overrides.yaml'));
  });

  test('switching monolithic -> microservices changes only what it must', () => {
    const micro = synth(full);
    const monoObjects = synth({ ...full, deploymentMode: TempoDeploymentMode.monolithic() });
    const a = config(monoObjects);
    const b = config(micro);
    // Keys added or changed by the distributed shape; everything else is the same object.
    const { target, ...monoRest } = a;
    expect(target).toBe('all');
    const { ingest, block_builder: bb, querier, live_store: ls, ...microRest } = b;
    expect(Object.keys(ingest)).toEqual(['kafka']);
    expect(bb).toEqual({ partitions_per_instance: 1 });
    expect(Object.keys(ls)).toEqual(['readiness_target_lag', 'readiness_max_wait']);
    const { leave_consumer_group_on_shutdown: leave, ...generator } = microRest.metrics_generator;
    expect(leave).toBe(true);
    microRest.metrics_generator = generator;
    expect(Object.keys(querier)).toEqual(['frontend_worker']);
    const { backend_scheduler_addr: addr, ...worker } = microRest.backend_worker;
    expect(addr).toBe('tempo-backend-scheduler.tracing.svc.cluster.local:9095');
    const { join_members: join, abort_if_cluster_join_fails: abort, ...memberlist } = microRest.memberlist;
    expect(join).toEqual(['dns+tempo-gossip-ring.tracing.svc.cluster.local:7946']);
    expect(abort).toBe(false);
    expect({ ...microRest, backend_worker: worker, memberlist }).toEqual(monoRest);

    // Objects that keep their identity: namespace, service account, the query Service's name and port.
    const same = (kind: string, name: string) => expect(findObject(micro, kind, name)).toEqual(findObject(monoObjects, kind, name));
    same('Namespace', 'tracing');
    same('ServiceAccount', 'tempo');
    const query = (objects: K8sObject[]) => (findObject(objects, 'Service', 'tempo') as any).spec.ports.find((p: any) => p.name === 'http');
    expect(query(micro)).toEqual(query(monoObjects));
    // The monolithic workload and headless Service are gone.
    expect(micro.find((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'tempo')).toBeUndefined();
    expect(micro.find((o) => o.metadata?.name === 'tempo-headless')).toBeUndefined();
  });

  test('getters: the distributor is the receiver, the query-frontend the query endpoint; collector and Grafana wiring work unchanged', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'obs' });
    const tempo = new Tempo(chart, 'Tempo', { storage, multitenancy: true, deploymentMode: strimzi(), metricsGenerator: full.metricsGenerator });
    expect(tempo.otlpGrpcEndpoint).toBe('tempo-distributor.obs.svc.cluster.local:4317');
    expect(tempo.otlpHttpEndpoint).toBe('http://tempo-distributor.obs.svc.cluster.local:4318');
    expect(tempo.queryUrl).toBe('http://tempo.obs.svc.cluster.local:3200');
    expect(tempo.serviceHost).toBe('tempo.obs.svc.cluster.local');
    expect(tempo.receiverPort('zipkin').port).toBe(9411);
    expect(tempo.multitenancy).toBe(true);
    expect(tempo.metricsGeneratorRemoteWriteUrl).toBe('http://prometheus.monitoring:9090/api/v1/write');
    expect(tempo.statefulSet).toBeUndefined();
    const target = CollectorBackend.tempo(tempo, { tenant: 'team-a' }).bind('c/Gateway');
    expect(target.endpoint).toBe(tempo.otlpGrpcEndpoint);
    const query: ITempoQueryTarget = tempo;
    expect(query.queryUrl).toBe(tempo.queryUrl);

    const objects = synthChart(chart);
    // The query Service selects the query-frontends; the distributor Service carries every receiver port.
    const qs = findObject(objects, 'Service', 'tempo') as any;
    expect(qs.spec.selector['app.kubernetes.io/component']).toBe('query-frontend');
    const ds = findObject(objects, 'Service', 'tempo-distributor') as any;
    const dist = workload(objects, 'distributor');
    const containerPorts = new Map<string, any>(container(dist).ports.map((p: any) => [p.name, p]));
    for (const sp of ds.spec.ports) {
      expect(containerPorts.get(sp.targetPort)?.containerPort).toBe(sp.port);
      expect(containerPorts.get(sp.targetPort)?.protocol).toBe(sp.protocol);
    }
    const receivers = tempo.config.distributor as any;
    expect(receivers.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    // Queriers find the frontends through the discovery Service, which lists every frontend pod.
    const disco = findObject(objects, 'Service', 'tempo-query-frontend-discovery') as any;
    expect(disco.spec.clusterIP).toBe('None');
    expect(disco.spec.publishNotReadyAddresses).toBe(true);
    expect((tempo.config.querier as any).frontend_worker.frontend_address).toBe('tempo-query-frontend-discovery.obs.svc.cluster.local:9095');
  });

  test('derived sizing reaches the objects: HPAs, replicas, resources, GOMEMLIMIT', () => {
    const tempo = build({ deploymentMode: strimzi({ ingestBytesPerSecond: 50 * MB }) });
    const s = tempo.sizing!;
    expect(s).toEqual(sizeTempo('x', 50 * MB));
    const objects = synthChart(tempo.node.scope as Chart);
    const hpa = (name: string) => findObject(objects, 'HorizontalPodAutoscaler', name) as any;
    expect(hpa('tempo-distributor').spec).toMatchObject({ minReplicas: 5, maxReplicas: 10 });
    expect(hpa('tempo-querier').spec).toMatchObject({ minReplicas: 25, maxReplicas: 50 });
    expect(hpa('tempo-querier').spec.metrics[0].resource.target).toEqual({ type: 'Utilization', averageUtilization: 70 });
    // Under an HPA the Deployment leaves replicas to it.
    expect(workload(objects, 'distributor').spec.replicas).toBeUndefined();
    expect(workload(objects, 'query-frontend').spec.replicas).toBe(2);
    expect(workload(objects, 'live-store').spec.replicas).toBe(5);
    const ls = container(workload(objects, 'live-store'));
    expect(ls.resources).toEqual({ requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '8Gi' } });
    expect(ls.env.find((e: any) => e.name === 'GOMEMLIMIT').value).toBe('6963MiB');
    expect(container(workload(objects, 'block-builder')).resources.requests).toEqual({ cpu: '500m', memory: '5Gi' });
  });

  test('overrides: fixed querier replicas drop its HPA; spare partitions; live-store volume size', () => {
    const objects = synth({ deploymentMode: strimzi({ partitions: 12, querier: { replicas: 6 }, liveStore: { storageSize: '100Gi' } }) });
    expect(all(objects, 'HorizontalPodAutoscaler').map((h) => h.metadata.name)).toEqual(['tempo-distributor']);
    expect(workload(objects, 'querier').spec.replicas).toBe(6);
    expect(all(objects, 'KafkaTopic')[0].spec.partitions).toBe(12);
    expect(workload(objects, 'live-store').spec.replicas).toBe(5);
    expect(workload(objects, 'live-store').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
  });

  test('the live-store startup probe outlasts its catch-up wait, so a replaying live-store is never killed', () => {
    const objects = synth();
    const wait = config(objects).live_store.readiness_max_wait as string;
    expect(wait).toMatch(/^\d+m$/);
    const probe = container(workload(objects, 'live-store')).startupProbe;
    expect(probe.periodSeconds * probe.failureThreshold).toBeGreaterThan(parseInt(wait, 10) * 60);
    expect(config(objects).live_store.readiness_target_lag).not.toMatch(/^0s?$/);
  });

  test('state: live-store and backend-scheduler claim volumes on /var/tempo; the others use bounded scratch space', () => {
    const objects = synth({ storageClassName: 'gp3' });
    for (const w of workloads(objects)) {
      const mount = container(w).volumeMounts.find((m: any) => m.name === 'data');
      expect(mount.mountPath).toBe('/var/tempo');
      const claimed = ['live-store', 'backend-scheduler'].includes(component(w));
      if (claimed) {
        expect(w.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3');
        expect(w.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('data');
      } else {
        expect(w.spec.template.spec.volumes.find((v: any) => v.name === 'data').emptyDir.sizeLimit).toBeDefined();
      }
    }
    expect(workload(objects, 'backend-scheduler').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expect(config(objects).backend_scheduler.local_work_path).toBe('/var/tempo');
  });

  test('Strimzi: node pool, plaintext listener for Tempo pods only, and the topic settings Tempo requires', () => {
    const objects = synth({ deploymentMode: strimzi({ ingestBytesPerSecond: 10 * MB }) });
    const kafka = all(objects, 'Kafka')[0];
    const pool = all(objects, 'KafkaNodePool')[0];
    const topic = all(objects, 'KafkaTopic')[0];
    expect(kafka.apiVersion).toBe('kafka.strimzi.io/v1');
    expect(pool.metadata.labels['strimzi.io/cluster']).toBe(kafka.metadata.name);
    expect(topic.metadata.labels['strimzi.io/cluster']).toBe(kafka.metadata.name);
    expect(pool.spec.replicas).toBe(3);
    expect(pool.spec.roles).toEqual(['controller', 'broker']);
    // 10 MB/s x 24h x 3 copies / 3 brokers + 25%.
    expect(pool.spec.storage.volumes[0].size).toBe('1006Gi');
    expect(topic.spec).toEqual({
      partitions: 1,
      replicas: 3,
      config: { 'cleanup.policy': 'delete', 'retention.ms': 86_400_000, 'min.insync.replicas': 2, 'max.message.bytes': 16_777_216 },
    });
    expect(topic.spec.config['max.message.bytes']).toBeGreaterThanOrEqual(16_000_000);
    const [listener] = kafka.spec.kafka.listeners;
    expect(listener.tls).toBe(false);
    expect(config(objects).ingest.kafka).toEqual({
      address: `${kafka.metadata.name}-kafka-bootstrap.tracing.svc.cluster.local:${listener.port}`,
      topic: topic.metadata.name,
      auto_create_topic_enabled: false,
    });
    // The listener's peers are exactly Tempo's pods (every workload matches, nothing else is needed).
    const peer = listener.networkPolicyPeers[0].podSelector.matchLabels;
    for (const w of workloads(objects)) expect(w.spec.template.metadata.labels).toMatchObject(peer);
    expect(kafka.spec.kafka.config['auto.create.topics.enable']).toBe(false);
    expect(kafka.spec.entityOperator.topicOperator).toBeDefined();
  });

  test('Strimzi: broker and entity-operator pods are admitted in a "restricted" namespace on a default Strimzi install', () => {
    const objects = synth({ deploymentMode: strimzi({ ingestBytesPerSecond: 10 * MB }) });
    // The checker models the pods Strimzi's default (baseline) provider makes from our resources.
    const strimziPods = strimziPodTemplates(objects);
    expect(strimziPods.map((p) => p.id)).toEqual([
      'KafkaNodePool/tempo-kafka-nodes (Strimzi broker pod)', 'Kafka/tempo-kafka (Strimzi entity operator pod)',
    ]);
    expect(restrictedViolations(objects)).toEqual([]);
    const pool = all(objects, 'KafkaNodePool')[0];
    expect(pool.spec.template.pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pool.spec.template.kafkaContainer.securityContext).toEqual({
      runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
    // Without the templates, the same pods are rejected.
    const bare = objects.map((o: any) => {
      const c = JSON.parse(JSON.stringify(o));
      if (c.kind === 'KafkaNodePool') delete c.spec.template;
      if (c.kind === 'Kafka') delete c.spec.entityOperator.template;
      return c;
    });
    expect(restrictedViolations(bare)).toEqual(expect.arrayContaining([
      'KafkaNodePool/tempo-kafka-nodes (Strimzi broker pod) container kafka: allowPrivilegeEscalation must be false',
      'Kafka/tempo-kafka (Strimzi entity operator pod) container topic-operator: runAsNonRoot must be true',
    ]));
  });

  test('external Kafka: no Kafka objects, SASL/PLAIN from the Secret for Kafka clients only, topic requirements exposed', () => {
    const tempo = build({ ...full, deploymentMode: external() });
    const objects = synthChart(tempo.node.scope as Chart);
    expect(objects.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io'))).toEqual([]);
    expect(config(objects).ingest.kafka).toEqual({
      address: 'kafka-bootstrap.kafka.svc.cluster.local:9092',
      topic: 'tempo-prod',
      auto_create_topic_enabled: false,
      sasl_username: '${TEMPO_KAFKA_SASL_USERNAME}',
      sasl_password: '${TEMPO_KAFKA_SASL_PASSWORD}',
    });
    for (const w of workloads(objects)) {
      const c = container(w);
      const env = (c.env as any[]).filter((e) => e.valueFrom);
      if (KAFKA_CLIENTS.includes(component(w))) {
        expect(c.args).toContain('-config.expand-env=true');
        expect(env.map((e) => [e.name, e.valueFrom.secretKeyRef])).toEqual([
          ['TEMPO_KAFKA_SASL_USERNAME', { name: 'tempo-kafka', key: 'username' }],
          ['TEMPO_KAFKA_SASL_PASSWORD', { name: 'tempo-kafka', key: 'password' }],
        ]);
      } else {
        expect(c.args).not.toContain('-config.expand-env=true');
        expect(env).toEqual([]);
      }
    }
    expect(tempo.kafkaTopic).toEqual({ name: 'tempo-prod', partitions: 5, cleanupPolicy: 'delete' });
    // No secret value reaches the ConfigMap.
    expect(JSON.stringify(findObject(objects, 'ConfigMap', 'tempo-config'))).not.toMatch(/password: [^$]/);
  });

  test('NetworkPolicies: clients reach the query port everywhere and the receivers on distributors only; components reach each other', () => {
    const objects = synth({ allowedNamespaces: ['apps'] });
    const main = findObject(objects, 'NetworkPolicy', 'tempo') as any;
    const dist = findObject(objects, 'NetworkPolicy', 'tempo-distributor') as any;
    const ports = (rule: any) => rule.ports.map((p: any) => `${p.port}/${p.protocol}`).sort();
    expect(main.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo' });
    expect(ports(main.spec.ingress[0])).toEqual(['3200/TCP']);
    expect(main.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } } }]);
    expect(ports(main.spec.ingress[1])).toEqual(['3200/TCP', '7946/TCP', '9095/TCP']);
    expect(main.spec.ingress[1].from).toEqual([{ podSelector: { matchLabels: main.spec.podSelector.matchLabels } }]);
    expect(dist.spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('distributor');
    const svc = findObject(objects, 'Service', 'tempo-distributor') as any;
    const receiverPorts = svc.spec.ports.filter((p: any) => !['http', 'grpc'].includes(p.name)).map((p: any) => `${p.port}/${p.protocol}`).sort();
    expect(ports(dist.spec.ingress[0])).toEqual(receiverPorts);
    // Every pod joins the gossip ring Service.
    const gossip = findObject(objects, 'Service', 'tempo-gossip-ring') as any;
    for (const w of workloads(objects)) expect(w.spec.template.metadata.labels).toMatchObject(gossip.spec.selector);
  });

  test('PDBs on every replicated component, none on the singleton scheduler; one config checksum on every pod', () => {
    const objects = synth(full);
    const pdbs = all(objects, 'PodDisruptionBudget');
    expect(pdbs.map(component).sort()).toEqual(['backend-worker', 'block-builder', 'distributor', 'live-store', 'metrics-generator', 'querier', 'query-frontend']);
    for (const p of pdbs) expect(p.spec.maxUnavailable).toBe(1);
    const checksums = new Set(workloads(objects).map((w) => w.spec.template.metadata.annotations['checksum/config']));
    expect(checksums.size).toBe(1);
    const other = synth({ ...full, retention: Retention.days(7) });
    expect(workload(other, 'querier').spec.template.metadata.annotations['checksum/config'])
      .not.toBe([...checksums][0]);
  });

  test('the longest name allowed fits every Kubernetes name limit (StatefulSets 52, so pods get their revision label)', () => {
    const name = 'a'.repeat(34);
    const objects = synth({ name, deploymentMode: external() });
    const sets = all(objects, 'StatefulSet');
    expect(sets.map((o) => o.metadata.name)).toContain(`${name}-backend-scheduler`);
    for (const o of sets) expect([o.metadata.name, o.metadata.name.length <= 52]).toEqual([o.metadata.name, true]);
    for (const o of objects) expect([o.kind, o.metadata?.name, (o.metadata?.name ?? '').length <= 63]).toEqual([o.kind, o.metadata?.name, true]);
    expect(() => synth({ name: 'a'.repeat(35), deploymentMode: external() })).toThrow(/at most 34 characters/);
  });

  test('memberlist keeps the per-install cluster label', () => {
    const c = configMapYaml(synth({ name: 'tempo-eu' }), 'tempo-eu-config', 'tempo.yaml');
    expect(c.memberlist.cluster_label).toBe('tempo-eu.tracing');
    expect(c.memberlist.join_members).toEqual(['dns+tempo-eu-gossip-ring.tracing.svc.cluster.local:7946']);
  });
});

describe('examples/tempo-distributed', () => {
  test('synthesizes: schemas, restricted pods, no CDK token, sizing as declared', () => {
    const chart = buildTempoDistributed(Testing.app());
    const objects = synthChart(chart);
    expectValidManifests(objects);
    expect(restrictedViolations(objects)).toEqual([]);
    expect(findLeakedTokens(JSON.stringify(objects))).toEqual([]);
    expect(unknownTempoKeys(configMapYaml(objects, 'tempo-config', 'tempo.yaml'))).toEqual([]);
    expect(all(objects, 'KafkaTopic')[0].spec.partitions).toBe(8);
    expect(workload(objects, 'live-store').spec.replicas).toBe(5);
    expect(chart.tempo.kafkaTopic?.retentionMs).toBe(12 * 3_600_000);
  });
});
