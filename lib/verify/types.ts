/**
 * Shapes shared by the `verify` modules: what a run found, per tenant and for
 * the bucket as a whole. Kept free of SDK types so the report can be built,
 * rendered and tested without an S3 client.
 */

/** Outcome of one bucket-level check. */
export type CheckStatus =
  /** The setting was read and is healthy. */
  | 'pass'
  /** The setting was read and something is wrong; see the findings. */
  | 'finding'
  /** The endpoint does not implement the API (e.g. s3rver, some S3-compatible stores). Never a pass. */
  | 'not-supported'
  /** The API exists but the call failed (access denied, network). */
  | 'could-not-check';

/** Identifies a check in findings and in `--json` output. Stable: scripts match on it. */
export type CheckId =
  | 'lifecycle'
  | 'public-access-block'
  | 'encryption'
  | 'tls-policy'
  | 'multipart-uploads'
  | 'block-retention'
  | 'block-meta'
  | 'orphaned-blocks'
  | 'compacted-blocks';

/** One thing that is wrong. Any finding makes the exit code 1. */
export interface Finding {
  readonly check: CheckId;
  /** Tenant the finding is about; absent for bucket-wide findings. */
  readonly tenant?: string;
  readonly message: string;
}

/** Result of one bucket-level check. */
export interface CheckResult {
  readonly check: CheckId;
  readonly status: CheckStatus;
  /** One line a human can act on. */
  readonly detail: string;
  /** Findings raised by this check (empty unless status is `finding`). */
  readonly findings: readonly Finding[];
}

/** Where a block's age came from. */
export type AgeSource = 'meta' | 'object-time';

/** What the listing and meta.json reads learned about one tenant. */
export interface TenantReport {
  readonly tenant: string;
  /** Retention expected for this tenant, in hours. */
  readonly retentionHours: number;
  /** Live blocks (meta.json present or data without any meta). */
  readonly blocks: number;
  /** Blocks already marked for deletion (meta.compacted.json, no meta.json). */
  readonly compactedBlocks: number;
  readonly objects: number;
  readonly bytes: number;
  /** Age in hours of the oldest live block's data; undefined when the tenant has no blocks. */
  readonly oldestBlockAgeHours?: number;
  /** Age in hours of the newest live block's data. */
  readonly newestBlockAgeHours?: number;
  /** How many block ages came from meta.json and how many from object timestamps. */
  readonly ageSources: Readonly<Record<AgeSource, number>>;
  /** Live blocks whose data is older than retention plus grace. */
  readonly blocksPastRetention: number;
  /** Compacted blocks Tempo should already have deleted. */
  readonly compactedPastGrace: number;
  /** Blocks whose meta.json could not be read or parsed. */
  readonly corruptMeta: number;
  /** Blocks with objects but neither meta.json nor meta.compacted.json, older than grace. */
  readonly orphanedBlocks: number;
  /** Up to a few block ids per problem, so the user can look at real objects. */
  readonly examples: Readonly<Record<'pastRetention' | 'corruptMeta' | 'orphaned' | 'compactedPastGrace', readonly string[]>>;
}

/** Expected retention as the report states it. */
export interface RetentionSummary {
  readonly defaultHours: number;
  readonly perTenantHours: Readonly<Record<string, number>>;
  /** Where the value came from, e.g. `--retention 14d` or `dist/tracing.k8s.yaml (ConfigMap tempo-config)`. */
  readonly source: string;
}

/** Everything a run learned; rendered as a table or as `--json`. */
export interface VerifyReport {
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  readonly endpoint?: string;
  /** ISO time the listing started; ages are relative to it. */
  readonly checkedAt: string;
  readonly retention: RetentionSummary;
  readonly graceHours: number;
  readonly tenants: readonly TenantReport[];
  readonly rootObjects: Readonly<Record<string, boolean>>;
  /** Objects under the prefix that fit no part of Tempo's layout. */
  readonly unknownObjects: number;
  readonly listing: { readonly objects: number; readonly bytes: number; readonly pages: number; readonly metaReads: number; readonly durationMs: number };
  readonly checks: readonly CheckResult[];
  readonly findings: readonly Finding[];
  /** Things worth knowing that are not wrong (e.g. an empty tenant). */
  readonly notes: readonly string[];
  /** 0 healthy, 1 findings, 2 could not check. */
  readonly exitCode: ExitCode;
}

/** Process exit codes of `cdk-tracing verify`. */
export enum ExitCode {
  HEALTHY = 0,
  FINDINGS = 1,
  COULD_NOT_CHECK = 2,
}
