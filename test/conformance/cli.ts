#!/usr/bin/env node
// npm run conformance -- DIR...
//
// Judges every Kubernetes object under the directories on a real kube-apiserver: YAML files
// (cdk8s synth output, GitOps trees) and the manifests inside CloudFormation templates (cdk.out).
// Starts the API server of test/upstream/kube-apiserver on 127.0.0.1 (built and cached on first
// use), installs the upstream CRDs of test/upstream/crds, applies everything, prints one line per
// rejected or warned object and last `conformance: N objects accepted, M rejected, W warnings`.
// Exit 0 only when nothing was rejected or warned about.
import { existsSync } from 'fs';
import { ConformanceCheck } from './checks';
import { collectObjects, manifestFiles } from './collect';
import { runConformance } from './conformance';
import { crdProvenance, installCrds, upstreamCrds } from './crds';
import { ApiServer } from './server';
import { collectorConfigCheck } from '../otelcol/conformance-check';

/**
 * The whole command: returns the exit code and writes every line through `print`. With `server`,
 * uses that one (CRDs already installed) instead of starting its own.
 */
export async function conformanceMain(dirs: readonly string[], print: (line: string) => void, options: {
  readonly server?: ApiServer;
  readonly checks?: readonly ConformanceCheck[];
} = {}): Promise<number> {
  if (dirs.length === 0) {
    print('usage: npm run conformance -- DIR... (e.g. dist cdk.out after npm run synth)');
    return 2;
  }
  const missing = dirs.filter((d) => !existsSync(d));
  if (missing.length > 0) {
    print(`conformance: no such directory: ${missing.join(', ')} (run npm run synth first?)`);
    return 2;
  }
  const files = manifestFiles(dirs);
  const objects = collectObjects(files);
  const started = Date.now();
  let server = options.server;
  let stop: (() => void) | undefined;
  if (!server) {
    const { dir, crds } = upstreamCrds();
    server = await ApiServer.start();
    const own = server;
    stop = () => { void own.stop().then(() => process.exit(130)); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const version = await server.client.request('GET', '/version');
    print(`conformance: kube-apiserver ${version.body?.gitVersion ?? '?'} on 127.0.0.1:${server.port}, ready in ${Math.round((Date.now() - started) / 1000)} s`);
    try {
      await installCrds(server.client, crds);
    } catch (error) {
      await server.stop();
      throw error;
    }
    print(`conformance: CRDs from ${crdProvenance(dir).join(', ')}`);
  }
  try {
    print(`conformance: ${objects.length} objects in ${files.length} files`);
    const report = await runConformance(server.client, objects, { files, checks: options.checks });
    for (const line of report.lines) print(line);
    return report.ok ? 0 : 1;
  } finally {
    if (stop) {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      await server.stop();
    }
  }
}

if (require.main === module) {
  // Extra checks: the real collector loads every collector config found.
  conformanceMain(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`), { checks: [collectorConfigCheck] }).then((code) => process.exit(code), (error) => {
    process.stderr.write(`conformance: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
