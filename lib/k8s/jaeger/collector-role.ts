// The collector role: receives spans (OTLP, optionally legacy Jaeger/Zipkin), serves remote sampling, writes to storage.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { configError } from '../../core/errors';
import { ContainerResources, validateResources } from '../../core/quantities';
import { ResolvedSampling } from '../../core/sampling';
import { JAEGER_SAMPLING_DIR, renderJaegerCollectorConfig } from '../../render/jaeger-config';
import { JAEGER_HEALTH, jaegerCollectorPorts } from '../../render/jaeger-ports';
import { SAMPLING_STRATEGIES_FILE, renderSamplingStrategiesJson } from '../../render/sampling-strategies';
import { toYaml } from '../../render/yaml';
import { JaegerContext } from './context';
import { JaegerCollectorOptions } from './props';
import { jaegerRole, roleConfigMap } from './role';
import { serverDeployment } from './server-deployment';
import { roleDisruptionBudget, roleNetworkPolicy, roleService } from './services-and-policies';

const COLLECTOR_RESOURCES: ContainerResources = { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' };

export type ResolvedCollector = ReturnType<typeof resolveCollector>;

/** Defaults and validation, run before any object is created. */
export function resolveCollector(path: string, o: JaegerCollectorOptions = {}) {
  const minReplicas = o.minReplicas ?? 2;
  const maxReplicas = o.maxReplicas ?? 10;
  const targetCpuUtilization = o.targetCpuUtilization ?? 70;
  if (!Number.isInteger(minReplicas) || minReplicas < 1) throw configError(path, 'collector.minReplicas must be a whole number of at least 1', minReplicas, 'use 2 or more for availability');
  if (!Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
    throw configError(path, 'collector.maxReplicas is below collector.minReplicas', { minReplicas, maxReplicas }, 'set maxReplicas >= minReplicas');
  }
  if (!Number.isInteger(targetCpuUtilization) || targetCpuUtilization < 10 || targetCpuUtilization > 100) {
    throw configError(path, 'collector.targetCpuUtilization must be a percentage between 10 and 100', targetCpuUtilization, 'use e.g. 70');
  }
  const resources = o.resources ?? COLLECTOR_RESOURCES;
  validateResources(`${path} collector`, resources);
  return { minReplicas, maxReplicas, targetCpuUtilization, resources };
}

export interface CollectorRoleOptions {
  readonly collector: ResolvedCollector;
  readonly legacyReceivers: boolean;
  readonly sampling: ResolvedSampling;
  readonly logLevel: string;
  readonly allowedNamespaces?: string[];
}

/** ConfigMaps, Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy of the collector. */
export function collectorRole(ctx: JaegerContext, o: CollectorRoleOptions) {
  const config = renderJaegerCollectorConfig({
    storage: ctx.storage,
    legacyReceivers: o.legacyReceivers,
    samplingStrategiesFile: `${JAEGER_SAMPLING_DIR}/${SAMPLING_STRATEGIES_FILE}`,
    logLevel: o.logLevel,
    serviceName: `${ctx.name}-collector`,
  });
  const configYaml = toYaml(config);
  const role = jaegerRole(ctx, 'collector');
  const configMap = roleConfigMap(ctx, 'CollectorConfig', role, configYaml);
  // Jaeger reloads the strategies file itself; it is not part of the checksum, so a change does not roll the pods.
  const samplingConfigMap = new k8s.KubeConfigMap(ctx.scope, 'SamplingStrategies', {
    metadata: { name: `${ctx.name}-sampling-strategies`, labels: role.labels },
    data: { [SAMPLING_STRATEGIES_FILE]: renderSamplingStrategiesJson(o.sampling) },
  });
  const ports = jaegerCollectorPorts(o.legacyReceivers);
  const deployment = serverDeployment(ctx, 'CollectorDeployment', {
    role,
    // No replicas: the HorizontalPodAutoscaler owns the count, a re-apply must not reset it.
    configYaml,
    configMapName: configMap.name,
    ports: [...ports, JAEGER_HEALTH],
    resources: o.collector.resources,
    extraVolumes: [{ name: 'sampling', configMap: { name: samplingConfigMap.name } }],
    extraMounts: [{ name: 'sampling', mountPath: JAEGER_SAMPLING_DIR, readOnly: true }],
  });
  const service = roleService(ctx, 'CollectorService', role, ports);
  new k8s.KubeHorizontalPodAutoscalerV2(ctx.scope, 'CollectorAutoscaler', {
    metadata: { name: role.name, labels: role.labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      minReplicas: o.collector.minReplicas,
      maxReplicas: o.collector.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: o.collector.targetCpuUtilization } } }],
    },
  });
  roleDisruptionBudget(ctx, 'CollectorDisruptionBudget', role);
  roleNetworkPolicy(ctx, 'CollectorNetworkPolicy', role, ports, o.allowedNamespaces);
  return { config, deployment, service };
}
