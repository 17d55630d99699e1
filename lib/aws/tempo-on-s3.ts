import { CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { validateDnsLabel } from '../core/names';
import { TEMPO_OUTPUTS } from '../core/outputs';
import { claimOutputPrefix } from './output-prefix';
import { TempoBucket, TempoBucketProps } from './tempo-bucket';
import { TempoIdentity } from './tempo-identity';

/** Props of {@link TempoOnS3}. */
export interface TempoOnS3Props extends TempoBucketProps {
  /**
   * How Tempo's pods get credentials.
   * @default TempoIdentity.podIdentity()
   */
  readonly identity?: TempoIdentity;
  /**
   * Namespace Tempo runs in (trust policy and Pod Identity association).
   * @default 'tracing'
   */
  readonly namespace?: string;
  /**
   * Tempo's ServiceAccount name.
   * @default 'tempo'
   */
  readonly serviceAccountName?: string;
  /**
   * Name of the EKS cluster; with Pod Identity, an association binds the role
   * to the ServiceAccount there.
   * @default - no association (create it yourself, or use TempoOnEks)
   */
  readonly clusterName?: string;
  /**
   * Prefix of the CloudFormation output names (`<prefix>BucketName`, `<prefix>BucketRegion`, `<prefix>RoleArn`).
   * Read back by `readTempoAwsValues` in GitOps pipelines.
   * @default 'Tempo'
   */
  readonly outputPrefix?: string;
}

/**
 * Everything Tempo needs in AWS: the bucket ({@link TempoBucket}), a role with
 * exactly Tempo's S3 (and KMS) permissions assumed through EKS Pod Identity or
 * IRSA, and outputs for bucket, region and role.
 */
export class TempoOnS3 extends Construct {
  public readonly tempoBucket: TempoBucket;
  public readonly bucket: s3.IBucket;
  public readonly role: iam.Role;
  public readonly identity: TempoIdentity;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  /** Region of the bucket (the stack's region; a token for environment-agnostic stacks). */
  public readonly region: string;
  /** Regional S3 endpoint host for Tempo (`s3.<region>.<url suffix>`). */
  public readonly s3Endpoint: string;
  public readonly podIdentityAssociation?: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: TempoOnS3Props = {}) {
    super(scope, id);
    const path = this.node.path;
    this.namespace = props.namespace ?? 'tracing';
    this.serviceAccountName = props.serviceAccountName ?? 'tempo';
    validateDnsLabel(path, 'namespace', this.namespace);
    validateDnsLabel(path, 'serviceAccountName', this.serviceAccountName);
    this.identity = props.identity ?? TempoIdentity.podIdentity();

    this.tempoBucket = new TempoBucket(this, 'Storage', props);
    this.bucket = this.tempoBucket.bucket;
    const stack = Stack.of(this);
    this.region = stack.region;
    this.s3Endpoint = `s3.${stack.region}.${stack.urlSuffix}`;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: this.identity._principal(this, this.namespace, this.serviceAccountName),
      description: `Tempo in ${this.namespace}/${this.serviceAccountName}: read and write trace blocks`,
    });
    this.tempoBucket.grantTempoAccess(this.role);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[${this.tempoBucket.objectArnFinding()}]`,
      reason: 'Tempo names objects per tenant and block at runtime; access is limited to its bucket and prefix, with only the object actions it needs',
    });

    if (props.clusterName && this.identity.kind === 'pod-identity') {
      this.podIdentityAssociation = new eks.CfnPodIdentityAssociation(this, 'PodIdentity', {
        clusterName: props.clusterName,
        namespace: this.namespace,
        serviceAccount: this.serviceAccountName,
        roleArn: this.role.roleArn,
      });
    }

    const prefix = props.outputPrefix ?? 'Tempo';
    claimOutputPrefix(this, prefix);
    const output = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description }).overrideLogicalId(name.replace(/^Tempo/, prefix));
    output(TEMPO_OUTPUTS.bucketName, this.bucket.bucketName, 'S3 bucket holding Tempo blocks');
    output(TEMPO_OUTPUTS.bucketRegion, this.region, 'Region of the Tempo bucket');
    output(TEMPO_OUTPUTS.roleArn, this.role.roleArn, `IAM role Tempo assumes (${this.identity.kind})`);
    if (this.tempoBucket.prefix) output(TEMPO_OUTPUTS.bucketPrefix, this.tempoBucket.prefix, 'Key prefix Tempo writes under');
  }
}
