import { ApiObject, Chart, JsonPatch } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { configError } from '../../core/errors';
import { validateDnsLabel } from '../../core/names';
import { ContainerResources, goMemLimit, parseMemoryBytes, validateResources } from '../../core/quantities';
import { ResolvedSampling, TraceSampling } from '../../core/sampling';
import { versionOfImage } from '../../core/versions';
import { distributionFor } from '../../render/collector-components';
import {
  AGENT_RECEIVER_PORTS, COLLECTOR_CONFIG_DIR, COLLECTOR_CONFIG_FILE, COLLECTOR_PORTS, COLLECTOR_QUEUE_DIR, CollectorListenPort,
  CommonTierInput, NODE_NAME_ENV, OTLP_RECEIVER_PORTS, POD_IP_ENV, REMOTE_SAMPLING_PORTS, TailSamplingSizing,
  renderAgentConfig, renderGatewayConfig, renderSamplerConfig, renderTailSamplingPolicies,
} from '../../render/collector-config';
import { SAMPLING_STRATEGIES_FILE, renderSamplingStrategiesJson } from '../../render/sampling-strategies';
import { toYaml } from '../../render/yaml';
import { configChecksum } from '../checksum';
import { labelsWithoutVersion, selectorLabels, standardLabels } from '../labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../pod-security';
import { CollectorBackend } from './backend';
import { resourceRequirements } from '../resources';

/** The collector images run as this UID and GID. */
export const COLLECTOR_UID = 10001;
/** GOMEMLIMIT as a share of the container memory limit. */
export const COLLECTOR_GOMEMLIMIT_RATIO = 0.8;
/** Label marking the Service a ServiceMonitor scrapes (one per tier). */
export const METRICS_SERVICE_LABEL = 'cdk-tracing.io/metrics';
/** Seconds an OTel SDK's batch span processor waits before exporting (OTEL_BSP_SCHEDULE_DELAY default). */
const SDK_EXPORT_DELAY_SECONDS = 5;
/** Seconds for agent batching, queueing and the network between SDK and sampler. */
const PIPELINE_SLACK_SECONDS = 2;
/** Headroom on num_traces for bursts and uneven traceID hashing across replicas. */
const NUM_TRACES_HEADROOM = 2;
/** Share of the sampler memory limit the buffered traces may take. */
const TAIL_BUFFER_MEMORY_SHARE = 0.4;
const BATCH_SIZE = 1024;
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
/** resource_detection detectors this library knows to exist in 0.159.0 (k8s_api replaced k8snode in 0.154). */
export const KNOWN_RESOURCE_DETECTORS = ['env', 'system', 'k8s_api', 'eks', 'ec2', 'ecs', 'gcp', 'aks', 'azure', 'openshift', 'consul', 'docker', 'heroku', 'lambda'];

/** How the gateway samples. */
export enum CollectorSamplingMode {
  /**
   * Tail sampling: the gateway routes spans by traceID (load_balancing, k8s
   * resolver) to a sampler StatefulSet that applies the {@link TraceSampling}
   * policies. Correct with any number of replicas.
   */
  TAIL = 'tail',
  /** Head sampling at the gateway: probabilistic_sampler at the baseline ratio. */
  HEAD = 'head',
  /** Keep everything the SDKs send (sampling happens in SDKs, e.g. with remote sampling). */
  NONE = 'none',
}

/** Declared traffic: tail-sampling sizes are derived from it. */
export interface CollectorTraffic {
  /**
   * Peak new traces per second arriving at the whole tier.
   * @default 1000
   */
  readonly tracesPerSecond?: number;
  /**
   * Average spans per trace.
   * @default 20
   */
  readonly spansPerTrace?: number;
  /**
   * The 99th-percentile trace duration in seconds. decision_wait is this plus
   * the SDK export delay (5s) plus 2s of pipeline slack, so that late spans of
   * slow traces still join their trace.
   * @default 5
   */
  readonly p99TraceDurationSeconds?: number;
  /**
   * Average encoded span size in bytes, for memory and queue sizing.
   * @default 1024
   */
  readonly averageSpanBytes?: number;
}

/** Options of the agent DaemonSet. */
export interface CollectorAgentOptions {
  /**
   * Requests and limits. GOMEMLIMIT is 80% of the memory limit.
   * @default { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' }
   */
  readonly resources?: ContainerResources;
  /**
   * Container image.
   * @default - otelcol-k8s 0.159.0, or otelcol-contrib 0.159.0 when remote sampling is on
   */
  readonly image?: string;
  /**
   * resource_detection detectors. Add `eks` or `ec2` on AWS.
   * @default ['env', 'k8s_api']
   */
  readonly resourceDetectors?: string[];
  /**
   * Size limit of the emptyDir holding the persistent queue to the gateway
   * (survives container restarts; the restricted Pod Security Standard rules out hostPath).
   * @default '1Gi'
   */
  readonly queueVolumeSize?: string;
  /**
   * Tolerations so agents also run on tainted nodes.
   * @default - tolerate every taint (an agent belongs on every node)
   */
  readonly tolerations?: k8s.Toleration[];
}

