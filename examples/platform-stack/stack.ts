/**
 * A platform team's own stack that imports cdk-tracing next to its own
 * resources: the team already has a customer-managed KMS key and a central
 * access-log bucket, and publishes the trace bucket name in SSM for other
 * teams. `TempoOnS3` adds Tempo's bucket (encrypted with the team's key,
 * logging to the team's bucket), the Pod Identity role and its association.
 *
 *   npm run synth   # writes cdk.out/PlatformObservability.template.json
 */
import { App, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { TempoOnS3 } from '../../lib/aws';
import { Retention } from '../../lib/core';

export class PlatformObservabilityStack extends Stack {
  public readonly tempo: TempoOnS3;

  constructor(scope: Construct, id: string, props: StackProps & { clusterName: string }) {
    super(scope, id, props);
    // Access logs through bucket policies, not ACLs (new apps get this flag from `cdk init`).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    // The team's own resources.
    const platformKey = new kms.Key(this, 'PlatformKey', { enableKeyRotation: true, alias: 'alias/platform-observability' });
    const centralLogs = new s3.Bucket(this, 'CentralAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(centralLogs).acknowledge({ id: 'AwsSolutions-S1', reason: 'the central access-log bucket is the log destination itself' });

    // cdk-tracing, wired to them.
    this.tempo = new TempoOnS3(this, 'Tempo', {
      namespace: 'observability',
      clusterName: props.clusterName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: platformKey,
      serverAccessLogsBucket: centralLogs,
      prefix: 'tempo',
      retention: Retention.days(21),
      multitenancy: true,
      tenants: [{ id: 'payments', retention: Retention.days(90) }, { id: 'storefront' }],
      expiryBackstop: Duration.days(100),
    });

    new ssm.StringParameter(this, 'TraceBucketParameter', {
      parameterName: '/platform/observability/tempo-bucket',
      stringValue: this.tempo.bucket.bucketName,
      description: 'Bucket holding Tempo blocks (read-only for other teams)',
    });
  }
}

export function buildPlatformStack(app: App): PlatformObservabilityStack {
  return new PlatformObservabilityStack(app, 'PlatformObservability', {
    clusterName: app.node.tryGetContext('clusterName') ?? 'platform',
    description: 'cdk-tracing example: a platform stack importing TempoOnS3 next to its own resources',
  });
}
