import { CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { JAEGER_OUTPUTS } from '../core/outputs';
import { Retention } from '../core/retention';
import { JaegerProps } from '../k8s/jaeger';
import { JaegerChart } from '../k8s/jaeger-chart';
import { JaegerIndexRotation, JaegerStorage } from '../k8s/jaeger-storage';
import { addChartToCluster, claimClusterSlot, podIdentityAgentOf } from './eks-chart';
import { JaegerOpenSearchDomain } from './opensearch-domain';
import { claimOutputPrefix } from './output-prefix';
import { OpenSearchIsmPolicy } from './opensearch-ism';

/** Props of {@link JaegerOnEks}. */
export interface JaegerOnEksProps extends Omit<JaegerProps, 'storage' | 'serviceAccountAnnotations'> {
  /** The aws-eks-v2 cluster; an imported one needs `kubectlProvider` and the eks-pod-identity-agent add-on. */
  readonly cluster: eks.ICluster;
  /** The OpenSearch domain Jaeger writes to. */
  readonly domain: JaegerOpenSearchDomain;
  /**
   * Namespace of Jaeger.
   * @default 'tracing'
   */
  readonly namespace?: string;
  /**
   * Create the namespace (labelled for the restricted Pod Security Standard).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Security groups of the pods that reach the domain (443 is opened from them).
   * @default - the cluster security group (imported clusters need `clusterSecurityGroupId`)
   */
  readonly clientSecurityGroups?: ec2.ISecurityGroup[];
  /**
   * Fine-grained access control only: the Kubernetes Secret (keys `username`,
   * `password`) Jaeger reads. Without `externalSecretStoreName` this is a reference
   * to a Secret you create in the namespace; with it, the name of the Secret the
   * `ExternalSecret` creates. A fine-grained domain needs one of the two: nothing
   * else creates the credentials. Not allowed with an IAM-only domain.
   * @default '<name>-opensearch-credentials' when `externalSecretStoreName` is set
   */
  readonly credentialsSecretName?: string;
  /**
   * Fine-grained access control only: name of an External Secrets Operator
   * `ClusterSecretStore` for AWS Secrets Manager. When set, an `ExternalSecret`
   * copies the domain's master user secret into `credentialsSecretName`.
   * @default - no ExternalSecret: `credentialsSecretName` must name a Secret you create
   */
  readonly externalSecretStoreName?: string;
  /**
   * Prefix of the CloudFormation output names (`<prefix>DomainEndpoint`, `<prefix>DomainRegion`,
   * and `<prefix>RoleArn` on IAM-only domains), for GitOps pipelines reading `cdk deploy --outputs-file`.
   * @default 'Jaeger'
   */
  readonly outputPrefix?: string;
}

/**
 * Jaeger v2 on an Amazon OpenSearch Service domain, on EKS, the same way
 * TempoOnEks puts Tempo there: the cdk8s {@link JaegerChart} is built
 * completely and applied with `addCdk8sChart`, with the domain endpoint and
 * region flowing in as tokens.
 *
 * - IAM-only domain: a Pod Identity role scoped to the domain; Jaeger signs
 *   with SigV4. The retention CLIs cannot sign, so retention is an ISM policy
 *   deleting daily indices after the retention ({@link OpenSearchIsmPolicy});
 *   no cleaner runs, and rollover rotation and spark-dependencies are refused.
 * - Fine-grained access control: basic auth from a Kubernetes Secret
 *   (optionally synced from Secrets Manager by an ExternalSecret); every
 *   index rotation and spark-dependencies work.
 */
export class JaegerOnEks extends Construct {
  public readonly chart: JaegerChart;
  public readonly manifest: eks.KubernetesManifest;
  /** The Pod Identity role (IAM-only domains). */
  public readonly role?: iam.Role;
  public readonly podIdentityAssociation?: eks.CfnPodIdentityAssociation;
  /** The ISM retention policy (IAM-only domains). */
  public readonly ismPolicy?: OpenSearchIsmPolicy;

  constructor(scope: Construct, id: string, props: JaegerOnEksProps) {
    super(scope, id);
    const path = this.node.path;
    const name = props.name ?? 'jaeger';
    const namespace = props.namespace ?? 'tracing';
    validateDnsLabel(path, 'namespace', namespace);
    const manifestId = claimClusterSlot(props.cluster, this, { namespace, name, createsNamespace: props.createNamespace ?? true });
    const domain = props.domain;
    const retention = props.retention ?? Retention.days(7);
    const iamOnly = domain.auth.kind === 'iam';

    let storage: JaegerStorage;
    let indexRotation = props.indexRotation;
    if (iamOnly) {
      if (props.credentialsSecretName || props.externalSecretStoreName) {
        throw configError(path, 'the domain uses IAM (SigV4) auth, but basic-auth credentials were given; a request carries one kind of credentials',
          props.credentialsSecretName ?? props.externalSecretStoreName, 'remove credentialsSecretName/externalSecretStoreName, or create the domain with OpenSearchDomainAuth.fineGrained()');
      }
      if (props.indexRotation && (props.indexRotation.mode !== 'daily' || props.indexRotation.options.indexCleaner !== false)) {
        throw configError(path, 'on an IAM-only domain retention is an ISM policy: the cleaner and es-rollover cannot sign SigV4 requests', props.indexRotation.mode,
          'leave indexRotation out (daily indices + ISM delete policy), or use fine-grained access control');
      }
      if (props.dependencies) {
        throw configError(path, 'spark-dependencies cannot sign SigV4 requests, so it cannot read an IAM-only domain', 'dependencies',
          'remove dependencies, or use OpenSearchDomainAuth.fineGrained()');
      }
      storage = JaegerStorage.opensearch({ serverUrls: [domain.url], sigv4: { region: Stack.of(this).region } });
      indexRotation = JaegerIndexRotation.daily({ indexCleaner: false });
    } else {
      if (props.credentialsSecretName === undefined && props.externalSecretStoreName === undefined) {
        throw configError(path, 'the domain uses fine-grained access control, so Jaeger needs basic-auth credentials, but nothing would create the Secret holding them',
          props.credentialsSecretName, 'set externalSecretStoreName (an ExternalSecret copies the domain\'s master user secret from Secrets Manager), '
          + 'or credentialsSecretName naming a Secret you create in the namespace with keys "username" and "password"');
      }
      const secretName = props.credentialsSecretName ?? `${name}-opensearch-credentials`;
      validateDnsLabel(path, 'credentialsSecretName', secretName, 253);
      storage = JaegerStorage.opensearch({ serverUrls: [domain.url], basicAuth: { secretName } });
    }

    // The chart lives in its own cdk8s App and is complete before it is added to the cluster.
    this.chart = new JaegerChart(new cdk8s.App(), `${id}Chart`, {
      ...props,
      name,
      namespace,
      storage,
      retention,
      indexRotation,
    });
    if (!iamOnly && props.externalSecretStoreName) {
      const secretName = props.credentialsSecretName ?? `${name}-opensearch-credentials`;
      const key = domain.masterUserSecret!.secretArn;
      new cdk8s.ApiObject(this.chart, 'CredentialsExternalSecret', {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: secretName, labels: { 'app.kubernetes.io/name': 'jaeger', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': 'credentials' } },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: props.externalSecretStoreName },
          target: { name: secretName, creationPolicy: 'Owner' },
          data: [
            { secretKey: 'username', remoteRef: { key, property: 'username' } },
            { secretKey: 'password', remoteRef: { key, property: 'password' } },
          ],
        },
      });
    }

    let clientGroups = props.clientSecurityGroups;
    if (!clientGroups) {
      try {
        clientGroups = [props.cluster.clusterSecurityGroup];
      } catch {
        throw configError(path, 'the cluster has no known security group to admit to the domain', props.cluster.clusterName,
          'import the cluster with clusterSecurityGroupId, or pass clientSecurityGroups');
      }
    }
    clientGroups.forEach((g, i) => domain.connections.allowDefaultPortFrom(g, `Jaeger on EKS (${i})`));

    if (iamOnly) {
      this.role = new iam.Role(this, 'PodRole', {
        assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
        description: `Jaeger ${namespace}/${name} (EKS Pod Identity): HTTP API of one OpenSearch domain`,
      });
      domain.grantReadWrite(this.role);
      Validations.of(this.role).acknowledge({
        id: domain.nagDomainPathsFinding(),
        reason: 'Scoped to this one domain; Jaeger calls cluster-level APIs (templates, aliases, _msearch), so paths cannot be narrowed to indices.',
      });
      this.podIdentityAssociation = new eks.CfnPodIdentityAssociation(this, 'PodIdentity', {
        clusterName: props.cluster.clusterName,
        namespace,
        serviceAccount: this.chart.jaeger.serviceAccountName,
        roleArn: this.role.roleArn,
      });
      this.ismPolicy = domain.addIsmRetentionPolicy(`${id}IsmRetention`, { retention, indexPrefix: props.indexPrefix });
    }

    this.manifest = addChartToCluster(props.cluster, manifestId, this.chart);
    // Pods started before their role, the Pod Identity agent or the retention policy exists would
    // fail or create unmanaged indices.
    if (this.podIdentityAssociation) {
      this.manifest.node.addDependency(this.podIdentityAssociation);
      const agent = podIdentityAgentOf(props.cluster);
      if (agent) this.manifest.node.addDependency(agent);
    }
    if (this.ismPolicy) this.manifest.node.addDependency(this.ismPolicy.resource);

    const prefix = props.outputPrefix ?? 'Jaeger';
    claimOutputPrefix(this, prefix);
    const output = (outputName: string, value: string, description: string) =>
      new CfnOutput(this, outputName, { value, description }).overrideLogicalId(outputName.replace(/^Jaeger/, prefix));
    output(JAEGER_OUTPUTS.domainEndpoint, domain.domainEndpoint, 'Endpoint of the OpenSearch domain Jaeger writes to');
    output(JAEGER_OUTPUTS.domainRegion, Stack.of(this).region, 'Region of the OpenSearch domain');
    if (this.role) output(JAEGER_OUTPUTS.roleArn, this.role.roleArn, 'IAM role Jaeger assumes (EKS Pod Identity)');
  }
}
