import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { FakeKubeApi } from './fake-kube-api';
import { sandboxed } from './sandbox';

// build.js is the harness's plain-JS entry point (npm test runs it before jest).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { upstreamProgram } = require('../../upstream/build') as { upstreamProgram: (name: string) => string };

/** The collector distribution the suite builds (test/upstream/otelcol), built now if needed. */
export function otelcolBinary(): string {
  return upstreamProgram('otelcol');
}

/** The environment a collector pod gets from its downward-API variables, on this machine. */
export function podEnv(env: Record<string, string>, nodeName: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === 'fieldRef:status.podIP') out[k] = '127.0.0.1';
    else if (v === 'fieldRef:spec.nodeName') out[k] = nodeName;
    else if (v.startsWith('fieldRef:')) out[k] = `e2e-${k.toLowerCase()}`;
    else out[k] = v;
  }
  return out;
}

/** Directories a config needs to exist (file_storage `directory`, compaction directories). */
export function requiredDirectories(config: Record<string, any>): string[] {
  const dirs = new Set<string>();
  for (const [id, ext] of Object.entries<any>(config.extensions ?? {})) {
    if (!id.startsWith('file_storage')) continue;
    if (ext?.directory) dirs.add(ext.directory);
    if (ext?.compaction?.directory) dirs.add(ext.compaction.directory);
  }
  return [...dirs];
}

/** `otelcol validate --config=FILE` on the config as shipped, in a pod-like sandbox: exit code and output. */
export function validate(binary: string, config: Record<string, unknown>, file: string, env: Record<string, string>, kube?: FakeKubeApi): { status: number | null; output: string } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, stringify(config));
  const sandbox = sandboxed({ binary, args: ['validate', `--config=${file}`], directories: requiredDirectories(config), kube });
  const result = spawnSync(sandbox.argv[0], sandbox.argv.slice(1), {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, ...sandbox.env }, encoding: 'utf8', timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}
