import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { IMAGES, SamplingStrategy, TraceSampling, TracingConfigError } from '../../../lib/core';
import { TempoChart, TempoChartProps } from '../../../lib/k8s';
import {
  CollectorBackend, CollectorBackendOptions, CollectorSamplingMode, KNOWN_RESOURCE_DETECTORS, TenantRouting, UnmatchedSpans, TracingCollector, TracingCollectorChart, TracingCollectorChartProps,
} from '../../../lib/k8s/collector';
import { componentsOf, renderSamplingStrategies } from '../../../lib/render';
import { restrictedViolations } from '../../helpers/pod-security';
import { expectValidManifests, FIXTURES_DIR, K8sObject } from '../../helpers/schema';
import { findObject, synthChart } from '../../helpers/synth';

const storage = { bucketName: 'traces-bucket', region: 'eu-west-1' };
const COMPONENTS = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'otelcol-components.json'), 'utf8'));
/** The release of the real collector the suite builds and runs (test/upstream/otelcol): the one we must ship. */
const TESTED_OTELCOL = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'upstream', 'otelcol', 'program.json'), 'utf8')).version;

type Props = Omit<TracingCollectorChartProps, 'backend' | 'namespace'> & { backend?: CollectorBackend };

interface Synthesized {
  objects: K8sObject[];
  collector: TracingCollector;
}

/** Tempo and the collector in one app (two charts, two namespaces), as a platform team deploys them. */
function synth(props: Props = {}, tempoProps: Partial<TempoChartProps> = {}, tenant?: string | CollectorBackendOptions): Synthesized {
  const app = Testing.app();
  const tempo = new TempoChart(app, 'tempo', { namespace: 'tracing', storage, ...tempoProps });
  const chart = new TracingCollectorChart(app, 'otel', {
    namespace: 'observability',
    backend: props.backend ?? CollectorBackend.tempo(tempo.tempo, typeof tenant === 'object' ? tenant : { tenant }),
    ...props,
  });
  return { objects: [...synthChart(tempo), ...synthChart(chart)], collector: chart.collector };
}

const sampling = TraceSampling.of({
  baselineRatio: 0.1,
  latencyThresholdMs: 2000,
  maxSpansPerSecond: 20000,
  services: [
    { service: 'payment-service', strategy: SamplingStrategy.timesBaseline(3) },
    { service: 'notification-service', strategy: SamplingStrategy.timesBaseline(0.5) },
    { service: 'batch-importer', strategy: SamplingStrategy.rateLimiting(2) },
  ],
  defaultOperations: [{ operation: 'GET /health', ratio: 0 }],
});

/** Head strategies only: what SDK remote samplers can apply. */
const headOnly = TraceSampling.of({
  baselineRatio: 0.2,
  services: [{ service: 'payment-service', strategy: SamplingStrategy.probabilistic(1), operations: [{ operation: 'GET /health', ratio: 0 }] }],
});

const full: Props = {
  sampling,
  remoteSampling: true,
  traffic: { tracesPerSecond: 4000, spansPerTrace: 25, p99TraceDurationSeconds: 8 },
  sampler: { replicas: 4, storageClassName: 'gp3', resources: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '3Gi', memoryLimit: '3Gi' } },
  gateway: { minReplicas: 3 },
  agent: { resourceDetectors: ['env', 'k8s_api', 'eks'] },
  serviceMonitor: { labels: { release: 'kube-prometheus-stack' } },
};

/** Every shape the construct can take, for the invariants. */
const twoTenants: Partial<TempoChartProps> = { multitenancy: true, tenants: [{ id: 'team-a' }, { id: 'team-b' }] };
const byNamespace = TenantRouting.byNamespace([{ tenant: 'team-a', namespaces: ['shop'] }, { tenant: 'team-b', namespaces: ['pay', 'ledger'] }], UnmatchedSpans.drop());

const SHAPES: Array<[string, Props, Partial<TempoChartProps>, string | CollectorBackendOptions | undefined]> = [
  ['default (tail)', {}, {}, undefined],
  ['full tail with remote sampling', full, {}, undefined],
  ['tail, one sampler replica', { sampler: { replicas: 1 } }, {}, undefined],
  ['head', { samplingMode: CollectorSamplingMode.HEAD }, {}, undefined],
  ['none with remote sampling', { samplingMode: CollectorSamplingMode.NONE, remoteSampling: true, sampling: headOnly }, {}, undefined],
  ['multi-tenant Tempo', {}, { multitenancy: true }, 'team-a'],
  ['tenants by namespace, unmatched dropped (tail)', {}, twoTenants, { tenants: byNamespace }],
  ['tenants by attribute, unmatched to a tenant (head)', { samplingMode: CollectorSamplingMode.HEAD }, twoTenants,
    { tenants: TenantRouting.byResourceAttribute('tenant.id', [{ tenant: 'team-b', values: ['b'] }], UnmatchedSpans.toTenant('team-a')) }],
];

type Dict = Record<string, any>;

function collectorConfigs(objects: K8sObject[]): Array<{ tier: string; config: Dict; workload: Dict }> {
  return objects
    .filter((o) => ['DaemonSet', 'Deployment', 'StatefulSet'].includes(o.kind) && o.metadata?.labels?.['app.kubernetes.io/name'] === 'opentelemetry-collector')
    .map((w: Dict) => {
      const cmName = w.spec.template.spec.volumes.find((v: Dict) => v.name === 'config').configMap.name;
      const cm = findObject(objects, 'ConfigMap', cmName) as Dict;
      return { tier: w.metadata.name, config: parse(cm.data['config.yaml']), workload: w };
    });
}

