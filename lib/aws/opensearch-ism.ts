import { CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { Retention } from '../core/retention';
import { renderDailyIsmDeletePolicy } from '../render/jaeger-config';
import { validateIndexPrefix } from '../k8s/jaeger-storage';
import { ISM_HANDLER_SOURCE } from './ism-handler-source';
import type { JaegerOpenSearchDomain } from './opensearch-domain';

/** Props of {@link OpenSearchIsmPolicy}. */
export interface OpenSearchIsmPolicyProps {
  /** The IAM-only domain. */
  readonly domain: JaegerOpenSearchDomain;
  /** Same Retention value Jaeger uses (`max_span_age`); at least one day. */
  readonly retention: Retention;
  /**
   * Jaeger's index prefix.
   * @default - no prefix
   */
  readonly indexPrefix?: string;
  /**
   * Policy name.
   * @default 'jaeger-retention'
   */
  readonly policyName?: string;
}

/**
 * An ISM policy on an IAM-only Amazon OpenSearch domain that deletes Jaeger's
 * daily indices once they are older than the retention (same cutoff as the
 * index cleaner: creation time plus whole days). Applied through an
 * `ism_template` to every new Jaeger index. The policy is left in place when
 * the stack is deleted (removing it would silently stop retention).
 *
 * The handler (source in `ism-handler-source.ts`) runs in the domain's
 * subnets (private, with egress: it must answer CloudFormation's pre-signed
 * S3 URL) and signs with its own role, which the domain's access policy
 * admits, using the SigV4 signer of the AWS SDK that the Lambda runtime ships.
 */
export class OpenSearchIsmPolicy extends Construct {
  public readonly policyName: string;
  /** The policy document, as sent. */
  public readonly policy: Record<string, unknown>;
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: OpenSearchIsmPolicyProps) {
    super(scope, id);
    const path = this.node.path;
    props.retention.validate(path, 'retention');
    if (props.retention.hours < 24) {
      throw configError(path, 'retention is shorter than one day, but Jaeger indices rotate daily', props.retention.toString(), 'use Retention.days(1) or longer');
    }
    if (props.indexPrefix !== undefined) validateIndexPrefix(path, props.indexPrefix);
    this.policyName = props.policyName ?? 'jaeger-retention';
    if (!/^[a-z0-9][a-z0-9_-]{0,127}$/.test(this.policyName)) {
      throw configError(path, 'policyName is not a valid ISM policy name', this.policyName, 'use lowercase letters, digits, "-" and "_"');
    }
    if (props.domain.auth.kind !== 'iam') {
      throw configError(path, 'the ISM retention policy is for IAM-only domains; with fine-grained access control the index cleaner enforces retention with basic auth',
        props.domain.auth.kind, 'remove the ISM policy, or use OpenSearchDomainAuth.iam()');
    }
    this.policy = renderDailyIsmDeletePolicy(props.indexPrefix, props.retention);

    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.domain.vpc,
      description: 'Jaeger ISM policy handler: HTTPS to the OpenSearch domain and to CloudFormation',
      allowAllOutbound: false,
    });
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'OpenSearch domain and the CloudFormation response URL (S3)');
    props.domain.connections.allowDefaultPortFrom(sg, 'Jaeger ISM policy handler');
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    const handler = new lambda.Function(this, 'Handler', {
      // The newest Node.js runtime the installed aws-cdk-lib knows, which is what cdk-nag's
      // AwsSolutions-L1 demands: a pin would become a finding in every user's app on the next
      // aws-cdk-lib release. The handler needs only Node.js 18+ and the AWS SDK v3 the runtime ships.
      runtime: newestNodeRuntime(),
      handler: 'index.handler',
      // Readable source, inline (ZipFile, < 4096 characters), tested in test/aws/ism-handler.test.ts.
      code: lambda.Code.fromInline(ISM_HANDLER_SOURCE),
      timeout: Duration.minutes(2),
      memorySize: 256,
      vpc: props.domain.vpc,
      vpcSubnets: { subnets: props.domain.subnets },
      securityGroups: [sg],
      logGroup,
      description: `Puts the Jaeger ISM retention policy on ${props.domain.node.path}`,
    });
    props.domain.grantReadWrite(handler);
    Validations.of(sg).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'Egress only, on 443: the handler must reach the CloudFormation response URL in S3, whose addresses are not fixed.',
    });
    const role = handler.role!;
    for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
        reason: `${policy} is the minimal AWS-maintained policy for a Lambda in a VPC (log writing and ENI management).`,
      });
    }
    Validations.of(role).acknowledge({
      id: props.domain.nagDomainPathsFinding(),
      reason: 'Scoped to this one domain; the ISM API lives under _plugins paths of the domain.',
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::JaegerIsmPolicy',
      properties: {
        Endpoint: props.domain.domainEndpoint,
        Region: Stack.of(this).region,
        PolicyName: this.policyName,
        Policy: JSON.stringify(this.policy),
      },
    });
    // The role must be allowed before the first call.
    this.resource.node.addDependency(role);
  }
}

/**
 * The Node.js Lambda runtime with the highest major version in `Runtime.ALL`,
 * chosen the way cdk-nag's AwsSolutions-L1 chooses "latest".
 */
function newestNodeRuntime(): lambda.Runtime {
  const majors = lambda.Runtime.ALL
    .map((r) => ({ runtime: r, major: /^nodejs(\d+)\.x$/.exec(r.name)?.[1] }))
    .filter((r): r is { runtime: lambda.Runtime; major: string } => r.major !== undefined)
    .sort((a, b) => Number(b.major) - Number(a.major));
  return majors[0].runtime;
}
