import { configError } from './errors';
import { validateTenantId } from './names';
import { Retention } from './retention';
import { SINGLE_TENANT_ID, TEMPO_OVERRIDES_DIR, TEMPO_ROOT_OBJECTS } from './tempo-bucket-layout';

/** Per-tenant ingestion limits (Tempo's scoped `overrides`). */
export interface TempoLimits {
  /**
   * Ingestion rate per tenant in bytes per second (`ingestion.rate_limit_bytes`).
   * @default 30000000 (Tempo's default, 30 MB/s)
   */
  readonly ingestionRateLimitBytes?: number;
  /**
   * Ingestion burst in bytes (`ingestion.burst_size_bytes`).
   * @default 30000000 (Tempo's default)
   */
  readonly ingestionBurstSizeBytes?: number;
  /**
   * Live traces per tenant (`ingestion.max_traces_per_user`).
   * @default 10000 (Tempo's default)
   */
  readonly maxTracesPerUser?: number;
  /**
   * Largest trace accepted, in bytes (`global.max_bytes_per_trace`).
   * @default 5000000 (Tempo's default, 5 MB)
   */
  readonly maxBytesPerTrace?: number;
}

/** One tenant with its own settings. Tempo replaces (never merges) defaults per tenant; we render complete blocks. */
export interface TempoTenant {
  /** Tenant id, as sent in `X-Scope-OrgID`. */
  readonly id: string;
  /**
   * Retention for this tenant's traces.
   * @default - the deployment's retention
   */
  readonly retention?: Retention;
  /**
   * Limits for this tenant; fields left out take the deployment's default limits.
   * @default - the deployment's default limits
   */
  readonly limits?: TempoLimits;
}

/** The tenancy part of a Tempo deployment's props, shared by the Kubernetes and AWS constructs. */
export interface TempoTenancyProps {
  /**
   * How long traces are kept. Drives Tempo's `block_retention` (worker and
   * scheduler), per-tenant overrides and the S3 lifecycle backstop.
   * @default Retention.days(14)
   */
  readonly retention?: Retention;
  /**
   * Require `X-Scope-OrgID` on every write and read (`multitenancy_enabled`).
   * @default false
   */
  readonly multitenancy?: boolean;
  /**
   * Tenants with their own retention or limits. Requires `multitenancy: true`.
   * @default - no per-tenant overrides
   */
  readonly tenants?: TempoTenant[];
  /**
   * Default limits for every tenant.
   * @default - Tempo's defaults
   */
  readonly limits?: TempoLimits;
}

export interface ResolvedLimits {
  readonly ingestionRateLimitBytes: number;
  readonly ingestionBurstSizeBytes: number;
  readonly maxTracesPerUser: number;
  readonly maxBytesPerTrace: number;
}

export interface ResolvedTenant {
  readonly id: string;
  readonly retention: Retention;
  readonly limits: ResolvedLimits;
}

export interface ResolvedTenancy {
  readonly retention: Retention;
  readonly multitenancy: boolean;
  readonly limits: ResolvedLimits;
  readonly tenants: ResolvedTenant[];
  /** Longest retention of any tenant (or the default): what the lifecycle backstop must exceed. */
  readonly longestRetention: Retention;
  /** Tenant directories in the bucket whose data we know of. */
  readonly tenantDirectories: string[];
}

export const DEFAULT_RETENTION = Retention.days(14);

export const TEMPO_DEFAULT_LIMITS: ResolvedLimits = {
  ingestionRateLimitBytes: 30_000_000,
  ingestionBurstSizeBytes: 30_000_000,
  maxTracesPerUser: 10_000,
  maxBytesPerTrace: 5_000_000,
};

const RESERVED_TENANT_IDS = [TEMPO_OVERRIDES_DIR, ...TEMPO_ROOT_OBJECTS];

function resolveLimits(path: string, what: string, given: TempoLimits | undefined, base: ResolvedLimits): ResolvedLimits {
  const merged = { ...base, ...dropUndefined(given ?? {}) } as ResolvedLimits;
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw configError(path, `${what}.${key} must be a positive whole number`, value, `set ${what}.${key} to a positive integer or leave it out for Tempo's default`);
    }
  }
  if (merged.ingestionBurstSizeBytes < merged.ingestionRateLimitBytes) {
    throw configError(path, `${what}.ingestionBurstSizeBytes is below ingestionRateLimitBytes, so bursts would be rejected below the steady rate`,
      merged.ingestionBurstSizeBytes, `set ingestionBurstSizeBytes >= ingestionRateLimitBytes (${merged.ingestionRateLimitBytes})`);
  }
  return merged;
}

function dropUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Fills defaults and checks every cross-field rule of Tempo tenancy props. */
export function resolveTempoTenancy(path: string, props: TempoTenancyProps): ResolvedTenancy {
  const retention = (props.retention ?? DEFAULT_RETENTION).validate(path, 'retention');
  const multitenancy = props.multitenancy ?? false;
  const limits = resolveLimits(path, 'limits', props.limits, TEMPO_DEFAULT_LIMITS);
  const tenantsGiven = props.tenants ?? [];
  if (tenantsGiven.length > 0 && !multitenancy) {
    throw configError(path, 'tenants are set but multitenancy is off, so Tempo would ignore their overrides',
      tenantsGiven.map((t) => t.id), 'set multitenancy: true, or remove tenants');
  }
  const seen = new Set<string>();
  const tenants = tenantsGiven.map((tenant) => {
    validateTenantId(path, tenant.id, RESERVED_TENANT_IDS);
    if (seen.has(tenant.id)) {
      throw configError(path, 'tenant id is listed twice', tenant.id, 'list each tenant once');
    }
    seen.add(tenant.id);
    return {
      id: tenant.id,
      retention: (tenant.retention ?? retention).validate(path, `retention of tenant "${tenant.id}"`),
      limits: resolveLimits(path, `tenant "${tenant.id}" limits`, tenant.limits, limits),
    };
  });
  const longest = [retention, ...tenants.map((t) => t.retention)].reduce((a, b) => (b.hours > a.hours ? b : a));
  return {
    retention,
    multitenancy,
    limits,
    tenants,
    longestRetention: longest,
    tenantDirectories: multitenancy ? tenants.map((t) => t.id) : [SINGLE_TENANT_ID],
  };
}
