/**
 * Starts a real s3rver on 127.0.0.1 (free port) in a child process and stops
 * it again. A child process because s3rver's continuation tokens use DES,
 * which Node 20 only has with --openssl-legacy-provider, a flag that must be
 * set when the process starts.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { S3Client } from '@aws-sdk/client-s3';

/** s3rver's only built-in key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const LAUNCHER = `
const S3rver = require('s3rver');
const server = new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[1], silent: true });
server.run().then((addr) => process.stdout.write(JSON.stringify({ port: addr.port }) + '\\n'));
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
`;

/** A running s3rver. */
export interface S3rverHandle {
  readonly endpoint: string;
  /** s3rver's storage directory; objects live at <dir>/<bucket>/<key>._S3rver_object. */
  readonly directory: string;
  /** A read-write client for building fixtures (verify itself uses its read-only client). */
  readonly admin: S3Client;
  stop(): Promise<void>;
}

/** Starts s3rver with an empty storage directory (or `directory` when given). */
export async function startS3rver(directory?: string): Promise<S3rverHandle> {
  const dir = directory ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-tracing-s3rver-'));
  const repoRoot = path.resolve(__dirname, '../../..');
  const child: ChildProcess = spawn(process.execPath, ['-e', LAUNCHER, dir], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 15s: ${stderr}`)), 15_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).port);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}: ${stderr}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    directory: dir,
    admin,
    async stop() {
      admin.destroy();
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      if (!directory) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sets an object's LastModified as s3rver reports it (the file's mtime). */
export function ageObject(server: S3rverHandle, bucket: string, key: string, lastModified: Date): void {
  const parts = key.split('/');
  const file = path.join(server.directory, bucket, ...parts.slice(0, -1), `${parts[parts.length - 1]}._S3rver_object`);
  fs.utimesSync(file, lastModified, lastModified);
}