function services(objects: K8sObject[]): Dict[] {
  return objects.filter((o) => o.kind === 'Service') as Dict[];
}

/** Resolves `host:port` / `dns:///host:port` / `name.ns` to a synthesized Service with that port. */
function serviceFor(objects: K8sObject[], host: string, port: number): Dict | undefined {
  const [name, ns] = host.replace(/\.svc\.cluster\.local$/, '').split('.');
  return services(objects).find((s) => s.metadata.name === name && s.metadata.namespace === ns && s.spec.ports.some((p: Dict) => p.port === port));
}

function rbacRules(objects: K8sObject[], serviceAccount: string, namespace: string): Dict[] {
  const bindings = objects.filter((o: Dict) => (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')
    && o.subjects.some((s: Dict) => s.kind === 'ServiceAccount' && s.name === serviceAccount && s.namespace === namespace)) as Dict[];
  return bindings.flatMap((b) => {
    const role = objects.find((o: Dict) => o.kind === b.roleRef.kind && o.metadata.name === b.roleRef.name
      && (b.kind === 'ClusterRoleBinding' || o.metadata.namespace === b.metadata.namespace)) as Dict | undefined;
    return role ? role.rules : [];
  });
}

function allows(rules: Dict[], group: string, resource: string, verbs: string[]): boolean {
  return verbs.every((verb) => rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb)));
}

