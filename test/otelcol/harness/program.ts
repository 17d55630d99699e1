import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { FakeKubeApi } from './fake-kube-api';
import { sandboxed } from './sandbox';

/** test/upstream/build.js, found from here in the source tree or from the compiled out/ tree. */
function harness(): { upstreamProgram: (name: string) => string } {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'upstream', 'build.js');
    if (fs.existsSync(candidate) && !dir.endsWith(`${path.sep}out`)) return require(candidate);
  }
  throw new Error(`otelcol: cannot find test/upstream/build.js above ${__dirname}`);
}

/** The collector distribution the suite builds (test/upstream/otelcol), built now if needed. */
export function otelcolBinary(): string {
  return harness().upstreamProgram('otelcol');
}

/**
 * Components the proxy these machines reach does not serve at the pinned release, so the suite's
 * distribution cannot carry them: jaegerremotesampling (the agents' remote sampling) is not served at
 * v0.161.0, and v0.159.0's go.mod has no checksum-database entry. A config using one is validated
 * with that component taken out (and only that); validate.test.ts fails if any other is missing.
 */
export const NOT_BUILDABLE = { extensions: ['jaegerremotesampling'] } as const;

export function withoutUnbuildable(config: Record<string, any>): { config: Record<string, any>; removed: string[] } {
  const copy = JSON.parse(JSON.stringify(config));
  const removed: string[] = [];
  for (const id of Object.keys(copy.extensions ?? {})) {
    if ((NOT_BUILDABLE.extensions as readonly string[]).includes(id.split('/')[0])) {
      delete copy.extensions[id];
      copy.service.extensions = copy.service.extensions.filter((e: string) => e !== id);
      removed.push(`extensions/${id}`);
    }
  }
  return { config: copy, removed };
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
