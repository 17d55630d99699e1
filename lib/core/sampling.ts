import { configError } from './errors';

/**
 * One sampling model for a whole tracing deployment. It feeds:
 *
 * - the collector gateway's `tail_sampling` policies (keep errors, keep slow
 *   traces, per-service rates, a baseline, a rate limit), and
 * - the Jaeger remote-sampling strategies file served to SDK remote samplers
 *   (per-service and per-operation head strategies, a default strategy),
 *   whether the collector or Jaeger serves it.
 *
 * Build it with {@link TraceSampling.of}; constructs call
 * {@link TraceSampling.resolve} with their construct path, so errors name the
 * construct that received the bad value.
 */

/** Largest `maxTracesPerSecond` a Jaeger rate-limiting strategy carries (a signed 16-bit field in the Thrift API). */
export const JAEGER_MAX_TRACES_PER_SECOND = 32767;

/** What a head-sampling strategy does. */
export enum SamplingStrategyType {
  /** Keep a fixed share of traces (`param` is a probability in [0, 1]). */
  PROBABILISTIC = 'probabilistic',
  /** Keep at most `param` traces per second per SDK instance (leaky bucket). */
  RATE_LIMITING = 'ratelimiting',
}

/**
 * The rate a service (or the default) is sampled at. Use the static factories:
 * `SamplingStrategy.probabilistic(0.25)`, `SamplingStrategy.timesBaseline(3)`,
 * `SamplingStrategy.rateLimiting(5)`.
 */
export class SamplingStrategy {
  /** Keep `ratio` of the traces, a probability in [0, 1]. */
  public static probabilistic(ratio: number): SamplingStrategy {
    return new SamplingStrategy('probabilistic', ratio);
  }

  /**
   * Keep `multiplier` times the baseline ratio (capped at 1). `timesBaseline(3)`
   * samples a critical service three times as much as the rest;
   * `timesBaseline(0.5)` halves a noisy one.
   */
  public static timesBaseline(multiplier: number): SamplingStrategy {
    return new SamplingStrategy('multiplier', multiplier);
  }

  /**
   * Keep at most `tracesPerSecond` traces per second. For SDK remote sampling
   * this is per SDK instance (Jaeger `ratelimiting`); in the tail-sampling tier
   * it becomes a spans-per-second budget for the service, derived from the
   * declared spans per trace.
   */
  public static rateLimiting(tracesPerSecond: number): SamplingStrategy {
    return new SamplingStrategy('ratelimiting', tracesPerSecond);
  }

  private constructor(
    /** @internal */ public readonly kind: 'probabilistic' | 'multiplier' | 'ratelimiting',
    /** @internal */ public readonly value: number,
  ) {}

  /** Human form for messages. */
  public toString(): string {
    switch (this.kind) {
      case 'probabilistic': return `probabilistic(${this.value})`;
      case 'multiplier': return `timesBaseline(${this.value})`;
      default: return `rateLimiting(${this.value})`;
    }
  }
}

/** A head-sampling rule for one operation (span name), for SDK remote samplers. */
export interface OperationSamplingRule {
  /** Operation (root span name) as the SDK reports it, e.g. `GET /health`. */
  readonly operation: string;
  /**
   * Probability in [0, 1] of keeping a trace that starts with this operation.
   * Jaeger's protocol only supports probabilistic strategies per operation.
   */
  readonly ratio: number;
}

/** How one service is sampled. */
export interface ServiceSamplingRule {
  /** `service.name` of the service, exactly as its SDK reports it. */
  readonly service: string;
  /** The service's rate. */
  readonly strategy: SamplingStrategy;
  /**
   * Per-operation head-sampling rules for this service (SDK remote sampling
   * only; the tail tier samples whole traces per service).
   * Not allowed with a rate-limiting strategy (Jaeger supports probabilistic
   * operation strategies only under a probabilistic service strategy).
   * @default - none
   */
  readonly operations?: OperationSamplingRule[];
}

