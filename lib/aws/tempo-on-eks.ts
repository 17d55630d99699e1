import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { TempoChart } from '../k8s/tempo-chart';
import { TempoProps } from '../k8s/tempo';
import { addChartToCluster, claimClusterSlot, podIdentityAgentOf } from './eks-chart';
import { TempoOnS3, TempoOnS3Props } from './tempo-on-s3';

/** Props of {@link TempoOnEks}. */
export interface TempoOnEksProps extends Omit<TempoOnS3Props, 'clusterName' | 'serviceAccountName'>,
  Omit<TempoProps, 'storage' | 'serviceAccountAnnotations'> {
  /**
   * The aws-eks-v2 cluster. On a cluster this app creates, the eks-pod-identity-agent add-on is
   * installed when Pod Identity is used; an imported one needs `kubectlProvider` and the add-on
   * already running. Several backends may share a cluster when their construct ids differ.
   */
  readonly cluster: eks.ICluster;
  /**
   * Create the namespace (labelled for the restricted Pod Security Standard).
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * Tempo on S3 on EKS in one construct: the AWS side ({@link TempoOnS3}) and
 * the Kubernetes side ({@link TempoChart}) applied to the cluster, with the
 * bucket, region and role flowing into the chart as tokens.
 */
export class TempoOnEks extends Construct {
  public readonly aws: TempoOnS3;
  public readonly chart: TempoChart;
  public readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: TempoOnEksProps) {
    super(scope, id);
    const name = props.name ?? 'tempo';
    const manifestId = claimClusterSlot(props.cluster, this, {
      namespace: props.namespace ?? 'tracing', name, createsNamespace: props.createNamespace ?? true,
    });
    this.aws = new TempoOnS3(this, 'Aws', {
      ...props,
      serviceAccountName: name,
      clusterName: props.cluster.clusterName,
    });
    // The chart lives in its own cdk8s App; it is complete before it is added to the cluster.
    this.chart = new TempoChart(new cdk8s.App(), `${id}Chart`, {
      ...props,
      name,
      namespace: this.aws.namespace,
      storage: {
        bucketName: this.aws.bucket.bucketName,
        region: this.aws.region,
        endpoint: this.aws.s3Endpoint,
        prefix: this.aws.tempoBucket.prefix,
      },
      serviceAccountAnnotations: this.aws.identity.kind === 'irsa' ? { 'eks.amazonaws.com/role-arn': this.aws.role.roleArn } : undefined,
    });
    this.manifest = addChartToCluster(props.cluster, manifestId, this.chart);
    // Pods started before the role is bound, or before the agent that hands out its credentials
    // runs, would crash-loop without credentials.
    if (this.aws.podIdentityAssociation) {
      this.manifest.node.addDependency(this.aws.podIdentityAssociation);
      const agent = podIdentityAgentOf(props.cluster);
      if (agent) this.manifest.node.addDependency(agent);
    }
  }
}
