import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { validateDnsLabel } from '../core/names';
import { toYaml } from '../render/yaml';
import { assertNoLeakedTokens } from './tokens';

/** One environment of a GitOps layout: its name and how to build its charts into a cdk8s App. */
export interface GitOpsEnvironment<T> {
  /** Directory name under the output directory, e.g. `prod-eu`. */
  readonly name: string;
  /** The typed description the charts are built from. */
  readonly spec: T;
}

/** Options of {@link synthEnvironments}. */
export interface SynthEnvironmentsOptions {
  /** Root output directory; each environment goes to `<outdir>/<name>/`. */
  readonly outdir: string;
}

/**
 * Renders each environment into its own directory with a `kustomization.yaml`
 * listing its files, for Argo CD or Flux. Output is byte-for-byte
 * deterministic: files are written in sorted order, stale files are removed,
 * and a leaked CDK token fails the run before anything is written.
 */
export function synthEnvironments<T>(
  environments: readonly GitOpsEnvironment<T>[],
  build: (app: App, env: GitOpsEnvironment<T>) => void,
  options: SynthEnvironmentsOptions,
): string[] {
  const seen = new Set<string>();
  const apps = environments.map((env) => {
    validateDnsLabel(`environments/${env.name}`, 'environment name', env.name);
    if (seen.has(env.name)) throw new Error(`[environments/${env.name}] environment listed twice (got "${env.name}"); give each environment its own name`);
    seen.add(env.name);
    const outdir = path.join(options.outdir, env.name);
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.k8s.yaml' });
    build(app, env);
    // The JSON of the same documents shows a leaked token as well as the YAML, at a fraction of the cost.
    assertNoLeakedTokens(JSON.stringify(app.charts.map((c) => c.toJson())), `environments/${env.name}`);
    return { app, outdir };
  });
  const written: string[] = [];
  for (const { app, outdir } of apps) {
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
    app.synth();
    const files = readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort();
    writeFileSync(path.join(outdir, 'kustomization.yaml'), toYaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: files,
    }));
    written.push(outdir);
  }
  return written;
}

/** Chart ids become file names; keep them stable and readable. */
export function chartIds(app: App): string[] {
  return app.charts.map((c: Chart) => c.node.id);
}
