/**
 * GitOps for many environments: one typed description, one directory per
 * environment under dist/environments/<name>/ with a kustomization.yaml that
 * Argo CD or Flux applies. AWS values come from the JSON `cdk deploy
 * --outputs-file` wrote for each environment's stack (set
 * GITOPS_OUTPUTS=path/to/outputs.json; the committed sample is used otherwise).
 *
 *   npm run build && node out/examples/gitops-environments/app.js
 */
import * as path from 'path';
import { App } from 'cdk8s';
import { GitOpsEnvironment, readAwsValuesFile, Retention, synthEnvironments, TempoChart, tempoAwsValuesFrom } from '../../lib/k8s';
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
}

export const ENVIRONMENTS: GitOpsEnvironment<TracingEnvironmentSpec>[] = [
  { name: 'dev', spec: { stackName: 'TempoOnEks-dev', retention: Retention.days(3), tempoMemoryLimit: '2Gi', tempoStorageSize: '10Gi' } },
  { name: 'staging', spec: { stackName: 'TempoOnEks-staging', retention: Retention.days(7), tempoMemoryLimit: '4Gi', tempoStorageSize: '20Gi' } },
  { name: 'prod', spec: { stackName: 'TempoOnEks-prod', retention: Retention.days(30), tempoMemoryLimit: '8Gi', tempoStorageSize: '100Gi' } },
];

/** Builds one environment's charts. */
export function buildEnvironment(app: App, env: GitOpsEnvironment<TracingEnvironmentSpec>, outputs: unknown, source: string): void {
  const aws = tempoAwsValuesFrom(outputs, source, { stackName: env.spec.stackName });
  new TempoChart(app, 'tempo', {
    namespace: 'tracing',
    storage: { bucketName: aws.bucketName, region: aws.region, prefix: aws.prefix },
    retention: env.spec.retention,
    resources: { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: env.spec.tempoMemoryLimit },
    storageSize: env.spec.tempoStorageSize,
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