/** Options of a scalable tier (gateway, sampler). */
export interface CollectorScalingOptions {
  /**
   * Requests and limits. GOMEMLIMIT is 80% of the memory limit.
   * @default - gateway { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '512Mi', memoryLimit: '1Gi' }, sampler { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '2Gi' }
   */
  readonly resources?: ContainerResources;
  /**
   * Container image.
   * @default - otelcol-k8s 0.159.0
   */
  readonly image?: string;
  /**
   * Fewest replicas (HPA minimum, also the initial count). Tail-sampling sizes assume this many sampler replicas share the traffic.
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most replicas (HPA maximum).
   * @default 6
   */
  readonly maxReplicas?: number;
  /**
   * HPA target average CPU utilization, percent of the request.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
  /**
   * Size of the persistent queue volume. The tier that exports to the backend (the sampler in TAIL
   * mode, the gateway in HEAD and NONE modes) gets a PersistentVolumeClaim per pod of this size; a
   * gateway that only forwards to the sampler (TAIL) gets an emptyDir with this size limit.
   * @default - gateway '2Gi', sampler '10Gi'
   */
  readonly queueVolumeSize?: string;
  /**
   * StorageClass of the PersistentVolumeClaims holding the queue of the tier that exports to the
   * backend (the sampler in TAIL mode, the gateway in HEAD and NONE modes). Refused for the gateway
   * in TAIL mode, where its queue is an emptyDir.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/** A Prometheus Operator ServiceMonitor per tier. */
export interface CollectorServiceMonitorOptions {
  /**
   * Labels on the ServiceMonitors, e.g. `{ release: 'kube-prometheus-stack' }` for a Prometheus that selects by label.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Scrape interval.
   * @default '30s'
   */
  readonly interval?: string;
}

/** Props of {@link TracingCollector}. */
export interface TracingCollectorProps {
  /** Where traces go, e.g. `CollectorBackend.tempo(tempo)`. */
  readonly backend: CollectorBackend;
  /**
   * Base name of every object: `<name>-agent`, `<name>-gateway`, `<name>-sampler`.
   * @default 'otel'
   */
  readonly name?: string;
  /**
   * The sampling model: tail-sampling policies and the strategies served to SDK remote samplers.
   * @default TraceSampling.of() (keep errors, baseline 10%)
   */
  readonly sampling?: TraceSampling;
  /**
   * How the gateway samples.
   * @default CollectorSamplingMode.TAIL
   */
  readonly samplingMode?: CollectorSamplingMode;
  /**
   * Serve the sampling model's head strategies to Jaeger/OTel SDK remote samplers from the agents
   * (HTTP 5778 `/sampling`, gRPC 5779). Needs the contrib image, chosen automatically.
   * @default false
   */
  readonly remoteSampling?: boolean;
  /**
   * Declared traffic, from which decision_wait, num_traces and cache sizes are derived.
   * @default - see {@link CollectorTraffic}
   */
  readonly traffic?: CollectorTraffic;
  /**
   * Agent DaemonSet options.
   * @default - see {@link CollectorAgentOptions}
   */
  readonly agent?: CollectorAgentOptions;
  /**
   * Gateway Deployment options.
   * @default - see {@link CollectorScalingOptions}
   */
  readonly gateway?: CollectorScalingOptions;
  /**
   * Sampler StatefulSet options (tail sampling only).
   * @default - see {@link CollectorScalingOptions}
   */
  readonly sampler?: CollectorScalingOptions;
  /**
   * Create a ServiceMonitor (monitoring.coreos.com/v1) per tier for the collector's own metrics on port 8888.
   * @default - none
   */
  readonly serviceMonitor?: CollectorServiceMonitorOptions;
  /**
   * Collector log level.
   * @default 'info'
   */
  readonly logLevel?: string;
}

/** One tier's Kubernetes objects. */
export interface CollectorTier {
  /** Object name (Service DNS name, workload, ConfigMap prefix). */
  readonly name: string;
  /** Rendered collector config. */
  readonly config: Record<string, unknown>;
  /** Image in use. */
  readonly image: string;
  readonly configMap: k8s.KubeConfigMap;
  readonly service: k8s.KubeService;
  /** Labels selecting the tier's pods. */
  readonly selector: Record<string, string>;
}

interface ResolvedTraffic {
  readonly tracesPerSecond: number;
  readonly spansPerTrace: number;
  readonly p99TraceDurationSeconds: number;
  readonly averageSpanBytes: number;
}

interface ResolvedScaling {
  readonly resources: ContainerResources;
  readonly image?: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization: number;
  readonly queueVolumeSize: string;
  readonly storageClassName?: string;
}

const AGENT_RESOURCES: ContainerResources = { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' };
const GATEWAY_RESOURCES: ContainerResources = { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '512Mi', memoryLimit: '1Gi' };
const SAMPLER_RESOURCES: ContainerResources = { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '2Gi' };

/**
 * The OpenTelemetry Collector tier, correct by construction:
 *
 * - **agent** DaemonSet: OTLP (4317/4318), Jaeger (14250, 14268, UDP 6831/6832) and Zipkin (9411) receivers
 *   on a node-local Service (`internalTrafficPolicy: Local`), k8s_attributes limited to its node,
 *   resource_detection, batch, a persistent queue to the gateway;
 * - **gateway** with HPA and PDB, behind a headless Service the agents balance over: a Deployment
 *   when it forwards to the sampler (TAIL), a StatefulSet with a PersistentVolumeClaim per pod for
 *   its queue when it exports to the backend itself (HEAD, NONE);
 * - **sampler** StatefulSet with HPA and PDB (tail sampling): the gateway routes by traceID with
 *   load_balancing and the k8s resolver, the sampler keeps what the {@link TraceSampling} model says
 *   and exports to the backend through a persistent queue on a PersistentVolumeClaim.
 *
 * Whichever tier exports to the backend keeps its queue on a PersistentVolumeClaim, so a backend
 * outage outlasting a pod replacement (rollout, eviction, node drain) loses no span.
 *
 * Every pipeline starts with memory_limiter, every pod is "restricted", GOMEMLIMIT is 80% of the
 * memory limit, metrics are on the pod IP port 8888 and health_check drives the probes.
 * Must live in a Chart with a namespace.
 */
export class TracingCollector extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The sampling model as resolved. */
  public readonly sampling: ResolvedSampling;
  public readonly samplingMode: CollectorSamplingMode;
  /** Tail-sampling sizes derived from the declared traffic (tail mode only). */
  public readonly tailSizing?: TailSamplingSizing;
  public readonly agent: CollectorTier;
  public readonly gateway: CollectorTier;
  /** The sampler tier, in tail mode. */
  public readonly sampler?: CollectorTier;
  /** The strategies file served to SDKs, when remote sampling is on. */
  public readonly samplingStrategiesJson?: string;

  constructor(scope: Construct, id: string, props: TracingCollectorProps) {
    super(scope, id);
    const path = this.node.path;
    const namespace = Chart.of(this).namespace;
    if (!namespace) {
      throw configError(path, 'the chart holding the collector has no namespace, so Service DNS names cannot be computed', namespace,
        'create the chart with { namespace: "observability" } (or use TracingCollectorChart)');
    }
    this.namespace = namespace;
    this.name = props.name ?? 'otel';
    validateDnsLabel(path, 'name', this.name, 40);
    if (!props.backend || !(props.backend instanceof CollectorBackend)) {
      throw configError(path, 'no backend: the collector would receive spans and export them nowhere', props.backend,
        'pass backend: CollectorBackend.tempo(tempo) (or CollectorBackend.receiver(jaeger), CollectorBackend.external("host:4317"))');
    }
    const backend = props.backend.bind(path, namespace);
    const logLevel = props.logLevel ?? 'info';
    if (!LOG_LEVELS.includes(logLevel)) {
      throw configError(path, 'logLevel is not a collector log level', logLevel, `use one of ${LOG_LEVELS.join(', ')}`);
    }
    this.samplingMode = props.samplingMode ?? CollectorSamplingMode.TAIL;
    if (!Object.values(CollectorSamplingMode).includes(this.samplingMode)) {
      throw configError(path, 'samplingMode is not a CollectorSamplingMode', this.samplingMode, 'use CollectorSamplingMode.TAIL, HEAD or NONE');
    }
    this.sampling = (props.sampling ?? TraceSampling.of()).resolve(path);
    const remoteSampling = props.remoteSampling ?? false;
    checkSamplingFitsMode(path, this.samplingMode, this.sampling, props.sampling, remoteSampling);
    const traffic = resolveTraffic(path, props.traffic);
    const agentOpts = resolveAgent(path, props.agent);
    const gatewayOpts = resolveScaling(path, 'gateway', props.gateway, GATEWAY_RESOURCES, '2Gi');
    const samplerOpts = resolveScaling(path, 'sampler', props.sampler, SAMPLER_RESOURCES, '10Gi');
    if (props.sampler && this.samplingMode !== CollectorSamplingMode.TAIL) {
      throw configError(path, 'sampler options are set but samplingMode is not TAIL, so no sampler tier exists', this.samplingMode,
        'remove sampler, or use samplingMode: CollectorSamplingMode.TAIL');
    }
    // The gateway exports to the backend (and needs a queue that survives pod replacement) unless a sampler tier does.
    const gatewayExports = this.samplingMode !== CollectorSamplingMode.TAIL;
    if (gatewayOpts.storageClassName !== undefined && !gatewayExports) {
      throw configError(path, 'gateway.storageClassName is set but in TAIL mode the gateway only forwards to the sampler and queues on an emptyDir, so no claim would use it',
        gatewayOpts.storageClassName, 'set sampler.storageClassName instead (the sampler exports to the backend in TAIL mode), or drop it');
    }
    const monitor = props.serviceMonitor;
    const common = (queueSize: number): CommonTierInput => ({
      memoryLimitPercentage: 75, memorySpikePercentage: 20, queueSize, batchSize: BATCH_SIZE, logLevel,
    });
    const requestBytes = BATCH_SIZE * 2 * traffic.averageSpanBytes;
    const queueSizeFor = (tier: string, volume: string) => queueLength(path, tier, volume, requestBytes);

    const gatewayName = `${this.name}-gateway`;
    const samplerName = `${this.name}-sampler`;
    const agentName = `${this.name}-agent`;
    const svc = (name: string) => `${name}.${namespace}.svc.cluster.local`;

    // Sampler first: the gateway's resolver points at it.
    if (this.samplingMode === CollectorSamplingMode.TAIL) {
      this.tailSizing = deriveTailSizing(traffic, samplerOpts.minReplicas);
      checkTailMemory(path, this.tailSizing, traffic, samplerOpts.resources);
      const config = renderSamplerConfig({
        ...common(queueSizeFor('sampler', samplerOpts.queueVolumeSize)),
        sampling: this.sampling, sizing: this.tailSizing, backend,
      });
      this.sampler = this.scalableTier('Sampler', {
        name: samplerName, component: 'sampler', config, options: samplerOpts, persistentQueue: true, headlessServiceOnly: true,
        allowFrom: [{ podSelector: { matchLabels: selectorLabels({ name: 'opentelemetry-collector', instance: this.name, component: 'gateway' }) } }],
        monitor,
      });
    }

    const gatewayConfig = renderGatewayConfig({
      ...common(queueSizeFor('gateway', gatewayOpts.queueVolumeSize)),
      headSamplingRatio: this.samplingMode === CollectorSamplingMode.HEAD ? this.sampling.baselineRatio : undefined,
      backend: this.sampler ? undefined : backend,
      sampler: this.sampler ? { service: `${samplerName}.${namespace}`, port: COLLECTOR_PORTS.otlpGrpc } : undefined,
      maxConnectionAge: '60s',
    });
    this.gateway = this.scalableTier('Gateway', {
      name: gatewayName, component: 'gateway', config: gatewayConfig, options: gatewayOpts, persistentQueue: gatewayExports, headlessServiceOnly: false,
      // Agents send here; so may any pod of the cluster that exports OTLP directly.
      allowFrom: [{ namespaceSelector: {} }],
      monitor,
      readsEndpointSlices: this.sampler !== undefined,
    });

    this.samplingStrategiesJson = remoteSampling ? renderSamplingStrategiesJson(this.sampling) : undefined;
    const agentConfig = renderAgentConfig({
      ...common(queueSizeFor('agent', agentOpts.queueVolumeSize)),
      gateway: { endpoint: `dns:///${svc(`${gatewayName}-headless`)}:${COLLECTOR_PORTS.otlpGrpc}`, insecure: true },
      resourceDetectors: agentOpts.resourceDetectors,
      remoteSamplingFile: remoteSampling ? `${COLLECTOR_CONFIG_DIR}/${SAMPLING_STRATEGIES_FILE}` : undefined,
    });
    this.agent = this.agentTier(agentName, agentConfig, agentOpts, monitor);
  }

  /** Service DNS name of the agents' node-local Service: what applications export to. */
  public get agentHost(): string {
    return `${this.agent.name}.${this.namespace}.svc.cluster.local`;
  }

  /** OTLP/gRPC URL of the node-local agent (`http://<agent>:4317`). */
  public get agentOtlpGrpcUrl(): string {
    return `http://${this.agentHost}:${COLLECTOR_PORTS.otlpGrpc}`;
  }

  /** OTLP/HTTP base URL of the node-local agent (`http://<agent>:4318`). */
  public get agentOtlpHttpUrl(): string {
    return `http://${this.agentHost}:${COLLECTOR_PORTS.otlpHttp}`;
  }

  /**
   * Base URL of the agents' remote-sampling HTTP server (`http://<agent>:5778`), when remote sampling is on.
   * The strategies are served at `/sampling?service=<name>` under it (the only path the collector serves).
   */
  public get remoteSamplingUrl(): string | undefined {
    return this.samplingStrategiesJson ? `http://${this.agentHost}:${COLLECTOR_PORTS.remoteSamplingHttp}` : undefined;
  }

  /**
   * URL of the agents' remote-sampling gRPC server (`http://<agent>:5779`, plaintext
   * `jaeger.api_v2.SamplingManager`), when remote sampling is on: what the Java SDK's sampler uses.
   */
  public get remoteSamplingGrpcUrl(): string | undefined {
    return this.samplingStrategiesJson ? `http://${this.agentHost}:${COLLECTOR_PORTS.remoteSamplingGrpc}` : undefined;
  }

  private labels(component: string, image: string): Record<string, string> {
    return standardLabels({ name: 'opentelemetry-collector', instance: this.name, component, version: versionOfImage(image) });
  }

  private selector(component: string): Record<string, string> {
    return selectorLabels({ name: 'opentelemetry-collector', instance: this.name, component });
  }

  private container(image: string, resources: ContainerResources, ports: readonly CollectorListenPort[], extraEnv: k8s.EnvVar[], extraMounts: k8s.VolumeMount[]): k8s.Container {
    const health = { httpGet: { path: '/', port: k8s.IntOrString.fromString('health') } };
    return {
      name: 'otelcol',
      image,
      imagePullPolicy: 'IfNotPresent',
      args: [`--config=${COLLECTOR_CONFIG_DIR}/${COLLECTOR_CONFIG_FILE}`],
      ports: [
        ...ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
        { name: 'metrics', containerPort: COLLECTOR_PORTS.metrics, protocol: 'TCP' },
        { name: 'health', containerPort: COLLECTOR_PORTS.health, protocol: 'TCP' },
      ],
      env: [
        { name: POD_IP_ENV, valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'GOMEMLIMIT', value: goMemLimit(resources.memoryLimit, COLLECTOR_GOMEMLIMIT_RATIO) },
        ...extraEnv,
      ],
      resources: resourceRequirements(resources),
      securityContext: restrictedContainerSecurityContext(COLLECTOR_UID, COLLECTOR_UID),
      startupProbe: { ...health, periodSeconds: 5, failureThreshold: 24, timeoutSeconds: 3 },
      livenessProbe: { ...health, periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 3 },
      readinessProbe: { ...health, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 },
      volumeMounts: [
        { name: 'config', mountPath: COLLECTOR_CONFIG_DIR, readOnly: true },
        { name: 'queue', mountPath: COLLECTOR_QUEUE_DIR },
        ...extraMounts,
      ],
    };
  }

  private configMap(id: string, name: string, labels: Record<string, string>, configYaml: string, extra: Record<string, string> = {}): k8s.KubeConfigMap {
    return new k8s.KubeConfigMap(this, id, { metadata: { name: `${name}-config`, labels }, data: { [COLLECTOR_CONFIG_FILE]: configYaml, ...extra } });
  }

  private servicePorts(ports: readonly CollectorListenPort[], withMetrics: boolean): k8s.ServicePort[] {
    return [
      ...ports.map((p) => ({
        name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol,
        ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
      })),
      ...(withMetrics ? [{ name: 'metrics', port: COLLECTOR_PORTS.metrics, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP', appProtocol: 'http' }] : []),
    ];
  }

  private networkPolicy(id: string, name: string, labels: Record<string, string>, selector: Record<string, string>, ports: readonly CollectorListenPort[], from: k8s.NetworkPolicyPeer[]): void {
    new k8s.KubeNetworkPolicy(this, id, {
      metadata: { name, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [
          { from, ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })) },
          // Prometheus may live in any namespace; the health port is probed by the kubelet.
          { from: [{ namespaceSelector: {} }], ports: [{ port: k8s.IntOrString.fromNumber(COLLECTOR_PORTS.metrics), protocol: 'TCP' }] },
        ],
      },
    });
  }

  private serviceMonitor(id: string, name: string, labels: Record<string, string>, selector: Record<string, string>, options: CollectorServiceMonitorOptions): void {
    new ApiObject(this, id, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name, labels: { ...labels, ...(options.labels ?? {}) } },
      spec: {
        selector: { matchLabels: { ...selector, [METRICS_SERVICE_LABEL]: 'true' } },
        namespaceSelector: { matchNames: [this.namespace] },
        endpoints: [{ port: 'metrics', path: '/metrics', interval: options.interval ?? '30s' }],
      },
    });
  }

  private agentTier(name: string, config: Record<string, unknown>, opts: ResolvedAgent, monitor?: CollectorServiceMonitorOptions): CollectorTier {
    const image = opts.image ?? distributionFor(config).image;
    const labels = this.labels('agent', image);
    const selector = this.selector('agent');
    const configYaml = toYaml(config);
    const extra: Record<string, string> = this.samplingStrategiesJson ? { [SAMPLING_STRATEGIES_FILE]: this.samplingStrategiesJson } : {};
    const configMap = this.configMap('AgentConfig', name, labels, configYaml, extra);
    const ports = [...AGENT_RECEIVER_PORTS, ...(this.samplingStrategiesJson ? REMOTE_SAMPLING_PORTS : [])];

    new k8s.KubeServiceAccount(this, 'AgentServiceAccount', { metadata: { name, labels }, automountServiceAccountToken: true });
    // k8s_attributes reads pods, namespaces and replicasets (for k8s.deployment.name); k8s_api reads nodes and kube-system.
    const clusterRoleName = `${this.namespace}-${name}`;
    const clusterRole = new k8s.KubeClusterRole(this, 'AgentClusterRole', {
      metadata: { name: clusterRoleName, labels },
      rules: [
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    const binding = new k8s.KubeClusterRoleBinding(this, 'AgentClusterRoleBinding', {
      metadata: { name: clusterRoleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
      subjects: [{ kind: 'ServiceAccount', name, namespace: this.namespace }],
    });
    for (const obj of [clusterRole, binding]) ApiObject.of(obj).addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    const service = new k8s.KubeService(this, 'AgentService', {
      metadata: { name, labels: { ...labels, [METRICS_SERVICE_LABEL]: 'true' } },
      spec: {
        type: 'ClusterIP',
        selector,
        // Node-local delivery: a pod's spans go to the agent on its own node, which k8s_attributes needs.
        internalTrafficPolicy: 'Local',
        ports: this.servicePorts(ports, true),
      },
    });
    const q = (v: string) => k8s.Quantity.fromString(v);
    new k8s.KubeDaemonSet(this, 'AgentDaemonSet', {
      metadata: { name, labels },
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
        template: {
          metadata: { labels, annotations: { 'checksum/config': configChecksum(configYaml, ...Object.values(extra)) } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: true,
            securityContext: restrictedPodSecurityContext(COLLECTOR_UID, COLLECTOR_UID),
            tolerations: opts.tolerations,
            terminationGracePeriodSeconds: 30,
            enableServiceLinks: false,
            containers: [this.container(image, opts.resources, ports,
              [{ name: NODE_NAME_ENV, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }], [])],
            volumes: [
              { name: 'config', configMap: { name: configMap.name } },
              { name: 'queue', emptyDir: { sizeLimit: q(opts.queueVolumeSize) } },
            ],
          },
        },
      },
    });
    // Applications in every namespace send to the agent.
    this.networkPolicy('AgentNetworkPolicy', name, labels, selector, ports, [{ namespaceSelector: {} }]);
    if (monitor) this.serviceMonitor('AgentServiceMonitor', name, labels, selector, monitor);
    return { name, config, image, configMap, service, selector };
  }

  /**
   * A scalable tier (gateway, sampler) with HPA, PDB and NetworkPolicy.
   *
   * `persistentQueue`: the tier exports to the backend, so its file_storage queue must outlive the pod:
   * a StatefulSet with a PersistentVolumeClaim per pod. Otherwise a Deployment with an emptyDir queue
   * (survives container restarts only), enough for a tier that forwards inside the collector.
   * `headlessServiceOnly`: the headless Service carries the tier's name (the sampler, which only the
   * load_balancing resolver addresses); otherwise a ClusterIP Service `<name>` plus a headless
   * `<name>-headless` for the agents' client-side balancing.
   */
  private scalableTier(id: string, spec: {
    name: string; component: string; config: Record<string, unknown>; options: ResolvedScaling; persistentQueue: boolean; headlessServiceOnly: boolean;
    allowFrom: k8s.NetworkPolicyPeer[]; monitor?: CollectorServiceMonitorOptions; readsEndpointSlices?: boolean;
  }): CollectorTier {
    const { name, component, config, options, persistentQueue, headlessServiceOnly } = spec;
    const kind = persistentQueue ? 'StatefulSet' : 'Deployment';
    const image = options.image ?? distributionFor(config).image;
    const labels = this.labels(component, image);
    const selector = this.selector(component);
    const configYaml = toYaml(config);
    const configMap = this.configMap(`${id}Config`, name, labels, configYaml);
    const q = (v: string) => k8s.Quantity.fromString(v);

    new k8s.KubeServiceAccount(this, `${id}ServiceAccount`, { metadata: { name, labels }, automountServiceAccountToken: spec.readsEndpointSlices ?? false });
    if (spec.readsEndpointSlices) {
      // load_balancing's k8s resolver watches EndpointSlices (since ~0.140) of the sampler Service in this namespace.
      new k8s.KubeRole(this, `${id}Role`, {
        metadata: { name, labels },
        rules: [{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }],
      });
      new k8s.KubeRoleBinding(this, `${id}RoleBinding`, {
        metadata: { name, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: this.namespace }],
      });
    }

    const headlessName = headlessServiceOnly ? name : `${name}-headless`;
    // Headless: agents (dns:///, round_robin) and the load_balancing resolver see every pod, so gRPC's long-lived connections spread.
    const headless = new k8s.KubeService(this, `${id}HeadlessService`, {
      metadata: { name: headlessName, labels: headlessServiceOnly ? { ...labels, [METRICS_SERVICE_LABEL]: 'true' } : labels },
      spec: {
        clusterIp: 'None',
        selector,
        ports: this.servicePorts(OTLP_RECEIVER_PORTS, headlessServiceOnly),
      },
    });
    const service = headlessServiceOnly ? headless : new k8s.KubeService(this, `${id}Service`, {
      metadata: { name, labels: { ...labels, [METRICS_SERVICE_LABEL]: 'true' } },
      spec: { type: 'ClusterIP', selector, ports: this.servicePorts(OTLP_RECEIVER_PORTS, true) },
    });

    const podSpec: k8s.PodSpec = {
      serviceAccountName: name,
      automountServiceAccountToken: spec.readsEndpointSlices ?? false,
      securityContext: restrictedPodSecurityContext(COLLECTOR_UID, COLLECTOR_UID),
      // Long enough for the in-flight batches to flush; the persistent queue keeps the rest.
      terminationGracePeriodSeconds: 60,
      enableServiceLinks: false,
      topologySpreadConstraints: [{
        maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector },
      }],
      containers: [this.container(image, options.resources, OTLP_RECEIVER_PORTS, [], [])],
      volumes: [
        { name: 'config', configMap: { name: configMap.name } },
        ...(persistentQueue ? [] : [{ name: 'queue', emptyDir: { sizeLimit: q(options.queueVolumeSize) } }]),
      ],
    };
    const template = { metadata: { labels, annotations: { 'checksum/config': configChecksum(configYaml) } }, spec: podSpec };
    if (!persistentQueue) {
      new k8s.KubeDeployment(this, `${id}Deployment`, {
        metadata: { name, labels },
        spec: {
          replicas: options.minReplicas,
          selector: { matchLabels: selector },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
          template,
        },
      });
    } else {
      new k8s.KubeStatefulSet(this, `${id}StatefulSet`, {
        metadata: { name, labels },
        spec: {
          replicas: options.minReplicas,
          serviceName: headlessName,
          selector: { matchLabels: selector },
          podManagementPolicy: 'Parallel',
          updateStrategy: { type: 'RollingUpdate' },
          // Keep queues of scaled-down pods: the data is delivered when the ordinal comes back.
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          template,
          volumeClaimTemplates: [{
            // Immutable after creation: no version label, or every upgrade would be rejected.
            metadata: { name: 'queue', labels: labelsWithoutVersion(labels) },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: q(options.queueVolumeSize) } },
              ...(options.storageClassName ? { storageClassName: options.storageClassName } : {}),
            },
          }],
        },
      });
    }
    new k8s.KubeHorizontalPodAutoscalerV2(this, `${id}Autoscaler`, {
      metadata: { name, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind, name },
        minReplicas: options.minReplicas,
        maxReplicas: options.maxReplicas,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: options.targetCpuUtilization } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
        ],
        // Every sampler scale event moves trace ownership, and a scaled-down StatefulSet pod's queue waits on its claim; scale down slowly.
        behavior: { scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] } },
      },
    });
    new k8s.KubePodDisruptionBudget(this, `${id}DisruptionBudget`, {
      metadata: { name, labels },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
    this.networkPolicy(`${id}NetworkPolicy`, name, labels, selector, OTLP_RECEIVER_PORTS, spec.allowFrom);
    if (spec.monitor) this.serviceMonitor(`${id}ServiceMonitor`, name, labels, selector, spec.monitor);
    return { name, config, image, configMap, service, selector };
  }
}

