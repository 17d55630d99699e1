// Defaults and validation: turns TracingCollectorProps into ResolvedCollector, or throws a TracingConfigError
// naming the setting to change. Every check runs here, before any object exists, and in the order users meet them.
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { configError } from '../../core/errors';
import { validateDnsLabel, validateLabels } from '../../core/names';
import { ContainerResources, parseMemoryBytes, validateResources } from '../../core/quantities';
import { ResolvedSampling, TraceSampling } from '../../core/sampling';
import { OtlpGrpcTarget, TailSamplingSizing, TenantRoutingInput, renderTailSamplingPolicies, routedTenants } from '../../render/collector-config';
import { CollectorBackend } from './backend';
import { CollectorAgentOptions, CollectorSamplingMode, CollectorScalingOptions, CollectorTraffic, TracingCollectorProps } from './props';
import { BATCH_SIZE, checkTailMemory, deriveTailSizing, queueLength } from './sizing';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
/**
 * resource_detection detectors an agent may run. Since contrib 0.142 a detector that returns an error
 * stops the collector, so this is the list of detectors that cannot return one in an agent pod as we
 * configure it (read in the detectors' source at 0.161.0, see docs/collector.md):
 * with `fail_on_missing_metadata: false` the cloud detectors (eks, gcp, aks, azure) report an unreachable
 * metadata service as "no attributes"; eks and k8s_api read the node from `K8S_NODE_NAME`; k8s_api's
 * `k8s.cluster.uid` lookup (the one call it turns into an error) is off; env reads the agent's own
 * environment, which we write.
 */
export const KNOWN_RESOURCE_DETECTORS = ['env', 'k8s_api', 'eks', 'gcp', 'aks', 'azure'];

/** Detectors of the release that an agent must not run, with why and what to use instead. */
const REFUSED_RESOURCE_DETECTORS: Record<string, string> = {
  ec2: 'it returns an error (which stops the agent) when IMDS answers the instance-id probe but then fails the identity document or hostname request; use "eks", which reads the same attributes and reports failures as missing attributes',
  system: 'it returns an error (which stops the agent) when the distroless image lacks the OS files it reads, and it would describe the agent container rather than the node; use "k8s_api" for node attributes',
  ecs: 'it returns an error (which stops the agent) when the ECS task metadata endpoint fails, and agents run on Kubernetes, not ECS',
  docker: 'the restricted Pod Security Standard gives the agent no Docker socket, and a failing client stops the agent',
  openshift: 'its detector creation fails, and stops the agent, without the OpenShift API; it is not supported by this library',
  consul: 'it needs a Consul agent address the agent pod does not have; a failing client stops the agent',
  heroku: 'agents run on Kubernetes, not Heroku',
  lambda: 'agents run on Kubernetes, not Lambda',
  k8snode: 'it was renamed: k8snode was renamed k8s_api',
};

const AGENT_RESOURCES: ContainerResources = { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' };
const GATEWAY_RESOURCES: ContainerResources = { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '512Mi', memoryLimit: '1Gi' };
const SAMPLER_RESOURCES: ContainerResources = { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '2Gi' };

export interface ResolvedTraffic {
  readonly tracesPerSecond: number;
  readonly spansPerTrace: number;
  readonly p99TraceDurationSeconds: number;
  readonly averageSpanBytes: number;
}

export interface ResolvedAgent {
  readonly resources: ContainerResources;
  readonly image?: string;
  readonly resourceDetectors: string[];
  readonly queueVolumeSize: string;
  readonly tolerations: k8s.Toleration[];
}

/** HPA bounds of the autoscaled tier (the gateway in TAIL mode). */
export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization: number;
}

export interface ResolvedScaling {
  readonly resources: ContainerResources;
  readonly image?: string;
  /** The fixed count of a tier that owns a queue, or the initial count (HPA minimum) of the autoscaled tier. */
  readonly replicas: number;
  /** Set for the autoscaled tier only: a tier that owns a persistent queue is never autoscaled. */
  readonly autoscaling?: ResolvedAutoscaling;
  /** Size of the PersistentVolumeClaim per pod, for the tier that owns a persistent queue. */
  readonly queueVolumeSize?: string;
  readonly storageClassName?: string;
}

/** The sampler tier, which exists in TAIL mode only. */
export interface ResolvedTail {
  readonly options: ResolvedScaling;
  /** Tail-sampling sizes derived from the declared traffic for `options.replicas` replicas. */
  readonly sizing: TailSamplingSizing;
  readonly queueSize: number;
}

