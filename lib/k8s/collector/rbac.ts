// ServiceAccounts and the API access each tier needs, nothing more.
import { ApiObject, JsonPatch } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import type { TierScope } from './tier';

/** `id` prefixes the construct ids (`<id>ServiceAccount`, ...); every object is named `name`. */
function serviceAccount(ctx: TierScope, id: string, name: string, labels: Record<string, string>, automountToken: boolean): k8s.Subject[] {
  new k8s.KubeServiceAccount(ctx.scope, `${id}ServiceAccount`, { metadata: { name, labels }, automountServiceAccountToken: automountToken });
  return [{ kind: 'ServiceAccount', name, namespace: ctx.namespace }];
}

/** The agent's ServiceAccount, bound to cluster-wide read access. */
export function agentRbac(ctx: TierScope, name: string, labels: Record<string, string>): void {
  const subjects = serviceAccount(ctx, 'Agent', name, labels, true);
  // k8s_attributes reads pods, namespaces and replicasets (for k8s.deployment.name); k8s_api reads nodes and kube-system.
  // Cluster-scoped, so named after the namespace too: two collectors in one cluster must not collide.
  const clusterRoleName = `${ctx.namespace}-${name}`;
  const clusterRole = new k8s.KubeClusterRole(ctx.scope, 'AgentClusterRole', {
    metadata: { name: clusterRoleName, labels },
    rules: [
      { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
    ],
  });
  const binding = new k8s.KubeClusterRoleBinding(ctx.scope, 'AgentClusterRoleBinding', {
    metadata: { name: clusterRoleName, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
    subjects,
  });
  // The chart's namespace would otherwise be stamped on these cluster-scoped objects.
  for (const obj of [clusterRole, binding]) ApiObject.of(obj).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

/**
 * A scalable tier's ServiceAccount; with `readsEndpointSlices` (the gateway in TAIL mode) it mounts a
 * token and may watch EndpointSlices in its namespace.
 */
export function scalableTierRbac(ctx: TierScope, id: string, name: string, labels: Record<string, string>, readsEndpointSlices: boolean): void {
  const subjects = serviceAccount(ctx, id, name, labels, readsEndpointSlices);
  if (!readsEndpointSlices) return;
  // load_balancing's k8s resolver watches EndpointSlices (since ~0.140) of the sampler Service in this namespace.
  new k8s.KubeRole(ctx.scope, `${id}Role`, {
    metadata: { name, labels },
    rules: [{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }],
  });
  new k8s.KubeRoleBinding(ctx.scope, `${id}RoleBinding`, {
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects,
  });
}