interface ResolvedAgent {
  readonly resources: ContainerResources;
  readonly image?: string;
  readonly resourceDetectors: string[];
  readonly queueVolumeSize: string;
  readonly tolerations: k8s.Toleration[];
}

function resolveAgent(path: string, options: CollectorAgentOptions = {}): ResolvedAgent {
  const resources = options.resources ?? AGENT_RESOURCES;
  validateResources(`${path}/agent`, resources);
  const resourceDetectors = options.resourceDetectors ?? ['env', 'k8s_api'];
  if (resourceDetectors.length === 0) {
    throw configError(path, 'agent.resourceDetectors is empty', resourceDetectors, 'leave it out for ["env", "k8s_api"], or list detectors');
  }
  for (const d of resourceDetectors) {
    if (!KNOWN_RESOURCE_DETECTORS.includes(d)) {
      throw configError(path, `agent.resourceDetectors has "${d}", which is not a resource_detection detector of collector 0.159`, d,
        `use some of ${KNOWN_RESOURCE_DETECTORS.join(', ')} (k8snode was renamed k8s_api)`);
    }
  }
  const queueVolumeSize = options.queueVolumeSize ?? '1Gi';
  checkSize(path, 'agent.queueVolumeSize', queueVolumeSize);
  return { resources, image: options.image, resourceDetectors, queueVolumeSize, tolerations: options.tolerations ?? [{ operator: 'Exists' }] };
}