describe('TracingCollector', () => {
  test('snapshot: default (agent + gateway + tail-sampling sampler, wired to Tempo)', () => {
    expect(synth().objects.filter((o) => o.metadata?.namespace !== 'tracing')).toMatchSnapshot();
  });

  test('snapshot: full (per-service rates, rate cap, remote sampling, ServiceMonitors)', () => {
    expect(synth(full).objects.filter((o) => o.metadata?.namespace !== 'tracing')).toMatchSnapshot();
  });

  describe.each(SHAPES)('invariants: %s', (_name, props, tempoProps, tenant) => {
    const { objects, collector } = synth(props, tempoProps, tenant);
    const configs = collectorConfigs(objects);

    test('every object validates against the strict 1.28 and CRD schemas', () => {
      expectValidManifests(objects);
    });

    test('every pod template meets Pod Security Standard "restricted", with requests and limits', () => {
      expect(restrictedViolations(objects)).toEqual([]);
      // The built-in admission controller also refuses hostPort under baseline/restricted.
      for (const { workload } of configs) {
        for (const c of workload.spec.template.spec.containers) expect(c.ports.every((p: Dict) => p.hostPort === undefined)).toBe(true);
      }
    });

    test('memory_limiter is the first processor of every pipeline', () => {
      for (const { config } of configs) {
        const pipelines = Object.values(config.service.pipelines) as Dict[];
        expect(pipelines.length).toBeGreaterThan(0);
        for (const p of pipelines) expect(p.processors[0]).toBe('memory_limiter');
      }
    });

    test('every exporter endpoint resolves to a Service and port synthesized in the same app', () => {
      let checked = 0;
      for (const { config } of configs) {
        for (const [id, exporter] of Object.entries(config.exporters) as Array<[string, Dict]>) {
          // Spans that match no tenant are dropped here, counted and logged: no endpoint.
          if (id === 'debug/unmatched') {
            expect(config.service.pipelines['traces/unmatched'].exporters).toEqual([id]);
            checked++;
            continue;
          }
          if (id.startsWith('load_balancing')) {
            const k8sResolver = exporter.resolver.k8s;
            for (const port of k8sResolver.ports) expect(serviceFor(objects, k8sResolver.service, port)).toBeDefined();
          } else {
            const match = /^(?:dns:\/\/\/)?([^:]+):(\d+)$/.exec(exporter.endpoint);
            expect(match).not.toBeNull();
            const svc = serviceFor(objects, match![1], Number(match![2]));
            expect(svc).toBeDefined();
            if (exporter.endpoint.startsWith('dns:///')) expect(svc!.spec.clusterIP).toBe('None');
          }
          checked++;
        }
      }
      expect(checked).toBe(configs.reduce((n, { config }) => n + Object.keys(config.exporters).length, 0));
    });

    test('tail sampling only ever receives spans routed by traceID when it can run on more than one replica', () => {
      const tailTiers = configs.filter(({ config }) => Object.keys(config.processors).some((p) => p.startsWith('tail_sampling')));
      expect(tailTiers.length).toBe(collector.samplingMode === CollectorSamplingMode.TAIL ? 1 : 0);
      for (const tail of tailTiers) {
        const hpa = objects.find((o: Dict) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === tail.tier) as Dict;
        const maxReplicas = Math.max(tail.workload.spec.replicas, hpa?.spec.maxReplicas ?? 0);
        const senders = configs.filter(({ config }) => Object.values(config.exporters).some((e: any) =>
          (e.resolver?.k8s?.service ?? '').startsWith(`${tail.tier}.`) || (e.endpoint ?? '').includes(`${tail.tier}.`)));
        expect(senders.length).toBeGreaterThan(0);
        for (const s of senders) {
          const lb = Object.entries(s.config.exporters).find(([id]) => id.startsWith('load_balancing'))?.[1] as Dict | undefined;
          if (maxReplicas > 1) {
            expect(lb).toBeDefined();
            expect(lb!.routing_key).toBe('traceID');
            expect(lb!.resolver.k8s.service).toBe(`${tail.tier}.observability`);
          }
        }
      }
    });

    test('RBAC covers what k8s_attributes, resource_detection and the load_balancing resolver read', () => {
      for (const { config, workload } of configs) {
        const podSpec = workload.spec.template.spec;
        const sa = podSpec.serviceAccountName;
        const rules = rbacRules(objects, sa, workload.metadata.namespace);
        const needsApi = Object.keys(config.processors).includes('k8s_attributes')
          || Object.values(config.exporters).some((e: any) => e.resolver?.k8s);
        if (Object.keys(config.processors).includes('k8s_attributes')) {
          expect(allows(rules, '', 'pods', ['get', 'list', 'watch'])).toBe(true);
          expect(allows(rules, '', 'namespaces', ['get', 'list', 'watch'])).toBe(true);
          expect(allows(rules, 'apps', 'replicasets', ['get', 'list', 'watch'])).toBe(true);
          expect(config.processors.k8s_attributes.filter.node_from_env_var).toBe('K8S_NODE_NAME');
          expect(podSpec.containers[0].env.find((e: Dict) => e.name === 'K8S_NODE_NAME').valueFrom.fieldRef.fieldPath).toBe('spec.nodeName');
        }
        if ((config.processors.resource_detection?.detectors ?? []).includes('k8s_api')) {
          expect(allows(rules, '', 'nodes', ['get', 'list'])).toBe(true);
        }
        for (const e of Object.values(config.exporters) as Dict[]) {
          if (e.resolver?.k8s) {
            // A namespaced Role in the sampler's namespace is enough, and nothing broader is granted.
            expect(e.resolver.k8s.service.split('.')[1]).toBe(workload.metadata.namespace);
            expect(allows(rules, 'discovery.k8s.io', 'endpointslices', ['get', 'list', 'watch'])).toBe(true);
          }
        }
        if (!needsApi) expect(rules).toEqual([]);
        expect(podSpec.automountServiceAccountToken).toBe(needsApi);
      }
    });

    test('no resource detector can stop an agent: errors off, node from the downward API, no cluster-uid lookup', () => {
      const agents = configs.filter(({ config }) => config.processors.resource_detection);
      expect(agents.length).toBe(1);
      for (const { config, workload } of agents) {
        const rd = config.processors.resource_detection;
        // Since contrib 0.142 any detector error fails the processor's start, and the collector with it.
        expect(rd.fail_on_missing_metadata).toBe(false);
        const nodeEnv = (name: string) => workload.spec.template.spec.containers[0].env.find((e: Dict) => e.name === name)?.valueFrom?.fieldRef?.fieldPath;
        for (const d of rd.detectors) {
          expect(KNOWN_RESOURCE_DETECTORS).toContain(d);
          if (d === 'eks' || d === 'k8s_api') expect(nodeEnv(rd[d].node_from_env_var)).toBe('spec.nodeName');
          if (d === 'k8s_api') expect(rd.k8s_api.resource_attributes['k8s.cluster.uid'].enabled).toBe(false);
        }
      }
    });

    test('every component exists in the pinned release and in the distribution of the image used', () => {
      for (const { config, workload } of configs) {
        const image: string = workload.spec.template.spec.containers[0].image;
        expect(image.endsWith(`:${TESTED_OTELCOL}`)).toBe(true);
        const dist = image.includes('collector-contrib') ? 'contrib' : 'k8s';
        const used = componentsOf(config);
        for (const [cls, types] of Object.entries(used)) {
          for (const t of types) expect(`${cls}/${t}: ${COMPONENTS.distributions[dist][cls].includes(t)}`).toBe(`${cls}/${t}: true`);
        }
        // Never a deprecated alias (old names log warnings now and will fail later).
        for (const [cls, types] of Object.entries(used)) {
          const aliases = Object.keys(COMPONENTS.distributions[dist].deprecated_aliases?.[cls] ?? {});
          for (const t of types) expect(aliases).not.toContain(t);
        }
      }
    });

    test('self-monitoring: metrics on the pod IP port 8888, health_check probes, GOMEMLIMIT 80% of the limit', () => {
      for (const { config, workload } of configs) {
        expect(config.service.telemetry.metrics.readers[0].pull.exporter.prometheus).toEqual({ host: '${env:MY_POD_IP}', port: 8888 });
        expect(config.extensions.health_check.endpoint).toBe('${env:MY_POD_IP}:13133');
        const c = workload.spec.template.spec.containers[0];
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(c[probe].httpGet).toEqual({ path: '/', port: 'health' });
        expect(c.ports.find((p: Dict) => p.name === 'health').containerPort).toBe(13133);
        expect(c.env.find((e: Dict) => e.name === 'MY_POD_IP').valueFrom.fieldRef.fieldPath).toBe('status.podIP');
        const limitMi = Number(/^(\d+)Mi$/.exec(c.resources.limits.memory)?.[1] ?? Number(/^(\d+)Gi$/.exec(c.resources.limits.memory)![1]) * 1024);
        expect(c.env.find((e: Dict) => e.name === 'GOMEMLIMIT').value).toBe(`${Math.floor(limitMi * 0.8)}MiB`);
      }
    });

    test('no span lost on a restart: every exporter queues on file_storage mounted from a volume, retrying without a deadline', () => {
      for (const { config, workload } of configs) {
        for (const e of Object.values(config.exporters) as Dict[]) {
          // The TAIL gateway's export is synchronous (see the scale-down test): the agent's queue holds the spans.
          if (e.sending_queue?.enabled === false && workload.kind === 'Deployment') continue;
          // The sink of spans that match no tenant (dropped on purpose, counted) holds nothing to keep.
          if (e === config.exporters['debug/unmatched']) continue;
          expect(e.sending_queue).toMatchObject({ enabled: true, storage: 'file_storage/queue' });
          expect(e.retry_on_failure).toMatchObject({ enabled: true, max_elapsed_time: '0s' });
          expect(config.service.extensions).toContain('file_storage/queue');
          const dir = config.extensions['file_storage/queue'].directory;
          const mount = workload.spec.template.spec.containers[0].volumeMounts.find((m: Dict) => m.mountPath === dir);
          expect(mount).toBeDefined();
          const fromPod = workload.spec.template.spec.volumes.find((v: Dict) => v.name === mount.name);
          const fromClaim = (workload.spec.volumeClaimTemplates ?? []).find((v: Dict) => v.metadata.name === mount.name);
          expect(fromPod?.emptyDir ?? fromClaim).toBeDefined();
        }
      }
    });

    test('no span lost on a pod replacement: the tier exporting to the backend queues on a PersistentVolumeClaim, not an emptyDir', () => {
      const exportingTiers = configs.filter(({ config }) => Object.entries(config.exporters).some(([id, e]: [string, any]) => {
        if (id.startsWith('load_balancing')) return false;
        // Any exporter whose Service lives outside the collector's namespace targets the backend.
        const [host] = String(e.endpoint).replace(/^dns:\/\/\//, '').split(':');
        return host.split('.')[1] !== collector.namespace;
      }));
      // Exactly one tier talks to the backend: the sampler in TAIL mode, the gateway otherwise.
      expect(exportingTiers.map(({ tier }) => tier)).toEqual([collector.samplingMode === CollectorSamplingMode.TAIL ? 'otel-sampler' : 'otel-gateway']);
      for (const { config, workload } of exportingTiers) {
        expect(workload.kind).toBe('StatefulSet');
        const dir = config.extensions['file_storage/queue'].directory;
        const mount = workload.spec.template.spec.containers[0].volumeMounts.find((m: Dict) => m.mountPath === dir);
        expect(mount).toBeDefined();
        expect(workload.spec.template.spec.volumes.find((v: Dict) => v.name === mount.name)).toBeUndefined();
        const claim = (workload.spec.volumeClaimTemplates ?? []).find((v: Dict) => v.metadata.name === mount.name);
        expect(claim?.spec.accessModes).toEqual(['ReadWriteOnce']);
        expect(workload.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
        // The PDB acts on the StatefulSet.
        const pdb = findObject(objects, 'PodDisruptionBudget', workload.metadata.name) as Dict;
        expect(pdb.spec.selector.matchLabels).toEqual(workload.spec.selector.matchLabels);
        // The governing Service is headless and selects the pods.
        const governing = findObject(objects, 'Service', workload.spec.serviceName) as Dict;
        expect(governing.spec.clusterIP).toBe('None');
        expect(governing.spec.selector).toEqual(workload.spec.selector.matchLabels);
      }
    });

    test('a scale-down neither loses nor strands a span: an autoscaled tier owns no queue, a tier that owns one is not autoscaled', () => {
      const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler') as Dict[];
      // Only the TAIL gateway autoscales; HEAD and NONE have no tier without a queue.
      expect(hpas.map((h) => h.metadata.name)).toEqual(collector.samplingMode === CollectorSamplingMode.TAIL ? ['otel-gateway'] : []);
      const queueOf = (config: Dict) => Object.entries(config.exporters as Dict).filter(([, e]) => e.sending_queue?.enabled !== false);
      for (const { tier, config, workload } of configs) {
        const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === tier);
        const podSpec = workload.spec.template.spec;
        if (hpa) {
          // The collector keeps (never drains) a persistent queue on shutdown, and a memory queue is flushed
          // without retries: a pod the autoscaler removes must hold nothing. Its exports are synchronous...
          expect(hpa.spec.scaleTargetRef.kind).toBe(workload.kind);
          expect(queueOf(config)).toEqual([]);
          for (const e of Object.values(config.exporters) as Dict[]) expect(e.retry_on_failure).toEqual({ enabled: false });
          expect(Object.keys(config.extensions).some((x) => x.startsWith('file_storage'))).toBe(false);
          expect(podSpec.volumes.map((v: Dict) => v.name)).toEqual(['config']);
          expect(workload.spec.volumeClaimTemplates).toBeUndefined();
          // ...so a failure reaches the senders, whose own durable queues keep the spans and retry.
          const senders = configs.filter((c) => Object.values(c.config.exporters).some((e: any) => (e.endpoint ?? '').includes(`${tier}-headless.`)));
          expect(senders.length).toBeGreaterThan(0);
          for (const s of senders) {
            for (const [, e] of queueOf(s.config) as Array<[string, Dict]>) {
              expect(e.sending_queue.storage).toBe('file_storage/queue');
              expect(e.retry_on_failure.max_elapsed_time).toBe('0s');
            }
          }
        } else if (workload.kind !== 'DaemonSet') {
          // A tier that owns a queue: a fixed count, a claim per pod, and claims kept if an operator lowers it.
          expect(queueOf(config).length).toBeGreaterThan(0);
          expect(workload.kind).toBe('StatefulSet');
          expect(workload.spec.volumeClaimTemplates.map((v: Dict) => v.metadata.name)).toEqual(['queue']);
          expect(workload.spec.persistentVolumeClaimRetentionPolicy.whenScaled).toBe('Retain');
        }
      }
      // No autoscaler targets any workload that holds a queue (HPA names are the workloads' names).
      for (const hpa of hpas) {
        const target = configs.find((c) => c.tier === hpa.spec.scaleTargetRef.name);
        expect(target).toBeDefined();
        expect(target!.workload.kind).toBe('Deployment');
      }
    });

    test('a config change rolls the pods (checksum of the ConfigMap content)', () => {
      for (const { workload } of configs) expect(workload.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  test('agent: every receiver on 0.0.0.0 with the issue ports, node-local Service, k8s_attributes before batch', () => {
    const { objects, collector } = synth();
    const config = collector.agent.config as Dict;
    expect(config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(config.receivers.jaeger.protocols).toEqual({
      grpc: { endpoint: '0.0.0.0:14250' }, thrift_http: { endpoint: '0.0.0.0:14268' },
      thrift_compact: { endpoint: '0.0.0.0:6831' }, thrift_binary: { endpoint: '0.0.0.0:6832' },
    });
    expect(config.receivers.zipkin).toEqual({ endpoint: '0.0.0.0:9411' });
    expect(config.service.pipelines.traces.processors).toEqual(['memory_limiter', 'k8s_attributes', 'resource_detection', 'batch']);
    const svc = findObject(objects, 'Service', 'otel-agent') as Dict;
    expect(svc.spec.internalTrafficPolicy).toBe('Local');
    expect(svc.spec.ports.filter((p: Dict) => p.protocol === 'UDP').map((p: Dict) => p.port).sort()).toEqual([6831, 6832]);
    // The Service exposes exactly what the container listens on.
    const container = (findObject(objects, 'DaemonSet', 'otel-agent') as Dict).spec.template.spec.containers[0];
    for (const sp of svc.spec.ports) {
      const cp = container.ports.find((p: Dict) => p.name === sp.targetPort);
      expect([cp.containerPort, cp.protocol]).toEqual([sp.port, sp.protocol]);
    }
    expect(collector.agentOtlpHttpUrl).toBe('http://otel-agent.observability.svc.cluster.local:4318');
    expect(collector.agent.image).toBe(IMAGES.otelcolK8s);
  });

  test('agents balance over every gateway pod (headless, round_robin); the gateway forces reconnects', () => {
    const { collector } = synth();
    const agentExporter = (collector.agent.config as Dict).exporters['otlp_grpc/gateway'];
    expect(agentExporter.endpoint).toBe('dns:///otel-gateway-headless.observability.svc.cluster.local:4317');
    expect(agentExporter.balancer_name).toBe('round_robin');
    expect((collector.gateway.config as Dict).receivers.otlp.protocols.grpc.keepalive.server_parameters.max_connection_age).toBe('60s');
  });

  test('gateway and sampler: the gateway autoscales, the sampler keeps its queue on a PersistentVolumeClaim at a fixed count', () => {
    const { objects } = synth(full);
    const gwHpa = findObject(objects, 'HorizontalPodAutoscaler', 'otel-gateway') as Dict;
    expect(gwHpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 6, scaleTargetRef: { kind: 'Deployment', name: 'otel-gateway' } });
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata?.name === 'otel-sampler')).toBe(false);
    expect((findObject(objects, 'StatefulSet', 'otel-sampler') as Dict).spec.replicas).toBe(4);
    for (const n of ['otel-gateway', 'otel-sampler']) expect((findObject(objects, 'PodDisruptionBudget', n) as Dict).spec.maxUnavailable).toBe(1);
    const sts = findObject(objects, 'StatefulSet', 'otel-sampler') as Dict;
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'gp3', resources: { requests: { storage: '10Gi' } } });
    expect(sts.spec.serviceName).toBe('otel-sampler');
    expect((findObject(objects, 'Service', 'otel-sampler') as Dict).spec.clusterIP).toBe('None');
  });

  test.each([CollectorSamplingMode.HEAD, CollectorSamplingMode.NONE])('%s mode: the gateway exports, so it is a StatefulSet with its queue on a claim (size, StorageClass)', (mode) => {
    const { objects, collector } = synth({
      samplingMode: mode, gateway: { replicas: 3, queueVolumeSize: '5Gi', storageClassName: 'gp3' },
    });
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata?.name === 'otel-gateway')).toBe(false);
    const sts = findObject(objects, 'StatefulSet', 'otel-gateway') as Dict;
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      metadata: expect.objectContaining({ name: 'queue' }),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'gp3' },
    })]);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.template.spec.volumes.map((v: Dict) => v.name)).toEqual(['config']);
    // Names stay: agents still balance over otel-gateway-headless, which now also governs the StatefulSet.
    expect(sts.spec.serviceName).toBe('otel-gateway-headless');
    expect((findObject(objects, 'Service', 'otel-gateway') as Dict).spec.type).toBe('ClusterIP');
    expect((collector.agent.config as Dict).exporters['otlp_grpc/gateway'].endpoint).toBe('dns:///otel-gateway-headless.observability.svc.cluster.local:4317');
    // It owns a queue, so nothing autoscales it.
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect((findObject(objects, 'PodDisruptionBudget', 'otel-gateway') as Dict).spec.maxUnavailable).toBe(1);
    // Queue length follows the claim size: 80% of 5Gi over 2048 spans x 1024 bytes.
    expect((collector.gateway.config as Dict).exporters['otlp_grpc/backend'].sending_queue.queue_size).toBe(Math.floor(5 * 1024 ** 3 * 0.8 / (2048 * 1024)));
    expectValidManifests(objects);
    expect(restrictedViolations(objects)).toEqual([]);
  });

  test('tail mode: the gateway forwards to the sampler synchronously, so it is an autoscaled Deployment holding no queue', () => {
    const { objects, collector } = synth();
    const deployment = findObject(objects, 'Deployment', 'otel-gateway') as Dict;
    expect(deployment.spec.template.spec.volumes).toEqual([{ name: 'config', configMap: { name: 'otel-gateway-config' } }]);
    expect(deployment.spec.template.spec.containers[0].volumeMounts.map((m: Dict) => m.name)).toEqual(['config']);
    expect(objects.some((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'otel-gateway')).toBe(false);
    const config = collector.gateway.config as Dict;
    expect(config.service.extensions).toEqual(['health_check']);
    expect(config.exporters['load_balancing/sampler']).toMatchObject({ sending_queue: { enabled: false }, retry_on_failure: { enabled: false } });
  });

  test('tail-sampling sizes are derived from declared traffic', () => {
    // 4000 traces/s over 4 replicas, p99 8s: decision_wait 8 + 5 (SDK export delay) + 2 = 15s; num_traces 1000/s x 15s x 2.
    const ts = (synth(full).collector.sampler!.config as Dict).processors.tail_sampling;
    expect(ts).toMatchObject({
      decision_wait: '15s', num_traces: 30000, expected_new_traces_per_sec: 1000,
      decision_cache: { sampled_cache_size: 150000, non_sampled_cache_size: 150000 },
    });
    const defaults = (synth().collector.sampler!.config as Dict).processors.tail_sampling;
    expect(defaults).toMatchObject({ decision_wait: '12s', num_traces: 12000, expected_new_traces_per_sec: 500 });
  });

  test('tail-sampling policies come from the sampling model', () => {
    const processors = (synth(full).collector.sampler!.config as Dict).processors;
    const policies = processors.tail_sampling.policies;
    expect(policies.map((p: Dict) => p.name)).toEqual([
      'keep-errors', 'keep-slow', 'service-payment-service', 'service-notification-service', 'service-batch-importer', 'baseline',
    ]);
    const rate = (name: string) => policies.find((p: Dict) => p.name === name).and.and_sub_policy[1];
    expect(rate('service-payment-service').probabilistic.sampling_percentage).toBe(30);
    expect(rate('service-notification-service').probabilistic.sampling_percentage).toBe(5);
    // 2 traces/s x 25 spans per trace.
    expect(rate('service-batch-importer').rate_limiting.spans_per_second).toBe(50);
    expect(rate('baseline').probabilistic.sampling_percentage).toBe(10);
    expect(policies.find((p: Dict) => p.name === 'baseline').and.and_sub_policy[0].string_attribute)
      .toEqual({ key: 'service.name', values: ['payment-service', 'notification-service', 'batch-importer'], invert_match: true });
    expect(processors['tail_sampling/rate_limit'].policies.map((p: Dict) => p.type)).toEqual(['status_code', 'rate_limiting']);
  });

  test('remote sampling: agents serve the same model as the strategies file, on the contrib image', () => {
    const { objects, collector } = synth(full);
    const cm = findObject(objects, 'ConfigMap', 'otel-agent-config') as Dict;
    expect(JSON.parse(cm.data['sampling-strategies.json'])).toEqual(renderSamplingStrategies(sampling.resolve('x')));
    const ext = (collector.agent.config as Dict).extensions.jaegerremotesampling;
    expect(ext.source.file).toBe('/conf/sampling-strategies.json');
    expect([ext.http.endpoint, ext.grpc.endpoint]).toEqual(['0.0.0.0:5778', '0.0.0.0:5779']);
    expect(collector.agent.image).toBe(IMAGES.otelcolContrib);
    expect(collector.gateway.image).toBe(IMAGES.otelcolK8s);
    expect(collector.remoteSamplingUrl).toBe('http://otel-agent.observability.svc.cluster.local:5778');
    expect(collector.remoteSamplingGrpcUrl).toBe('http://otel-agent.observability.svc.cluster.local:5779');
  });

  test('head mode: probabilistic_sampler at the baseline, exports straight to the backend, no sampler tier', () => {
    const { objects, collector } = synth({ samplingMode: CollectorSamplingMode.HEAD, sampling: TraceSampling.of({ baselineRatio: 0.25 }) });
    const gw = collector.gateway.config as Dict;
    expect(gw.processors.probabilistic_sampler.sampling_percentage).toBe(25);
    expect(gw.service.pipelines.traces.processors).toEqual(['memory_limiter', 'probabilistic_sampler', 'batch']);
    expect(gw.exporters['otlp_grpc/backend'].endpoint).toBe('tempo.tracing.svc.cluster.local:4317');
    expect(objects.some((o) => o.metadata?.name === 'otel-sampler')).toBe(false);
    expect(objects.some((o) => o.kind === 'Role')).toBe(false);
  });

  test('multi-tenant Tempo: the tenant header goes on the backend exporter', () => {
    const { collector } = synth({}, { multitenancy: true }, 'team-a');
    expect((collector.sampler!.config as Dict).exporters['otlp_grpc/backend'].headers).toEqual({ 'X-Scope-OrgID': 'team-a' });
  });

  test('ClusterRole and ClusterRoleBinding are cluster-scoped and named per namespace', () => {
    const { objects } = synth();
    for (const kind of ['ClusterRole', 'ClusterRoleBinding']) {
      const o = findObject(objects, kind, 'observability-otel-agent');
      expect(o.metadata?.namespace).toBeUndefined();
    }
  });

  test('ServiceMonitors select exactly one Service per tier, on the metrics port', () => {
    const { objects } = synth(full);
    const monitors = objects.filter((o) => o.kind === 'ServiceMonitor') as Dict[];
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(['otel-agent', 'otel-gateway', 'otel-sampler']);
    for (const m of monitors) {
      expect(m.metadata.labels.release).toBe('kube-prometheus-stack');
      const selected = services(objects).filter((s) => s.metadata.namespace === 'observability'
        && Object.entries(m.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
      expect(selected).toHaveLength(1);
      expect(selected[0].spec.ports.some((p: Dict) => p.name === 'metrics' && p.port === 8888)).toBe(true);
    }
  });

  test('pinned images: one version, the release of the collector the suite builds and runs', () => {
    expect(IMAGES.otelcolK8s.endsWith(`:${TESTED_OTELCOL}`)).toBe(true);
    expect(IMAGES.otelcolContrib.endsWith(`:${TESTED_OTELCOL}`)).toBe(true);
  });

  test('a backend that admits the collector\'s namespace is accepted', () => {
    expect(() => synth({}, { allowedNamespaces: ['apps', 'observability'] })).not.toThrow();
  });

  test('the external backend keeps TLS on unless asked', () => {
    const { collector } = synth({ backend: CollectorBackend.external('otlp.example.com:4317') });
    expect((collector.sampler!.config as Dict).exporters['otlp_grpc/backend'].tls).toEqual({ insecure: false });
  });

  describe('bad input fails at synth time with its own message', () => {
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['no backend', () => new TracingCollectorChart(Testing.app(), 'c', { namespace: 'o' } as TracingCollectorChartProps),
        /\[c\/Collector\] no backend: the collector would receive spans and export them nowhere \(got undefined\); pass backend: CollectorBackend.tempo/],
      ['baseline ratio above 1', () => synth({ sampling: TraceSampling.of({ baselineRatio: 1.2 }) }),
        /\[otel\/Collector\] sampling baselineRatio must be a probability between 0 and 1 \(got 1\.2\)/],
      ['non-positive latency threshold', () => synth({ sampling: TraceSampling.of({ latencyThresholdMs: 0 }) }),
        /latencyThresholdMs must be a positive whole number of milliseconds \(got 0\)/],
      ['non-positive rate limit', () => synth({ sampling: TraceSampling.of({ maxSpansPerSecond: -1 }) }),
        /maxSpansPerSecond must be a positive whole number \(got -1\)/],
      ['duplicate service rules', () => synth({ sampling: TraceSampling.of({ services: [
        { service: 'a', strategy: SamplingStrategy.timesBaseline(2) }, { service: 'a', strategy: SamplingStrategy.timesBaseline(3) }] }) }),
        /sampling services list "a" twice/],
      ['multi-tenant Tempo without a tenant', () => synth({}, { multitenancy: true }),
        /the backend has multitenancy on, so every write needs a tenant, but none was given/],
      ['a tenant for a single-tenant Tempo', () => synth({}, {}, 'team-a'),
        /a tenant was given but the backend has multitenancy off, so it would ignore the header \(got "team-a"\)/],
      ['backend NetworkPolicy does not admit the collector', () => synth({}, { allowedNamespaces: ['apps'] }),
        /\[otel\/Collector\] the backend's NetworkPolicy admits only namespaces \["apps"\], so exports from this collector's namespace would be dropped \(got "observability"\); add "observability" to the backend's allowedNamespaces/],
      ['external endpoint with a scheme', () => synth({ backend: CollectorBackend.external('http://otlp.example.com:4317') }),
        /backend endpoint must be host:port without scheme \(got "http:\/\/otlp.example.com:4317"\)/],
      ['latency rule in head mode', () => synth({ samplingMode: CollectorSamplingMode.HEAD, sampling: TraceSampling.of({ latencyThresholdMs: 500 }) }),
        /only tail sampling can apply, but samplingMode is HEAD/],
      ['service rules nothing applies', () => synth({ samplingMode: CollectorSamplingMode.NONE, sampling: headOnly }),
        /per-service rules but samplingMode is NONE and remoteSampling is off/],
      ['a model that keeps nothing', () => synth({ sampling: TraceSampling.of({ baselineRatio: 0, keepErrors: false }) }),
        /the sampling model keeps nothing/],
      ['traffic too large for the sampler memory', () => synth({ traffic: { tracesPerSecond: 50000 } }),
        /tail sampling would buffer about \d+MiB of spans per sampler replica .* \(got "2Gi"\); raise sampler.resources.memoryLimit to at least \d+(\.\d+)?Gi, or raise sampler.replicas/],
      ['zero traces per second', () => synth({ traffic: { tracesPerSecond: 0 } }), /traffic.tracesPerSecond must be a positive number \(got 0\)/],
      ['maxReplicas below minReplicas', () => synth({ gateway: { minReplicas: 4, maxReplicas: 2 } }),
        /gateway.maxReplicas must be a whole number no lower than minReplicas \(4\) \(got 2\)/],
      ['zero replicas', () => synth({ sampler: { replicas: 0 } }), /sampler.replicas must be a whole number of at least 1 \(got 0\)/],
      ['an autoscaler on the sampler, which owns a queue', () => synth({ sampler: { minReplicas: 2, maxReplicas: 6 } }),
        /\[otel\/Collector\] sampler.minReplicas is set, but the sampler owns a persistent queue on a claim per pod and is not autoscaled: a pod removed by a scale-down would leave its queued spans on a claim no running pod reads \(got 2\); set a fixed sampler.replicas instead/],
      ['an autoscaler on the exporting gateway (HEAD)', () => synth({ samplingMode: CollectorSamplingMode.HEAD, gateway: { maxReplicas: 8 } }),
        /gateway.maxReplicas is set, but the gateway owns a persistent queue .* \(got 8\); set a fixed gateway.replicas instead/],
      ['a fixed count on the autoscaled gateway (TAIL)', () => synth({ gateway: { replicas: 3 } }),
        /gateway.replicas is set but in TAIL mode the gateway owns no queue and autoscales \(got 3\); set gateway.minReplicas and gateway.maxReplicas instead/],
      ['a queue volume on the TAIL gateway', () => synth({ gateway: { queueVolumeSize: '3Gi' } }),
        /gateway.queueVolumeSize is set but in TAIL mode the gateway forwards to the sampler synchronously and owns no queue .* \(got "3Gi"\); set sampler.queueVolumeSize instead/],
      ['queue volume too small', () => synth({ agent: { queueVolumeSize: '8Mi' } }), /agent.queueVolumeSize holds fewer than 10 full requests/],
      ['renamed resource detector', () => synth({ agent: { resourceDetectors: ['env', 'k8snode'] } }),
        /\[otel\/Collector\] agent.resourceDetectors has "k8snode", which this library refuses: .*k8snode was renamed k8s_api \(got "k8snode"\); use some of env, k8s_api, eks/],
      ['a detector whose errors stop the agent', () => synth({ agent: { resourceDetectors: ['env', 'ec2'] } }),
        /\[otel\/Collector\] agent.resourceDetectors has "ec2", which this library refuses: it returns an error \(which stops the agent\).*use "eks".* \(got "ec2"\)/],
      ['the system detector', () => synth({ agent: { resourceDetectors: ['system'] } }), /agent.resourceDetectors has "system", which this library refuses/],
      ['an unknown detector', () => synth({ agent: { resourceDetectors: ['env', 'kubernetes'] } }),
        /agent.resourceDetectors has "kubernetes", which is not a resource_detection detector an agent may run \(got "kubernetes"\)/],
      ['a detector listed twice', () => synth({ agent: { resourceDetectors: ['env', 'env'] } }), /agent.resourceDetectors lists a detector twice/],
      ['sampler options without tail sampling', () => synth({ samplingMode: CollectorSamplingMode.HEAD, sampler: { replicas: 3 } }),
        /sampler options are set but samplingMode is not TAIL/],
      ['gateway StorageClass in tail mode', () => synth({ gateway: { storageClassName: 'gp3' } }),
        /\[otel\/Collector\] gateway.storageClassName is set but in TAIL mode the gateway forwards to the sampler synchronously and owns no queue, so no claim would use it \(got "gp3"\); set sampler.storageClassName instead/],
      ['bad log level', () => synth({ logLevel: 'verbose' }), /logLevel is not a collector log level \(got "verbose"\)/],
      ['name not a DNS label', () => synth({ name: 'OTel_Collector' }), /name must be a DNS label/],
      ['memory request above limit', () => synth({ gateway: { resources: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '1Gi' } } }),
        /\[otel\/Collector\/gateway\] resources.memoryRequest exceeds resources.memoryLimit/],
      ['chart without a namespace', () => {
        const app = new App();
        const tempo = new TempoChart(app, 'tempo', { namespace: 'tracing', storage });
        const { Chart } = jest.requireActual('cdk8s');
        return new TracingCollector(new Chart(app, 'bare'), 'Collector', { backend: CollectorBackend.tempo(tempo.tempo) });
      }, /\[bare\/Collector\] the chart holding the collector has no namespace/],
    ];
    test.each(cases)('%s', (_name, act, message) => {
      expect(act).toThrow(TracingConfigError);
      expect(act).toThrow(message);
    });
  });
});
