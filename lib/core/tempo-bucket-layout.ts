/**
 * Facts about how Tempo lays out its bucket (tempo.md section 4), shared by the
 * S3 lifecycle rules and the `verify` command.
 */

/** Tenant directory Tempo uses when multitenancy is off. */
export const SINGLE_TENANT_ID = 'single-tenant';

/** Objects at the root of the prefix that must never be expired by a lifecycle rule. */
export const TEMPO_ROOT_OBJECTS = ['work.json', 'tempo_cluster_seed.json'] as const;

/** Prefix of user-configurable overrides; never expired, never a tenant name. */
export const TEMPO_OVERRIDES_DIR = 'overrides';

/**
 * Days a lifecycle expiry must exceed the longest retention by. Tempo deletes a
 * block `compacted_block_retention` (1h) after marking it, and readers notice
 * after up to two `blocklist_poll` cycles; a week of margin also covers a
 * backend-worker outage without S3 deleting blocks Tempo still lists.
 */
export const LIFECYCLE_SAFETY_MARGIN_DAYS = 7;

/** Joins a user prefix (no leading or trailing slash) and a relative key. */
export function keyUnderPrefix(prefix: string | undefined, key: string): string {
  return prefix ? `${prefix}/${key}` : key;
}
