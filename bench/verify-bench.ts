/**
 * Benchmark of `cdk-tracing verify` on a 100,000-object Tempo bucket.
 *
 *   npm run build && node out/bench/verify-bench.js [--objects 100000] [--concurrency 16]
 *
 * Lays the bucket out directly in s3rver's on-disk format (writing 100k
 * objects through the API would take minutes and measure s3rver, not us),
 * serves it with a real s3rver on 127.0.0.1, then runs the built CLI in its own
 * process under /usr/bin/time -v: wall time and peak RSS are the CLI's alone.
 * Not a test: numbers depend on the machine.
 */
import { spawnSync } from 'child_process';
import { createHash, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { S3RVER_CREDENTIALS, startS3rver } from '../test/verify/support/s3rver';

const BUCKET = 'bench';
const TENANTS = ['single-tenant', 'team-a', 'team-b', 'team-c'];
/** Objects per block: data, two bloom shards, index, meta.json. */
const BLOCK_FILES = ['bloom-0', 'bloom-1', 'data.parquet', 'index', 'meta.json'];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function writeObject(root: string, key: string, body: string, mtime: Date): void {
  const parts = key.split('/');
  const dir = path.join(root, BUCKET, ...parts.slice(0, -1));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${parts[parts.length - 1]}._S3rver_object`);
  fs.writeFileSync(file, body);
  // s3rver computes and stores the md5 on first listing when missing; precompute it.
  fs.writeFileSync(`${file}.md5`, createHash('md5').update(body).digest('hex'));
  fs.utimesSync(file, mtime, mtime);
}

/** Writes `objects` objects laid out like Tempo's bucket; returns the block count. */
function layOut(root: string, objects: number, now: number): number {
  fs.mkdirSync(path.join(root, BUCKET), { recursive: true });
  writeObject(root, 'work.json', '{}', new Date(now));
  writeObject(root, 'tempo_cluster_seed.json', '{}', new Date(now));
  const blocks = Math.floor((objects - 2) / BLOCK_FILES.length);
  for (let b = 0; b < blocks; b++) {
    const tenant = TENANTS[b % TENANTS.length];
    const id = randomUUID();
    // Ages spread over 20 days, so about a third is past a 14-day retention.
    const end = new Date(now - (b / blocks) * 20 * 86400_000);
    for (const file of BLOCK_FILES) {
      const body = file === 'meta.json'
        ? JSON.stringify({ format: 'vParquet4', blockID: id, tenantID: tenant, startTime: new Date(end.getTime() - 3600_000).toISOString(), endTime: end.toISOString() })
        : 'x'.repeat(32);
      writeObject(root, `${tenant}/${id}/${file}`, body, end);
    }
  }
  return blocks;
}

async function main(): Promise<void> {
  const objects = arg('objects', 100_000);
  const concurrency = arg('concurrency', 16);
  const repo = path.resolve(__dirname, '..', '..');
  const cli = path.join(repo, 'out', 'bin', 'cdk-tracing.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing; run npm run build first`);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-bench-'));
  const t0 = Date.now();
  const blocks = layOut(root, objects, Date.now());
  const total = blocks * BLOCK_FILES.length + 2;
  console.log(`laid out ${total} objects (${blocks} blocks, ${TENANTS.length} tenants) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  const server = await startS3rver(root);
  try {
    const args = [cli, 'verify', '--bucket', BUCKET, '--endpoint', server.endpoint, '--retention', '14d', '--json', '--concurrency', String(concurrency)];
    const env = { ...process.env, AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey };
    const timed = fs.existsSync('/usr/bin/time');
    const started = Date.now();
    const run = timed
      ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { env, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 })
      : spawnSync(process.execPath, args, { env, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
    const wallS = (Date.now() - started) / 1000;
    const report = JSON.parse(run.stdout);
    const rssKb = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr ?? '')?.[1];
    // CPU the CLI itself used; the rest of the wall time is s3rver answering.
    const cpu = ['User', 'System'].map((k) => Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(run.stderr ?? '')?.[1] ?? NaN));
    const result = {
      objects: report.listing.objects,
      blocks: report.tenants.reduce((n: number, t: { blocks: number }) => n + t.blocks, 0),
      pages: report.listing.pages,
      metaReads: report.listing.metaReads,
      concurrency,
      exitCode: run.status,
      wallSeconds: Number(wallS.toFixed(2)),
      peakRssMiB: rssKb ? Number((Number(rssKb) / 1024).toFixed(1)) : undefined,
      cliCpuSeconds: Number((cpu[0] + cpu[1]).toFixed(2)),
      node: process.version,
      cpus: os.cpus().length,
    };
    console.log(JSON.stringify(result, null, 2));
    const out = path.join(repo, 'bench', 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, `verify-${objects}.json`), `${JSON.stringify(result, null, 2)}\n`);
    if (result.objects !== total) throw new Error(`verify listed ${result.objects} objects, expected ${total}`);
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