function resolveScaling(path: string, tier: string, options: CollectorScalingOptions = {}, resourcesDefault: ContainerResources, volumeDefault: string): ResolvedScaling {
  const resources = options.resources ?? resourcesDefault;
  validateResources(`${path}/${tier}`, resources);
  const minReplicas = options.minReplicas ?? 2;
  const maxReplicas = options.maxReplicas ?? Math.max(6, minReplicas);
  if (!Number.isInteger(minReplicas) || minReplicas < 1) {
    throw configError(path, `${tier}.minReplicas must be a whole number of at least 1`, minReplicas, 'use 2 or more so a node failure leaves one running');
  }
  if (!Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
    throw configError(path, `${tier}.maxReplicas must be a whole number no lower than minReplicas (${minReplicas})`, maxReplicas, `raise maxReplicas to at least ${minReplicas}`);
  }
  const targetCpuUtilization = options.targetCpuUtilization ?? 70;
  if (!Number.isInteger(targetCpuUtilization) || targetCpuUtilization < 10 || targetCpuUtilization > 100) {
    throw configError(path, `${tier}.targetCpuUtilization must be a whole percentage from 10 to 100`, targetCpuUtilization, 'use e.g. 70');
  }
  const queueVolumeSize = options.queueVolumeSize ?? volumeDefault;
  checkSize(path, `${tier}.queueVolumeSize`, queueVolumeSize);
  return { resources, image: options.image, minReplicas, maxReplicas, targetCpuUtilization, queueVolumeSize, storageClassName: options.storageClassName };
}

