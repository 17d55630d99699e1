/**
 * Pure comparison logic: expected retention against lifecycle rules, block ages
 * and bucket settings. Nothing here talks to S3, so every rule is unit-tested
 * on plain data (including lifecycle rules from a synthesized template).
 */
import { LIFECYCLE_SAFETY_MARGIN_DAYS, TEMPO_OVERRIDES_DIR, TEMPO_ROOT_OBJECTS } from '../core/tempo-bucket-layout';
import { formatHours } from './duration';
import type { LifecycleRule } from './lifecycle';
import { CheckResult, CheckStatus, ExitCode, Finding } from './types';

/** Expected retention, in hours, as the checks need it. */
export interface RetentionView {
  /** Retention for tenants without an override. */
  readonly defaultHours: number;
  /** Per-tenant overrides. */
  readonly perTenantHours: Readonly<Record<string, number>>;
}

/** Retention in hours for one tenant. */
export function retentionHoursFor(view: RetentionView, tenant: string): number {
  return view.perTenantHours[tenant] ?? view.defaultHours;
}

/** The longest retention of any tenant: what a bucket-wide expiry must exceed. */
export function maxRetentionHours(view: RetentionView): number {
  return Math.max(view.defaultHours, ...Object.values(view.perTenantHours));
}

/**
 * How long after a block passes retention Tempo may still legitimately hold it:
 * the backend-scheduler plans retention hourly, a marked block is deleted one
 * `compacted_block_retention` (1h) later, and readers notice after up to two
 * `blocklist_poll` cycles (5m each). 3h covers that with room for clock skew.
 */
export const DEFAULT_GRACE_HOURS = 3;

/** Storage classes Tempo cannot read without a restore. */
const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** Longest abort-multipart delay we accept; Tempo's docs recommend one day. */
export const MAX_ABORT_MULTIPART_DAYS = 7;

/** Age after which an incomplete multipart upload shows the abort rule is not working. */
export const STALE_MULTIPART_HOURS = 48;

function keyBase(prefix: string): string {
  return prefix ? `${prefix}/` : '';
}

/** Where a rule's prefix sits relative to Tempo's part of the bucket. */
type Scope = 'all' | 'part' | 'none';

function ruleScope(rule: LifecycleRule, base: string): Scope {
  if (base.startsWith(rule.prefix)) return 'all';
  if (rule.prefix.startsWith(base)) return 'part';
  return 'none';
}

/**
 * Retention a rule's expiry must exceed: the tenant's own when the rule is
 * scoped to exactly one tenant directory, otherwise the longest of all.
 */
function retentionForRule(rule: LifecycleRule, base: string, view: RetentionView): number {
  if (ruleScope(rule, base) === 'part') {
    const rest = rule.prefix.slice(base.length);
    const slash = rest.indexOf('/');
    if (slash > 0) return retentionHoursFor(view, rest.slice(0, slash));
  }
  return maxRetentionHours(view);
}

