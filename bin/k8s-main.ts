#!/usr/bin/env node
// The cdk8s app behind `npm run synth` and `cdk8s synth` (cdk8s.yaml): every example chart into dist/,
// and the multi-environment GitOps example into dist/environments/<name>/.
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { K8S_EXAMPLES } from '../examples/k8s-examples';
import { synthGitOpsEnvironments } from '../examples/gitops-environments/app';
import { assertNoLeakedTokens } from '../lib/k8s/tokens';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
for (const build of K8S_EXAMPLES) build(app);
// A CDK token in this YAML would be written silently as ${Token[...]}: refuse before writing anything.
assertNoLeakedTokens(app.synthYaml(), 'cdk8s app');
app.synth();
synthGitOpsEnvironments(path.join(outdir, 'environments'));
