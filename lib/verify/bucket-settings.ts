/**
 * Reads the bucket settings Tempo's health depends on and hands them to the
 * pure checks. Each read maps the endpoint's answer onto a status:
 * configured → the check decides; "no such configuration" → the check decides
 * (usually a finding); 501/405 → "not supported by this endpoint", never a pass;
 * anything else → "could not check".
 */
import {
  GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketPolicyCommand,
  GetPublicAccessBlockCommand, ListMultipartUploadsCommand, S3Client,
} from '@aws-sdk/client-s3';
import {
  checkEncryption, checkLifecycle, checkMultipartUploads, checkPublicAccessBlock, checkTlsPolicy,
  MultipartSummary, RetentionView, STALE_MULTIPART_HOURS,
} from './checks';
import { rulesFromSdk } from './lifecycle';
import { classifyS3Error } from './s3-errors';
import { CheckId, CheckResult } from './types';

/** Wording used wherever an API is missing; tests and scripts match on it. */
export const NOT_SUPPORTED_TEXT = 'not supported by this endpoint';

type Read<T> = { kind: 'value'; value: T } | { kind: 'absent' } | { kind: 'failed'; result: Omit<CheckResult, 'check'> };

async function read<T>(call: () => Promise<T>, customEndpoint: boolean): Promise<Read<T>> {
  try {
    return { kind: 'value', value: await call() };
  } catch (err) {
    const failure = classifyS3Error(err);
    if (failure.kind === 'not-configured') return { kind: 'absent' };
    if (failure.kind === 'not-supported' && !customEndpoint) {
      // Amazon S3 implements every API we call, so 501/405 there is not "unsupported".
      // GetBucketPolicy answers 405 when the caller is not in the bucket owner's account.
      const why = failure.httpStatus === 405 ? '; Amazon S3 answers 405 when the caller is not in the bucket owner\'s account' : '';
      return { kind: 'failed', result: { status: 'could-not-check', detail: `could not check: S3 answered ${failure.code}${failure.httpStatus ? ` (HTTP ${failure.httpStatus})` : ''}${why}`, findings: [] } };
    }
    if (failure.kind === 'not-supported') {
      return { kind: 'failed', result: { status: 'not-supported', detail: `${NOT_SUPPORTED_TEXT} (${failure.code}${failure.httpStatus ? `, HTTP ${failure.httpStatus}` : ''})`, findings: [] } };
    }
    return { kind: 'failed', result: { status: 'could-not-check', detail: `could not check: ${failure.message}`, findings: [] } };
  }
}

function settle<T>(check: CheckId, r: Read<T>, decide: (value: T | undefined) => CheckResult): CheckResult {
  if (r.kind === 'failed') return { check, ...r.result };
  return decide(r.kind === 'value' ? r.value : undefined);
}

/**
 * Runs every bucket-settings check; never throws.
 *
 * @param customEndpoint true for an S3-compatible `--endpoint`; only there can
 *   a 501/405 mean "not supported by this endpoint"
 */
export async function checkBucketSettings(client: S3Client, bucket: string, prefix: string, view: RetentionView, now: Date, customEndpoint: boolean): Promise<CheckResult[]> {
  const [lifecycle, pab, encryption, policy, uploads] = await Promise.all([
    read(() => client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })), customEndpoint),
    read(() => client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), customEndpoint),
    read(() => client.send(new GetBucketEncryptionCommand({ Bucket: bucket })), customEndpoint),
    read(() => client.send(new GetBucketPolicyCommand({ Bucket: bucket })), customEndpoint),
    read(() => summarizeMultipartUploads(client, bucket, prefix, now), customEndpoint),
  ]);
  return [
    settle('lifecycle', lifecycle, (v) => checkLifecycle(v ? rulesFromSdk(v.Rules) : undefined, prefix, view)),
    settle('public-access-block', pab, (v) => checkPublicAccessBlock(v?.PublicAccessBlockConfiguration)),
    settle('encryption', encryption, (v) => checkEncryption(v?.ServerSideEncryptionConfiguration?.Rules)),
    settle('tls-policy', policy, (v) => checkTlsPolicy(v?.Policy, bucket)),
    settle('multipart-uploads', uploads, (v) => checkMultipartUploads(v ?? { count: 0, stale: 0 })),
  ];
}

/** Pages through incomplete uploads under the prefix, keeping only counts. */
async function summarizeMultipartUploads(client: S3Client, bucket: string, prefix: string, now: Date): Promise<MultipartSummary> {
  let count = 0;
  let stale = 0;
  let oldest: number | undefined;
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(new ListMultipartUploadsCommand({
      Bucket: bucket, Prefix: prefix ? `${prefix}/` : undefined, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker,
    }));
    for (const u of page.Uploads ?? []) {
      count++;
      const age = u.Initiated ? (now.getTime() - u.Initiated.getTime()) / 3600_000 : 0;
      if (age > STALE_MULTIPART_HOURS) stale++;
      oldest = Math.max(oldest ?? 0, age);
    }
    if (!page.IsTruncated || (!page.NextKeyMarker && !page.NextUploadIdMarker)) break;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
  return { count, stale, oldestAgeHours: oldest };
}
