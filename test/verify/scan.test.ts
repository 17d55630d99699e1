/**
 * The streaming parts alone: key placement, meta.json parsing, grouping of a
 * flat listing into blocks, the bounded pool, error classification, durations.
 */
import { randomUUID } from 'crypto';
import { RetentionView } from '../../lib/verify/checks';
import { formatHours, parseDurationSeconds, parseRetention } from '../../lib/verify/duration';
import { placeKey } from '../../lib/verify/layout';
import type { ListedObject } from '../../lib/verify/list';
import { parseBlockMeta } from '../../lib/verify/meta';
import { BoundedPool } from '../../lib/verify/pool';
import { classifyS3Error } from '../../lib/verify/s3-errors';
import { BlockGrouper, BlockSummary, TenantAggregator } from '../../lib/verify/scan';

const NOW = new Date('2026-11-20T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);

describe('placeKey', () => {
  const id = '0b9c0b1e-7a4e-4f0e-9f5e-1c2d3e4f5a6b';
  test.each<[string, unknown]>([
    ['work.json', { kind: 'root', name: 'work.json' }],
    ['tempo_cluster_seed.json', { kind: 'root', name: 'tempo_cluster_seed.json' }],
    ['stray.txt', { kind: 'unknown' }],
    ['overrides/team-a/overrides.json', { kind: 'overrides' }],
    ['single-tenant/index.json.gz', { kind: 'tenant', tenant: 'single-tenant' }],
    ['single-tenant/index.pb.zst', { kind: 'tenant', tenant: 'single-tenant' }],
    ['logs/access-2026-11-20.txt', { kind: 'unknown' }],
    [`team-a/${id}/meta.json`, { kind: 'block', tenant: 'team-a', blockId: id, file: 'meta.json' }],
    ['team-a/not-a-uuid/meta.json', { kind: 'unknown', tenant: 'team-a' }],
  ])('%s', (key, expected) => {
    expect(placeKey(key)).toEqual(expected);
  });
});

describe('parseBlockMeta', () => {
  test('reads endTime as Tempo writes it', () => {
    const r = parseBlockMeta('{"blockID":"x","startTime":"2026-11-01T00:00:00Z","endTime":"2026-11-01T01:00:00.5Z"}');
    expect(r).toEqual({ kind: 'ok', endTime: new Date('2026-11-01T01:00:00.5Z'), startTime: new Date('2026-11-01T00:00:00Z') });
  });
  test.each([
    ['{"endTime":', 'not valid JSON'],
    ['[1,2]', 'not a JSON object'],
    ['{"startTime":"2026-11-01T00:00:00Z"}', 'no valid endTime'],
    ['{"endTime":"yesterday"}', 'no valid endTime'],
    ['{"endTime":"0001-01-01T00:00:00Z"}', 'no valid endTime'],
  ])('%s is corrupt: %s', (text, reason) => {
    expect(parseBlockMeta(text)).toEqual({ kind: 'corrupt', reason });
  });
});

describe('BlockGrouper', () => {
  test('groups consecutive objects into blocks and sends everything else elsewhere', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const objects: ListedObject[] = [
      { key: 'p/work.json', size: 2, lastModified: NOW },
      { key: `p/t1/${a}/data.parquet`, size: 100, lastModified: hoursAgo(5) },
      { key: `p/t1/${a}/meta.json`, size: 10, lastModified: hoursAgo(4) },
      { key: `p/t1/${b}/data.parquet`, size: 50, lastModified: hoursAgo(2) },
      { key: `p/t1/${b}/meta.compacted.json`, size: 10, lastModified: hoursAgo(1) },
      { key: 'p/t1/index.json.gz', size: 7, lastModified: NOW },
      { key: 'p/junk', size: 1, lastModified: NOW },
    ];
    const blocks: BlockSummary[] = [];
    const tenantObjects: string[] = [];
    const roots: string[] = [];
    let unknown = 0;
    const grouper = new BlockGrouper('p/', {
      block: async (s) => { blocks.push(s); },
      tenantObject: (t, o) => tenantObjects.push(`${t}:${o.key}`),
      rootObject: (n) => roots.push(n),
      unknownObject: () => { unknown++; },
    });
    for (const o of objects) await grouper.add(o);
    await grouper.flush();
    expect(blocks).toEqual([
      { tenant: 't1', blockId: a, objects: 2, bytes: 110, newestObject: hoursAgo(4), metaKey: `p/t1/${a}/meta.json` },
      { tenant: 't1', blockId: b, objects: 2, bytes: 60, newestObject: hoursAgo(1), compactedAt: hoursAgo(1) },
    ]);
    expect(tenantObjects).toEqual(['t1:p/t1/index.json.gz']);
    expect(roots).toEqual(['work.json']);
    expect(unknown).toBe(1);
  });
});

