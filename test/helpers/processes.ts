// Real upstream processes for the end-to-end tests: free loopback ports, a child process with its
// output kept for the failure message, waiting for readiness with a deadline, stopping for sure.
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import * as net from 'node:net';

/** A free TCP port on 127.0.0.1 (the kernel's choice; released before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** A started child process with its combined output. */
export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** stdout + stderr so far (last 200 kB). */
  output(): string;
  /** Resolves once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(name: string, command: string, args: string[], options: SpawnOptions = {}): RunningProcess {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
  let out = '';
  const keep = (chunk: Buffer) => { out = (out + chunk.toString()).slice(-200_000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => { out += `\n${name}: ${error.message}`; resolve(-1); });
  });
  let alive = true;
  void exited.then(() => { alive = false; });
  return {
    name,
    child,
    output: () => out,
    exited,
    async stop(graceMs = 10_000) {
      if (!alive) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => { if (alive) child.kill('SIGKILL'); }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it resolves true, the process exits, or the deadline passes (then throws with its output). */
export async function waitFor(proc: RunningProcess, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let exitCode: number | null | undefined;
  void proc.exited.then((c) => { exitCode = c; });
  while (Date.now() - started < timeoutMs) {
    if (exitCode !== undefined) {
      throw new Error(`${proc.name} exited (${exitCode}) before ${what}:\n${proc.output().slice(-6000)}`);
    }
    if (await probe().catch(() => false)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.name}: no ${what} within ${timeoutMs / 1000}s:\n${proc.output().slice(-6000)}`);
}

/** Runs a program to completion with a deadline; resolves to its exit code and output. */
export function runToCompletion(command: string, args: string[], options: SpawnOptions & { timeoutMs: number }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    const timer = setTimeout(() => { out += `\n(killed after ${options.timeoutMs / 1000}s)`; child.kill('SIGKILL'); }, options.timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output: out }); });
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: -1, output: `${out}\n${e.message}` }); });
  });
}