function filterCaveat(rule: LifecycleRule): string {
  const parts: string[] = [];
  const tags = Object.entries(rule.tags);
  if (tags.length > 0) parts.push(`if those objects carry the tag${tags.length > 1 ? 's' : ''} ${tags.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (rule.hasSizeFilter) parts.push('unless its object-size filter spares them');
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * Compares lifecycle rules with the expected retention and Tempo's layout.
 *
 * Findings: no abort-multipart rule covering Tempo's prefix; an expiry shorter
 * than retention or inside the safety margin; a fixed-date expiry; an expiry
 * that touches `work.json`, `tempo_cluster_seed.json` or `overrides/`; a
 * transition to an archive class before Tempo is done with the objects, or
 * at any age for those long-lived objects.
 *
 * @param rules rules of the bucket, or undefined when it has no lifecycle configuration
 * @param prefix Tempo's `storage.trace.s3.prefix` ('' for none)
 */
export function checkLifecycle(rules: readonly LifecycleRule[] | undefined, prefix: string, view: RetentionView): CheckResult {
  const base = keyBase(prefix);
  const findings: Finding[] = [];
  const add = (message: string) => findings.push({ check: 'lifecycle', message });
  const active = (rules ?? []).filter((r) => r.enabled && ruleScope(r, base) !== 'none');
  const where = base ? `under "${base}"` : 'in the bucket';

  // 1. Abort rule. AWS forbids tag filters on abort rules, but a tagged rule
  //    from another store would miss untagged uploads, so require none.
  const aborts = active.filter((r) => r.abortIncompleteMultipartUploadDays !== undefined && ruleScope(r, base) === 'all' && Object.keys(r.tags).length === 0);
  const abortDays = aborts.length ? Math.min(...aborts.map((r) => r.abortIncompleteMultipartUploadDays as number)) : undefined;
  if (abortDays === undefined) {
    add(`no enabled rule aborts incomplete multipart uploads ${where}; add one with DaysAfterInitiation 1 (Tempo's recommendation) so failed block uploads do not pile up`);
  } else if (abortDays > MAX_ABORT_MULTIPART_DAYS) {
    add(`incomplete multipart uploads are aborted only after ${abortDays} days; use 1 day (Tempo's recommendation)`);
  }

  // 2. Expiry and archive transitions.
  const protectedKeys = TEMPO_ROOT_OBJECTS.map((name) => base + name);
  const overridesDir = `${base}${TEMPO_OVERRIDES_DIR}/`;
  const expiries: string[] = [];
  for (const rule of active) {
    const expires = rule.expirationDays !== undefined || rule.expirationDate !== undefined;
    const retention = retentionForRule(rule, base, view);
    const minimumDays = Math.ceil(retention / 24) + LIFECYCLE_SAFETY_MARGIN_DAYS;
    const scopeText = rule.prefix ? `on "${rule.prefix}"` : 'on the whole bucket';
    if (rule.expirationDate !== undefined) {
      add(`rule "${rule.id}" expires every object ${scopeText} on the fixed date ${rule.expirationDate}, whatever its age; use an expiry in days of at least ${minimumDays}`);
    }
    if (rule.expirationDays !== undefined) {
      expiries.push(`${rule.expirationDays}d ${scopeText}`);
      if (rule.expirationDays * 24 <= retention) {
        add(`rule "${rule.id}" expires objects ${scopeText} after ${rule.expirationDays} days, not longer than the retention of ${formatHours(retention)}: S3 deletes blocks Tempo still serves; use at least ${minimumDays} days`);
      } else if (rule.expirationDays < minimumDays) {
        add(`rule "${rule.id}" expires objects ${scopeText} after ${rule.expirationDays} days, inside the ${LIFECYCLE_SAFETY_MARGIN_DAYS}-day safety margin over the retention of ${formatHours(retention)}; use at least ${minimumDays} days`);
      }
    }
    const touched = [
      ...protectedKeys.filter((key) => key.startsWith(rule.prefix)),
      ...(overridesDir.startsWith(rule.prefix) || rule.prefix.startsWith(overridesDir) ? [overridesDir] : []),
    ];
    if (expires) {
      if (touched.length > 0) {
        add(`rule "${rule.id}" would expire ${touched.join(', ')}${filterCaveat(rule)}; Tempo needs these objects for as long as it runs; scope the rule to tenant prefixes or tags`);
      }
    }
    for (const t of rule.transitions) {
      if (!ARCHIVE_CLASSES.has(t.storageClass)) continue;
      const early = t.date !== undefined || (t.days !== undefined && t.days < minimumDays);
      const when = t.days !== undefined ? `after ${t.days} days` : `on ${t.date}`;
      if (early) {
        add(`rule "${rule.id}" moves objects ${scopeText} to ${t.storageClass} ${when}, before Tempo is done with them; Tempo cannot read archived objects`);
      }
      // Unlike blocks, these objects are read for as long as Tempo runs
      // (tempo_cluster_seed.json is written once), so no age is safe to archive them at.
      if (touched.length > 0) {
        add(`rule "${rule.id}" would move ${touched.join(', ')} to ${t.storageClass} ${when}${filterCaveat(rule)}; Tempo reads these objects for as long as it runs and cannot read archived objects; scope the rule to tenant prefixes or tags`);
      }
    }
  }

  if (findings.length > 0) {
    return { check: 'lifecycle', status: 'finding', detail: `${findings.length} problem${findings.length > 1 ? 's' : ''} with the lifecycle rules`, findings };
  }
  const expiryText = expiries.length ? `expiry ${expiries.join(', ')}` : 'no expiry rule (Tempo alone deletes blocks)';
  return { check: 'lifecycle', status: 'pass', detail: `aborts incomplete uploads after ${abortDays} day${abortDays === 1 ? '' : 's'}; ${expiryText}`, findings };
}

/** The four switches of an S3 public access block. */
export interface PublicAccessBlockView {
  readonly BlockPublicAcls?: boolean;
  readonly IgnorePublicAcls?: boolean;
  readonly BlockPublicPolicy?: boolean;
  readonly RestrictPublicBuckets?: boolean;
}

/** All four switches must be on; `undefined` means the bucket has no public access block. */
export function checkPublicAccessBlock(config: PublicAccessBlockView | undefined): CheckResult {
  if (config === undefined) {
    return finding('public-access-block', 'the bucket has no public access block; enable all four settings (BlockPublicAccess.BLOCK_ALL)');
  }
  const names = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
  const off = names.filter((n) => config[n] !== true);
  if (off.length > 0) {
    return finding('public-access-block', `public access block settings are off: ${off.join(', ')}; turn all four on`);
  }
  return pass('public-access-block', 'all four public access block settings are on');
}

/** The default-encryption rules as GetBucketEncryption returns them. */
export interface EncryptionRuleView {
  readonly ApplyServerSideEncryptionByDefault?: { readonly SSEAlgorithm?: string; readonly KMSMasterKeyID?: string };
}

/** Passes when a default-encryption rule names an algorithm; `undefined` means none configured. */
export function checkEncryption(rules: readonly EncryptionRuleView[] | undefined): CheckResult {
  const rule = (rules ?? []).find((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm);
  if (!rule) return finding('encryption', 'the bucket has no default encryption; enable SSE-S3 or SSE-KMS');
  const sse = rule.ApplyServerSideEncryptionByDefault!;
  const name = sse.SSEAlgorithm === 'AES256' ? 'SSE-S3 (AES256)' : `${sse.SSEAlgorithm}${sse.KMSMasterKeyID ? ` with key ${sse.KMSMasterKeyID}` : ''}`;
  return pass('encryption', `default encryption ${name}`);
}

/**
 * Passes when the bucket policy denies every request made without TLS: a Deny
 * statement for all principals with `aws:SecureTransport` = false that covers
 * the bucket's objects. `undefined` means the bucket has no policy.
 */
export function checkTlsPolicy(policyJson: string | undefined, bucket: string): CheckResult {
  if (policyJson === undefined) {
    return finding('tls-policy', 'the bucket has no policy, so requests over plain HTTP are allowed; add a statement denying aws:SecureTransport=false (enforceSSL: true)');
  }
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(policyJson);
  } catch {
    return { check: 'tls-policy', status: 'could-not-check', detail: 'the bucket policy is not valid JSON', findings: [] };
  }
  const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  const kinds = statements.map((s) => tlsDenyKind(s as PolicyStatement, bucket));
  if (!kinds.includes('full')) {
    if (kinds.includes('narrowed')) {
      return finding('tls-policy', 'the bucket policy denies requests without TLS only under further conditions, so some plain-HTTP requests are allowed; make aws:SecureTransport=false the Deny statement\'s only condition (enforceSSL: true)');
    }
    return finding('tls-policy', 'the bucket policy does not deny requests without TLS; add a Deny on s3:* for all principals when aws:SecureTransport is false (enforceSSL: true)');
  }
  return pass('tls-policy', 'the bucket policy denies requests without TLS');
}

interface PolicyStatement {
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/**
 * Whether a statement denies every request without TLS ('full'), denies them
 * only when further conditions also hold ('narrowed': every condition of a
 * Deny must match, so e.g. an extra `s3:TlsVersion` or `aws:SourceVpce` test
 * lets plain-HTTP requests through), or is no TLS deny at all ('none').
 * Condition keys are case-insensitive in IAM; `BoolIfExists` is equivalent
 * to `Bool` here because S3 always sets aws:SecureTransport.
 */
function tlsDenyKind(s: PolicyStatement, bucket: string): 'full' | 'narrowed' | 'none' {
  if (s.Effect !== 'Deny') return 'none';
  const principalAll = s.Principal === '*' || asList((s.Principal as { AWS?: unknown } | undefined)?.AWS).includes('*');
  const actionAll = asList(s.Action).some((a) => a === 's3:*' || a === '*');
  const coversObjects = asList(s.Resource).some((r) => typeof r === 'string' && (r === '*' || r.endsWith(`:::${bucket}/*`) || r.endsWith(':::*')));
  let whenInsecure = false;
  let otherConditions = 0;
  for (const [operator, entries] of Object.entries(s.Condition ?? {})) {
    for (const [key, value] of Object.entries(entries ?? {})) {
      const secureTransport = (operator === 'Bool' || operator === 'BoolIfExists') && key.toLowerCase() === 'aws:securetransport';
      if (secureTransport && asList(value).some((v) => v === false || (typeof v === 'string' && v.toLowerCase() === 'false'))) {
        whenInsecure = true;
      } else {
        otherConditions++;
      }
    }
  }
  if (!(principalAll && actionAll && whenInsecure && coversObjects)) return 'none';
  return otherConditions === 0 ? 'full' : 'narrowed';
}

/** What a paginated ListMultipartUploads found. */
export interface MultipartSummary {
  readonly count: number;
  /** Uploads started longer ago than STALE_MULTIPART_HOURS. */
  readonly stale: number;
  readonly oldestAgeHours?: number;
}

/** Incomplete uploads are normal while Tempo writes; old ones mean the abort rule is missing or broken. */
export function checkMultipartUploads(summary: MultipartSummary): CheckResult {
  if (summary.stale > 0) {
    return finding('multipart-uploads', `${summary.stale} of ${summary.count} incomplete multipart uploads are older than ${formatHours(STALE_MULTIPART_HOURS)} (oldest ${formatHours(summary.oldestAgeHours ?? 0)}); they cost storage until aborted: check the abort-incomplete-multipart lifecycle rule`);
  }
  return pass('multipart-uploads', summary.count === 0 ? 'no incomplete multipart uploads' : `${summary.count} incomplete multipart uploads in progress, none older than ${formatHours(STALE_MULTIPART_HOURS)}`);
}

/** True when a live block's data is older than retention plus grace: Tempo should have deleted it. */
export function isPastRetention(ageHours: number, retentionHours: number, graceHours: number): boolean {
  return ageHours > retentionHours + graceHours;
}

/**
 * Exit code of a finished run: 1 when anything was found; otherwise 2 when a
 * check could not run (or, with `strict`, was not supported); otherwise 0.
 */
export function decideExitCode(checks: readonly CheckResult[], findings: readonly Finding[], strict: boolean): ExitCode {
  if (findings.length > 0) return ExitCode.FINDINGS;
  const unsure: CheckStatus[] = strict ? ['could-not-check', 'not-supported'] : ['could-not-check'];
  if (checks.some((c) => unsure.includes(c.status))) return ExitCode.COULD_NOT_CHECK;
  return ExitCode.HEALTHY;
}

function pass(check: CheckResult['check'], detail: string): CheckResult {
  return { check, status: 'pass', detail, findings: [] };
}

function finding(check: CheckResult['check'], message: string): CheckResult {
  return { check, status: 'finding', detail: message, findings: [{ check, message }] };
}
