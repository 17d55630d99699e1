/**
 * The pure comparison logic, on plain data. Lifecycle rules come from real
 * synthesized CloudFormation: our TempoBucket construct (what users deploy)
 * and hand-written aws-cdk-lib s3.Bucket rules for the broken cases.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TempoBucket, TempoBucketProps } from '../../lib/aws/tempo-bucket';
import { Retention } from '../../lib/core/retention';
import {
  checkEncryption, checkLifecycle, checkMultipartUploads, checkPublicAccessBlock, checkTlsPolicy, decideExitCode, isPastRetention,
  RetentionView,
} from '../../lib/verify/checks';
import { LifecycleRule, rulesFromCloudFormation, rulesFromSdk } from '../../lib/verify/lifecycle';
import { CheckResult } from '../../lib/verify/types';

const FOURTEEN_DAYS: RetentionView = { defaultHours: 336, perTenantHours: {} };

/** Lifecycle rules of the bucket that has an abort rule (the Tempo bucket, not its access-log bucket). */
function tempoBucketRules(props: TempoBucketProps): LifecycleRule[] {
  const stack = new Stack(new App(), 'S');
  new TempoBucket(stack, 'Tempo', props);
  const buckets = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket')) as any[];
  const tempo = buckets.filter((b) => JSON.stringify(b).includes('AbortIncompleteMultipartUpload'));
  expect(tempo).toHaveLength(1);
  return rulesFromCloudFormation(tempo[0].Properties.LifecycleConfiguration.Rules);
}

/** Lifecycle rules of a plain s3.Bucket, synthesized. */
function bucketRules(rules: s3.LifecycleRule[]): LifecycleRule[] {
  const stack = new Stack(new App(), 'S');
  new s3.Bucket(stack, 'B', { lifecycleRules: rules });
  const bucket = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket'))[0] as any;
  return rulesFromCloudFormation(bucket.Properties.LifecycleConfiguration.Rules);
}

const ABORT: s3.LifecycleRule = { id: 'abort', abortIncompleteMultipartUploadAfter: Duration.days(1) };

function messages(result: CheckResult): string[] {
  return result.findings.map((f) => f.message);
}

describe('lifecycle rules synthesized by our TempoBucket', () => {
  test('default bucket: abort after 1 day, no expiry, passes', () => {
    const result = checkLifecycle(tempoBucketRules({}), '', FOURTEEN_DAYS);
    expect(result).toMatchObject({ status: 'pass', detail: 'aborts incomplete uploads after 1 day; no expiry rule (Tempo alone deletes blocks)' });
  });

  test('prefix and a 21-day backstop for 14-day retention pass; the rule is scoped to the tenant directory', () => {
    const rules = tempoBucketRules({ prefix: 'tempo', retention: Retention.days(14), expiryBackstop: Duration.days(21) });
    expect(rules.find((r) => r.expirationDays === 21)?.prefix).toBe('tempo/single-tenant/');
    const result = checkLifecycle(rules, 'tempo', FOURTEEN_DAYS);
    expect(result.status).toBe('pass');
    expect(result.detail).toBe('aborts incomplete uploads after 1 day; expiry 21d on "tempo/single-tenant/"');
  });

  test('the same template fails once Tempo\'s retention was raised to 20 days without the backstop', () => {
    const rules = tempoBucketRules({ prefix: 'tempo', retention: Retention.days(14), expiryBackstop: Duration.days(21) });
    const result = checkLifecycle(rules, 'tempo', { defaultHours: 20 * 24, perTenantHours: {} });
    expect(messages(result)).toEqual([
      'rule "expire-blocks-single-tenant" expires objects on "tempo/single-tenant/" after 21 days, inside the 7-day safety margin over the retention of 20d; use at least 27 days',
    ]);
  });

  test('per-tenant rules are compared with each tenant\'s own retention', () => {
    const rules = tempoBucketRules({
      multitenancy: true, retention: Retention.days(7), expiryBackstop: Duration.days(40),
      tenants: [{ id: 'team-a', retention: Retention.days(30) }, { id: 'team-b' }],
    });
    expect(checkLifecycle(rules, '', { defaultHours: 7 * 24, perTenantHours: { 'team-a': 30 * 24 } }).status).toBe('pass');
    // The deployed config now keeps team-b for 45 days: only team-b's rule is wrong.
    const drifted = checkLifecycle(rules, '', { defaultHours: 7 * 24, perTenantHours: { 'team-a': 30 * 24, 'team-b': 45 * 24 } });
    expect(drifted.findings).toHaveLength(1);
    expect(drifted.findings[0].message).toMatch(/^rule "expire-blocks-team-b" expires objects on "team-b\/" after 40 days, not longer than the retention of 45d/);
  });
});

