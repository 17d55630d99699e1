import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { FakeKubeApi } from './fake-kube-api';
import { sandboxed } from './sandbox';

/**
 * One real collector process on 127.0.0.1, started the way our pods start it (`--config=FILE`, the
 * pod's environment), stopped by the test. Every process started here is remembered, so
 * `stopAllCollectors()` in an afterAll ends whatever a failed test left running.
 */
export interface CollectorProcess {
  readonly name: string;
  readonly pid: number;
  readonly configFile: string;
  /** Everything the process wrote (JSON log lines), last 2 MB. */
  output(): string;
  /** Resolves when the process exits, with its exit code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Graceful stop (SIGTERM, the kubelet's), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: a node failure or an OOM kill, no shutdown hooks. */
  kill(): Promise<void>;
  /** Whether the kernel OOM-killed anything in the process's memory cgroup (when it has one). */
  oomKills(): number;
}

export interface StartOptions {
  readonly name: string;
  readonly binary: string;
  readonly config: Record<string, unknown>;
  readonly workDir: string;
  /** The pod's environment (downward-API values filled in). */
  readonly env: Record<string, string>;
  /** `host:port` the health_check extension listens on; startup waits for it to answer 200. */
  readonly healthEndpoint?: string;
  /** The container's memory limit: the process runs in a memory cgroup of that size. */
  readonly memoryLimitBytes?: number;
  /** The in-cluster API the process sees (its service-account files and KUBERNETES_SERVICE_*). */
  readonly kube?: FakeKubeApi;
  readonly startTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
const cgroups = new Set<string>();

/** The memory cgroup (v1 or v2) this process runs in, where child cgroups can be made. */
function ownMemoryCgroup(): string {
  const lines = fs.readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  const v1 = lines.find((l) => l.split(':')[1] === 'memory');
  if (v1 && fs.existsSync('/sys/fs/cgroup/memory')) return path.join('/sys/fs/cgroup/memory', v1.split(':')[2]);
  const v2 = lines.find((l) => l.startsWith('0::'));
  const root = fs.existsSync('/sys/fs/cgroup/unified/cgroup.controllers') ? '/sys/fs/cgroup/unified' : '/sys/fs/cgroup';
  if (v2) return path.join(root, v2.slice(3));
  throw new Error('collector e2e: no memory cgroup found in /proc/self/cgroup; the memory-limit scenario needs one (run as root)');
}

function makeMemoryCgroup(name: string, bytes: number): string {
  const dir = path.join(ownMemoryCgroup(), `cdk-tracing-e2e-${name}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const v1 = fs.existsSync(path.join(dir, 'memory.limit_in_bytes'));
  fs.writeFileSync(path.join(dir, v1 ? 'memory.limit_in_bytes' : 'memory.max'), String(bytes));
  if (v1) {
    // No swap: over the limit the kernel's choice is an OOM kill, as in a container.
    try { fs.writeFileSync(path.join(dir, 'memory.memsw.limit_in_bytes'), String(bytes)); } catch { /* no swap accounting */ }
  }
  cgroups.add(dir);
  return dir;
}

function oomKillCount(cgroup: string | undefined): number {
  if (!cgroup) return 0;
  for (const file of ['memory.oom_control', 'memory.events']) {
    const full = path.join(cgroup, file);
    if (!fs.existsSync(full)) continue;
    const match = /oom_kill (\d+)/.exec(fs.readFileSync(full, 'utf8'));
    if (match) return Number(match[1]);
  }
  return 0;
}

function removeCgroup(dir: string): void {
  for (let i = 0; i < 20; i++) {
    try { fs.rmdirSync(dir); cgroups.delete(dir); return; } catch { /* processes still leaving */ }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

function httpOk(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`http://${endpoint}/`, { timeout: 1000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

/** Starts a collector and waits until its health endpoint answers (or throws with its output). */
export async function startCollector(options: StartOptions): Promise<CollectorProcess> {
  const dir = path.join(options.workDir, options.name);
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'config.yaml');
  fs.writeFileSync(configFile, stringify(options.config));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...options.env };
  const cgroup = options.memoryLimitBytes ? makeMemoryCgroup(options.name, options.memoryLimitBytes) : undefined;
  const sandbox = sandboxed({ binary: options.binary, args: [`--config=${configFile}`], kube: options.kube, cgroup });
  Object.assign(env, sandbox.env);
  const argv = sandbox.argv;
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  running.add(child);
  let out = '';
  const append = (chunk: Buffer) => { out = (out + chunk.toString()).slice(-2_000_000); };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => { running.delete(child); resolve({ code, signal }); });
  });
  let done = false;
  void exited.then(() => { done = true; });

  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  if (options.healthEndpoint) {
    while (!(await httpOk(options.healthEndpoint))) {
      if (done || Date.now() > deadline) {
        child.kill('SIGKILL');
        await exited;
        if (cgroup) removeCgroup(cgroup);
        throw new Error(`collector ${options.name} did not become healthy on ${options.healthEndpoint} (${done ? 'it exited' : 'timeout'}):\n${out.slice(-6000)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const finish = async () => { await exited; if (cgroup) removeCgroup(cgroup); };
  return {
    name: options.name,
    pid: child.pid!,
    configFile,
    output: () => out,
    exited,
    oomKills: () => oomKillCount(cgroup),
    stop: async (graceMs = 15_000) => {
      if (!done) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await finish();
    },
    kill: async () => {
      if (!done) child.kill('SIGKILL');
      await finish();
    },
  };
}

/** Kills every collector still running (afterAll) and removes their cgroups. */
export async function stopAllCollectors(): Promise<void> {
  const waits = [...running].map((c) => new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  }));
  await Promise.all(waits);
  for (const dir of [...cgroups]) removeCgroup(dir);
}
