/**
 * `cdk deploy` on EKS: Tempo's bucket, role, Pod Identity association and the
 * Tempo chart in one stack, against an existing cluster imported with a
 * kubectl provider (no credentials needed to synthesize).
 *
 *   npm run synth                                    # writes cdk.out/TempoOnEks.template.json
 *   npx cdk deploy TempoOnEks -c clusterName=prod -c kubectlProviderServiceToken=arn:aws:lambda:... \
 *     --outputs-file outputs.json                    # the GitOps examples read outputs.json
 */
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { TempoOnEks } from '../../lib/aws';
import { Retention } from '../../lib/core';

/** What the example needs to know about an existing cluster; all of it can come from cdk context. */
export interface TempoOnEksExampleProps extends StackProps {
  /** Name of the existing EKS cluster. */
  readonly clusterName: string;
  /** ARN of an existing kubectl provider's onEvent function (see docs on aws-eks-v2 KubectlProvider). */
  readonly kubectlProviderServiceToken: string;
}

/**
 * `cdk deploy`: Tempo on S3 on an existing EKS cluster. The bucket, the Pod
 * Identity role and association, and the Tempo chart are one stack; bucket
 * name, region and role flow into the manifests as tokens.
 */
export class TempoOnEksExampleStack extends Stack {
  public readonly tempo: TempoOnEks;

  constructor(scope: Construct, id: string, props: TempoOnEksExampleProps) {
    super(scope, id, props);
    const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(this, 'KubectlProvider', {
      serviceToken: props.kubectlProviderServiceToken,
    });
    const cluster = eks.Cluster.fromClusterAttributes(this, 'Cluster', { clusterName: props.clusterName, kubectlProvider });
    this.tempo = new TempoOnEks(this, 'Tempo', {
      cluster,
      namespace: 'tracing',
      retention: Retention.days(14),
      expiryBackstop: Duration.days(30),
      metricsGenerator: { remoteWriteUrl: 'http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/write' },
    });
  }
}

/** Builds the example from cdk context (`-c clusterName=... -c kubectlProviderServiceToken=...`) or placeholders. */
export function buildTempoOnEks(app: App): TempoOnEksExampleStack {
  return new TempoOnEksExampleStack(app, 'TempoOnEks', {
    clusterName: app.node.tryGetContext('clusterName') ?? 'platform',
    kubectlProviderServiceToken: app.node.tryGetContext('kubectlProviderServiceToken')
      ?? 'arn:aws:lambda:eu-west-1:111111111111:function:platform-kubectl-provider-onEvent',
    description: 'cdk-tracing example: Tempo on S3 on an existing EKS cluster',
  });
}
