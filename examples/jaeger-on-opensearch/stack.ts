/**
 * `cdk deploy`: Jaeger v2 on an Amazon OpenSearch Service domain in your VPC
 * (IAM/SigV4 through a Pod Identity role, retention by an ISM delete policy),
 * put on an existing EKS cluster. See docs/jaeger.md.
 *
 *   npm run synth                                    # writes cdk.out/JaegerOnOpenSearch.template.json
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { JaegerOnEks, JaegerOpenSearchDomain, OpenSearchDomainAuth } from '../../lib/aws';
import { Retention, SamplingStrategy, TraceSampling } from '../../lib/core';

/** What the example needs to know about the existing network and cluster; all of it can come from cdk context. */
export interface JaegerOnOpenSearchExampleProps extends StackProps {
  readonly clusterName: string;
  /** ARN of an existing kubectl provider's onEvent function. */
  readonly kubectlProviderServiceToken: string;
  /** The cluster security group (EKS-managed), admitted to the domain on 443. */
  readonly clusterSecurityGroupId: string;
  readonly vpcId: string;
  readonly availabilityZones: string[];
  /** One private subnet (with egress) per Availability Zone, same order. */
  readonly privateSubnetIds: string[];
  /** The route table of each private subnet, same order (aws-cdk-lib warns, and the synth fails, without them). */
  readonly privateSubnetRouteTableIds: string[];
  /**
   * IAM-only domain (SigV4 from a Pod Identity role, retention by ISM) or fine-grained access control.
   * @default true
   */
  readonly iamAuth?: boolean;
}

/**
 * `cdk deploy`: an Amazon OpenSearch Service domain and Jaeger v2 on an
 * existing EKS cluster, in one stack. Synthesizes with no AWS credentials and
 * no network: VPC and cluster are imported from attributes.
 */
export class JaegerOnOpenSearchExampleStack extends Stack {
  public readonly domain: JaegerOpenSearchDomain;
  public readonly jaeger: JaegerOnEks;

  constructor(scope: Construct, id: string, props: JaegerOnOpenSearchExampleProps) {
    super(scope, id, props);
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: props.vpcId,
      availabilityZones: props.availabilityZones,
      privateSubnetIds: props.privateSubnetIds,
      privateSubnetRouteTableIds: props.privateSubnetRouteTableIds,
    });
    const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(this, 'KubectlProvider', {
      serviceToken: props.kubectlProviderServiceToken,
    });
    const cluster = eks.Cluster.fromClusterAttributes(this, 'Cluster', {
      clusterName: props.clusterName,
      kubectlProvider,
      clusterSecurityGroupId: props.clusterSecurityGroupId,
    });
    const iamAuth = props.iamAuth ?? true;
    this.domain = new JaegerOpenSearchDomain(this, 'Traces', {
      vpc,
      vpcSubnets: { subnets: props.privateSubnetIds.map((s, i) => ec2.Subnet.fromSubnetAttributes(this, `Subnet${i}`, { subnetId: s, availabilityZone: props.availabilityZones[i], routeTableId: props.privateSubnetRouteTableIds[i] })) },
      domainName: 'jaeger-traces',
      auth: iamAuth ? OpenSearchDomainAuth.iam() : OpenSearchDomainAuth.fineGrained(),
      volumeSizeGiB: 200,
    });
    this.jaeger = new JaegerOnEks(this, 'Jaeger', {
      cluster,
      domain: this.domain,
      namespace: 'tracing',
      retention: Retention.days(7),
      indexPrefix: 'prod',
      query: { basePath: '/jaeger' },
      sampling: TraceSampling.of({
        baselineRatio: 0.1,
        services: [{ service: 'checkout', strategy: SamplingStrategy.timesBaseline(5) }],
        defaultOperations: [{ operation: 'GET /healthz', ratio: 0 }],
      }),
      ...(iamAuth ? {} : { externalSecretStoreName: 'aws-secrets-manager', dependencies: {} }),
    });
    // JaegerOnEks outputs JaegerDomainEndpoint, JaegerDomainRegion and JaegerRoleArn, read back by
    // the GitOps chart (chart.ts) from `cdk deploy --outputs-file`.
  }
}

/** Builds the example from cdk context (`-c clusterName=... -c vpcId=...`) or placeholders. */
export function buildJaegerOnOpenSearch(app: App): JaegerOnOpenSearchExampleStack {
  const ctx = (key: string, fallback: string) => (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  return new JaegerOnOpenSearchExampleStack(app, 'JaegerOnOpenSearch', {
    clusterName: ctx('clusterName', 'platform'),
    kubectlProviderServiceToken: ctx('kubectlProviderServiceToken', 'arn:aws:lambda:eu-west-1:111111111111:function:platform-kubectl-provider-onEvent'),
    clusterSecurityGroupId: ctx('clusterSecurityGroupId', 'sg-0123456789abcdef0'),
    vpcId: ctx('vpcId', 'vpc-0123456789abcdef0'),
    availabilityZones: ctx('availabilityZones', 'eu-west-1a,eu-west-1b').split(','),
    privateSubnetIds: ctx('privateSubnetIds', 'subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2').split(','),
    privateSubnetRouteTableIds: ctx('privateSubnetRouteTableIds', 'rtb-0aaaaaaaaaaaaaaa1,rtb-0bbbbbbbbbbbbbbb2').split(','),
    iamAuth: ctx('jaegerAuth', 'iam') === 'iam',
    env: { account: ctx('account', '111111111111'), region: ctx('region', 'eu-west-1') },
    description: 'cdk-tracing example: Jaeger v2 on Amazon OpenSearch Service on an existing EKS cluster',
  });
}
