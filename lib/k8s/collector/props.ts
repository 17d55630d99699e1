// The public props and option types of TracingCollector; no logic lives here.
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import type { ContainerResources } from '../../core/quantities';
import type { TraceSampling } from '../../core/sampling';
import type { CollectorBackend } from './backend';

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
   * @default - otelcol-k8s 0.161.0, or otelcol-contrib 0.161.0 when remote sampling is on
   */
  readonly image?: string;
  /**
   * resource_detection detectors, from `env`, `k8s_api`, `eks`, `gcp`, `aks`, `azure`: the ones that
   * cannot stop the agent as we configure them (a detector error stops the collector). Add `eks` on
   * EKS (it reads the node through the Kubernetes API where pods cannot reach IMDS); `ec2`, `system`
   * and the detectors for other platforms are refused.
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
   * @default - otelcol-k8s 0.161.0
   */
  readonly image?: string;
  /**
   * Replicas of a tier that owns a persistent queue: the sampler in TAIL mode, the gateway in HEAD
   * and NONE modes. Such a tier is not autoscaled: a pod removed by a scale-down would leave its
   * queue on a claim that no running pod reads (the collector keeps, never drains, a persistent queue
   * on shutdown). Tail-sampling sizes assume this many sampler replicas share the traffic. Refused
   * for the gateway in TAIL mode, which autoscales between `minReplicas` and `maxReplicas`.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Fewest replicas (HPA minimum, also the initial count) of the autoscaled tier: the gateway in
   * TAIL mode, which owns no queue. Refused for a tier that owns a persistent queue (use `replicas`).
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most replicas (HPA maximum) of the autoscaled gateway (TAIL mode). Refused for a tier that owns
   * a persistent queue (use `replicas`).
   * @default - 6, or minReplicas when that is larger
   */
  readonly maxReplicas?: number;
  /**
   * HPA target average CPU utilization, percent of the request, of the autoscaled gateway (TAIL
   * mode). Refused for a tier that owns a persistent queue.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
  /**
   * Size of the PersistentVolumeClaim per pod holding the persistent queue of the tier that exports
   * to the backend (the sampler in TAIL mode, the gateway in HEAD and NONE modes). Refused for the
   * gateway in TAIL mode, which forwards synchronously and owns no queue (the agents' queues hold
   * spans while the sampler is unreachable).
   * @default - gateway '2Gi', sampler '10Gi'
   */
  readonly queueVolumeSize?: string;
  /**
   * StorageClass of the PersistentVolumeClaims holding the queue of the tier that exports to the
   * backend (the sampler in TAIL mode, the gateway in HEAD and NONE modes). Refused for the gateway
   * in TAIL mode, which owns no queue.
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