describe('TenantAggregator', () => {
  const view: RetentionView = { defaultHours: 24, perTenantHours: { long: 240 } };
  const block = (tenant: string, extra: Partial<BlockSummary> = {}): BlockSummary => ({
    tenant, blockId: randomUUID(), objects: 3, bytes: 30, newestObject: hoursAgo(1), metaKey: 'k', ...extra,
  });

  test('applies each tenant\'s retention plus grace to meta endTime', () => {
    const agg = new TenantAggregator(view, NOW, 3);
    agg.addBlock(block('short'), { kind: 'ok', endTime: hoursAgo(26) }); // 24 + 3 > 26: fine
    agg.addBlock(block('short'), { kind: 'ok', endTime: hoursAgo(28) }); // past
    agg.addBlock(block('long'), { kind: 'ok', endTime: hoursAgo(28) }); // 240h retention: fine
    const [long, short] = agg.reports();
    expect(short).toMatchObject({ tenant: 'short', blocks: 2, blocksPastRetention: 1, oldestBlockAgeHours: 28, newestBlockAgeHours: 26, retentionHours: 24 });
    expect(long).toMatchObject({ tenant: 'long', blocks: 1, blocksPastRetention: 0, retentionHours: 240 });
  });

  test('falls back to object time when meta is corrupt or unreadable, and counts them', () => {
    const agg = new TenantAggregator(view, NOW, 3);
    agg.addBlock(block('t', { newestObject: hoursAgo(50) }), { kind: 'corrupt', reason: 'not valid JSON' });
    agg.addBlock(block('t', { newestObject: hoursAgo(2) }), { kind: 'error', reason: 'access denied' });
    const [t] = agg.reports();
    expect(t).toMatchObject({ blocks: 2, corruptMeta: 1, blocksPastRetention: 1, ageSources: { 'meta': 0, 'object-time': 2 } });
    expect(agg.metaReadErrors).toBe(1);
  });

  test('a meta.json deleted under us (Tempo racing) is not counted at all', () => {
    const agg = new TenantAggregator(view, NOW, 3);
    agg.addBlock(block('t', { newestObject: hoursAgo(100) }), { kind: 'gone' });
    expect(agg.reports()[0]).toMatchObject({ blocks: 0, orphanedBlocks: 0, objects: 3 });
  });
});

describe('BoundedPool', () => {
  test('never runs more than its limit and submit waits for a slot', async () => {
    const pool = new BoundedPool(3);
    let running = 0;
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      await pool.submit(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
      });
      expect(pool.inFlight).toBeLessThanOrEqual(3);
    }
    await pool.drain();
    expect(peak).toBe(3);
    expect(pool.inFlight).toBe(0);
  });

  test('drain rethrows a task failure', async () => {
    const pool = new BoundedPool(2);
    await pool.submit(async () => { throw new Error('boom'); });
    await expect(pool.drain()).rejects.toThrow('boom');
  });
});

describe('classifyS3Error', () => {
  const sdk = (name: string, status?: number, extra: object = {}) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });
  test.each<[string, unknown, string]>([
    ['501 NotImplemented', sdk('NotImplemented', 501), 'not-supported'],
    ['405 MethodNotAllowed (s3rver GET ?policy)', sdk('MethodNotAllowed', 405), 'not-supported'],
    ['NoSuchLifecycleConfiguration', sdk('NoSuchLifecycleConfiguration', 404), 'not-configured'],
    ['HEAD 404', sdk('NotFound', 404), 'missing-bucket'],
    ['NoSuchBucket', sdk('NoSuchBucket', 404), 'missing-bucket'],
    ['HEAD 403', sdk('Forbidden', 403), 'access-denied'],
    ['AccessDenied', sdk('AccessDenied', 403), 'access-denied'],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'unreachable'],
    ['no credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'no-credentials'],
  ])('%s', (_n, err, kind) => {
    expect(classifyS3Error(err).kind).toBe(kind);
  });

  test('wrong region names the bucket region from the redirect header', () => {
    const err = sdk('PermanentRedirect', 301, { $response: { headers: { 'x-amz-bucket-region': 'eu-central-1' } } });
    expect(classifyS3Error(err)).toMatchObject({ kind: 'wrong-region', bucketRegion: 'eu-central-1', message: 'the bucket is in region eu-central-1' });
  });
});

describe('durations', () => {
  test.each<[string, number | undefined]>([
    ['14d', 14 * 86400], ['336h', 336 * 3600], ['336h0m0s', 336 * 3600], ['1d12h', 36 * 3600], ['90m', 5400], ['0', 0],
    ['', undefined], ['14 d', undefined], ['h', undefined], ['12h1d', undefined], ['3w', undefined],
  ])('%j', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  test('retention must be whole hours, at least one', () => {
    expect(parseRetention('14d')?.hours).toBe(336);
    expect(parseRetention('90m')).toBeUndefined();
    expect(parseRetention('0h')).toBeUndefined();
  });

  test('formatHours', () => {
    expect([formatHours(0.5), formatHours(5), formatHours(24), formatHours(50), formatHours(720)]).toEqual(['30m', '5h', '1d', '2d 2h', '30d']);
  });
});