function checkSize(path: string, what: string, value: string): void {
  if (!parseMemoryBytes(value)) throw configError(path, `${what} is not a storage quantity`, value, 'use a quantity such as "2Gi"');
}

function positive(path: string, what: string, value: number, integer: boolean, fix: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw configError(path, `${what} must be a positive ${integer ? 'whole ' : ''}number`, value, fix);
  }
  return value;
}

function resolveTraffic(path: string, traffic: CollectorTraffic = {}): ResolvedTraffic {
  return {
    tracesPerSecond: positive(path, 'traffic.tracesPerSecond', traffic.tracesPerSecond ?? 1000, false, 'declare the peak new traces per second, e.g. 2000'),
    spansPerTrace: positive(path, 'traffic.spansPerTrace', traffic.spansPerTrace ?? 20, false, 'declare the average spans per trace, e.g. 20'),
    p99TraceDurationSeconds: positive(path, 'traffic.p99TraceDurationSeconds', traffic.p99TraceDurationSeconds ?? 5, false, 'declare the p99 trace duration in seconds, e.g. 5'),
    averageSpanBytes: positive(path, 'traffic.averageSpanBytes', traffic.averageSpanBytes ?? 1024, true, 'declare the average span size in bytes, e.g. 1024'),
  };
}

/**
 * decision_wait covers the slowest traces we promise to sample whole plus the SDK export delay;
 * num_traces holds every trace that arrives during decision_wait on one replica, with headroom.
 */