/** Props of {@link TraceSampling}. */
export interface TraceSamplingProps {
  /**
   * Probability in [0, 1] with which a trace that no other rule keeps is kept.
   * Also the default head-sampling strategy served to SDKs.
   * @default 0.1
   */
  readonly baselineRatio?: number;
  /**
   * Keep every trace that contains a span with status ERROR (tail sampling).
   * @default true
   */
  readonly keepErrors?: boolean;
  /**
   * Keep every trace whose duration (first span start to last span end) is at
   * least this many milliseconds (tail sampling).
   * @default - no latency rule
   */
  readonly latencyThresholdMs?: number;
  /**
   * Per-service rates. A trace is matched by a rule when any of its spans
   * comes from that service; when several rules match, the highest rate wins.
   * The baseline applies to traces no service rule matches.
   * @default - every service at the baseline
   */
  readonly services?: ServiceSamplingRule[];
  /**
   * Per-operation head-sampling rules for every service without its own rule
   * for that operation (e.g. `{ operation: 'GET /health', ratio: 0 }`).
   * @default - none
   */
  readonly defaultOperations?: OperationSamplingRule[];
  /**
   * Cap on the spans per second each tail-sampling replica keeps, applied after
   * every other rule. Error traces are exempt when `keepErrors` is on.
   * @default - no cap
   */
  readonly maxSpansPerSecond?: number;
}

/** One operation rule after validation. */
export interface ResolvedOperationSampling {
  readonly operation: string;
  /** Probability in [0, 1]. */
  readonly ratio: number;
}

/** One service rule after validation, with multipliers turned into ratios. */
export interface ResolvedServiceSampling {
  readonly service: string;
  readonly type: SamplingStrategyType;
  /** A probability for `probabilistic`, traces per second for `ratelimiting`. */
  readonly param: number;
  /** The multiplier given, when the rule was `timesBaseline(m)`. */
  readonly multiplier?: number;
  readonly operations: ResolvedOperationSampling[];
}

/** The sampling model after defaults and validation: what renderers read. */
export interface ResolvedSampling {
  readonly baselineRatio: number;
  readonly keepErrors: boolean;
  readonly latencyThresholdMs?: number;
  readonly services: ResolvedServiceSampling[];
  readonly defaultOperations: ResolvedOperationSampling[];
  readonly maxSpansPerSecond?: number;
}

/** Default baseline probability. */
export const DEFAULT_BASELINE_RATIO = 0.1;

/**
 * The sampling model: tail-sampling policies for the collector gateway and
 * head-sampling strategies for SDK remote samplers, from one description.
 *
 * @example
 * TraceSampling.of({
 *   baselineRatio: 0.1,
 *   latencyThresholdMs: 2000,
 *   services: [
 *     { service: 'payment-service', strategy: SamplingStrategy.timesBaseline(3) },
 *     { service: 'notification-service', strategy: SamplingStrategy.timesBaseline(0.5) },
 *   ],
 *   defaultOperations: [{ operation: 'GET /health', ratio: 0 }],
 * });
 */
export class TraceSampling {
  /** A sampling model from props; checked when a construct resolves it. */
  public static of(props: TraceSamplingProps = {}): TraceSampling {
    return new TraceSampling(props);
  }

  /** Keep every trace (development clusters). */
  public static keepAll(): TraceSampling {
    return new TraceSampling({ baselineRatio: 1 });
  }

  /** The props as given. */
  public readonly props: TraceSamplingProps;

  private constructor(props: TraceSamplingProps) {
    this.props = props;
  }

  /** Fills defaults and checks every rule; `path` names the construct in errors. */
  public resolve(path: string): ResolvedSampling {
    return resolveSampling(path, this.props);
  }
}

function checkRatio(path: string, what: string, value: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw configError(path, `${what} must be a probability between 0 and 1`, value, fix);
  }
}

function resolveOperations(path: string, what: string, rules: OperationSamplingRule[] | undefined): ResolvedOperationSampling[] {
  const seen = new Set<string>();
  return (rules ?? []).map((rule) => {
    if (typeof rule.operation !== 'string' || rule.operation.trim() === '') {
      throw configError(path, `${what} has an operation rule with an empty operation name`, rule.operation,
        'give the span name of the operation, e.g. "GET /health"');
    }
    if (seen.has(rule.operation)) {
      throw configError(path, `${what} lists operation "${rule.operation}" twice`, rule.operation, 'keep one rule per operation');
    }
    seen.add(rule.operation);
    checkRatio(path, `${what} operation "${rule.operation}" ratio`, rule.ratio, 'use e.g. 0 to never sample health checks, 0.5 for half');
    return { operation: rule.operation, ratio: rule.ratio };
  });
}

