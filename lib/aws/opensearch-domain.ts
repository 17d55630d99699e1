import { Annotations, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { OpenSearchIsmPolicy } from './opensearch-ism';

/** How clients authenticate to the domain. */
export class OpenSearchDomainAuth {
  /**
   * IAM only: requests are SigV4-signed by principals named in the domain's
   * access policy (the Jaeger Pod Identity role, scoped to this domain). No
   * shared password exists. The retention CLIs cannot sign, so retention is an
   * ISM policy ({@link JaegerOpenSearchDomain.addIsmRetentionPolicy}).
   */
  public static iam(): OpenSearchDomainAuth {
    return new OpenSearchDomainAuth('iam', undefined);
  }

  /**
   * Fine-grained access control with the internal user database; the master
   * user's generated password lives in Secrets Manager. Every Jaeger component
   * (collector, query, cleaner, rollover, spark) works with basic auth.
   */
  public static fineGrained(options: { readonly masterUserName?: string } = {}): OpenSearchDomainAuth {
    return new OpenSearchDomainAuth('fine-grained', options.masterUserName ?? 'admin');
  }

  private constructor(
    /** `iam` or `fine-grained`. */
    public readonly kind: 'iam' | 'fine-grained',
    /** Master user name (fine-grained only). */
    public readonly masterUserName: string | undefined,
  ) {}
}

/** Props of {@link JaegerOpenSearchDomain}. */
export interface JaegerOpenSearchDomainProps {
  /** VPC of the domain (VPC endpoints are HTTPS on 443, reachable only inside). */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the domain: one per Availability Zone used.
   * @default - private subnets with egress, as many as `availabilityZoneCount`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Authentication.
   * @default OpenSearchDomainAuth.iam()
   */
  readonly auth?: OpenSearchDomainAuth;
  /**
   * Domain name (3-28 characters: lowercase letters, digits, '-'; starting with a letter).
   * @default - `jaeger-` and a hash of the construct path
   */
  readonly domainName?: string;
  /**
   * Engine version (Jaeger 2.20 supports OpenSearch 2.19 and 3.x).
   * @default opensearch.EngineVersion.OPENSEARCH_2_19
   */
  readonly version?: opensearch.EngineVersion;
  /**
   * Data nodes; a multiple of `availabilityZoneCount`.
   * @default 2
   */
  readonly dataNodes?: number;
  /**
   * Instance type of data nodes.
   * @default 'r7g.large.search'
   */
  readonly dataNodeInstanceType?: string;
  /**
   * Dedicated master nodes (3 or 5).
   * @default 3
   */
  readonly masterNodes?: number;
  /**
   * Instance type of dedicated master nodes.
   * @default 'm7g.large.search'
   */
  readonly masterNodeInstanceType?: string;
  /**
   * Availability Zones (2 or 3) the nodes spread over (zone awareness).
   * @default 2
   */
  readonly availabilityZoneCount?: number;
  /**
   * gp3 volume per data node, in GiB. Size it as retention days x daily ingest x (1 + replicas) x 1.25.
   * @default 100
   */
  readonly volumeSizeGiB?: number;
  /**
   * Retention of the domain's CloudWatch log groups.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the domain (and its traces) when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const ES_HTTP_ACTIONS = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete', 'es:ESHttpPatch'];

/**
 * An Amazon OpenSearch Service domain for Jaeger: in a VPC, encryption at rest
 * and node to node, HTTPS only with TLS 1.2+, dedicated masters, zone
 * awareness, slow/application (and, with fine-grained access control, audit)
 * logs in CloudWatch, and either IAM-only access or fine-grained access control
 * with the master user in Secrets Manager. cdk-nag AwsSolutions clean; the two
 * findings that do not apply to VPC domains are acknowledged with reasons.
 */
export class JaegerOpenSearchDomain extends Construct implements ec2.IConnectable {
  public readonly domain: opensearch.CfnDomain;
  public readonly domainArn: string;
  public readonly domainName: string;
  /** Endpoint host (no scheme), e.g. `vpc-jaeger-abc.eu-west-1.es.amazonaws.com`. */
  public readonly domainEndpoint: string;
  public readonly auth: OpenSearchDomainAuth;
  public readonly connections: ec2.Connections;
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The master user's secret (`username`, `password`), with fine-grained access control. */
  public readonly masterUserSecret?: secretsmanager.ISecret;
  public readonly vpc: ec2.IVpc;
  /** The subnets the domain's endpoints are in (one per zone). */
  public readonly subnets: ec2.ISubnet[];

  private readonly principals: iam.IPrincipal[] = [];

  constructor(scope: Construct, id: string, props: JaegerOpenSearchDomainProps) {
    super(scope, id);
    const path = this.node.path;
    this.auth = props.auth ?? OpenSearchDomainAuth.iam();
    this.vpc = props.vpc;
    const azCount = props.availabilityZoneCount ?? 2;
    if (azCount !== 2 && azCount !== 3) throw configError(path, 'availabilityZoneCount must be 2 or 3', azCount, 'use 2 or 3 for zone awareness');
    const dataNodes = props.dataNodes ?? 2;
    if (!Number.isInteger(dataNodes) || dataNodes < azCount || dataNodes % azCount !== 0) {
      throw configError(path, `dataNodes must be a positive multiple of availabilityZoneCount (${azCount}) for zone awareness`, dataNodes,
        `use ${azCount}, ${azCount * 2}, ...`);
    }
    const masterNodes = props.masterNodes ?? 3;
    if (masterNodes !== 3 && masterNodes !== 5) throw configError(path, 'masterNodes must be 3 or 5 (a quorum that survives one zone)', masterNodes, 'use 3');
    const volumeSize = props.volumeSizeGiB ?? 100;
    if (!Number.isInteger(volumeSize) || volumeSize < 10) throw configError(path, 'volumeSizeGiB must be a whole number of at least 10', volumeSize, 'use e.g. 100');
    const version = props.version ?? opensearch.EngineVersion.OPENSEARCH_2_19;
    const m = /^OpenSearch_(\d+)\.(\d+)$/.exec(version.version);
    if (!m || !(Number(m[1]) >= 3 || (Number(m[1]) === 2 && Number(m[2]) >= 19))) {
      throw configError(path, 'engine version is not supported by Jaeger 2.20 (OpenSearch 2.19 and 3.x are)', version.version,
        'use opensearch.EngineVersion.OPENSEARCH_2_19 or a 3.x version');
    }
    for (const [what, type] of [['dataNodeInstanceType', props.dataNodeInstanceType], ['masterNodeInstanceType', props.masterNodeInstanceType]] as const) {
      if (type !== undefined && !type.endsWith('.search')) throw configError(path, `${what} is not an OpenSearch instance type`, type, 'use a type ending in ".search", e.g. "r7g.large.search"');
    }

    const subnets = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, onePerAz: true });
    this.subnets = subnets.subnets.slice(0, azCount);
    const subnetIds = subnets.subnetIds.slice(0, azCount);
    if (!Token.isUnresolved(subnets.subnetIds) && subnetIds.length < azCount) {
      throw configError(path, `the selected subnets span fewer than availabilityZoneCount (${azCount}) zones`, subnets.subnetIds,
        'select one subnet per zone, or lower availabilityZoneCount');
    }

    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Amazon OpenSearch Service domain for Jaeger (HTTPS 443 from allowed clients only)',
      allowAllOutbound: false,
    });
    this.securityGroup = sg;
    this.connections = new ec2.Connections({ securityGroups: [sg], defaultPort: ec2.Port.tcp(443) });

    const logGroup = (lid: string) => new logs.LogGroup(this, lid, { retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    const fgac = this.auth.kind === 'fine-grained';
    const logGroups: Record<string, logs.LogGroup> = {
      SEARCH_SLOW_LOGS: logGroup('SearchSlowLogs'),
      INDEX_SLOW_LOGS: logGroup('IndexSlowLogs'),
      ES_APPLICATION_LOGS: logGroup('ApplicationLogs'),
      ...(fgac ? { AUDIT_LOGS: logGroup('AuditLogs') } : {}),
    };
    // CloudFormation's native resource policy: no custom-resource Lambda (the L2 Domain uses one).
    const logPolicy = new logs.CfnResourcePolicy(this, 'LogsResourcePolicy', {
      policyName: `${Stack.of(this).stackName}-${this.node.addr.slice(0, 12)}-opensearch-logs`,
      policyDocument: Stack.of(this).toJsonString({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'es.amazonaws.com' },
          Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
          Resource: Object.values(logGroups).map((g) => `${g.logGroupArn}`),
          Condition: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }],
      }),
    });

    if (fgac) {
      this.masterUserSecret = new secretsmanager.Secret(this, 'MasterUser', {
        description: `Master user of the Jaeger OpenSearch domain ${path}`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ username: this.auth.masterUserName }),
          generateStringKey: 'password',
          passwordLength: 32,
          requireEachIncludedType: true,
          excludeCharacters: '"\'\\/@:`$',
        },
      });
      Validations.of(this.masterUserSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'The OpenSearch master password is also stored in the domain; automatic rotation would need a rotation Lambda that updates both. Rotate by replacing the secret and redeploying.',
      });
    }

    this.domainName = props.domainName ?? `jaeger-${this.node.addr.slice(0, 12)}`;
    if (!Token.isUnresolved(this.domainName) && !/^[a-z][a-z0-9-]{2,27}$/.test(this.domainName)) {
      throw configError(path, 'domainName must be 3-28 characters of lowercase letters, digits and "-", starting with a letter', this.domainName,
        'use e.g. "jaeger-traces"');
    }
    // Built from the name: the access policy cannot reference the domain's own Arn attribute.
    this.domainArn = Stack.of(this).formatArn({ service: 'es', resource: 'domain', resourceName: this.domainName });
    this.domain = new opensearch.CfnDomain(this, 'Resource', {
      domainName: this.domainName,
      engineVersion: version.version,
      clusterConfig: {
        instanceType: props.dataNodeInstanceType ?? 'r7g.large.search',
        instanceCount: dataNodes,
        dedicatedMasterEnabled: true,
        dedicatedMasterType: props.masterNodeInstanceType ?? 'm7g.large.search',
        dedicatedMasterCount: masterNodes,
        zoneAwarenessEnabled: true,
        zoneAwarenessConfig: { availabilityZoneCount: azCount },
      },
      ebsOptions: { ebsEnabled: true, volumeType: 'gp3', volumeSize },
      vpcOptions: { subnetIds, securityGroupIds: [sg.securityGroupId] },
      encryptionAtRestOptions: { enabled: true },
      nodeToNodeEncryptionOptions: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
      advancedSecurityOptions: fgac ? {
        enabled: true,
        internalUserDatabaseEnabled: true,
        masterUserOptions: {
          masterUserName: this.auth.masterUserName,
          masterUserPassword: this.masterUserSecret!.secretValueFromJson('password').unsafeUnwrap(),
        },
      } : undefined,
      // Jaeger's bulk and multi-search requests name their index explicitly.
      advancedOptions: { 'rest.action.multi.allow_explicit_index': 'true' },
      logPublishingOptions: Object.fromEntries(Object.entries(logGroups).map(([k, g]) => [k, { enabled: true, cloudWatchLogsLogGroupArn: g.logGroupArn }])),
      accessPolicies: Lazy.any({ produce: () => this.accessPolicy() }),
    });
    this.domain.node.addDependency(logPolicy);
    this.domain.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.domainEndpoint = this.domain.attrDomainEndpoint;

    Validations.of(this.domain).acknowledge({
      id: 'AwsSolutions-OS3',
      reason: 'VPC domain: reachability is limited by its security group (443 from allowed clients only); source-IP conditions do not apply to VPC endpoints.',
    });
    if (fgac) {
      Validations.of(this.domain).acknowledge({
        id: 'AwsSolutions-OS5',
        reason: 'Fine-grained access control authenticates every request against the internal user database; the access policy admits any principal only inside the VPC security group, as AWS documents for FGAC with basic auth.',
      });
    }
  }

  /**
   * How cdk-nag names a `<domain ARN>/*` resource in IAM5 findings, for
   * acknowledging the domain-scoped grant. The partition is a literal when the
   * app sets `@aws-cdk/core:enablePartitionLiterals` (as `cdk init` does) and
   * the region is known, and `<AWS::Partition>` otherwise.
   */
  public nagDomainPathsFinding(): string {
    const stack = Stack.of(this);
    const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    return `AwsSolutions-IAM5[Resource::arn:${partition}:es:${region}:${account}:domain/${this.domainName}/*]`;
  }

  /** `https://<endpoint>`: what Jaeger's `server_urls` take. */
  public get url(): string {
    return `https://${this.domainEndpoint}`;
  }

  /**
   * Lets `grantee` call the domain's HTTP API (IAM domains: also names it in the
   * access policy). Scoped to this domain; Jaeger needs cluster-level calls
   * (templates, aliases), so the grant is domain-wide, not per index.
   */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    this.principals.push(grantee.grantPrincipal);
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ES_HTTP_ACTIONS, resourceArns: [this.domainArn, `${this.domainArn}/*`] });
    return grant;
  }

  /**
   * An ISM policy deleting Jaeger's daily indices once the retention has
   * passed: what enforces retention when the index cleaner cannot authenticate
   * (IAM-only domains). Created by a small Lambda in the VPC that signs with its
   * own role.
   */
  public addIsmRetentionPolicy(id: string, props: Omit<ConstructorParameters<typeof OpenSearchIsmPolicy>[2], 'domain'>): OpenSearchIsmPolicy {
    return new OpenSearchIsmPolicy(this, id, { ...props, domain: this });
  }

  private accessPolicy(): unknown {
    const resource = `${this.domainArn}/*`;
    if (this.auth.kind === 'fine-grained') {
      return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:ESHttp*', Resource: resource }] };
    }
    if (this.principals.length === 0) {
      Annotations.of(this).addWarningV2('cdk-tracing:no-principals', 'the IAM-only domain grants nobody; call grantReadWrite(role) for Jaeger');
      // An explicit deny keeps the policy valid and closed.
      return { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'es:*', Resource: resource }] };
    }
    const arns = this.principals.map((p) => (p as iam.IPrincipal & { roleArn?: string }).roleArn ?? (p.policyFragment.principalJson.AWS as string[])[0]);
    return {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: arns }, Action: ES_HTTP_ACTIONS, Resource: resource }],
    };
  }
}
