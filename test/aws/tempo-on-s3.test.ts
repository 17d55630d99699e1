import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TempoIdentity, TempoOnS3, TempoOnS3Props, TEMPO_OBJECT_ACTIONS } from '../../lib/aws';
import { LIFECYCLE_SAFETY_MARGIN_DAYS, Retention } from '../../lib/core';
import { nagFindings } from '../helpers/nag';

function build(props: TempoOnS3Props = {}) {
  const app = new App();
  const stack = new Stack(app, 'Traces', { env: { account: '111111111111', region: 'eu-west-1' } });
  const tempo = new TempoOnS3(stack, 'Tempo', props);
  return { app, stack, tempo, template: Template.fromStack(stack) };
}

function tempoBucket(template: Template): any {
  const buckets = template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
  const values = Object.values(buckets);
  expect(values).toHaveLength(1);
  return (values[0] as any).Properties;
}

function rolePolicy(template: Template): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  return (policies[0] as any).Properties.PolicyDocument.Statement;
}

describe('TempoOnS3', () => {
  test('snapshot: defaults', () => {
    expect(build().template.toJSON()).toMatchSnapshot();
  });

  test('snapshot: KMS, prefix, backstop, tenants, IRSA', () => {
    const app = new App();
    const stack = new Stack(app, 'Traces', { env: { account: '111111111111', region: 'eu-west-1' } });
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc',
      'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC');
    new TempoOnS3(stack, 'Tempo', {
      encryption: s3.BucketEncryption.KMS, prefix: 'tempo', expiryBackstop: Duration.days(45),
      multitenancy: true, tenants: [{ id: 'team-a', retention: Retention.days(30) }, { id: 'team-b' }],
      identity: TempoIdentity.irsa(provider),
    });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('bucket: public access blocked, TLS-only policy, S3-managed encryption, retained, access-logged', () => {
    const { template } = build();
    const bucket = tempoBucket(template);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    template.hasResource('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[];
    const tempoPolicy = policies.find((p) => JSON.stringify(p.Properties.Bucket).includes('StorageBucket'));
    const denies = tempoPolicy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Deny');
    expect(denies.map((s: any) => s.Condition)).toEqual(expect.arrayContaining([
      { Bool: { 'aws:SecureTransport': 'false' } },
      { NumericLessThan: { 's3:TlsVersion': 1.2 } },
    ]));
  });

  test('lifecycle: abort multipart after 1 day; no expiry unless a backstop is asked for', () => {
    const rules = tempoBucket(build().template).LifecycleConfiguration.Rules;
    expect(rules).toEqual([{ Id: 'abort-incomplete-multipart-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]);
  });

  test('lifecycle backstop: longer than every tenant retention, scoped to tenant directories, never root objects or overrides/', () => {
    const tenants = [{ id: 'team-a', retention: Retention.days(30) }, { id: 'team-b' }];
    const { template } = build({ prefix: 'tempo', retention: Retention.days(14), multitenancy: true, tenants, expiryBackstop: Duration.days(37) });
    const rules: any[] = tempoBucket(template).LifecycleConfiguration.Rules;
    const expiring = rules.filter((r) => r.ExpirationInDays !== undefined);
    expect(expiring.map((r) => r.Prefix).sort()).toEqual(['tempo/team-a/', 'tempo/team-b/']);
    const longestRetentionDays = 30;
    for (const rule of expiring) {
      expect(rule.ExpirationInDays).toBeGreaterThanOrEqual(longestRetentionDays + LIFECYCLE_SAFETY_MARGIN_DAYS);
      // A rule without a prefix (or a prefix matching the root) would reach work.json, tempo_cluster_seed.json, overrides/.
      for (const protectedKey of ['tempo/work.json', 'tempo/tempo_cluster_seed.json', 'tempo/overrides/t/overrides.json']) {
        expect(protectedKey.startsWith(rule.Prefix)).toBe(false);
      }
      expect(rule.TagFilters).toBeUndefined();
    }
    expect(rules.find((r) => r.AbortIncompleteMultipartUpload).Prefix).toBe('tempo/');
  });

  test('single-tenant backstop covers the single-tenant directory', () => {
    const rules: any[] = tempoBucket(build({ expiryBackstop: Duration.days(21) }).template).LifecycleConfiguration.Rules;
    expect(rules.find((r) => r.ExpirationInDays)).toMatchObject({ Prefix: 'single-tenant/', ExpirationInDays: 21 });
  });

  test('IAM: exactly the actions Tempo needs, on the bucket and its objects, nothing else', () => {
    const statements = rolePolicy(build().template);
    expect(statements).toHaveLength(2);
    const [list, objects] = statements;
    expect(list.Action).toBe('s3:ListBucket');
    expect(list.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TempoStorageBucket/), 'Arn'] });
    expect([...objects.Action].sort()).toEqual([...TEMPO_OBJECT_ACTIONS].sort());
    expect(objects.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^TempoStorageBucket/), 'Arn'] }, '/*']] });
    expect(JSON.stringify(statements)).not.toMatch(/s3:\*|"\*"|kms:/);
  });

  test('IAM with a prefix and KMS: list limited to the prefix, objects under it, KMS on the key only', () => {
    const statements = rolePolicy(build({ prefix: 'tempo', encryption: s3.BucketEncryption.KMS }).template);
    const list = statements.find((s) => s.Action === 's3:ListBucket');
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['tempo', 'tempo/*'] } });
    const objects = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('s3:GetObject'));
    expect(objects.Resource['Fn::Join'][1][1]).toBe('/tempo/*');
    const kms = statements.find((s) => JSON.stringify(s.Action).includes('kms:'));
    expect([].concat(kms.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(kms.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TempoStorageKey/), 'Arn'] });
  });

  test('Pod Identity by default: trusted by pods.eks.amazonaws.com with session tags; association when a cluster is named', () => {
    const { template } = build({ clusterName: 'platform', namespace: 'obs' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }] },
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: 'platform', Namespace: 'obs', ServiceAccount: 'tempo', RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TempoRole'), 'Arn'] },
    });
  });

  test('IRSA: trust limited to Tempo\'s ServiceAccount and the sts audience', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc', 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC');
    new TempoOnS3(stack, 'Tempo', { identity: TempoIdentity.irsa(provider), namespace: 'obs', clusterName: 'ignored-for-irsa' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    const json = JSON.stringify(template.toJSON());
    expect(json).toContain('system:serviceaccount:obs:tempo');
    expect(json).toContain('sts.amazonaws.com');
    expect(json).toContain('sts:AssumeRoleWithWebIdentity');
  });

  test('outputs for bucket, region and role (names read back by the GitOps loader)', () => {
    const { template } = build({ prefix: 'tempo' });
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(['TempoBucketName', 'TempoBucketPrefix', 'TempoBucketRegion', 'TempoRoleArn']);
    expect(Object.keys(build({ outputPrefix: 'TempoEu' }).template.toJSON().Outputs).sort()).toEqual(['TempoEuBucketName', 'TempoEuBucketRegion', 'TempoEuRoleArn']);
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding, and every acknowledgement carries a reason', () => {
    const { stack } = build({ clusterName: 'platform' });
    expect(nagFindings(stack)).toEqual([]);
    const acks = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      for (const [rule, reason] of Object.entries(ack.data as Record<string, string>)) {
        expect(rule).toMatch(/AwsSolutions-/);
        expect(reason.length).toBeGreaterThan(20);
      }
    }
  });

  test('cdk-nag sees an over-broad grant (the check can fail)', () => {
    const { stack, tempo } = build();
    tempo.bucket.grantReadWrite(new iam.Role(stack, 'Extra', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
    expect(nagFindings(stack).some((f) => f.startsWith('AwsSolutions-IAM5'))).toBe(true);
  });
});
