// Service, PodDisruptionBudget and NetworkPolicies of the collector and query roles, and the maintenance lock-down.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { JaegerPort } from '../../render/jaeger-ports';
import { JaegerContext } from './context';
import { JaegerRole } from './role';

export function roleService(ctx: JaegerContext, id: string, role: JaegerRole, ports: JaegerPort[]): k8s.KubeService {
  return new k8s.KubeService(ctx.scope, id, {
    metadata: { name: role.name, labels: role.labels },
    spec: {
      type: 'ClusterIP',
      selector: role.selector,
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP', appProtocol: p.appProtocol })),
    },
  });
}

export function roleDisruptionBudget(ctx: JaegerContext, id: string, role: JaegerRole): void {
  new k8s.KubePodDisruptionBudget(ctx.scope, id, {
    metadata: { name: role.name, labels: role.labels },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: role.selector } },
  });
}

/** Admits `allowed` namespaces (every namespace when undefined) to the role's ports only. */
export function roleNetworkPolicy(ctx: JaegerContext, id: string, role: JaegerRole, ports: JaegerPort[], allowed?: string[]): void {
  const from: k8s.NetworkPolicyPeer[] = allowed
    ? allowed.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }))
    : [{ namespaceSelector: {} }];
  new k8s.KubeNetworkPolicy(ctx.scope, id, {
    metadata: { name: role.name, labels: role.labels },
    spec: {
      podSelector: { matchLabels: role.selector },
      policyTypes: ['Ingress'],
      ingress: [{ from, ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: 'TCP' })) }],
    },
  });
}

/** Maintenance pods (retention jobs, spark-dependencies) accept no connections at all. */
export function maintenanceNetworkPolicy(ctx: JaegerContext): void {
  new k8s.KubeNetworkPolicy(ctx.scope, 'MaintenanceNetworkPolicy', {
    metadata: { name: `${ctx.name}-maintenance`, labels: ctx.labelsFor('maintenance') },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jaeger', 'app.kubernetes.io/instance': ctx.name, 'cdk-tracing.io/maintenance': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [],
    },
  });
}