export function deriveTailSizing(traffic: ResolvedTraffic, replicas: number): TailSamplingSizing {
  const decisionWaitSeconds = Math.ceil(traffic.p99TraceDurationSeconds + SDK_EXPORT_DELAY_SECONDS + PIPELINE_SLACK_SECONDS);
  const perReplica = traffic.tracesPerSecond / replicas;
  const numTraces = Math.max(1000, Math.ceil(perReplica * decisionWaitSeconds * NUM_TRACES_HEADROOM));
  return {
    decisionWaitSeconds,
    numTraces,
    expectedNewTracesPerSecond: Math.max(1, Math.ceil(perReplica)),
    // Decisions outlive their traces so late spans follow them; entries are ~100 bytes.
    decisionCacheSize: numTraces * 5,
    spansPerTrace: traffic.spansPerTrace,
  };
}

function checkTailMemory(path: string, sizing: TailSamplingSizing, traffic: ResolvedTraffic, resources: ContainerResources): void {
  const limit = parseMemoryBytes(resources.memoryLimit)!;
  const held = sizing.numTraces * traffic.spansPerTrace * traffic.averageSpanBytes;
  if (held > limit * TAIL_BUFFER_MEMORY_SHARE) {
    const mib = (b: number) => Math.ceil(b / 1024 ** 2);
    const needed = Math.ceil(held / TAIL_BUFFER_MEMORY_SHARE / 1024 ** 3 * 4) / 4;
    throw configError(path,
      `tail sampling would buffer about ${mib(held)}MiB of spans per sampler replica (num_traces ${sizing.numTraces} x ${traffic.spansPerTrace} spans x ${traffic.averageSpanBytes} bytes), more than ${TAIL_BUFFER_MEMORY_SHARE * 100}% of sampler memoryLimit`,
      resources.memoryLimit,
      `raise sampler.resources.memoryLimit to at least ${needed}Gi, or raise sampler.minReplicas so each replica holds less`);
  }
}

