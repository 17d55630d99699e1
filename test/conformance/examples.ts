/* eslint-disable @typescript-eslint/no-require-imports */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { collectObjects, FoundObject, manifestFiles, objectsOfTemplate } from './collect';
import { KubeObject } from './kube-client';

/**
 * Every example as its deploy units, synthesized in this process: each chart of the cdk8s app
 * (one dist/ file each), each configuration of ./configurations (options no example uses), each
 * GitOps environment (one kustomize directory), each example stack (its manifests as
 * CloudFormation would deploy them). Modules are required inside the function,
 * so a caller in jest.isolateModules with a mocked lib/core/versions gets a synthesis at other
 * versions.
 */
export function synthExampleUnits(): FoundObject[] {
  const root = path.resolve(__dirname, '..', '..');
  const cdk8s = require('cdk8s') as typeof import('cdk8s');
  const { K8S_EXAMPLES } = require(path.join(root, 'examples', 'k8s-examples')) as typeof import('../../examples/k8s-examples');
  const { synthGitOpsEnvironments } = require(path.join(root, 'examples', 'gitops-environments', 'app')) as typeof import('../../examples/gitops-environments/app');
  const { AWS_EXAMPLES } = require(path.join(root, 'examples', 'aws-examples')) as typeof import('../../examples/aws-examples');
  const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { CONFIGURATIONS } = require('./configurations') as typeof import('./configurations');

  const found: FoundObject[] = [];
  const app = cdk8s.Testing.app();
  K8S_EXAMPLES.forEach((build) => build(app));
  for (const chart of app.charts) {
    (chart.toJson() as KubeObject[]).forEach((object, i) => found.push({ object, source: `chart ${chart.node.id}[${i}]`, unit: `chart ${chart.node.id}` }));
  }

  for (const [name, build] of Object.entries(CONFIGURATIONS)) {
    const configApp = cdk8s.Testing.app();
    build(configApp);
    for (const chart of configApp.charts) {
      (chart.toJson() as KubeObject[]).forEach((object, i) => found.push({ object, source: `${name}: chart ${chart.node.id}[${i}]`, unit: `configuration ${name}` }));
    }
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'cdk-tracing-conformance-'));
  try {
    synthGitOpsEnvironments(path.join(dir, 'environments'));
    for (const f of collectObjects(manifestFiles([path.join(dir, 'environments')]))) {
      const rel = path.relative(dir, f.source);
      found.push({ object: f.object, source: rel, unit: path.dirname(rel.split('#')[0]) });
    }
    const awsApp = new cdk.App({ outdir: path.join(dir, 'cdk.out') });
    AWS_EXAMPLES.forEach((build) => build(awsApp));
    for (const stack of awsApp.synth().stacks) {
      for (const f of objectsOfTemplate(stack.template, `${stack.stackName}.template.json`)) found.push({ ...f, unit: `stack ${stack.stackName}` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return found;
}

/** The next patch version of a tag: 3.0.3 -> 3.0.4, v0.7.2 -> v0.7.3 (what an upgrade looks like). */
export function bumpVersion(version: string): string {
  const m = /^(.*?)(\d+)([^\d]*)$/.exec(version);
  if (!m) throw new Error(`no number to bump in version '${version}'`);
  return `${m[1]}${Number(m[2]) + 1}${m[3]}`;
}

/** An image reference with its tag bumped (docker.io/grafana/tempo:3.0.3 -> ...:3.0.4). */
export function bumpImage(image: string): string {
  const at = image.lastIndexOf(':');
  if (at < 0 || image.slice(at).includes('/')) throw new Error(`image '${image}' has no tag to bump`);
  return `${image.slice(0, at + 1)}${bumpVersion(image.slice(at + 1))}`;
}
