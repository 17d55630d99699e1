/**
 * One verify run: preflight, flat listing with meta.json reads, bucket
 * settings, then the report. The listing and the settings checks run
 * concurrently; the listing applies back-pressure to itself through the
 * meta.json pool so memory stays flat however large the bucket is.
 */
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { decideExitCode } from './checks';
import { checkBucketSettings } from './bucket-settings';
import { CouldNotCheckError } from './errors';
import type { ExpectedRetention } from './expected-retention';
import { listObjectPages } from './list';
import { readBlockMeta } from './meta';
import { BoundedPool } from './pool';
import type { ProgressSink } from './progress';
import { classifyS3Error } from './s3-errors';
import { BlockGrouper, TenantAggregator, tenantFindings } from './scan';
import { CheckResult, Finding, VerifyReport } from './types';

/** What to verify and how. */
export interface VerifyOptions {
  readonly bucket: string;
  /** Tempo's `storage.trace.s3.prefix`, without leading or trailing slash ('' for none). */
  readonly prefix: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly expected: ExpectedRetention;
  readonly graceHours: number;
  /** meta.json reads in flight at most. */
  readonly concurrency: number;
  /** Treat "not supported by this endpoint" as "could not check" (exit 2). */
  readonly strict: boolean;
  /** ListObjectsV2 page size; 1000 is the S3 maximum. */
  readonly pageSize?: number;
  /** Clock for ages; tests pin it. */
  readonly now?: Date;
}

/**
 * Verifies a Tempo bucket. Throws CouldNotCheckError when the bucket cannot be
 * read at all; every other problem ends up in the returned report.
 */
export async function verifyBucket(client: S3Client, options: VerifyOptions, progress?: ProgressSink): Promise<VerifyReport> {
  const now = options.now ?? new Date();
  const started = Date.now();
  await preflight(client, options);

  const base = options.prefix ? `${options.prefix}/` : '';
  const tenants = new TenantAggregator(options.expected, now, options.graceHours);
  const rootObjects: Record<string, boolean> = { 'work.json': false, 'tempo_cluster_seed.json': false };
  const pool = new BoundedPool(options.concurrency);
  let unknownObjects = 0;
  const counts = { objects: 0, bytes: 0, pages: 0, blocks: 0, metaReads: 0 };

  const grouper = new BlockGrouper(base, {
    async block(block) {
      counts.blocks++;
      // Compacted blocks need no read: meta.compacted.json's LastModified is when Tempo marked them.
      if (!block.metaKey || block.compactedAt) {
        tenants.addBlock(block, undefined);
        return;
      }
      const key = block.metaKey;
      await pool.submit(async () => {
        const meta = await readBlockMeta(client, options.bucket, key);
        counts.metaReads++;
        tenants.addBlock(block, meta);
      });
    },
    tenantObject: (tenant, object) => tenants.addTenantObject(tenant, object),
    rootObject: (name) => { rootObjects[name] = true; },
    unknownObject: () => { unknownObjects++; },
  });

  const listing = (async () => {
    try {
      for await (const page of listObjectPages(client, options.bucket, base, options.pageSize)) {
        counts.pages++;
        for (const object of page) {
          counts.objects++;
          counts.bytes += object.size;
          await grouper.add(object);
        }
        progress?.update({ ...counts });
      }
      await grouper.flush();
      await pool.drain();
    } catch (err) {
      if (err instanceof CouldNotCheckError) throw err;
      const failure = classifyS3Error(err);
      throw new CouldNotCheckError(`listing s3://${options.bucket}/${base} failed after ${counts.objects} objects: ${failure.message}`);
    } finally {
      progress?.done();
    }
  })();

  const [, settings] = await Promise.all([
    listing,
    checkBucketSettings(client, options.bucket, options.prefix, options.expected, now, options.endpoint !== undefined),
  ]);

  const tenantReports = tenants.reports();
  const checks: CheckResult[] = [...settings];
  const findings: Finding[] = [...settings.flatMap((c) => c.findings), ...tenantReports.flatMap((t) => tenantFindings(t, options.graceHours))];
  if (tenants.metaReadErrors > 0) {
    checks.push({ check: 'block-meta', status: 'could-not-check', detail: `could not check: ${tenants.metaReadErrors} meta.json reads failed (access denied or network); block ages fell back to object timestamps`, findings: [] });
  }
  const notes = [...options.expected.notes];
  if (tenantReports.length === 0) notes.push(`no tenant data under s3://${options.bucket}/${base}; check --prefix (Tempo's storage.trace.s3.prefix)`);
  for (const t of tenantReports) {
    if (t.blocks === 0 && t.compactedBlocks === 0) notes.push(`tenant ${t.tenant} has no blocks`);
  }
  for (const [name, present] of Object.entries(rootObjects)) {
    if (!present && tenantReports.length > 0) notes.push(`${base}${name} is absent (Tempo writes it once running; expected for Tempo 3.0)`);
  }
  if (unknownObjects > 0) notes.push(`${unknownObjects} objects under the prefix are not part of Tempo's layout`);

  return {
    bucket: options.bucket,
    prefix: options.prefix,
    region: options.region,
    endpoint: options.endpoint,
    checkedAt: now.toISOString(),
    retention: { defaultHours: options.expected.defaultHours, perTenantHours: { ...options.expected.perTenantHours }, source: options.expected.source },
    graceHours: options.graceHours,
    tenants: tenantReports,
    rootObjects,
    unknownObjects,
    listing: { objects: counts.objects, bytes: counts.bytes, pages: counts.pages, metaReads: counts.metaReads, durationMs: Date.now() - started },
    checks,
    findings,
    notes,
    exitCode: decideExitCode(checks, findings, options.strict),
  };
}

/** HeadBucket first, so a wrong name, region or credential gets one clear message. */
async function preflight(client: S3Client, options: VerifyOptions): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
  } catch (err) {
    const f = classifyS3Error(err);
    const at = options.endpoint ? ` at ${options.endpoint}` : ` in region ${options.region}`;
    switch (f.kind) {
      case 'missing-bucket':
        throw new CouldNotCheckError(`bucket "${options.bucket}" does not exist${at}; check --bucket${options.endpoint ? ' and --endpoint' : ' and --region'}`);
      case 'access-denied':
        throw new CouldNotCheckError(`access to bucket "${options.bucket}"${at} was denied (${f.code}: ${f.message}); verify needs s3:ListBucket, s3:GetObject and the s3:GetBucket*/s3:GetLifecycleConfiguration read permissions`);
      case 'wrong-region':
        // A bare 400 always names the bucket's region; when that is ours, the 400 meant something else.
        if (f.bucketRegion === options.region) {
          throw new CouldNotCheckError(`could not read bucket "${options.bucket}"${at}: ${f.code} (HTTP ${f.httpStatus ?? 'unknown'})`);
        }
        throw new CouldNotCheckError(`bucket "${options.bucket}" is not in region ${options.region}: ${f.message}; pass --region ${f.bucketRegion ?? '<the bucket region>'}`);
      case 'no-credentials':
        throw new CouldNotCheckError(f.message);
      case 'unreachable':
        throw new CouldNotCheckError(`${f.message}; check --endpoint and --region`);
      default:
        throw new CouldNotCheckError(`could not read bucket "${options.bucket}"${at}: ${f.message}`);
    }
  }
}
