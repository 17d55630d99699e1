import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { validateDnsLabel } from '../../core/names';
import { PART_OF } from '../labels';
import { RESTRICTED_NAMESPACE_LABELS } from '../pod-security';
import { TracingCollector, TracingCollectorProps } from './collector';

/** Props of {@link TracingCollectorChart}. */
export interface TracingCollectorChartProps extends TracingCollectorProps {
  /** Namespace of every object. */
  readonly namespace: string;
  /**
   * Create the Namespace, labelled to enforce the restricted Pod Security Standard.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/** A ready-made chart holding one {@link TracingCollector}, with stable names and, by default, its namespace. */
export class TracingCollectorChart extends Chart {
  public readonly collector: TracingCollector;

  constructor(scope: Construct, id: string, props: TracingCollectorChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    validateDnsLabel(this.node.path, 'namespace', props.namespace);
    if (props.createNamespace ?? true) {
      const ns = new kplus.k8s.KubeNamespace(this, 'Namespace', {
        metadata: {
          name: props.namespace,
          labels: { ...RESTRICTED_NAMESPACE_LABELS, 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': PART_OF },
        },
      });
      ApiObject.of(ns).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.collector = new TracingCollector(this, 'Collector', props);
  }
}
