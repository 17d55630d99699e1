// Ingress to a tier: its receivers from `from`, its metrics from anywhere; everything else is refused.
import { Construct } from 'constructs';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { COLLECTOR_PORTS, CollectorListenPort } from '../../render/collector-config';

export function collectorNetworkPolicy(scope: Construct, id: string, name: string, labels: Record<string, string>, selector: Record<string, string>,
  ports: readonly CollectorListenPort[], from: k8s.NetworkPolicyPeer[]): void {
  new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name, labels },
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress'],
      ingress: [
        { from, ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })) },
        // Prometheus may live in any namespace; the health port is probed by the kubelet.
        { from: [{ namespaceSelector: {} }], ports: [{ port: k8s.IntOrString.fromNumber(COLLECTOR_PORTS.metrics), protocol: 'TCP' }] },
      ],
    },
  });
}
