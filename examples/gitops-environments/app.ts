/**
 * GitOps for many environments: one typed description, one directory per
 * environment under dist/environments/<name>/ with a kustomization.yaml that
 * Argo CD or Flux applies. Each environment gets Tempo and the collector tier,
 * each with its monitor, the pipeline alerts reading them (namespace monitoring)
 * and an Ingress for Tempo's query API; retention, sizes, sampling, replicas and
 * hosts differ per environment. AWS values come from the JSON `cdk deploy
 * --outputs-file` wrote for each environment's stack (set
 * GITOPS_OUTPUTS=path/to/outputs.json; the committed sample is used otherwise).
 *
 *   npm run build && node out/examples/gitops-environments/app.js
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  CertificateIssuer, CollectorBackend, GitOpsEnvironment, IngressAuth, IngressBackend, IngressController, IngressTls,
  readAwsValuesFile, Retention, synthEnvironments, TempoChart, tempoAwsValuesFrom, TraceSampling, TracingAlerts, TracingCollectorChart, TracingIngress,
} from '../../lib/k8s';
import sampleOutputs from './outputs.json';

/** What differs between environments. Everything else is shared. */
export interface TracingEnvironmentSpec {
  /** Stack name in the cdk outputs file holding this environment's bucket and role. */
  readonly stackName: string;
  readonly retention: Retention;
  /** Tempo container memory limit. */
  readonly tempoMemoryLimit: string;
  /** Tempo PVC size. */
  readonly tempoStorageSize: string;
  /** Share of traces the tail sampler keeps besides errors and slow traces. */
  readonly samplingBaseline: number;
  /** Minimum collector gateway and sampler replicas. */
  readonly collectorMinReplicas: number;
  /** Host of Tempo's query API for Grafanas outside the cluster. */
  readonly queryHost: string;
}

export const ENVIRONMENTS: GitOpsEnvironment<TracingEnvironmentSpec>[] = [
  {
    name: 'dev',
    spec: {
      stackName: 'TempoOnEks-dev', retention: Retention.days(3), tempoMemoryLimit: '2Gi', tempoStorageSize: '10Gi',
      samplingBaseline: 1, collectorMinReplicas: 2, queryHost: 'tempo.dev.acme.example',
    },
  },
  {
    name: 'staging',
    spec: {
      stackName: 'TempoOnEks-staging', retention: Retention.days(7), tempoMemoryLimit: '4Gi', tempoStorageSize: '20Gi',
      samplingBaseline: 0.5, collectorMinReplicas: 2, queryHost: 'tempo.staging.acme.example',
    },
  },
  {
    name: 'prod',
    spec: {
      stackName: 'TempoOnEks-prod', retention: Retention.days(30), tempoMemoryLimit: '8Gi', tempoStorageSize: '100Gi',
      samplingBaseline: 0.1, collectorMinReplicas: 3, queryHost: 'tempo.prod.acme.example',
    },
  },
];

/** Labels kube-prometheus-stack's Prometheus selects monitors and rules by (release `kube-prometheus-stack`). */
export const PROMETHEUS_SELECTOR = { release: 'kube-prometheus-stack' };

/** Builds one environment's charts. */
export function buildEnvironment(app: App, env: GitOpsEnvironment<TracingEnvironmentSpec>, outputs: unknown, source: string): void {
  const aws = tempoAwsValuesFrom(outputs, source, { stackName: env.spec.stackName });
  const tempo = new TempoChart(app, 'tempo', {
    namespace: 'tracing',
    storage: { bucketName: aws.bucketName, region: aws.region, prefix: aws.prefix },
    retention: env.spec.retention,
    resources: { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: env.spec.tempoMemoryLimit },
    storageSize: env.spec.tempoStorageSize,
    podMonitor: { labels: PROMETHEUS_SELECTOR },
  });
  // The gateway owns no queue and autoscales; the sampler owns its queue on claims and has a fixed count.
  const gatewayScaling = { minReplicas: env.spec.collectorMinReplicas, maxReplicas: env.spec.collectorMinReplicas * 3 };
  const collector = new TracingCollectorChart(app, 'otel-collector', {
    namespace: 'observability',
    backend: CollectorBackend.tempo(tempo.tempo),
    sampling: TraceSampling.of({ baselineRatio: env.spec.samplingBaseline, keepErrors: true, latencyThresholdMs: 2000 }),
    gateway: gatewayScaling,
    sampler: { replicas: env.spec.collectorMinReplicas },
    serviceMonitor: { labels: PROMETHEUS_SELECTOR },
  });
  // The pipeline alerts, next to kube-prometheus-stack; they read only what the monitors above scrape.
  const alerts = new Chart(app, 'tracing-alerts', { namespace: 'monitoring', disableResourceNameHashes: true });
  new TracingAlerts(alerts, 'Alerts', { collector: collector.collector, tempo: tempo.tempo, ruleLabels: PROMETHEUS_SELECTOR });
  new TracingIngress(tempo, 'QueryIngress', {
    host: env.spec.queryHost,
    backend: IngressBackend.tempoQueryApi(tempo.tempo),
    controller: IngressController.nginx(),
    tls: IngressTls.certManager({ issuer: CertificateIssuer.clusterIssuer('letsencrypt-prod') }),
    auth: IngressAuth.basicAuth({ secretName: 'tempo-query-basic-auth' }),
  });
}

/** Renders every environment into `<outdir>/<name>/`. */
export function synthGitOpsEnvironments(outdir: string, environments = ENVIRONMENTS): string[] {
  const file = process.env.GITOPS_OUTPUTS;
  const outputs = file ? readAwsValuesFile(file) : sampleOutputs;
  const source = file ?? 'examples/gitops-environments/outputs.json';
  return synthEnvironments(environments, (app, env) => buildEnvironment(app, env, outputs, source), { outdir });
}

if (require.main === module) {
  synthGitOpsEnvironments(path.join(process.env.CDK8S_OUTDIR ?? 'dist', 'environments'));
}
