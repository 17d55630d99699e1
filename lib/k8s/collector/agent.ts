// The agent DaemonSet: receives from the applications on its node, adds k8s attributes and forwards to the gateway.
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import {
  AGENT_RECEIVER_PORTS, COLLECTOR_CONFIG_DIR, COLLECTOR_PORTS, NODE_NAME_ENV, REMOTE_SAMPLING_PORTS, renderAgentConfig,
} from '../../render/collector-config';
import { SAMPLING_STRATEGIES_FILE } from '../../render/sampling-strategies';
import { configChecksum } from '../checksum';
import { collectorServiceMonitor, metricsServiceLabels } from './monitoring';
import { collectorNetworkPolicy } from './network-policies';
import { collectorContainer, collectorPodSpec } from './pod';
import type { CollectorTier } from './props';
import { agentRbac } from './rbac';
import type { ResolvedCollector } from './resolve';
import { TierScope, commonTierInput, servicePorts, tierBase } from './tier';

/**
 * `gateway` is where the agents forward; `samplingStrategiesJson`, when remote sampling is on, is
 * shipped in the agent's ConfigMap and served to SDKs on the remote-sampling ports.
 */
export function agentTier(ctx: TierScope, r: ResolvedCollector, gateway: CollectorTier, samplingStrategiesJson?: string): CollectorTier {
  const name = `${r.name}-agent`;
  const opts = r.agent;
  const config = renderAgentConfig({
    ...commonTierInput(r.logLevel, r.agentQueueSize),
    gateway: { endpoint: `dns:///${gateway.name}-headless.${r.namespace}.svc.cluster.local:${COLLECTOR_PORTS.otlpGrpc}`, insecure: true },
    resourceDetectors: opts.resourceDetectors,
    remoteSamplingFile: r.remoteSampling ? `${COLLECTOR_CONFIG_DIR}/${SAMPLING_STRATEGIES_FILE}` : undefined,
  });
  const extra: Record<string, string> = samplingStrategiesJson ? { [SAMPLING_STRATEGIES_FILE]: samplingStrategiesJson } : {};
  const { image, labels, selector, configYaml, configMap } = tierBase(ctx, 'AgentConfig', name, 'agent', config, opts.image, extra);
  const ports = [...AGENT_RECEIVER_PORTS, ...(samplingStrategiesJson ? REMOTE_SAMPLING_PORTS : [])];

  agentRbac(ctx, name, labels);

  const service = new k8s.KubeService(ctx.scope, 'AgentService', {
    metadata: { name, labels: metricsServiceLabels(labels) },
    spec: {
      type: 'ClusterIP',
      selector,
      // Node-local delivery: a pod's spans go to the agent on its own node, which k8s_attributes needs.
      internalTrafficPolicy: 'Local',
      ports: servicePorts(ports, true),
    },
  });
  new k8s.KubeDaemonSet(ctx.scope, 'AgentDaemonSet', {
    metadata: { name, labels },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
      template: {
        // The strategies file is in the ConfigMap too: a change to it must roll the agents.
        metadata: { labels, annotations: { 'checksum/config': configChecksum(configYaml, ...Object.values(extra)) } },
        spec: {
          ...collectorPodSpec({
            name,
            // k8s_attributes and k8s_api call the Kubernetes API.
            automountServiceAccountToken: true,
            configMapName: configMap.name,
            container: collectorContainer(image, opts.resources, ports,
              [{ name: NODE_NAME_ENV, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }], []),
            // An emptyDir survives container restarts; the restricted Pod Security Standard rules out hostPath.
            queueSizeLimit: opts.queueVolumeSize,
            terminationGracePeriodSeconds: 30,
          }),
          tolerations: opts.tolerations,
        },
      },
    },
  });
  // Applications in every namespace send to the agent.
  collectorNetworkPolicy(ctx.scope, 'AgentNetworkPolicy', name, labels, selector, ports, [{ namespaceSelector: {} }]);
  collectorServiceMonitor(ctx, 'AgentServiceMonitor', name, labels, selector);
  return { name, config, image, configMap, service, selector };
}
