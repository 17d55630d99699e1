import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { validateDnsLabel } from '../../core/names';
import { createRestrictedNamespace } from '../namespace';
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
      createRestrictedNamespace(this, 'Namespace', props.namespace);
    }
    this.collector = new TracingCollector(this, 'Collector', props);
  }
}
