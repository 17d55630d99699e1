// The otelcol container and the pod around it, the same in every tier: "restricted" security,
// GOMEMLIMIT from the memory limit, probes on health_check, config and queue mounted.
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ContainerResources, goMemLimit } from '../../core/quantities';
import { COLLECTOR_CONFIG_DIR, COLLECTOR_CONFIG_FILE, COLLECTOR_PORTS, COLLECTOR_QUEUE_DIR, CollectorListenPort, POD_IP_ENV } from '../../render/collector-config';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../pod-security';
import { resourceRequirements } from '../resources';

/** The collector images run as this UID and GID. */
export const COLLECTOR_UID = 10001;
/** GOMEMLIMIT as a share of the container memory limit. */
export const COLLECTOR_GOMEMLIMIT_RATIO = 0.8;

/** `queueVolume`: mount the `queue` volume (emptyDir or claim) at the file_storage directory; a tier that owns no queue has none. */
export function collectorContainer(image: string, resources: ContainerResources, ports: readonly CollectorListenPort[], extraEnv: k8s.EnvVar[],
  extraMounts: k8s.VolumeMount[], queueVolume = true): k8s.Container {
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
      ...(queueVolume ? [{ name: 'queue', mountPath: COLLECTOR_QUEUE_DIR }] : []),
      ...extraMounts,
    ],
  };
}

/** What differs between the tiers' pods. */
export interface CollectorPodInput {
  /** The tier's name, also its ServiceAccount's. */
  readonly name: string;
  /** Only a tier that calls the Kubernetes API (agent, gateway watching the sampler) mounts a token. */
  readonly automountServiceAccountToken: boolean;
  readonly configMapName: string;
  readonly container: k8s.Container;
  /**
   * Size limit of the emptyDir queue volume (the agent); without it the queue volume comes from a
   * StatefulSet's claim template, or the tier owns no queue.
   */
  readonly queueSizeLimit?: string;
  readonly terminationGracePeriodSeconds: number;
}

/** The pod spec of a tier; a tier adds its own scheduling (tolerations, spread) around it. */
export function collectorPodSpec(input: CollectorPodInput): k8s.PodSpec {
  return {
    serviceAccountName: input.name,
    automountServiceAccountToken: input.automountServiceAccountToken,
    securityContext: restrictedPodSecurityContext(COLLECTOR_UID, COLLECTOR_UID),
    terminationGracePeriodSeconds: input.terminationGracePeriodSeconds,
    enableServiceLinks: false,
    containers: [input.container],
    volumes: [
      { name: 'config', configMap: { name: input.configMapName } },
      ...(input.queueSizeLimit === undefined ? [] : [{ name: 'queue', emptyDir: { sizeLimit: k8s.Quantity.fromString(input.queueSizeLimit) } }]),
    ],
  };
}