/** Fills defaults and validates {@link TraceSamplingProps}. Prefer {@link TraceSampling.resolve}. */
export function resolveSampling(path: string, props: TraceSamplingProps): ResolvedSampling {
  const baselineRatio = props.baselineRatio ?? DEFAULT_BASELINE_RATIO;
  checkRatio(path, 'sampling baselineRatio', baselineRatio, 'use e.g. 0.1 to keep one trace in ten');
  if (props.latencyThresholdMs !== undefined) {
    const v = props.latencyThresholdMs;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw configError(path, 'sampling latencyThresholdMs must be a positive whole number of milliseconds', v,
        'use e.g. 2000 to keep traces slower than two seconds, or leave it out');
    }
  }
  if (props.maxSpansPerSecond !== undefined) {
    const v = props.maxSpansPerSecond;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw configError(path, 'sampling maxSpansPerSecond must be a positive whole number', v,
        'use e.g. 5000, or leave it out for no cap');
    }
  }
  const seen = new Set<string>();
  const services = (props.services ?? []).map((rule): ResolvedServiceSampling => {
    if (typeof rule.service !== 'string' || rule.service.trim() === '' || rule.service !== rule.service.trim()) {
      throw configError(path, 'sampling service rule has an empty service name or one with surrounding spaces', rule.service,
        'use the exact service.name the SDK reports, e.g. "payment-service"');
    }
    if (seen.has(rule.service)) {
      throw configError(path, `sampling services list "${rule.service}" twice`, rule.service,
        'merge the rules into one entry per service');
    }
    seen.add(rule.service);
    const what = `sampling service "${rule.service}"`;
    const strategy = rule.strategy;
    if (!(strategy instanceof SamplingStrategy)) {
      throw configError(path, `${what} has no strategy`, strategy,
        'use SamplingStrategy.probabilistic(r), SamplingStrategy.timesBaseline(m) or SamplingStrategy.rateLimiting(n)');
    }
    const operations = resolveOperations(path, what, rule.operations);
    switch (strategy.kind) {
      case 'probabilistic':
        checkRatio(path, `${what} ratio`, strategy.value, 'use SamplingStrategy.probabilistic(r) with 0 <= r <= 1');
        return { service: rule.service, type: SamplingStrategyType.PROBABILISTIC, param: strategy.value, operations };
      case 'multiplier': {
        const m = strategy.value;
        if (typeof m !== 'number' || !Number.isFinite(m) || m <= 0) {
          throw configError(path, `${what} multiplier must be a positive number`, m,
            'use e.g. SamplingStrategy.timesBaseline(3) for three times the baseline, timesBaseline(0.5) for half');
        }
        return {
          service: rule.service, type: SamplingStrategyType.PROBABILISTIC,
          param: Math.min(1, roundRatio(baselineRatio * m)), multiplier: m, operations,
        };
      }
      default: {
        const n = strategy.value;
        if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0 || n > JAEGER_MAX_TRACES_PER_SECOND) {
          throw configError(path, `${what} rate limit must be a whole number of traces per second from 1 to ${JAEGER_MAX_TRACES_PER_SECOND}`, n,
            'use e.g. SamplingStrategy.rateLimiting(10)');
        }
        if (operations.length > 0) {
          throw configError(path, `${what} has operation rules under a rate-limiting strategy, which Jaeger's protocol cannot express`,
            operations.map((o) => o.operation), 'use a probabilistic or timesBaseline strategy for this service, or drop its operation rules');
        }
        return { service: rule.service, type: SamplingStrategyType.RATE_LIMITING, param: n, operations };
      }
    }
  });
  return {
    baselineRatio,
    keepErrors: props.keepErrors ?? true,
    latencyThresholdMs: props.latencyThresholdMs,
    services,
    defaultOperations: resolveOperations(path, 'sampling defaultOperations', props.defaultOperations),
    maxSpansPerSecond: props.maxSpansPerSecond,
  };
}

// Avoid 0.30000000000000004 in rendered config.
function roundRatio(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
