// The query role: UI and HTTP/gRPC query APIs, reading the storage (it never creates mappings).
import { configError } from '../../core/errors';
import { ContainerResources, validateResources } from '../../core/quantities';
import { renderJaegerQueryConfig } from '../../render/jaeger-config';
import { JAEGER_HEALTH, JAEGER_QUERY_SERVICE_PORTS } from '../../render/jaeger-ports';
import { toYaml } from '../../render/yaml';
import { JaegerContext } from './context';
import { JaegerQueryOptions } from './props';
import { jaegerRole, roleConfigMap } from './role';
import { serverDeployment } from './server-deployment';
import { roleDisruptionBudget, roleNetworkPolicy, roleService } from './services-and-policies';

const QUERY_RESOURCES: ContainerResources = { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' };

export type ResolvedQuery = ReturnType<typeof resolveQuery>;

/** Defaults and validation, run before any object is created. */
export function resolveQuery(path: string, o: JaegerQueryOptions = {}) {
  const replicas = o.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1) throw configError(path, 'query.replicas must be a whole number of at least 1', replicas, 'use 2 for availability');
  const basePath = o.basePath;
  if (basePath !== undefined && (basePath === '/' || !/^\/[A-Za-z0-9._~\-/]*[^/]$/.test(basePath) || basePath.includes('..') || basePath.includes('//'))) {
    throw configError(path, 'query.basePath must start with "/", not end with "/", and contain no ".." or "//"', basePath,
      'use e.g. "/jaeger", or leave it out to serve at "/"');
  }
  const resources = o.resources ?? QUERY_RESOURCES;
  validateResources(`${path} query`, resources);
  return { replicas, basePath, resources };
}

export interface QueryRoleOptions {
  readonly query: ResolvedQuery;
  readonly logLevel: string;
  readonly allowedNamespaces?: string[];
}

/** ConfigMap, Deployment, Service, PodDisruptionBudget (with more than one replica) and NetworkPolicy of the query role. */
export function queryRole(ctx: JaegerContext, o: QueryRoleOptions) {
  const config = renderJaegerQueryConfig({ storage: ctx.storage, basePath: o.query.basePath, logLevel: o.logLevel, serviceName: `${ctx.name}-query` });
  const configYaml = toYaml(config);
  const role = jaegerRole(ctx, 'query');
  const configMap = roleConfigMap(ctx, 'QueryConfig', role, configYaml);
  const deployment = serverDeployment(ctx, 'QueryDeployment', {
    role,
    replicas: o.query.replicas,
    configYaml,
    configMapName: configMap.name,
    ports: [...JAEGER_QUERY_SERVICE_PORTS, JAEGER_HEALTH],
    resources: o.query.resources,
  });
  const service = roleService(ctx, 'QueryService', role, [...JAEGER_QUERY_SERVICE_PORTS]);
  // A single replica cannot tolerate a disruption; a budget would only block node drains.
  if (o.query.replicas > 1) roleDisruptionBudget(ctx, 'QueryDisruptionBudget', role);
  roleNetworkPolicy(ctx, 'QueryNetworkPolicy', role, [...JAEGER_QUERY_SERVICE_PORTS], o.allowedNamespaces);
  return { config, deployment, service };
}
