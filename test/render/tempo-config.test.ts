import { resolveTempoTenancy, Retention } from '../../lib/core';
import { renderTempoConfig } from '../../lib/render';
import { unknownTempoKeys } from '../helpers/tempo-keys';

const base = {
  storage: { bucket: 'b', region: 'eu-west-1', endpoint: 's3.eu-west-1.amazonaws.com' },
  clusterLabel: 'tempo.tracing',
  logLevel: 'info',
};

describe('renderTempoConfig (pure)', () => {
  test('no overrides file without tenants; no legacy 2.x blocks', () => {
    const out = renderTempoConfig({ ...base, tenancy: resolveTempoTenancy('p', {}) });
    expect(out.overrides).toBeUndefined();
    expect(out.config).not.toHaveProperty('compactor');
    expect(out.config).not.toHaveProperty('ingester');
    expect((out.config.overrides as any).per_tenant_override_config).toBeUndefined();
    expect(unknownTempoKeys(out.config)).toEqual([]);
  });

  test('S3-compatible stores: prefix, insecure and path style reach the s3 block', () => {
    const out = renderTempoConfig({
      ...base,
      storage: { ...base.storage, endpoint: 'minio.storage:9000', prefix: 'tempo', insecure: true, forcePathStyle: true },
      tenancy: resolveTempoTenancy('p', { retention: Retention.hours(36) }),
    });
    expect((out.config.storage as any).trace.s3).toEqual({
      bucket: 'b', endpoint: 'minio.storage:9000', region: 'eu-west-1', prefix: 'tempo', insecure: true, forcepathstyle: true,
    });
    expect((out.config.backend_worker as any).compaction.block_retention).toBe('36h');
    expect(unknownTempoKeys(out.config)).toEqual([]);
  });

  test('without metrics-generator no processors are enabled', () => {
    const out = renderTempoConfig({ ...base, tenancy: resolveTempoTenancy('p', {}) });
    expect(out.config.metrics_generator).toBeUndefined();
    expect((out.config.overrides as any).defaults.metrics_generator.processors).toBeUndefined();
  });
});
