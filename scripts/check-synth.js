#!/usr/bin/env node
// The last step of `npm run synth`: what the synth promises, checked on its output.
//   - dist/ holds the Kubernetes YAML and cdk.out/ the CloudFormation templates;
//   - no unresolved CDK token reached the GitOps YAML (cdk8s writes `${Token[...]}` and exits 0);
//   - the GitOps entry point `cdk-tracing/k8s` does not load aws-cdk-lib.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const TOKEN = /\$\{Token\[|#\{Token\[|-1\.888[0-9]*e\+289/;

function filesUnder(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

/** Problems found in a synth output tree; empty when the output keeps the promise. */
function synthProblems(root = ROOT) {
  const problems = [];
  const topLevel = (dir, suffix) => (fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith(suffix)) : []);
  const yamls = topLevel('dist', '.k8s.yaml');
  const templates = topLevel('cdk.out', '.template.json');
  if (yamls.length === 0) problems.push('dist/ holds no *.k8s.yaml: the cdk8s app wrote nothing');
  if (templates.length === 0) problems.push('cdk.out/ holds no *.template.json: cdk synth wrote nothing');
  for (const file of filesUnder(path.join(root, 'dist'), '')) {
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (TOKEN.test(line)) problems.push(`${path.relative(root, file)}:${i + 1}: unresolved CDK token: ${line.trim().slice(0, 160)}`);
    });
  }
  return { problems, counts: { yamls: yamls.length, templates: templates.length } };
}

/** Whether requiring the compiled `cdk-tracing/k8s` entry loads aws-cdk-lib. */
function k8sEntryLoadsAwsCdkLib(root = ROOT) {
  const probe = "require('./out/lib/k8s'); process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('/aws-cdk-lib/'))));";
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cannot load out/lib/k8s: ${result.stderr}`);
  return result.stdout === 'true';
}

module.exports = { synthProblems, k8sEntryLoadsAwsCdkLib };

if (require.main === module) {
  const { problems, counts } = synthProblems();
  if (k8sEntryLoadsAwsCdkLib()) problems.push('cdk-tracing/k8s loaded aws-cdk-lib: the GitOps entry point must not');
  if (problems.length > 0) {
    process.stderr.write(`synth check failed:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`synth check: ${counts.yamls} Kubernetes YAML files, ${counts.templates} CloudFormation templates, no unresolved token, cdk-tracing/k8s without aws-cdk-lib\n`);
}
