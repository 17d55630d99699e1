/**
 * End-to-end: the CLI against a real s3rver on 127.0.0.1 with buckets laid out
 * like Tempo's. s3rver lacks the lifecycle, encryption, policy, public access
 * block and multipart-listing APIs, which is exactly what lets us prove those
 * checks say "not supported by this endpoint" instead of passing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { runCli } from '../../lib/verify/cli';
import { createReadOnlyClient, READ_ONLY_COMMAND } from '../../lib/verify/client';
import type { VerifyReport } from '../../lib/verify/types';
import { NOW, putBlock, putTempoBucket, putTenantIndex } from './support/fixtures';
import { S3RVER_CREDENTIALS, S3rverHandle, startS3rver } from './support/s3rver';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let server: S3rverHandle;
const expiredIds: Record<string, string> = {};

/** Runs the CLI in-process with captured output. */
async function cli(args: string[], opts: { credentials?: typeof S3RVER_CREDENTIALS; tty?: boolean; cwd?: string; commands?: string[] } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; }, isTTY: opts.tty },
    env: {},
    cwd: opts.cwd ?? os.tmpdir(),
    now: NOW,
    createClient: (o) => createReadOnlyClient({ ...o, credentials: opts.credentials ?? S3RVER_CREDENTIALS, onCommand: (c) => opts.commands?.push(c) }),
  });
  return { code, stdout, stderr };
}

function verifyArgs(bucket: string, ...extra: string[]): string[] {
  return ['verify', '--bucket', bucket, '--endpoint', server.endpoint, ...extra];
}

