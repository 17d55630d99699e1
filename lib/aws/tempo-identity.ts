import { CfnJson } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * How Tempo's pods obtain AWS credentials. Never static keys: Tempo's S3
 * client would prefer them over the pod's role.
 */
export class TempoIdentity {
  /**
   * EKS Pod Identity: the role trusts `pods.eks.amazonaws.com`; an association
   * binds it to Tempo's ServiceAccount. The eks-pod-identity-agent add-on must
   * run on the cluster (CDK does not install it on imported clusters).
   */
  public static podIdentity(): TempoIdentity {
    return new TempoIdentity('pod-identity');
  }

  /**
   * IAM Roles for Service Accounts: the role trusts the cluster's OIDC provider
   * for exactly Tempo's ServiceAccount, which carries the role-arn annotation.
   */
  public static irsa(openIdConnectProvider: iam.IOpenIdConnectProvider): TempoIdentity {
    return new TempoIdentity('irsa', openIdConnectProvider);
  }

  private constructor(
    /** `pod-identity` or `irsa`. */
    public readonly kind: 'pod-identity' | 'irsa',
    private readonly provider?: iam.IOpenIdConnectProvider,
  ) {}

  /** @internal The principal allowed to assume Tempo's role. */
  public _principal(scope: Construct, namespace: string, serviceAccountName: string): iam.IPrincipal {
    if (this.kind === 'pod-identity') {
      return new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com'));
    }
    const provider = this.provider!;
    // The issuer is usually a token, so the condition keys must be resolved by CloudFormation.
    const conditions = new CfnJson(scope, 'IrsaConditions', {
      value: {
        [`${provider.openIdConnectProviderIssuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccountName}`,
        [`${provider.openIdConnectProviderIssuer}:aud`]: 'sts.amazonaws.com',
      },
    });
    return new iam.OpenIdConnectPrincipal(provider, { StringEquals: conditions });
  }
}
