import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/** One object from the listing, reduced to what verify aggregates. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/**
 * Streams every object under `prefix` with one flat, paginated ListObjectsV2
 * walk, one page (at most `pageSize` keys) at a time. No delimiter: a
 * per-tenant delimiter walk costs a request per directory and some
 * S3-compatible stores (s3rver) get delimiter listings wrong.
 *
 * Only the current page is held in memory; callers aggregate and drop it.
 */
export async function* listObjectPages(client: S3Client, bucket: string, prefix: string, pageSize = 1000): AsyncGenerator<ListedObject[]> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({
      Bucket: bucket,
      Prefix: prefix || undefined,
      ContinuationToken: token,
      MaxKeys: pageSize,
    }));
    const objects: ListedObject[] = [];
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      objects.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
    }
    yield objects;
    if (page.IsTruncated && !page.NextContinuationToken) {
      // A store that says "more" without a token would loop forever; stop loudly instead.
      throw new Error('the endpoint reported a truncated listing without a continuation token');
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
