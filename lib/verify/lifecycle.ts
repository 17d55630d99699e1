/**
 * One shape for S3 lifecycle rules, whether they come from the live bucket
 * (GetBucketLifecycleConfiguration) or from a synthesized CloudFormation
 * template (`AWS::S3::Bucket` `LifecycleConfiguration`). The comparison logic in
 * `checks.ts` only ever sees this shape, so the same rules are tested against
 * both sources.
 */

/** A transition to another storage class. */
export interface LifecycleTransition {
  readonly storageClass: string;
  readonly days?: number;
  readonly date?: string;
}

/** A lifecycle rule, reduced to what matters for Tempo. */
export interface LifecycleRule {
  readonly id: string;
  readonly enabled: boolean;
  /** Key prefix the rule applies to; '' means the whole bucket. */
  readonly prefix: string;
  /** Tag filters; a rule with tags applies only to objects carrying all of them. */
  readonly tags: Readonly<Record<string, string>>;
  /** True when an object-size filter narrows the rule (we cannot tell which objects it spares). */
  readonly hasSizeFilter: boolean;
  readonly expirationDays?: number;
  readonly expirationDate?: string;
  readonly abortIncompleteMultipartUploadDays?: number;
  readonly transitions: readonly LifecycleTransition[];
}

// Loose views of the two input shapes. Both come from JSON we do not control,
// so every field is optional and checked before use.
interface SdkRule {
  ID?: string;
  Status?: string;
  Prefix?: string;
  Filter?: {
    Prefix?: string;
    Tag?: { Key?: string; Value?: string };
    ObjectSizeGreaterThan?: number;
    ObjectSizeLessThan?: number;
    And?: { Prefix?: string; Tags?: { Key?: string; Value?: string }[]; ObjectSizeGreaterThan?: number; ObjectSizeLessThan?: number };
  };
  Expiration?: { Days?: number; Date?: Date | string };
  Transitions?: { Days?: number; Date?: Date | string; StorageClass?: string }[];
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number };
}

/** Converts rules from the SDK's GetBucketLifecycleConfiguration output. */
export function rulesFromSdk(rules: readonly unknown[] | undefined): LifecycleRule[] {
  return (rules ?? []).map((raw, index) => {
    const r = raw as SdkRule;
    const and = r.Filter?.And;
    const tags: Record<string, string> = {};
    for (const t of [...(and?.Tags ?? []), ...(r.Filter?.Tag ? [r.Filter.Tag] : [])]) {
      if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
    }
    return {
      id: r.ID ?? `rule ${index + 1}`,
      enabled: r.Status === 'Enabled',
      prefix: and?.Prefix ?? r.Filter?.Prefix ?? r.Prefix ?? '',
      tags,
      hasSizeFilter: [and?.ObjectSizeGreaterThan, and?.ObjectSizeLessThan, r.Filter?.ObjectSizeGreaterThan, r.Filter?.ObjectSizeLessThan]
        .some((v) => v !== undefined),
      expirationDays: r.Expiration?.Days,
      expirationDate: dateText(r.Expiration?.Date),
      abortIncompleteMultipartUploadDays: r.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
      transitions: (r.Transitions ?? []).map((t) => ({ storageClass: t.StorageClass ?? 'unknown', days: t.Days, date: dateText(t.Date) })),
    };
  });
}

interface CfnRule {
  Id?: unknown;
  Status?: unknown;
  Prefix?: unknown;
  TagFilters?: { Key?: unknown; Value?: unknown }[];
  ObjectSizeGreaterThan?: unknown;
  ObjectSizeLessThan?: unknown;
  ExpirationInDays?: unknown;
  ExpirationDate?: unknown;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: unknown };
  Transitions?: { StorageClass?: unknown; TransitionInDays?: unknown; TransitionDate?: unknown }[];
  Transition?: { StorageClass?: unknown; TransitionInDays?: unknown; TransitionDate?: unknown };
}

/**
 * Converts the `LifecycleConfiguration.Rules` of an `AWS::S3::Bucket` resource
 * in a synthesized template. Values that are CloudFormation intrinsics (tokens)
 * instead of literals are treated as absent.
 */
export function rulesFromCloudFormation(rules: readonly unknown[] | undefined): LifecycleRule[] {
  return (rules ?? []).map((raw, index) => {
    const r = raw as CfnRule;
    const tags: Record<string, string> = {};
    for (const t of r.TagFilters ?? []) {
      if (typeof t.Key === 'string') tags[t.Key] = typeof t.Value === 'string' ? t.Value : '';
    }
    const transitions = [...(r.Transitions ?? []), ...(r.Transition ? [r.Transition] : [])];
    return {
      id: typeof r.Id === 'string' ? r.Id : `rule ${index + 1}`,
      enabled: r.Status === 'Enabled',
      prefix: typeof r.Prefix === 'string' ? r.Prefix : '',
      tags,
      hasSizeFilter: r.ObjectSizeGreaterThan !== undefined || r.ObjectSizeLessThan !== undefined,
      expirationDays: numberOrUndefined(r.ExpirationInDays),
      expirationDate: typeof r.ExpirationDate === 'string' ? r.ExpirationDate : undefined,
      abortIncompleteMultipartUploadDays: numberOrUndefined(r.AbortIncompleteMultipartUpload?.DaysAfterInitiation),
      transitions: transitions.map((t) => ({
        storageClass: typeof t.StorageClass === 'string' ? t.StorageClass : 'unknown',
        days: numberOrUndefined(t.TransitionInDays),
        date: typeof t.TransitionDate === 'string' ? t.TransitionDate : undefined,
      })),
    };
  });
}

function numberOrUndefined(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function dateText(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : String(value);
}