function queueLength(path: string, tier: string, volume: string, requestBytes: number): number {
  const bytes = parseMemoryBytes(volume)!;
  const length = Math.floor((bytes * 0.8) / requestBytes);
  if (length < 10) {
    throw configError(path, `${tier}.queueVolumeSize holds fewer than 10 full requests (${requestBytes} bytes each), too little to ride out a backend restart`, volume,
      `use at least ${Math.ceil((requestBytes * 10) / 0.8 / 1024 ** 2)}Mi`);
  }
  return length;
}

function checkSamplingFitsMode(path: string, mode: CollectorSamplingMode, sampling: ResolvedSampling, given: TraceSampling | undefined, remoteSampling: boolean): void {
  if (mode === CollectorSamplingMode.TAIL) {
    if (renderTailSamplingPolicies(sampling, 1).length === 0) {
      throw configError(path, 'the sampling model keeps nothing: keepErrors is off, no latency threshold, no service rules and baseline 0', given?.props,
        'keep errors, set a latency threshold, add service rules or raise baselineRatio');
    }
    return;
  }
  const props = given?.props ?? {};
  if (props.latencyThresholdMs !== undefined || props.maxSpansPerSecond !== undefined) {
    throw configError(path, `sampling sets latencyThresholdMs or maxSpansPerSecond, which only tail sampling can apply, but samplingMode is ${mode.toUpperCase()}`,
      { latencyThresholdMs: props.latencyThresholdMs, maxSpansPerSecond: props.maxSpansPerSecond },
      'use samplingMode: CollectorSamplingMode.TAIL, or drop those settings');
  }
  if (sampling.services.length > 0 && !remoteSampling) {
    throw configError(path, `sampling has per-service rules but samplingMode is ${mode.toUpperCase()} and remoteSampling is off, so nothing would apply them`,
      sampling.services.map((s) => s.service), 'use samplingMode: CollectorSamplingMode.TAIL, or set remoteSampling: true so SDKs apply them');
  }
}
