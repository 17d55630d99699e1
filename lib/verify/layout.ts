/**
 * Where a key sits in Tempo's bucket layout (tempo.md section 4):
 *
 * ```
 * [<prefix>/]work.json, tempo_cluster_seed.json     root objects
 * [<prefix>/]overrides/<tenant>/overrides.json      user-configurable overrides
 * [<prefix>/]<tenant>/index.json.gz, index.pb.zst   tenant index
 * [<prefix>/]<tenant>/<block-uuid>/<file>           block objects
 * ```
 */
import { TEMPO_OVERRIDES_DIR, TEMPO_ROOT_OBJECTS } from '../core/tempo-bucket-layout';

/** File a live block's metadata lives in; written last, after the data. */
export const META_FILE = 'meta.json';
/** File that replaces meta.json once a block is marked for deletion. */
export const COMPACTED_META_FILE = 'meta.compacted.json';

/** Tenant index files: only these (or blocks) make a top-level directory a tenant. */
export const TENANT_INDEX_FILES = ['index.json.gz', 'index.pb.zst'] as const;

const BLOCK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Classification of one key, relative to Tempo's prefix. */
export type KeyPlace =
  | { readonly kind: 'root'; readonly name: string }
  | { readonly kind: 'overrides' }
  | { readonly kind: 'tenant'; readonly tenant: string }
  | { readonly kind: 'block'; readonly tenant: string; readonly blockId: string; readonly file: string }
  | { readonly kind: 'unknown'; readonly tenant?: string };

/** Classifies a key given relative to the prefix (no leading slash). */
export function placeKey(relativeKey: string): KeyPlace {
  const parts = relativeKey.split('/');
  if (parts.length === 1) {
    return (TEMPO_ROOT_OBJECTS as readonly string[]).includes(parts[0]) ? { kind: 'root', name: parts[0] } : { kind: 'unknown' };
  }
  const tenant = parts[0];
  if (tenant === TEMPO_OVERRIDES_DIR) return { kind: 'overrides' };
  if (tenant === '') return { kind: 'unknown' };
  // A stray two-part key (e.g. logs/x.txt in a shared bucket) must not make up a tenant.
  if (parts.length === 2) {
    return (TENANT_INDEX_FILES as readonly string[]).includes(parts[1]) ? { kind: 'tenant', tenant } : { kind: 'unknown' };
  }
  if (BLOCK_ID.test(parts[1])) return { kind: 'block', tenant, blockId: parts[1], file: parts.slice(2).join('/') };
  return { kind: 'unknown', tenant };
}