beforeAll(async () => {
  server = await startS3rver();
  // Healthy: prefix "tempo", two tenants with young blocks, one empty tenant.
  await putTempoBucket(server, 'healthy', 'tempo/');
  for (const age of [1, 30, 24 * 5, 24 * 10]) await putBlock(server, 'healthy', 'tempo/', 'single-tenant', { endAgeHours: age });
  await putBlock(server, 'healthy', 'tempo/', 'team-a', { endAgeHours: 2 });
  await putBlock(server, 'healthy', 'tempo/', 'team-a', { endAgeHours: 48 });
  await putBlock(server, 'healthy', 'tempo/', 'team-a', { endAgeHours: 24 * 12, state: 'compacted', compactedAgeHours: 1 });
  // Marked compacted just now: Tempo will delete it within the grace period.
  await putBlock(server, 'healthy', 'tempo/', 'team-a', { endAgeHours: 1, state: 'compacted' });
  await putTenantIndex(server, 'healthy', 'tempo/', 'single-tenant');
  await putTenantIndex(server, 'healthy', 'tempo/', 'team-empty');

  // Expired: no prefix; retention is not being applied.
  await putTempoBucket(server, 'expired', '');
  await putBlock(server, 'expired', '', 'single-tenant', { endAgeHours: 5 });
  expiredIds.old20 = await putBlock(server, 'expired', '', 'single-tenant', { endAgeHours: 24 * 20 });
  expiredIds.old30 = await putBlock(server, 'expired', '', 'single-tenant', { endAgeHours: 24 * 30 });
  expiredIds.corrupt = await putBlock(server, 'expired', '', 'single-tenant', { endAgeHours: 24 * 2, state: 'corrupt-meta' });
  expiredIds.orphan = await putBlock(server, 'expired', '', 'single-tenant', { endAgeHours: 24 * 5, state: 'no-meta' });
  expiredIds.compacted = await putBlock(server, 'expired', '', 'single-tenant', { endAgeHours: 24 * 2, state: 'compacted' });
  // A block just uploaded without meta yet: in flight, not an orphan.
  await putBlock(server, 'expired', '', 'single-tenant', { endAgeHours: 0.1, state: 'no-meta' });

  await server.admin.send(new CreateBucketCommand({ Bucket: 'empty' }));
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('healthy bucket', () => {
  let report: VerifyReport;
  let result: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    result = await cli(verifyArgs('healthy', '--prefix', 'tempo', '--retention', '14d', '--json'));
    report = JSON.parse(result.stdout);
  });

  test('exits 0 with no findings', () => {
    expect(result.stderr).toBe('');
    expect(report.findings).toEqual([]);
    expect(result.code).toBe(0);
    expect(report.exitCode).toBe(0);
  });

  test('reports per-tenant blocks, sizes and ages from meta.json', () => {
    const single = report.tenants.find((t) => t.tenant === 'single-tenant')!;
    expect(single).toMatchObject({ blocks: 4, compactedBlocks: 0, blocksPastRetention: 0, oldestBlockAgeHours: 240, newestBlockAgeHours: 1 });
    expect(single.ageSources).toEqual({ 'meta': 4, 'object-time': 0 });
    // 4 blocks x (2048 data + 64 bloom + meta) + 32 index bytes.
    expect(single.bytes).toBeGreaterThan(4 * (2048 + 64) + 32);
    const teamA = report.tenants.find((t) => t.tenant === 'team-a')!;
    expect(teamA).toMatchObject({ blocks: 2, compactedBlocks: 2, compactedPastGrace: 0, oldestBlockAgeHours: 48 });
  });

  test('an empty tenant is listed with no blocks and a note, not a finding', () => {
    const empty = report.tenants.find((t) => t.tenant === 'team-empty')!;
    expect(empty).toMatchObject({ blocks: 0, objects: 1 });
    expect(empty.oldestBlockAgeHours).toBeUndefined();
    expect(report.notes).toContain('tenant team-empty has no blocks');
  });

  test('sees the root objects and never counts them as tenants', () => {
    expect(report.rootObjects).toEqual({ 'work.json': true, 'tempo_cluster_seed.json': true });
    expect(report.tenants.map((t) => t.tenant)).toEqual(['single-tenant', 'team-a', 'team-empty']);
  });

  test('APIs s3rver lacks are "not supported by this endpoint", never a pass', () => {
    const byCheck = Object.fromEntries(report.checks.map((c) => [c.check, c]));
    for (const check of ['lifecycle', 'public-access-block', 'encryption', 'tls-policy', 'multipart-uploads']) {
      expect(byCheck[check].status).toBe('not-supported');
      expect(byCheck[check].detail).toMatch(/^not supported by this endpoint/);
    }
  });

  test('--strict turns "not supported" into exit 2', async () => {
    const strict = await cli(verifyArgs('healthy', '--prefix', 'tempo', '--retention', '14d', '--strict'));
    expect(strict.code).toBe(2);
    expect(strict.stdout).toMatch(/RESULT: some checks could not run; 5 checks not supported by this endpoint \(exit 2\)/);
  });

  test('paging through 2-key pages gives the same tenants as one page', async () => {
    const paged = await cli(verifyArgs('healthy', '--prefix', 'tempo', '--retention', '14d', '--json', '--page-size', '2'));
    const pagedReport: VerifyReport = JSON.parse(paged.stdout);
    expect(pagedReport.listing.pages).toBeGreaterThan(10);
    expect(pagedReport.tenants).toEqual(report.tenants);
    expect(pagedReport.listing.objects).toBe(report.listing.objects);
  });

  test('the human table shows tenants, settings and the result', async () => {
    const table = await cli(verifyArgs('healthy', '--prefix', 'tempo', '--retention', '14d'));
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^single-tenant\s+14d\s+4\s+0\s+/m);
    expect(table.stdout).toMatch(/lifecycle\s+NOT SUPPORTED\s+not supported by this endpoint/);
    expect(table.stdout).toMatch(/RESULT: healthy; 5 checks not supported by this endpoint \(exit 0\)/);
  });

  test('only sends Get, Head and List requests', async () => {
    const commands: string[] = [];
    await cli(verifyArgs('healthy', '--prefix', 'tempo', '--retention', '14d'), { commands });
    expect(new Set(commands)).toEqual(new Set([
      'HeadBucketCommand', 'ListObjectsV2Command', 'GetObjectCommand', 'GetBucketLifecycleConfigurationCommand',
      'GetPublicAccessBlockCommand', 'GetBucketEncryptionCommand', 'GetBucketPolicyCommand', 'ListMultipartUploadsCommand',
    ]));
    expect(commands.every((c) => READ_ONLY_COMMAND.test(c))).toBe(true);
    expect(commands.filter((c) => c === 'GetObjectCommand')).toHaveLength(6); // one per live block, none for compacted ones
  });

  test('draws progress on a TTY stderr and nothing otherwise', async () => {
    const tty = await cli(verifyArgs('healthy', '--prefix', 'tempo', '--retention', '14d'), { tty: true });
    expect(tty.stderr).toMatch(/listing: \d+ objects, 1 pages/);
    const quiet = await cli(verifyArgs('healthy', '--prefix', 'tempo', '--retention', '14d', '--no-progress'), { tty: true });
    expect(quiet.stderr).toBe('');
  });
});

