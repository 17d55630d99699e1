import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { validateDnsLabel } from '../core/names';
import { Jaeger, JaegerProps } from './jaeger';
import { createRestrictedNamespace } from './namespace';

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
      createRestrictedNamespace(this, 'Namespace', props.namespace);
    }
    this.jaeger = new Jaeger(this, 'Jaeger', props);
  }
}
