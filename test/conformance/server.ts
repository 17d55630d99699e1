import { ChildProcess, spawn } from 'child_process';
import { generateKeyPairSync, randomBytes } from 'crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'fs';
import * as net from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { KubeClient } from './kube-client';

/** The repository root (where test/upstream/build.js lives), from the .ts source or its out/ copy. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'test', 'upstream', 'build.js'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find test/upstream/build.js above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** A program built by the harness (test/upstream/build.js), built now if it is not cached. */
export function upstreamArtifact(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const harness = require(path.join(repoRoot(), 'test', 'upstream', 'build.js')) as { upstreamProgram(name: string): string };
  return harness.upstreamProgram(name);
}

export interface ApiServerOptions {
  /** Give up when /readyz is not ok after this long. @default 180000 */
  readonly startTimeoutMs?: number;
}

/**
 * A real kube-apiserver with its embedded etcd (test/upstream/kube-apiserver), on 127.0.0.1 only,
 * with a throwaway serving certificate (the server makes its own), a random static token for one
 * `system:masters` user and a throwaway service-account key, all in a temporary directory that
 * stop() removes. There is no controller-manager: whatever admission expects from one (namespaces,
 * the `default` ServiceAccount) the caller creates.
 */
export class ApiServer {
  static async start(options: ApiServerOptions = {}): Promise<ApiServer> {
    return (await ApiServer.launch()).ready(options);
  }

  /**
   * Starts the process and returns at once; `ready()` waits for /readyz. In between the caller
   * may do its own work (synthesize) while the server boots in its own process.
   */
  static async launch(): Promise<{ ready(options?: ApiServerOptions): Promise<ApiServer>; stop(): Promise<void> }> {
    const binary = upstreamArtifact('kube-apiserver');
    const dir = mkdtempSync(path.join(tmpdir(), 'cdk-tracing-apiserver-'));
    const token = randomBytes(24).toString('hex');
    writeFileSync(path.join(dir, 'tokens.csv'), `${token},conformance,conformance,system:masters\n`, { mode: 0o600 });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(path.join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(path.join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const port = await freePort();
    const logFile = path.join(dir, 'apiserver.log');
    const log = openSync(logFile, 'a');
    const args = [
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${path.join(dir, 'certs')}`,
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      // Nothing else runs on this "cluster": no endpoints to reconcile, no fairness queues needed.
      '--endpoint-reconciler-type=none',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      '--shutdown-delay-duration=0s',
      '--v=1',
    ];
    const child = spawn(binary, args, {
      env: { ...process.env, EMBEDDED_ETCD_DATA_DIR: path.join(dir, 'etcd') },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const server = new ApiServer(child, dir, port, token, logFile);
    return {
      async ready(options: ApiServerOptions = {}) {
        try {
          await server.waitReady(options.startTimeoutMs ?? 180_000);
        } catch (error) {
          await server.stop();
          throw error;
        }
        return server;
      },
      stop: () => server.stop(),
    };
  }

  private exited: string | undefined;
  private clientInstance: KubeClient | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly token: string,
    private readonly logFile: string,
  ) {
    child.on('exit', (code, signal) => { this.exited = `exit ${code ?? signal}`; });
    child.on('error', (error) => { this.exited = `cannot run: ${error.message}`; });
    // If this process ends without stop() (a test timeout, ^C), take the server with it; the
    // wrapper also asks the kernel to stop it when its parent dies.
    const killOnExit = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
  }

  /** A client with the static token; valid once start() resolved. */
  get client(): KubeClient {
    if (!this.clientInstance) {
      const ca = readFileSync(path.join(this.dir, 'certs', 'apiserver.crt'), 'utf8');
      this.clientInstance = new KubeClient({ host: '127.0.0.1', port: this.port, token: this.token, ca });
    }
    return this.clientInstance;
  }

  /** The last lines the server logged (for a failure message). */
  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'not started';
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`kube-apiserver stopped (${this.exited}) before it was ready:\n${this.logTail()}`);
      if (existsSync(path.join(this.dir, 'certs', 'apiserver.crt'))) {
        try {
          const res = await this.client.request('GET', '/readyz');
          if (res.status === 200) return;
          last = `/readyz ${res.status}`;
        } catch (error) {
          last = (error as Error).message;
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`kube-apiserver not ready after ${Math.round(timeoutMs / 1000)} s (${last}):\n${this.logTail()}`);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its directory. */
  async stop(): Promise<void> {
    if (!this.exited && this.child.exitCode === null) {
      const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
