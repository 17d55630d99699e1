import { SamplingStrategy, TraceSampling } from '../../lib/core';
import { renderSamplingStrategies, renderSamplingStrategiesJson } from '../../lib/render/sampling-strategies';

describe('Jaeger remote-sampling strategies renderer', () => {
  const model = TraceSampling.of({
    baselineRatio: 0.1,
    services: [
      { service: 'payment-service', strategy: SamplingStrategy.timesBaseline(3), operations: [{ operation: 'POST /refund', ratio: 1 }] },
      { service: 'notification-service', strategy: SamplingStrategy.timesBaseline(0.5) },
      { service: 'batch', strategy: SamplingStrategy.rateLimiting(5) },
    ],
    defaultOperations: [{ operation: 'GET /health', ratio: 0 }],
  }).resolve('test');

  test('renders per-service, per-operation and default strategies', () => {
    expect(renderSamplingStrategies(model)).toEqual({
      service_strategies: [
        { service: 'payment-service', type: 'probabilistic', param: 0.3, operation_strategies: [{ operation: 'POST /refund', type: 'probabilistic', param: 1 }] },
        { service: 'notification-service', type: 'probabilistic', param: 0.05 },
        { service: 'batch', type: 'ratelimiting', param: 5 },
      ],
      default_strategy: { type: 'probabilistic', param: 0.1, operation_strategies: [{ operation: 'GET /health', type: 'probabilistic', param: 0 }] },
    });
  });

  test('operation strategies are always probabilistic and only where rules exist', () => {
    const out = renderSamplingStrategies(model);
    const all = [...out.service_strategies.flatMap((s) => s.operation_strategies ?? []), ...(out.default_strategy.operation_strategies ?? [])];
    expect(all.every((o) => o.type === 'probabilistic')).toBe(true);
    expect(out.service_strategies[1]).not.toHaveProperty('operation_strategies');
  });

  test('default model: probabilistic 0.1, no services', () => {
    expect(renderSamplingStrategies(TraceSampling.of().resolve('t'))).toEqual({ service_strategies: [], default_strategy: { type: 'probabilistic', param: 0.1 } });
  });

  test('JSON text round-trips and matches the snapshot', () => {
    const text = renderSamplingStrategiesJson(model);
    expect(JSON.parse(text)).toEqual(renderSamplingStrategies(model));
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toMatchSnapshot();
  });
});
