/**
 * Buckets laid out like Tempo's (tempo.md section 4), written through the S3
 * API of a running s3rver. Times are relative to a pinned NOW so ages are exact.
 */
import { CreateBucketCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'crypto';
import { ageObject, S3rverHandle } from './s3rver';

/** The clock every verify test pins. */
export const NOW = new Date('2026-11-20T12:00:00Z');
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/** One block to write. */
export interface BlockSpec {
  /** Age of the block's data end (meta.json endTime), in hours before NOW. */
  readonly endAgeHours: number;
  /** 'live' writes meta.json; 'compacted' meta.compacted.json; 'no-meta' only data. */
  readonly state?: 'live' | 'compacted' | 'no-meta' | 'corrupt-meta';
  readonly dataBytes?: number;
  readonly id?: string;
  /** For 'compacted': hours before NOW Tempo marked the block (meta.compacted.json's LastModified). Default: its end time. */
  readonly compactedAgeHours?: number;
}

/** Writes one block and returns its id. Objects are dated when the block was written (its end time). */
export async function putBlock(server: S3rverHandle, bucket: string, base: string, tenant: string, spec: BlockSpec): Promise<string> {
  const id = spec.id ?? randomUUID();
  const end = new Date(NOW.getTime() - spec.endAgeHours * HOUR);
  const start = new Date(end.getTime() - HOUR);
  const dir = `${base}${tenant}/${id}/`;
  const state = spec.state ?? 'live';
  const meta = JSON.stringify({
    format: 'vParquet4', blockID: id, tenantID: tenant,
    startTime: start.toISOString(), endTime: end.toISOString(), totalObjects: 10, size: spec.dataBytes ?? 2048, compactionLevel: 0,
  });
  const objects: [string, string | Buffer][] = [
    [`${dir}data.parquet`, Buffer.alloc(spec.dataBytes ?? 2048, 7)],
    [`${dir}bloom-0`, Buffer.alloc(64, 1)],
  ];
  if (state === 'live') objects.push([`${dir}meta.json`, meta]);
  if (state === 'corrupt-meta') objects.push([`${dir}meta.json`, '{"format":"vParquet4","endTime":']);
  if (state === 'compacted') objects.push([`${dir}meta.compacted.json`, JSON.stringify({ ...JSON.parse(meta), compactedTime: end.toISOString() })]);
  const compactedAt = spec.compactedAgeHours === undefined ? end : new Date(NOW.getTime() - spec.compactedAgeHours * HOUR);
  for (const [key, body] of objects) {
    await server.admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    ageObject(server, bucket, key, key.endsWith('meta.compacted.json') ? compactedAt : end);
  }
  return id;
}

/** Creates a bucket with Tempo's root objects and one incomplete multipart upload. */
export async function putTempoBucket(server: S3rverHandle, bucket: string, base: string): Promise<void> {
  await server.admin.send(new CreateBucketCommand({ Bucket: bucket }));
  await server.admin.send(new PutObjectCommand({ Bucket: bucket, Key: `${base}work.json`, Body: '{"jobs":{}}' }));
  await server.admin.send(new PutObjectCommand({ Bucket: bucket, Key: `${base}tempo_cluster_seed.json`, Body: '{"UID":"x"}' }));
  const upload = await server.admin.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `${base}single-tenant/${randomUUID()}/data.parquet` }));
  await server.admin.send(new UploadPartCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId, PartNumber: 1, Body: Buffer.alloc(1024) }));
}

/** Writes a tenant index object (index.json.gz), as Tempo's poller does. */
export async function putTenantIndex(server: S3rverHandle, bucket: string, base: string, tenant: string): Promise<void> {
  await server.admin.send(new PutObjectCommand({ Bucket: bucket, Key: `${base}${tenant}/index.json.gz`, Body: Buffer.alloc(32, 3) }));
}