describe('lifecycle rules that break Tempo', () => {
  test('an expiry shorter than retention on the whole bucket also touches the root objects and overrides/', () => {
    const result = checkLifecycle(bucketRules([ABORT, { id: 'expire-all', expiration: Duration.days(7) }]), '', FOURTEEN_DAYS);
    expect(result.status).toBe('finding');
    expect(messages(result)).toEqual([
      'rule "expire-all" expires objects on the whole bucket after 7 days, not longer than the retention of 14d: S3 deletes blocks Tempo still serves; use at least 21 days',
      'rule "expire-all" would expire work.json, tempo_cluster_seed.json, overrides/; Tempo needs these objects for as long as it runs; scope the rule to tenant prefixes or tags',
    ]);
  });

  test('an expiry exactly equal to retention is still too short', () => {
    const result = checkLifecycle(bucketRules([ABORT, { id: 'e', prefix: 'single-tenant/', expiration: Duration.days(14) }]), '', FOURTEEN_DAYS);
    expect(messages(result)[0]).toMatch(/after 14 days, not longer than the retention of 14d/);
  });

  test('an expiry on the prefix (not a tenant) touches work.json under that prefix', () => {
    const result = checkLifecycle(bucketRules([ABORT, { id: 'p', prefix: 'tempo/', expiration: Duration.days(60) }]), 'tempo', FOURTEEN_DAYS);
    expect(messages(result)).toEqual([expect.stringMatching(/^rule "p" would expire tempo\/work\.json, tempo\/tempo_cluster_seed\.json, tempo\/overrides\//)]);
  });

  test('a tag-filtered expiry is reported with the caveat that it depends on the tags', () => {
    const result = checkLifecycle(bucketRules([ABORT, { id: 't', tagFilters: { tier: 'traces' }, expiration: Duration.days(60) }]), '', FOURTEEN_DAYS);
    expect(messages(result)[0]).toContain('(if those objects carry the tag tier=traces)');
  });

  test('missing abort rule, and one that waits 30 days', () => {
    expect(messages(checkLifecycle(undefined, 'tempo', FOURTEEN_DAYS))).toEqual([
      'no enabled rule aborts incomplete multipart uploads under "tempo/"; add one with DaysAfterInitiation 1 (Tempo\'s recommendation) so failed block uploads do not pile up',
    ]);
    const slow = checkLifecycle(bucketRules([{ abortIncompleteMultipartUploadAfter: Duration.days(30) }]), '', FOURTEEN_DAYS);
    expect(messages(slow)).toEqual(['incomplete multipart uploads are aborted only after 30 days; use 1 day (Tempo\'s recommendation)']);
  });

  test('an abort rule on another prefix does not cover Tempo; a disabled one does not count', () => {
    const other = checkLifecycle(bucketRules([{ prefix: 'logs/', abortIncompleteMultipartUploadAfter: Duration.days(1) }]), 'tempo', FOURTEEN_DAYS);
    expect(other.status).toBe('finding');
    const disabled = checkLifecycle(bucketRules([{ enabled: false, abortIncompleteMultipartUploadAfter: Duration.days(1) }]), '', FOURTEEN_DAYS);
    expect(disabled.status).toBe('finding');
  });

  test('rules for other prefixes are ignored, however short', () => {
    const result = checkLifecycle(bucketRules([ABORT, { prefix: 'logs/', expiration: Duration.days(1) }]), 'tempo', FOURTEEN_DAYS);
    expect(result.status).toBe('pass');
  });

  test('archiving to Glacier before Tempo is done is a finding; Glacier Instant Retrieval is not', () => {
    const glacier = bucketRules([ABORT, { prefix: 'single-tenant/', transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(3) }] }]);
    expect(messages(checkLifecycle(glacier, '', FOURTEEN_DAYS))).toEqual([
      'rule "rule 2" moves objects on "single-tenant/" to GLACIER after 3 days, before Tempo is done with them; Tempo cannot read archived objects',
    ]);
    const instant = bucketRules([ABORT, { prefix: 'single-tenant/', transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(3) }] }]);
    expect(checkLifecycle(instant, '', FOURTEEN_DAYS).status).toBe('pass');
  });

  test('archiving the whole bucket late enough for blocks still archives tempo_cluster_seed.json and overrides/', () => {
    const rules = bucketRules([ABORT, { id: 'archive', transitions: [{ storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(90) }] }]);
    expect(messages(checkLifecycle(rules, '', FOURTEEN_DAYS))).toEqual([
      'rule "archive" would move work.json, tempo_cluster_seed.json, overrides/ to DEEP_ARCHIVE after 90 days; Tempo reads these objects for as long as it runs and cannot read archived objects; scope the rule to tenant prefixes or tags',
    ]);
    // The same rule scoped to a tenant directory is fine.
    const scoped = bucketRules([ABORT, { prefix: 'single-tenant/', transitions: [{ storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(90) }] }]);
    expect(checkLifecycle(scoped, '', FOURTEEN_DAYS).status).toBe('pass');
  });

  test('a fixed-date expiry is a finding', () => {
    const result = checkLifecycle(bucketRules([ABORT, { prefix: 'single-tenant/', expirationDate: new Date('2027-01-01T00:00:00Z') }]), '', FOURTEEN_DAYS);
    expect(messages(result)[0]).toMatch(/^rule "rule 2" expires every object on "single-tenant\/" on the fixed date 2027-01-01/);
  });
});

