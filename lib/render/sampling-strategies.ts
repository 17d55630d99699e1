import { ResolvedOperationSampling, ResolvedSampling, SamplingStrategyType } from '../core/sampling';

/**
 * Renders the Jaeger remote-sampling strategies file (the JSON format read by
 * Jaeger v2's `remote_sampling.file` and the collector's
 * `jaegerremotesampling` extension `source.file`) from the sampling model.
 *
 * - `default_strategy`: probabilistic at the baseline ratio, with the default
 *   per-operation rules.
 * - `service_strategies`: one entry per service rule; `timesBaseline(m)` is
 *   rendered as the computed probability.
 */

/** A per-operation strategy (Jaeger only supports probabilistic ones). */
export interface JaegerOperationStrategy {
  readonly operation: string;
  readonly type: 'probabilistic';
  readonly param: number;
}

/** A per-service strategy. */
export interface JaegerServiceStrategy {
  readonly service: string;
  readonly type: 'probabilistic' | 'ratelimiting';
  readonly param: number;
  readonly operation_strategies?: JaegerOperationStrategy[];
}

/** The strategies file. */
export interface JaegerSamplingStrategies {
  readonly service_strategies: JaegerServiceStrategy[];
  readonly default_strategy: {
    readonly type: 'probabilistic';
    readonly param: number;
    readonly operation_strategies?: JaegerOperationStrategy[];
  };
}

/** Conventional file name of the strategies file in a ConfigMap. */
export const SAMPLING_STRATEGIES_FILE = 'sampling-strategies.json';

function operations(ops: ResolvedOperationSampling[]): { operation_strategies?: JaegerOperationStrategy[] } {
  if (ops.length === 0) return {};
  return { operation_strategies: ops.map((o) => ({ operation: o.operation, type: 'probabilistic', param: o.ratio })) };
}

/** The strategies file as an object. */
export function renderSamplingStrategies(sampling: ResolvedSampling): JaegerSamplingStrategies {
  return {
    service_strategies: sampling.services.map((s) => ({
      service: s.service,
      type: s.type === SamplingStrategyType.RATE_LIMITING ? 'ratelimiting' : 'probabilistic',
      param: s.param,
      ...operations(s.operations),
    })),
    default_strategy: {
      type: 'probabilistic',
      param: sampling.baselineRatio,
      ...operations(sampling.defaultOperations),
    },
  };
}

/** The strategies file as JSON text (2-space indent, trailing newline), ready for a ConfigMap. */
export function renderSamplingStrategiesJson(sampling: ResolvedSampling): string {
  return `${JSON.stringify(renderSamplingStrategies(sampling), null, 2)}\n`;
}
