import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { validateDnsLabel } from '../core/names';
import { createRestrictedNamespace } from './namespace';
import { Tempo, TempoProps } from './tempo';

/** Props of {@link TempoChart}. */
export interface TempoChartProps extends TempoProps {
  /** Namespace of every object. */
  readonly namespace: string;
  /**
   * Create the Namespace, labelled to enforce the restricted Pod Security Standard.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * A ready-made chart holding one {@link Tempo}: stable, readable resource names
 * (no hashes) and, by default, its namespace.
 */
export class TempoChart extends Chart {
  public readonly tempo: Tempo;

  constructor(scope: Construct, id: string, props: TempoChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    validateDnsLabel(this.node.path, 'namespace', props.namespace);
    if (props.createNamespace ?? true) {
      createRestrictedNamespace(this, 'Namespace', props.namespace);
    }
    this.tempo = new Tempo(this, 'Tempo', props);
  }
}
