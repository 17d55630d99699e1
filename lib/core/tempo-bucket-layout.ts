import { configError } from './errors';

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

/**
 * Checks a key prefix both targets accept (the S3 bucket and role, and Tempo's
 * `storage.trace.s3.prefix`). Unresolved CDK tokens pass through unchecked.
 * `what` names the prop in the message.
 */
export function validateBucketPrefix(path: string, what: string, prefix: string | undefined): string | undefined {
  if (prefix === undefined || prefix.includes('${Token[')) return prefix;
  if (prefix === '' || prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('//')) {
    const fixed = prefix.replace(/^\/+|\/+$/g, '').replace(/\/+/g, '/');
    throw configError(path, `${what} must not be empty, start or end with "/" or contain "//"`, prefix,
      fixed ? `use "${fixed}"` : `leave ${what} out to use the bucket root`);
  }
  if (!/^[A-Za-z0-9!\-_.*'()/]+$/.test(prefix)) {
    throw configError(path, `${what} has characters that are not safe in S3 keys`, prefix, 'use letters, digits and -_.!\'()/');
  }
  if (prefix.includes('*')) {
    // IAM resource ARNs and the s3:prefix StringLike condition read "*" as a wildcard: the grant would reach other prefixes.
    throw configError(path, `${what} must not contain "*": the role's IAM policy would read it as a wildcard and reach keys outside the prefix`, prefix,
      `use "${prefix.replace(/\*+/g, '-')}"`);
  }
  if (prefix.split('/').some((segment) => segment === '.' || segment === '..')) {
    // Tempo builds keys with Go's path.Join, which removes such segments: it would write outside the prefix we scope IAM and lifecycle to.
    throw configError(path, `${what} must not have "." or ".." segments: Tempo cleans them away and would write outside the prefix the role and lifecycle rules cover`, prefix,
      `write ${what} without "." and ".." segments, e.g. "tempo"`);
  }
  return prefix;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const BUCKET_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const BUCKET_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * Checks a general purpose S3 bucket name against the S3 naming rules (3-63 lowercase letters,
 * digits, "." and "-", starting and ending with a letter or digit, no "..", not an IP address,
 * no reserved prefix or suffix), so a name S3 would refuse fails at synth time rather than at
 * deploy time, or, on the GitOps path, when Tempo first writes. Unresolved CDK tokens pass.
 */
export function validateBucketName(path: string, what: string, name: string | undefined): void {
  if (name === undefined || typeof name !== 'string' || name.includes('${Token[')) return;
  const suggestion = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 63);
  const fix = `use 3-63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit${suggestion.length >= 3 && suggestion !== name ? `, e.g. "${suggestion}"` : ', e.g. "acme-traces"'}`;
  if (!BUCKET_NAME.test(name) || name.includes('..')) {
    throw configError(path, `${what} is not a valid S3 bucket name`, name, fix);
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) throw configError(path, `${what} must not look like an IP address`, name, fix);
  const reserved = BUCKET_RESERVED_PREFIXES.find((p) => name.startsWith(p)) ?? BUCKET_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (reserved) throw configError(path, `${what} uses "${reserved}", which S3 reserves`, name, 'choose a name without it, e.g. "acme-traces"');
}
