/**
 * `cdk deploy` of a new EKS cluster with Tempo on it: an aws-eks-v2 cluster with a managed node
 * group, the kubectl Lambda layer it needs to apply manifests, and TempoOnEks (bucket, Pod Identity
 * role and association, the eks-pod-identity-agent add-on, the Tempo chart). The cluster's own
 * cdk-nag findings are acknowledged below with reasons; cdk-tracing's constructs raise none.
 *
 *   npm run synth                                    # writes cdk.out/TempoOnNewCluster.template.json
 *   npx cdk deploy TempoOnNewCluster --outputs-file outputs.json
 */
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { App, Stack, StackProps, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TempoOnEks } from '../../lib/aws';
import { Retention } from '../../lib/core';

/** A cluster of our own, and Tempo on it. */
export class TempoOnNewClusterStack extends Stack {
  public readonly cluster: eks.Cluster;
  public readonly tempo: TempoOnEks;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // Named zones, so the synth needs no AWS lookup (and no credentials).
    const vpc = new ec2.Vpc(this, 'Vpc', { availabilityZones: [`${this.region}a`, `${this.region}b`], natGateways: 1 });
    vpc.addFlowLog('FlowLog');
    this.cluster = new eks.Cluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_35,
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess: eks.EndpointAccess.PRIVATE,
      // aws-eks-v2 applies manifests with kubectl from this layer; without it synth fails.
      kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'KubectlLayer') },
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 2,
      defaultCapacityInstance: new ec2.InstanceType('m7i.large'),
      clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER],
    });
    this.tempo = new TempoOnEks(this, 'Tempo', {
      cluster: this.cluster,
      namespace: 'tracing',
      retention: Retention.days(14),
    });
    acknowledgeClusterFindings(this);
  }
}

/**
 * The findings aws-eks-v2's cluster, node group and kubectl provider raise, each acknowledged by the
 * exact finding cdk-nag renders, with why it is accepted here. Managed-policy ARNs keep
 * `<AWS::Partition>` even under `enablePartitionLiterals`; both spellings are acknowledged.
 */
function acknowledgeClusterFindings(stack: TempoOnNewClusterStack): void {
  const cluster = stack.cluster;
  const partitions = ['<AWS::Partition>', ...(Token.isUnresolved(stack.partition) ? [] : [stack.partition])];
  const acknowledge = (id: string, reason: string) => Validations.of(cluster).acknowledge({ id, reason });
  const managed = (name: string, reason: string) => partitions.forEach((p) => acknowledge(`AwsSolutions-IAM4[Policy::arn:${p}:iam::aws:policy/${name}]`, reason));
  managed('AmazonEKSClusterPolicy', 'The policy EKS documents for the cluster role; AWS maintains it as EKS adds features.');
  for (const name of ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']) {
    managed(name, `${name} is one of the policies EKS documents for managed node group roles.`);
  }
  for (const name of ['service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaVPCAccessExecutionRole']) {
    managed(name, 'The kubectl provider Lambda that aws-eks-v2 creates: logs, and ENIs in the cluster VPC.');
  }
  const handler = cluster.node.findAll().find((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction && c.node.path.includes('KubectlProvider/Handler'));
  if (handler) {
    acknowledge(`AwsSolutions-IAM5[Resource::<${stack.getLogicalId(handler)}.Arn>:*]`,
      'The aws-eks-v2 provider framework may invoke every version of its own kubectl handler.');
  }
  // aws-eks-v2 attaches ECR Public read-only to the kubectl handler's role behind a condition;
  // cdk-nag names that finding by the whole Fn::If expression.
  for (const role of cluster.node.findAll().filter((c): c is iam.CfnRole => c instanceof iam.CfnRole)) {
    const arns = stack.resolve(role.managedPolicyArns) as unknown[] | undefined;
    for (const arn of arns ?? []) {
      if (arn && typeof arn === 'object' && 'Fn::If' in arn) {
        acknowledge(`AwsSolutions-IAM4[Policy::${JSON.stringify(arn)}]`, 'ECR Public read-only, so the kubectl handler can pull its image; AWS-managed and conditional in aws-eks-v2.');
      }
    }
  }
  acknowledge('AwsSolutions-L1', 'The aws-eks-v2 provider framework picks the runtime of its own Lambda functions.');
}

/** Builds the example; `-c account=... -c region=...` choose the environment. */
export function buildTempoOnNewCluster(app: App): TempoOnNewClusterStack {
  return new TempoOnNewClusterStack(app, 'TempoOnNewCluster', {
    env: { account: app.node.tryGetContext('account') ?? '111111111111', region: app.node.tryGetContext('region') ?? 'eu-west-1' },
    description: 'cdk-tracing example: a new EKS cluster with Tempo on S3',
  });
}