describe('rules as GetBucketLifecycleConfiguration returns them', () => {
  test('Filter.And prefix and tags, top-level Prefix, dates', () => {
    const rules = rulesFromSdk([
      { ID: 'abort', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      { ID: 'and', Status: 'Enabled', Filter: { And: { Prefix: 'tempo/t/', Tags: [{ Key: 'k', Value: 'v' }], ObjectSizeGreaterThan: 10 } }, Expiration: { Days: 30 } },
      { ID: 'legacy', Status: 'Disabled', Prefix: 'tempo/', Expiration: { Date: new Date('2027-01-01T00:00:00Z') } },
    ]);
    expect(rules[1]).toMatchObject({ id: 'and', prefix: 'tempo/t/', tags: { k: 'v' }, hasSizeFilter: true, expirationDays: 30 });
    expect(rules[2]).toMatchObject({ enabled: false, prefix: 'tempo/', expirationDate: '2027-01-01T00:00:00.000Z' });
    expect(checkLifecycle(rules, 'tempo', FOURTEEN_DAYS).status).toBe('pass');
  });
});

describe('bucket settings', () => {
  test('public access block: all four on passes; absent or partial is a finding naming what is off', () => {
    expect(checkPublicAccessBlock({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }).status).toBe('pass');
    expect(checkPublicAccessBlock(undefined).status).toBe('finding');
    expect(checkPublicAccessBlock({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false }).detail)
      .toBe('public access block settings are off: BlockPublicPolicy, RestrictPublicBuckets; turn all four on');
  });

  test('encryption: SSE-S3 and SSE-KMS pass, none is a finding', () => {
    expect(checkEncryption([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]).detail).toBe('default encryption SSE-S3 (AES256)');
    expect(checkEncryption([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:k' } }]).detail).toBe('default encryption aws:kms with key arn:k');
    expect(checkEncryption(undefined).status).toBe('finding');
    expect(checkEncryption([]).status).toBe('finding');
  });

  test('TLS-only policy as enforceSSL writes it passes; an Allow-only policy or none is a finding', () => {
    const enforceSsl = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: ['arn:aws:s3:::traces', 'arn:aws:s3:::traces/*'],
      }],
    });
    expect(checkTlsPolicy(enforceSsl, 'traces').status).toBe('pass');
    expect(checkTlsPolicy(enforceSsl, 'other-bucket').status).toBe('finding');
    const allowOnly = JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::traces/*' } });
    expect(checkTlsPolicy(allowOnly, 'traces').status).toBe('finding');
    expect(checkTlsPolicy(undefined, 'traces').detail).toMatch(/^the bucket has no policy/);
  });

  test('TLS deny: condition keys are case-insensitive and BoolIfExists counts; extra conditions narrow the deny', () => {
    const policy = (condition: object) => JSON.stringify({
      Statement: [{ Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: ['arn:aws:s3:::traces', 'arn:aws:s3:::traces/*'], Condition: condition }],
    });
    expect(checkTlsPolicy(policy({ Bool: { 'aws:securetransport': 'False' } }), 'traces').status).toBe('pass');
    expect(checkTlsPolicy(policy({ BoolIfExists: { 'aws:SecureTransport': false } }), 'traces').status).toBe('pass');
    // A Deny applies only when every condition matches: plain HTTP from the VPC endpoint, or with
    // no TLS version at all, is allowed by these.
    for (const extra of [{ StringNotEquals: { 'aws:SourceVpce': 'vpce-1234' } }, { NumericLessThan: { 's3:TlsVersion': '1.2' } }]) {
      const narrowed = checkTlsPolicy(policy({ Bool: { 'aws:SecureTransport': 'false' }, ...extra }), 'traces');
      expect(narrowed.status).toBe('finding');
      expect(narrowed.detail).toMatch(/^the bucket policy denies requests without TLS only under further conditions/);
    }
    expect(checkTlsPolicy(policy({ Bool: { 'aws:SecureTransport': 'true' } }), 'traces').status).toBe('finding');
    expect(checkTlsPolicy('{not json', 'traces').status).toBe('could-not-check');
  });

  test('multipart uploads: young ones pass, stale ones are a finding', () => {
    expect(checkMultipartUploads({ count: 0, stale: 0 }).detail).toBe('no incomplete multipart uploads');
    expect(checkMultipartUploads({ count: 3, stale: 0, oldestAgeHours: 5 }).status).toBe('pass');
    expect(checkMultipartUploads({ count: 3, stale: 2, oldestAgeHours: 24 * 9 }).detail).toMatch(/^2 of 3 incomplete multipart uploads are older than 2d \(oldest 9d\)/);
  });
});

describe('block age and exit code', () => {
  test('past retention only beyond retention plus grace', () => {
    expect(isPastRetention(336 + 3, 336, 3)).toBe(false);
    expect(isPastRetention(336 + 3.1, 336, 3)).toBe(true);
  });

  test('findings win over could-not-check; not-supported counts only with strict', () => {
    const ok: CheckResult = { check: 'encryption', status: 'pass', detail: '', findings: [] };
    const unsupported: CheckResult = { check: 'lifecycle', status: 'not-supported', detail: '', findings: [] };
    const failed: CheckResult = { check: 'tls-policy', status: 'could-not-check', detail: '', findings: [] };
    const finding = { check: 'block-retention' as const, message: 'x' };
    expect(decideExitCode([ok, unsupported], [], false)).toBe(0);
    expect(decideExitCode([ok, unsupported], [], true)).toBe(2);
    expect(decideExitCode([ok, failed], [], false)).toBe(2);
    expect(decideExitCode([failed], [finding], false)).toBe(1);
  });
});