/** Everything TracingCollector builds from, defaulted and validated. */
export interface ResolvedCollector {
  readonly name: string;
  readonly namespace: string;
  readonly backend: OtlpGrpcTarget;
  /** Per-tenant routing in the tier that exports to the backend, when spans go to several tenants. */
  readonly tenancy?: TenantRoutingInput;
  readonly logLevel: string;
  readonly samplingMode: CollectorSamplingMode;
  readonly sampling: ResolvedSampling;
  readonly remoteSampling: boolean;
  readonly agent: ResolvedAgent;
  readonly agentQueueSize: number;
  readonly gateway: ResolvedScaling;
  /** Queue length of each of the gateway's exporters, when the gateway exports to the backend (and owns a queue). */
  readonly gatewayQueueSize?: number;
  /** The gateway exports to the backend (and needs a queue that survives pod replacement) unless a sampler tier does. */
  readonly gatewayExports: boolean;
  readonly tail?: ResolvedTail;
}

/** `namespace` is the chart's: Service DNS names are computed from it. */
export function resolveCollector(path: string, namespace: string | undefined, props: TracingCollectorProps): ResolvedCollector {
  if (!namespace) {
    throw configError(path, 'the chart holding the collector has no namespace, so Service DNS names cannot be computed', namespace,
      'create the chart with { namespace: "observability" } (or use TracingCollectorChart)');
  }
  const name = props.name ?? 'otel';
  validateDnsLabel(path, 'name', name, 40);
  if (!props.backend || !(props.backend instanceof CollectorBackend)) {
    throw configError(path, 'no backend: the collector would receive spans and export them nowhere', props.backend,
      'pass backend: CollectorBackend.tempo(tempo) (or CollectorBackend.receiver(jaeger), CollectorBackend.external("host:4317"))');
  }
  const backend = props.backend.bind(path, namespace);
  const tenancy = props.backend.bindTenancy(path);
  const logLevel = props.logLevel ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw configError(path, 'logLevel is not a collector log level', logLevel, `use one of ${LOG_LEVELS.join(', ')}`);
  }
  const samplingMode = props.samplingMode ?? CollectorSamplingMode.TAIL;
  if (!Object.values(CollectorSamplingMode).includes(samplingMode)) {
    throw configError(path, 'samplingMode is not a CollectorSamplingMode', samplingMode, 'use CollectorSamplingMode.TAIL, HEAD or NONE');
  }
  const sampling = (props.sampling ?? TraceSampling.of()).resolve(path);
  const remoteSampling = props.remoteSampling ?? false;
  checkSamplingFitsMode(path, samplingMode, sampling, props.sampling, remoteSampling);
  if (props.serviceMonitor) {
    validateLabels(path, 'serviceMonitor.labels', props.serviceMonitor.labels);
    const interval = props.serviceMonitor.interval;
    // Prometheus Operator's Duration pattern: one or more number+unit pairs.
    if (interval !== undefined && (typeof interval !== 'string' || !/^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/.test(interval) || interval === '' || interval === '0')) {
      throw configError(path, 'serviceMonitor.interval is not a Prometheus duration', interval, 'use e.g. "30s" or "1m"');
    }
  }
  const traffic = resolveTraffic(path, props.traffic);
  const agent = resolveAgent(path, props.agent);
  if (props.sampler && samplingMode !== CollectorSamplingMode.TAIL) {
    throw configError(path, 'sampler options are set but samplingMode is not TAIL, so no sampler tier exists', samplingMode,
      'remove sampler, or use samplingMode: CollectorSamplingMode.TAIL');
  }
  // The tier that exports to the backend owns the persistent queue: the gateway unless a sampler tier does.
  const gatewayExports = samplingMode !== CollectorSamplingMode.TAIL;
  const gateway = resolveScaling(path, 'gateway', props.gateway, GATEWAY_RESOURCES, gatewayExports ? '2Gi' : undefined);
  const sampler = resolveScaling(path, 'sampler', props.sampler, SAMPLER_RESOURCES, '10Gi');

  const requestBytes = BATCH_SIZE * 2 * traffic.averageSpanBytes;
  // With tenant routing the exporting tier has one exporter (and queue) per tenant on its one volume.
  const backendExporters = tenancy ? routedTenants(tenancy).length : 1;
  let tail: ResolvedTail | undefined;
  if (samplingMode === CollectorSamplingMode.TAIL) {
    const sizing = deriveTailSizing(traffic, sampler.replicas);
    checkTailMemory(path, sizing, traffic, sampler.resources);
    tail = { options: sampler, sizing, queueSize: queueLength(path, 'sampler', sampler.queueVolumeSize!, requestBytes, backendExporters) };
  }
  const gatewayQueueSize = gatewayExports ? queueLength(path, 'gateway', gateway.queueVolumeSize!, requestBytes, backendExporters) : undefined;
  const agentQueueSize = queueLength(path, 'agent', agent.queueVolumeSize, requestBytes);
  return {
    name, namespace, backend, tenancy, logLevel, samplingMode, sampling, remoteSampling,
    agent, agentQueueSize, gateway, gatewayQueueSize, gatewayExports, tail,
  };
}

