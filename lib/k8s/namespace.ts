import { ApiObject, JsonPatch } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { PART_OF } from './labels';
import { RESTRICTED_NAMESPACE_LABELS } from './pod-security';

/**
 * A Namespace labelled so the API server enforces the restricted Pod Security
 * Standard on every pod in it. Used by every ready-made chart.
 */
export function createRestrictedNamespace(scope: Construct, id: string, name: string): k8s.KubeNamespace {
  const ns = new k8s.KubeNamespace(scope, id, {
    metadata: {
      name,
      labels: { ...RESTRICTED_NAMESPACE_LABELS, 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': PART_OF },
    },
  });
  // Namespaces are cluster-scoped; the chart would otherwise stamp its namespace on it.
  ApiObject.of(ns).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return ns;
}
