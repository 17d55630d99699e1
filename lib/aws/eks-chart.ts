import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { configError } from '../core/errors';

/**
 * Puts a finished cdk8s chart on an aws-eks-v2 cluster. `addCdk8sChart`
 * renders the chart when it is called and silently drops anything added
 * later; the validation here fails the synth instead.
 */
export function addChartToCluster(cluster: eks.ICluster, id: string, chart: Chart): eks.KubernetesManifest {
  const captured = JSON.stringify(chart.toJson());
  const manifest = cluster.addCdk8sChart(id, chart);
  manifest.node.addValidation({
    validate: () => (JSON.stringify(chart.toJson()) === captured ? [] : [
      `[${manifest.node.path}] the cdk8s chart "${chart.node.id}" changed after it was added to the cluster, and the change is not in the template; finish building the chart before adding it`,
    ]),
  });
  return manifest;
}

/** What one backend occupies on a cluster. */
interface ClusterTenant {
  readonly path: string;
  readonly namespace: string;
  readonly name: string;
  readonly createsNamespace: boolean;
}

const tenantsByCluster = new WeakMap<eks.ICluster, ClusterTenant[]>();

/**
 * Several backends may share one cluster (a Tempo per team, Tempo next to
 * Jaeger): their manifests need distinct construct ids on the cluster, their
 * workloads distinct names within a namespace, and a namespace may be created
 * (and so owned, and deleted with its stack resource) by one of them only.
 * Returns the manifest id, `<id>Chart` (`TempoChart` for the usual id `Tempo`).
 */
export function claimClusterSlot(cluster: eks.ICluster, owner: Construct, tenant: Omit<ClusterTenant, 'path'>): string {
  const path = owner.node.path;
  const manifestId = `${owner.node.id}Chart`;
  const taken = cluster.node.tryFindChild(manifestId);
  if (taken) {
    throw configError(path, `the cluster already holds a manifest with the construct id '${manifestId}' (from ${taken.node.path}); a second backend with the same id would replace it`,
      owner.node.id, 'give each backend on one cluster its own construct id');
  }
  const tenants = tenantsByCluster.get(cluster) ?? [];
  for (const other of tenants) {
    if (other.namespace !== tenant.namespace) continue;
    if (other.name === tenant.name) {
      throw configError(path, `${other.path} already runs a backend named '${tenant.name}' in namespace '${tenant.namespace}' of this cluster; their objects would overwrite each other`,
        tenant.name, 'set a different name or namespace');
    }
    if (other.createsNamespace && tenant.createsNamespace) {
      throw configError(path, `${other.path} already creates namespace '${tenant.namespace}' on this cluster; deleting either stack resource would delete the namespace under the other`,
        tenant.namespace, 'set createNamespace: false on all but one backend in a shared namespace');
    }
  }
  tenantsByCluster.set(cluster, [...tenants, { ...tenant, path }]);
  return manifestId;
}

/**
 * EKS Pod Identity needs the eks-pod-identity-agent add-on. On a cluster this
 * app creates, install it (through the cluster's own getter, so it exists once
 * however many constructs ask) and return it to depend on. On an imported
 * cluster nothing can be installed: the add-on must already run there.
 */
export function podIdentityAgentOf(cluster: eks.ICluster): IConstruct | undefined {
  if (!(cluster instanceof eks.Cluster)) return undefined;
  const agent = cluster.eksPodIdentityAgent;
  if (agent) guardSinglePodIdentityAgent(cluster);
  return agent;
}

const guarded = new WeakSet<eks.Cluster>();

/** A second, hand-made add-on of the same name would fail the deployment: refuse it at synth. */
function guardSinglePodIdentityAgent(cluster: eks.Cluster): void {
  if (guarded.has(cluster)) return;
  guarded.add(cluster);
  cluster.node.addValidation({
    validate: () => {
      const stack = Stack.of(cluster);
      const clusterName = stack.resolve(cluster.clusterName);
      const agents = stack.node.findAll().filter((c): c is eks.CfnAddon => c instanceof eks.CfnAddon
        && c.addonName === 'eks-pod-identity-agent'
        && JSON.stringify(stack.resolve(c.clusterName)) === JSON.stringify(clusterName));
      if (agents.length <= 1) return [];
      const others = agents.map((a) => a.node.path).join(', ');
      return [`[${cluster.node.path}] the cluster has ${agents.length} eks-pod-identity-agent add-ons (${others}); EKS accepts one. `
        + 'Remove the one you added: TempoOnEks/JaegerOnEks install it through cluster.eksPodIdentityAgent'];
    },
  });
}