function resolveAgent(path: string, options: CollectorAgentOptions = {}): ResolvedAgent {
  const resources = options.resources ?? AGENT_RESOURCES;
  validateResources(`${path}/agent`, resources);
  const resourceDetectors = options.resourceDetectors ?? ['env', 'k8s_api'];
  if (resourceDetectors.length === 0) {
    throw configError(path, 'agent.resourceDetectors is empty', resourceDetectors, 'leave it out for ["env", "k8s_api"], or list detectors');
  }
  for (const d of resourceDetectors) {
    if (REFUSED_RESOURCE_DETECTORS[d] !== undefined) {
      throw configError(path, `agent.resourceDetectors has "${d}", which this library refuses: ${REFUSED_RESOURCE_DETECTORS[d]}`, d,
        `use some of ${KNOWN_RESOURCE_DETECTORS.join(', ')}`);
    }
    if (!KNOWN_RESOURCE_DETECTORS.includes(d)) {
      throw configError(path, `agent.resourceDetectors has "${d}", which is not a resource_detection detector an agent may run`, d,
        `use some of ${KNOWN_RESOURCE_DETECTORS.join(', ')} (k8snode was renamed k8s_api)`);
    }
  }
  if (new Set(resourceDetectors).size !== resourceDetectors.length) {
    throw configError(path, 'agent.resourceDetectors lists a detector twice', resourceDetectors, 'list each detector once');
  }
  const queueVolumeSize = options.queueVolumeSize ?? '1Gi';
  checkSize(path, 'agent.queueVolumeSize', queueVolumeSize);
  return { resources, image: options.image, resourceDetectors, queueVolumeSize, tolerations: options.tolerations ?? [{ operator: 'Exists' }] };
}

/**
 * `volumeDefault` is set for a tier that owns a persistent queue (a claim per pod): such a tier has a
 * fixed replica count, because the collector keeps (never drains) a persistent queue on shutdown, so a
 * pod an autoscaler removed would leave its queue on a claim no running pod reads. The other tier (the
 * gateway in TAIL mode) owns no queue and autoscales.
 */
function resolveScaling(path: string, tier: string, options: CollectorScalingOptions = {}, resourcesDefault: ContainerResources,
  volumeDefault: string | undefined): ResolvedScaling {
  const resources = options.resources ?? resourcesDefault;
  validateResources(`${path}/${tier}`, resources);
  const ownsQueue = volumeDefault !== undefined;
  if (!ownsQueue) {
    if (options.replicas !== undefined) {
      throw configError(path, `${tier}.replicas is set but in TAIL mode the gateway owns no queue and autoscales`, options.replicas,
        `set ${tier}.minReplicas and ${tier}.maxReplicas instead`);
    }
    if (options.storageClassName !== undefined) {
      throw configError(path, `${tier}.storageClassName is set but in TAIL mode the gateway forwards to the sampler synchronously and owns no queue, so no claim would use it`,
        options.storageClassName, 'set sampler.storageClassName instead (the sampler exports to the backend in TAIL mode), or drop it');
    }
    if (options.queueVolumeSize !== undefined) {
      throw configError(path, `${tier}.queueVolumeSize is set but in TAIL mode the gateway forwards to the sampler synchronously and owns no queue (the agents' queues hold spans while the sampler is unreachable)`,
        options.queueVolumeSize, 'set sampler.queueVolumeSize instead, or drop it');
    }
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
    return { resources, image: options.image, replicas: minReplicas, autoscaling: { minReplicas, maxReplicas, targetCpuUtilization } };
  }
  for (const key of ['minReplicas', 'maxReplicas', 'targetCpuUtilization'] as const) {
    if (options[key] !== undefined) {
      throw configError(path, `${tier}.${key} is set, but the ${tier} owns a persistent queue on a claim per pod and is not autoscaled: a pod removed by a scale-down would leave its queued spans on a claim no running pod reads`,
        options[key], `set a fixed ${tier}.replicas instead (see "Scaling" in docs/collector.md)`);
    }
  }
  const replicas = options.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw configError(path, `${tier}.replicas must be a whole number of at least 1`, replicas, 'use 2 or more so a node failure leaves one running');
  }
  const queueVolumeSize = options.queueVolumeSize ?? volumeDefault;
  checkSize(path, `${tier}.queueVolumeSize`, queueVolumeSize);
  return { resources, image: options.image, replicas, queueVolumeSize, storageClassName: options.storageClassName };
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
