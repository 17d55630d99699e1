import { SamplingStrategy, SamplingStrategyType, TraceSampling, TraceSamplingProps, TracingConfigError } from '../../lib/core';

const PATH = 'app/collector';

describe('TraceSampling model', () => {
  test('defaults: baseline 0.1, keep errors, no latency rule, no cap, no rules', () => {
    expect(TraceSampling.of().resolve(PATH)).toEqual({
      baselineRatio: 0.1, keepErrors: true, latencyThresholdMs: undefined, services: [], defaultOperations: [], maxSpansPerSecond: undefined,
    });
  });

  test('timesBaseline multiplies the baseline and caps at 1; probabilistic and rate limiting pass through', () => {
    const resolved = TraceSampling.of({
      baselineRatio: 0.1,
      services: [
        { service: 'payment-service', strategy: SamplingStrategy.timesBaseline(3) },
        { service: 'notification-service', strategy: SamplingStrategy.timesBaseline(0.5) },
        { service: 'checkout', strategy: SamplingStrategy.timesBaseline(20) },
        { service: 'search', strategy: SamplingStrategy.probabilistic(0.02), operations: [{ operation: 'GET /suggest', ratio: 0.001 }] },
        { service: 'batch', strategy: SamplingStrategy.rateLimiting(5) },
      ],
    }).resolve(PATH);
    expect(resolved.services.map((s) => [s.service, s.type, s.param])).toEqual([
      ['payment-service', SamplingStrategyType.PROBABILISTIC, 0.3],
      ['notification-service', SamplingStrategyType.PROBABILISTIC, 0.05],
      ['checkout', SamplingStrategyType.PROBABILISTIC, 1],
      ['search', SamplingStrategyType.PROBABILISTIC, 0.02],
      ['batch', SamplingStrategyType.RATE_LIMITING, 5],
    ]);
    expect(resolved.services[0].multiplier).toBe(3);
    expect(resolved.services[3].operations).toEqual([{ operation: 'GET /suggest', ratio: 0.001 }]);
  });

  test('keepAll keeps every trace', () => {
    expect(TraceSampling.keepAll().resolve(PATH).baselineRatio).toBe(1);
  });

  test('ratios at the bounds 0 and 1 are accepted', () => {
    expect(() => TraceSampling.of({ baselineRatio: 0, defaultOperations: [{ operation: 'x', ratio: 1 }] }).resolve(PATH)).not.toThrow();
  });

  const bad: Array<[string, TraceSamplingProps, RegExp]> = [
    ['baseline above 1', { baselineRatio: 1.5 }, /\[app\/collector\] sampling baselineRatio must be a probability between 0 and 1 \(got 1\.5\)/],
    ['baseline negative', { baselineRatio: -0.1 }, /baselineRatio must be a probability between 0 and 1 \(got -0\.1\)/],
    ['baseline NaN', { baselineRatio: NaN }, /baselineRatio must be a probability/],
    ['latency zero', { latencyThresholdMs: 0 }, /latencyThresholdMs must be a positive whole number of milliseconds \(got 0\)/],
    ['latency negative', { latencyThresholdMs: -5 }, /latencyThresholdMs must be a positive whole number/],
    ['latency fractional', { latencyThresholdMs: 1.5 }, /latencyThresholdMs must be a positive whole number/],
    ['cap zero', { maxSpansPerSecond: 0 }, /maxSpansPerSecond must be a positive whole number \(got 0\)/],
    ['duplicate service', { services: [{ service: 'a', strategy: SamplingStrategy.timesBaseline(2) }, { service: 'a', strategy: SamplingStrategy.probabilistic(0.1) }] },
      /sampling services list "a" twice \(got "a"\); merge the rules/],
    ['empty service', { services: [{ service: '', strategy: SamplingStrategy.timesBaseline(2) }] }, /empty service name/],
    ['service with spaces', { services: [{ service: ' a', strategy: SamplingStrategy.timesBaseline(2) }] }, /surrounding spaces/],
    ['service ratio above 1', { services: [{ service: 'a', strategy: SamplingStrategy.probabilistic(2) }] }, /sampling service "a" ratio must be a probability between 0 and 1 \(got 2\)/],
    ['multiplier zero', { services: [{ service: 'a', strategy: SamplingStrategy.timesBaseline(0) }] }, /sampling service "a" multiplier must be a positive number \(got 0\)/],
    ['rate limit zero', { services: [{ service: 'a', strategy: SamplingStrategy.rateLimiting(0) }] }, /sampling service "a" rate limit must be a whole number of traces per second from 1 to 32767 \(got 0\)/],
    ['rate limit too big', { services: [{ service: 'a', strategy: SamplingStrategy.rateLimiting(40000) }] }, /rate limit must be a whole number .* \(got 40000\)/],
    ['operations under rate limiting', { services: [{ service: 'a', strategy: SamplingStrategy.rateLimiting(3), operations: [{ operation: 'op', ratio: 0.1 }] }] },
      /operation rules under a rate-limiting strategy/],
    ['operation ratio out of range', { defaultOperations: [{ operation: 'GET /health', ratio: -1 }] }, /operation "GET \/health" ratio must be a probability between 0 and 1 \(got -1\)/],
    ['duplicate operation', { defaultOperations: [{ operation: 'x', ratio: 0 }, { operation: 'x', ratio: 0.5 }] }, /lists operation "x" twice/],
    ['empty operation', { defaultOperations: [{ operation: ' ', ratio: 0 }] }, /empty operation name/],
    ['missing strategy', { services: [{ service: 'a', strategy: undefined as unknown as SamplingStrategy }] }, /sampling service "a" has no strategy/],
  ];
  test.each(bad)('rejects %s with a specific message', (_name, props, message) => {
    const act = () => TraceSampling.of(props).resolve(PATH);
    expect(act).toThrow(TracingConfigError);
    expect(act).toThrow(message);
  });
});
