import { readFileSync } from 'fs';
import { resolveTempoTenancy, Retention } from '../../lib/core';
import { renderTempoConfig, renderTempoDistributedConfig } from '../../lib/render';
import {
  OVERRIDE_DEFAULTS_FILE, tempoOverrideDefaults, tenantBlockDeviations, tenantBlockProblems, unknownTempoKeys, unknownTempoOverrideKeys,
} from '../helpers/tempo-keys';

const base = {
  storage: { bucket: 'b', region: 'eu-west-1', endpoint: 's3.eu-west-1.amazonaws.com' },
  clusterLabel: 'tempo.tracing',
  logLevel: 'info',
};
const generator = { remoteWriteUrl: 'http://prometheus.monitoring:9090/api/v1/write', serviceGraphs: true, spanMetrics: true, externalLabels: {} };

const tenancy = resolveTempoTenancy('p', {
  multitenancy: true,
  retention: Retention.days(10),
  limits: { maxTracesPerUser: 20_000 },
  tenants: [
    { id: 'payments', retention: Retention.days(90), limits: { ingestionRateLimitBytes: 50_000_000, ingestionBurstSizeBytes: 60_000_000 } },
    { id: 'search' },
  ],
});

describe('Tempo overrides blocks are complete (Tempo 3.0.3 zeroes what a tenant block leaves out)', () => {
  test('the upstream fixture lists 63 override fields', () => {
    const fixture = JSON.parse(readFileSync(OVERRIDE_DEFAULTS_FILE, 'utf8'));
    expect(tempoOverrideDefaults().size).toBe(63);
    expect(fixture.leaf_count).toBe(63);
  });

  test('the check sees what a partial tenant block loses', () => {
    const partial = { ingestion: { rate_limit_bytes: 1, burst_size_bytes: 1, max_traces_per_user: 1 }, global: { max_bytes_per_trace: 1 }, compaction: { block_retention: '1h' } };
    const lost = tenantBlockProblems(partial);
    expect(lost).toContain('ingestion.retry_info_enabled: Tempo would use false, expected true');
    expect(lost).toContain('read.max_bytes_per_tag_values_query: Tempo would use 0, expected 1000000');
    expect(tenantBlockProblems({ global: { max_bytes_per_trace: 1 } })).toContain('ingestion.rate_limit_bytes: missing, so Tempo would use its zero value');
    expect(tenantBlockDeviations({}, { 'ingestion.nope': 1 })).toContain('ingestion.nope: not an override field');
  });

  test.each([
    ['monolithic, with generator', renderTempoConfig({ ...base, tenancy, metricsGenerator: generator })],
    ['monolithic, no generator', renderTempoConfig({ ...base, tenancy })],
    ['microservices', renderTempoDistributedConfig({
      ...base, tenancy, metricsGenerator: generator, kafka: { address: 'k:9092', topic: 't', saslFromEnv: false },
      backendSchedulerHost: 'bs', queryFrontendDiscoveryHost: 'qf', gossipHost: 'g',
    })],
  ])('every tenant block and the defaults block keep every built-in default but what we set (%s)', (_name, out) => {
    const tenants = (out.overrides as any).overrides as Record<string, Record<string, unknown>>;
    expect(Object.keys(tenants)).toEqual(['payments', 'search']);
    const defaults = (out.config.overrides as any).defaults;
    for (const block of [defaults, ...Object.values(tenants)]) expect(tenantBlockProblems(block)).toEqual([]);
    // Every field whose built-in default is not nil is written out.
    for (const [field, builtin] of tempoOverrideDefaults()) {
      if (builtin === null) continue;
      for (const block of Object.values(tenants)) {
        expect([field, field.split('.').reduce<any>((n, k) => n?.[k], block) !== undefined]).toEqual([field, true]);
      }
    }
    // The settings the user chose.
    expect(tenantBlockDeviations(tenants.payments, {
      'ingestion.rate_limit_bytes': 50_000_000, 'ingestion.burst_size_bytes': 60_000_000, 'ingestion.max_traces_per_user': 20_000,
      'global.max_bytes_per_trace': 5_000_000, 'compaction.block_retention': '2160h',
      ...(out.config.metrics_generator ? { 'metrics_generator.processors': ['service-graphs', 'span-metrics'] } : {}),
    })).toEqual([]);
    expect(tenants.search.compaction).toMatchObject({ block_retention: '240h' });
    expect(unknownTempoKeys(out.config)).toEqual([]);
    expect(unknownTempoOverrideKeys(out.overrides!)).toEqual([]);
  });
});
