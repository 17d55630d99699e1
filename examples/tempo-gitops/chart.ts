import { App } from 'cdk8s';
import { Retention, TempoChart, readTempoAwsValues, tempoAwsValuesFrom } from '../../lib/k8s';
import defaultValues from './aws-values.json';

/**
 * GitOps: Tempo on S3 as plain YAML in dist/. The bucket was created by
 * `cdk deploy` (see examples/tempo-on-eks); its name and region arrive as plain
 * strings, from `aws-values.json` or from the file `cdk deploy --outputs-file`
 * wrote (set TEMPO_AWS_VALUES=path/to/outputs.json).
 *
 *   npm run synth   # writes dist/tempo.k8s.yaml
 */
export function buildTempoGitOps(app: App): TempoChart {
  const valuesFile = process.env.TEMPO_AWS_VALUES;
  const aws = valuesFile ? readTempoAwsValues(valuesFile) : tempoAwsValuesFrom(defaultValues, 'examples/tempo-gitops/aws-values.json');
  return new TempoChart(app, 'tempo', {
    namespace: 'tracing',
    storage: { bucketName: aws.bucketName, region: aws.region, prefix: aws.prefix },
    // IRSA needs the role ARN on the ServiceAccount; Pod Identity (the default on EKS) needs nothing.
    serviceAccountAnnotations: aws.roleArn ? { 'eks.amazonaws.com/role-arn': aws.roleArn } : undefined,
    retention: Retention.days(14),
    metricsGenerator: { remoteWriteUrl: 'http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/write' },
    // Tempo's own metrics, for the pipeline alerts and dashboards (kube-prometheus-stack selects monitors by release).
    podMonitor: { labels: { release: 'kube-prometheus-stack' } },
  });
}
