// The pure renderer alone: the microservices config is the monolithic one plus the distributed keys.
import { Retention, resolveTempoTenancy } from '../../lib/core';
import { renderTempoConfig, renderTempoDistributedConfig } from '../../lib/render';
import { unknownTempoKeys } from '../helpers/tempo-keys';

const input = {
  tenancy: resolveTempoTenancy('t', { retention: Retention.days(3), multitenancy: true, tenants: [{ id: 'a', retention: Retention.days(9) }] }),
  storage: { bucket: 'b', region: 'eu-west-1', endpoint: 's3.eu-west-1.amazonaws.com', prefix: 'p' },
  clusterLabel: 'tempo.tracing',
  logLevel: 'info',
};
const distributed = {
  ...input,
  kafka: { address: 'k:9092', topic: 'tempo-traces', saslFromEnv: true },
  backendSchedulerHost: 'tempo-backend-scheduler.tracing.svc.cluster.local',
  queryFrontendDiscoveryHost: 'tempo-query-frontend-discovery.tracing.svc.cluster.local',
  gossipHost: 'tempo-gossip-ring.tracing.svc.cluster.local',
};

describe('renderTempoDistributedConfig', () => {
  const mono = renderTempoConfig(input);
  const micro = renderTempoDistributedConfig(distributed);
  const c = micro.config as any;

  test('keeps every monolithic key except target, and the same overrides file', () => {
    for (const [key, value] of Object.entries(mono.config)) {
      if (key === 'target') continue;
      if (['backend_worker', 'memberlist'].includes(key)) expect(c[key]).toMatchObject(value as object);
      else expect([key, c[key]]).toEqual([key, value]);
    }
    expect(c.target).toBeUndefined();
    expect(micro.overrides).toEqual(mono.overrides);
  });

  test('adds the distributed keys, all known to Tempo 3.0.3', () => {
    expect(c.ingest.kafka).toEqual({
      address: 'k:9092', topic: 'tempo-traces', auto_create_topic_enabled: false,
      sasl_username: '${TEMPO_KAFKA_SASL_USERNAME}', sasl_password: '${TEMPO_KAFKA_SASL_PASSWORD}',
    });
    expect(c.backend_worker.backend_scheduler_addr).toBe('tempo-backend-scheduler.tracing.svc.cluster.local:9095');
    expect(c.querier.frontend_worker.frontend_address).toBe('tempo-query-frontend-discovery.tracing.svc.cluster.local:9095');
    expect(c.memberlist.join_members).toEqual(['dns+tempo-gossip-ring.tracing.svc.cluster.local:7946']);
    expect(c.block_builder.partitions_per_instance).toBe(1);
    expect(unknownTempoKeys(c)).toEqual([]);
  });

  test('live-stores are ready only once caught up with their partition; generators leave the consumer group on shutdown', () => {
    // Tempo 3.0.3 defaults readiness_target_lag to 0s, which skips the catch-up wait entirely
    // (readiness_max_wait is then ignored), so a restarted live-store would report ready while replaying.
    expect(c.live_store).toEqual({ readiness_target_lag: '5s', readiness_max_wait: '30m' });
    expect(c.metrics_generator).toBeUndefined();
    const mg = { remoteWriteUrl: 'http://p:9090/api/v1/write', serviceGraphs: true, spanMetrics: true, externalLabels: {} };
    const withGenerator = renderTempoDistributedConfig({ ...distributed, metricsGenerator: mg }).config as any;
    expect(withGenerator.metrics_generator.leave_consumer_group_on_shutdown).toBe(true);
    expect(withGenerator.metrics_generator.storage.path).toBe('/var/tempo/generator/wal');
    expect(unknownTempoKeys(withGenerator)).toEqual([]);
    // Monolithic keeps Tempo's defaults: no Kafka consumer there.
    const monoWithGenerator = renderTempoConfig({ ...input, metricsGenerator: mg }).config as any;
    expect(monoWithGenerator.metrics_generator.leave_consumer_group_on_shutdown).toBeUndefined();
    expect(monoWithGenerator.live_store).toBeUndefined();
  });

  test('no SASL keys without credentials; the monolithic input is not mutated', () => {
    const plain = renderTempoDistributedConfig({ ...distributed, kafka: { ...distributed.kafka, saslFromEnv: false } }).config as any;
    expect(Object.keys(plain.ingest.kafka)).toEqual(['address', 'topic', 'auto_create_topic_enabled']);
    expect(renderTempoConfig(input)).toEqual(mono);
    expect((mono.config as any).target).toBe('all');
  });
});