describe('bucket with expired blocks', () => {
  let report: VerifyReport;
  let code: number;

  beforeAll(async () => {
    const result = await cli(verifyArgs('expired', '--retention', '336h', '--json'));
    code = result.code;
    report = JSON.parse(result.stdout);
  });

  test('exits 1', () => {
    expect(code).toBe(1);
  });

  test('counts blocks past retention plus grace, with their ids', () => {
    const t = report.tenants[0];
    expect(t.blocksPastRetention).toBe(2);
    expect([...t.examples.pastRetention].sort()).toEqual([expiredIds.old20, expiredIds.old30].sort());
    expect(t.oldestBlockAgeHours).toBe(720);
    const f = report.findings.find((x) => x.check === 'block-retention')!;
    expect(f.tenant).toBe('single-tenant');
    expect(f.message).toMatch(/^2 blocks are older than the retention of 14d plus 3h grace \(oldest 30d/);
  });

  test('a corrupt meta.json is a finding and its age falls back to object timestamps', () => {
    const t = report.tenants[0];
    expect(t.corruptMeta).toBe(1);
    expect(t.examples.corruptMeta[0]).toBe(`${expiredIds.corrupt} (not valid JSON)`);
    expect(t.ageSources['object-time']).toBe(1);
    expect(report.findings.map((x) => x.check)).toContain('block-meta');
  });

  test('old data without meta is an orphan; a fresh upload is not', () => {
    const t = report.tenants[0];
    expect(t.orphanedBlocks).toBe(1);
    expect(t.examples.orphaned).toEqual([expiredIds.orphan]);
  });

  test('a block marked compacted long ago but still present is a finding', () => {
    const t = report.tenants[0];
    expect(t.compactedPastGrace).toBe(1);
    expect(t.examples.compactedPastGrace).toEqual([expiredIds.compacted]);
  });

  test('a longer --grace does not hide blocks far past retention', async () => {
    const result = await cli(verifyArgs('expired', '--retention', '14d', '--grace', '7d', '--json'));
    expect(JSON.parse(result.stdout).tenants[0].blocksPastRetention).toBe(1); // 30d > 14d + 7d, 20d is not
  });
});

describe('expected retention read from synthesized manifests', () => {
  test('a 48h tempo.yaml makes the 10-day-old healthy blocks past retention; per-tenant override spares team-a', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-synth-'));
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'tracing.k8s.yaml'), [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: tempo-config', 'data:',
      '  tempo.yaml: |', '    storage:', '      trace:', '        backend: s3', '        s3:', '          bucket: healthy', '          prefix: tempo',
      '    backend_worker:', '      compaction:', '        block_retention: 48h',
      '  overrides.yaml: |', '    overrides:', '      team-a:', '        compaction:', '          block_retention: 720h', '',
    ].join('\n'));
    // No --retention, no --synth, no --prefix: all come from ./dist.
    const result = await cli(['verify', '--bucket', 'healthy', '--endpoint', server.endpoint, '--json'], { cwd: dir });
    const report: VerifyReport = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(report.prefix).toBe('tempo');
    expect(report.retention).toEqual({ defaultHours: 48, perTenantHours: { 'team-a': 720 }, source: expect.stringContaining('ConfigMap tempo-config') });
    expect(report.tenants.find((t) => t.tenant === 'single-tenant')!.blocksPastRetention).toBe(2); // 5d and 10d
    expect(report.tenants.find((t) => t.tenant === 'team-a')!.blocksPastRetention).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('could not check (exit 2)', () => {
  test('missing bucket', async () => {
    const r = await cli(verifyArgs('no-such-bucket', '--retention', '14d'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: could not check: bucket "no-such-bucket" does not exist at ${server.endpoint}; check --bucket and --endpoint\n`);
  });

  test('access denied (unknown access key)', async () => {
    const r = await cli(verifyArgs('healthy', '--retention', '14d'), { credentials: { accessKeyId: 'NOPE', secretAccessKey: 'NOPE' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: could not check: access to bucket "healthy" at http:\/\/127\.0\.0\.1:\d+ was denied/);
  });

  test('unreachable endpoint', async () => {
    const r = await cli(['verify', '--bucket', 'healthy', '--endpoint', 'http://127.0.0.1:9', '--retention', '14d']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: could not check: could not reach the S3 endpoint/);
  });

  test('--json still prints a machine-readable error', async () => {
    const r = await cli(verifyArgs('no-such-bucket', '--retention', '14d', '--json'));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ exitCode: 2, error: { kind: 'could-not-check', message: expect.stringMatching(/does not exist/) } });
  });

  test('an empty bucket is healthy but says where to look', async () => {
    const r = await cli(verifyArgs('empty', '--retention', '14d', '--json'));
    const report: VerifyReport = JSON.parse(r.stdout);
    expect(report.tenants).toEqual([]);
    expect(report.notes[0]).toMatch(/^no tenant data under s3:\/\/empty\/; check --prefix/);
  });
});
