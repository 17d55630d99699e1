// A horizontally scaled tier (gateway, sampler): workload, Services, HPA, PDB, RBAC, NetworkPolicy, ServiceMonitor.
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { OTLP_RECEIVER_PORTS } from '../../render/collector-config';
import { configChecksum } from '../checksum';
import { labelsWithoutVersion } from '../labels';
import { collectorServiceMonitor, metricsServiceLabels } from './monitoring';
import { collectorNetworkPolicy } from './network-policies';
import { collectorContainer, collectorPodSpec } from './pod';
import type { CollectorTier } from './props';
import { scalableTierRbac } from './rbac';
import type { ResolvedScaling } from './resolve';
import { TierScope, servicePorts, tierBase } from './tier';

export interface ScalableTierSpec {
  readonly name: string;
  readonly component: string;
  readonly config: Record<string, unknown>;
  readonly options: ResolvedScaling;
  /**
   * The tier exports to the backend, so its file_storage queue must outlive the pod: a StatefulSet
   * with a PersistentVolumeClaim per pod and a fixed replica count (no HPA: the collector keeps, never
   * drains, a persistent queue on shutdown, so a pod removed by a scale-down would strand its queue).
   * Otherwise a Deployment that owns no queue and autoscales (the gateway in TAIL mode).
   */
  readonly persistentQueue: boolean;
  /**
   * The headless Service carries the tier's name (the sampler, which only the load_balancing
   * resolver addresses); otherwise a ClusterIP Service `<name>` plus a headless `<name>-headless`
   * for the agents' client-side balancing.
   */
  readonly headlessServiceOnly: boolean;
  /** Who may send to the tier's OTLP ports. */
  readonly allowFrom: k8s.NetworkPolicyPeer[];
  /** The tier's load_balancing exporter resolves the sampler's pods through the Kubernetes API. */
  readonly readsEndpointSlices?: boolean;
}

/** `id` prefixes every construct id of the tier (`<id>Config`, `<id>StatefulSet`, ...). */
export function scalableTier(ctx: TierScope, id: string, spec: ScalableTierSpec): CollectorTier {
  const { name, component, config, options, persistentQueue, headlessServiceOnly } = spec;
  const kind = persistentQueue ? 'StatefulSet' : 'Deployment';
  const { image, labels, selector, configYaml, configMap } = tierBase(ctx, `${id}Config`, name, component, config, options.image);
  const q = (v: string) => k8s.Quantity.fromString(v);

  scalableTierRbac(ctx, id, name, labels, spec.readsEndpointSlices ?? false);

  const headlessName = headlessServiceOnly ? name : `${name}-headless`;
  // Headless: agents (dns:///, round_robin) and the load_balancing resolver see every pod, so gRPC's long-lived connections spread.
  const headless = new k8s.KubeService(ctx.scope, `${id}HeadlessService`, {
    metadata: { name: headlessName, labels: headlessServiceOnly ? metricsServiceLabels(labels) : labels },
    spec: {
      clusterIp: 'None',
      selector,
      ports: servicePorts(OTLP_RECEIVER_PORTS, headlessServiceOnly),
    },
  });
  const service = headlessServiceOnly ? headless : new k8s.KubeService(ctx.scope, `${id}Service`, {
    metadata: { name, labels: metricsServiceLabels(labels) },
    spec: { type: 'ClusterIP', selector, ports: servicePorts(OTLP_RECEIVER_PORTS, true) },
  });

  const podSpec: k8s.PodSpec = {
    ...collectorPodSpec({
      name,
      automountServiceAccountToken: spec.readsEndpointSlices ?? false,
      configMapName: configMap.name,
      // A StatefulSet's claim template provides the persistent queue; the Deployment has none.
      container: collectorContainer(image, options.resources, OTLP_RECEIVER_PORTS, [], [], persistentQueue),
      // Long enough for the in-flight batches to flush; the persistent queue keeps the rest.
      terminationGracePeriodSeconds: 60,
    }),
    topologySpreadConstraints: [{
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector },
    }],
  };
  const template = { metadata: { labels, annotations: { 'checksum/config': configChecksum(configYaml) } }, spec: podSpec };
  if (persistentQueue !== (options.autoscaling === undefined) || persistentQueue !== (options.queueVolumeSize !== undefined)) {
    throw new Error(`scalableTier ${name}: a tier owns a persistent queue exactly when it is not autoscaled`);
  }
  if (!persistentQueue) {
    new k8s.KubeDeployment(ctx.scope, `${id}Deployment`, {
      metadata: { name, labels },
      spec: {
        replicas: options.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template,
      },
    });
  } else {
    new k8s.KubeStatefulSet(ctx.scope, `${id}StatefulSet`, {
      metadata: { name, labels },
      spec: {
        replicas: options.replicas,
        serviceName: headlessName,
        selector: { matchLabels: selector },
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        // Nothing scales this tier down by itself (no HPA). If an operator lowers replicas, the removed
        // ordinals' claims stay, and their spans are delivered when replicas is raised again (docs/collector.md).
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template,
        volumeClaimTemplates: [{
          // Immutable after creation: no version label, or every upgrade would be rejected.
          metadata: { name: 'queue', labels: labelsWithoutVersion(labels) },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: q(options.queueVolumeSize!) } },
            ...(options.storageClassName ? { storageClassName: options.storageClassName } : {}),
          },
        }],
      },
    });
  }
  const autoscaling = options.autoscaling;
  if (autoscaling) {
    new k8s.KubeHorizontalPodAutoscalerV2(ctx.scope, `${id}Autoscaler`, {
      metadata: { name, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind, name },
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.targetCpuUtilization } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
        ],
        // Each removal closes the agents' connections to that pod (they reconnect elsewhere); scale down slowly.
        behavior: { scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] } },
      },
    });
  }
  new k8s.KubePodDisruptionBudget(ctx.scope, `${id}DisruptionBudget`, {
    metadata: { name, labels },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
  });
  collectorNetworkPolicy(ctx.scope, `${id}NetworkPolicy`, name, labels, selector, OTLP_RECEIVER_PORTS, spec.allowFrom);
  collectorServiceMonitor(ctx, `${id}ServiceMonitor`, name, labels, selector);
  return { name, config, image, configMap, service, selector };
}
