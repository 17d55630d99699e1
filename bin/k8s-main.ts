#!/usr/bin/env node
// The cdk8s app behind `npm run synth` and `cdk8s synth` (cdk8s.yaml): every example chart into dist/,
// and the multi-environment GitOps example into dist/environments/<name>/.
// `npm run build` also bundles this file into out/bundle/k8s-main.js (scripts/bundle.js), which
// is what `npm run synth:k8s` and cdk8s.yaml run: see bench/README.md.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { K8S_EXAMPLES } from '../examples/k8s-examples';
import { synthGitOpsEnvironments } from '../examples/gitops-environments/app';
import { assertNoLeakedTokens } from '../lib/k8s/tokens';
import { synthWithPlainErrors } from './plain-errors';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
// A CDK token in this YAML would be written silently as ${Token[...]}: refuse before writing anything.
// The app synthesizes into a private staging directory; its files are checked, then copied into
// outdir. (Checking app.synthYaml() first rendered every chart twice: a third of the run.)
synthWithPlainErrors(() => {
  const staging = mkdtempSync(path.join(tmpdir(), 'cdk-tracing-k8s-'));
  try {
    const app = new App({ outdir: staging, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    for (const build of K8S_EXAMPLES) build(app);
    app.synth();
    const files = readdirSync(staging).sort();
    assertNoLeakedTokens(files.map((f) => readFileSync(path.join(staging, f), 'utf8')).join('---\n'), 'cdk8s app');
    mkdirSync(outdir, { recursive: true });
    for (const f of files) copyFileSync(path.join(staging, f), path.join(outdir, f));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  synthGitOpsEnvironments(path.join(outdir, 'environments'));
});
