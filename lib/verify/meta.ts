import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { classifyS3Error } from './s3-errors';

/** Largest meta.json we read; real ones are a few KiB, so anything bigger is not a meta.json. */
export const MAX_META_BYTES = 1024 * 1024;

/** What reading one block's meta.json gave. */
export type MetaResult =
  /** Parsed; `endTime` is the end of the newest data in the block (what Tempo's retention compares). */
  | { readonly kind: 'ok'; readonly endTime: Date; readonly startTime?: Date }
  /** Present but unusable: not JSON, or no valid `endTime`. */
  | { readonly kind: 'corrupt'; readonly reason: string }
  /** Deleted between listing and reading (Tempo's retention racing us). */
  | { readonly kind: 'gone' }
  /** The read itself failed (access denied, network). */
  | { readonly kind: 'error'; readonly reason: string };

/**
 * Interprets the text of a meta.json. Pure, so the rules are tested alone.
 * Tempo writes Go `time.Time` values as RFC 3339 strings.
 */
export function parseBlockMeta(text: string): MetaResult {
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', reason: 'not valid JSON' };
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return { kind: 'corrupt', reason: 'not a JSON object' };
  const fields = meta as Record<string, unknown>;
  const endTime = parseTime(fields.endTime);
  if (!endTime) return { kind: 'corrupt', reason: 'no valid endTime' };
  return { kind: 'ok', endTime, startTime: parseTime(fields.startTime) };
}

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  // Go's zero time (0001-01-01) means "never set".
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : undefined;
}

/** Reads and parses one meta.json. Never throws; failures come back as results. */
export async function readBlockMeta(client: S3Client, bucket: string, key: string): Promise<MetaResult> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if ((out.ContentLength ?? 0) > MAX_META_BYTES) {
      out.Body?.transformToWebStream().cancel().catch(() => undefined);
      return { kind: 'corrupt', reason: `${out.ContentLength} bytes, too large for a meta.json` };
    }
    const text = (await out.Body?.transformToString('utf-8')) ?? '';
    return parseBlockMeta(text);
  } catch (err) {
    const failure = classifyS3Error(err);
    if (failure.code === 'NoSuchKey' || failure.httpStatus === 404) return { kind: 'gone' };
    return { kind: 'error', reason: failure.message };
  }
}
