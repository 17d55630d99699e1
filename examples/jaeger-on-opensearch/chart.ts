import { App } from 'cdk8s';
import { JaegerChart, JaegerIndexRotation, JaegerStorage, Retention } from '../../lib/k8s';
import values from './aws-values.json';

/**
 * GitOps: the Jaeger side of `stack.ts` as plain YAML in dist/, for an
 * IAM-only domain created by `cdk deploy`. The endpoint and region arrive as
 * plain strings (here from aws-values.json; in a pipeline from
 * `cdk deploy --outputs-file`). The ISM retention policy and the Pod Identity
 * association are created by the CDK stack; this chart runs no cleaner.
 *
 *   npm run synth   # writes dist/jaeger.k8s.yaml
 */
export function buildJaegerOnOpenSearchGitOps(app: App): JaegerChart {
  return new JaegerChart(app, 'jaeger', {
    namespace: 'tracing',
    storage: JaegerStorage.opensearch({ serverUrls: [`https://${values.domainEndpoint}`], sigv4: { region: values.region } }),
    indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }),
    retention: Retention.days(7),
    indexPrefix: 'prod',
    query: { basePath: '/jaeger' },
    // Jaeger's own metrics, for the pipeline alerts and dashboards (kube-prometheus-stack selects monitors by release).
    podMonitor: { labels: { release: 'kube-prometheus-stack' } },
  });
}
