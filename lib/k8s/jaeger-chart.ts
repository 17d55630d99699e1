import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { validateDnsLabel } from '../core/names';
import { Jaeger, JaegerProps } from './jaeger';
import { PART_OF } from './labels';
import { RESTRICTED_NAMESPACE_LABELS } from './pod-security';

/** Props of {@link JaegerChart}. */
export interface JaegerChartProps extends JaegerProps {
  /** Namespace of every object. */
  readonly namespace: string;
  /**
   * Create the Namespace, labelled to enforce the restricted Pod Security Standard.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * A ready-made chart holding one {@link Jaeger}: stable, readable resource
 * names (no hashes) and, by default, its namespace.
 */
export class JaegerChart extends Chart {
  public readonly jaeger: Jaeger;

  constructor(scope: Construct, id: string, props: JaegerChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    validateDnsLabel(this.node.path, 'namespace', props.namespace);
    if (props.createNamespace ?? true) {
      const ns = new kplus.k8s.KubeNamespace(this, 'Namespace', {
        metadata: {
          name: props.namespace,
          labels: { ...RESTRICTED_NAMESPACE_LABELS, 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': PART_OF },
        },
      });
      // Namespaces are cluster-scoped; the chart would otherwise stamp its namespace on it.
      ApiObject.of(ns).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.jaeger = new Jaeger(this, 'Jaeger', props);
  }
}
