#!/usr/bin/env node
// The cdk8s app behind `npm run synth` and `cdk8s synth` (cdk8s.yaml): every example chart into dist/.
import { App, YamlOutputType } from 'cdk8s';
import { assertNoLeakedTokens } from '../lib/k8s/tokens';
import { K8S_EXAMPLES } from '../examples/k8s-examples';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist', yamlOutputType: YamlOutputType.FILE_PER_CHART });
for (const build of K8S_EXAMPLES) build(app);
// A CDK token in this YAML would be written silently as ${Token[...]}: refuse before writing anything.
assertNoLeakedTokens(app.synthYaml(), 'cdk8s app');
app.synth();
