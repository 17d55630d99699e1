// `npm run bench`: wall time and peak RSS of synthesizing, on the compiled JavaScript path.
// Each scenario runs under /usr/bin/time -v several times; the median is reported.
import { spawnSync } from 'child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

interface Scenario { name: string; args: string[]; env?: Record<string, string> }
interface Result { name: string; runs: number; wallSeconds: number[]; maxRssKb: number[]; medianWallSeconds: number; medianMaxRssMb: number }

const root = path.resolve(__dirname, '..', '..');
const out = (p: string) => path.join(root, 'out', p);
const runs = Number(process.env.BENCH_RUNS ?? '5');

const scenarios: Scenario[] = [
  // What `npm run synth:k8s` and cdk8s.yaml run: the esbuild bundle of out/bin/k8s-main.js (scripts/bundle.js).
  { name: 'default Kubernetes app (k8s-main, bundled)', args: [out('bundle/k8s-main.js')], env: { CDK8S_OUTDIR: 'TMP' } },
  // The same app as plain tsc output, to show what the bundle saves.
  { name: 'default Kubernetes app (k8s-main, unbundled)', args: [out('bin/k8s-main.js')], env: { CDK8S_OUTDIR: 'TMP' } },
  // Issue 8's target platform: Tempo, collector agent/gateway/sampler and Grafana datasources only.
  { name: 'core platform: Tempo + collector + datasources (bundled)', args: [out('bundle/core-platform.js')], env: { BENCH_OUTDIR: 'TMP' } },
  { name: 'default CloudFormation app (aws-main)', args: [out('bin/aws-main.js')], env: { CDK_OUTDIR: 'TMP' } },
  ...[1, 10, 50].map((n) => ({ name: `GitOps app, ${n} environment(s)`, args: [out('bench/apps/gitops-n.js'), String(n)], env: { BENCH_OUTDIR: 'TMP' } })),
  ...[1, 10, 100].map((n) => ({ name: `Tempo, ${n} tenant(s)`, args: [out('bench/apps/tempo-tenants.js'), String(n)], env: { BENCH_OUTDIR: 'TMP' } })),
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function parseTime(stderr: string): { wall: number; rss: number } {
  const wallText = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(stderr)?.[1];
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]);
  if (!wallText || !rss) throw new Error(`cannot read /usr/bin/time output:\n${stderr.slice(-2000)}`);
  const parts = wallText.split(':').map(Number);
  const wall = parts.reduce((acc, p) => acc * 60 + p, 0);
  return { wall, rss };
}

const results: Result[] = [];
for (const s of scenarios) {
  const wallSeconds: number[] = [];
  const maxRssKb: number[] = [];
  for (let i = 0; i < runs; i++) {
    const env: Record<string, string> = { ...process.env as Record<string, string>, CDK_DISABLE_CLI_TELEMETRY: 'true' };
    for (const [k, v] of Object.entries(s.env ?? {})) env[k] = v === 'TMP' ? mkdtempSync(path.join(tmpdir(), 'bench-')) : v;
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...s.args], { cwd: root, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${s.name} failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
    const t = parseTime(r.stderr);
    wallSeconds.push(t.wall);
    maxRssKb.push(t.rss);
  }
  results.push({ name: s.name, runs, wallSeconds, maxRssKb, medianWallSeconds: median(wallSeconds), medianMaxRssMb: Math.round(median(maxRssKb) / 1024) });
  process.stderr.write(`${s.name}: median ${median(wallSeconds).toFixed(2)} s\n`);
}

mkdirSync(path.join(root, 'bench'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results.json'), `${JSON.stringify({ node: process.version, cpus: require('os').cpus().length, runs, results }, null, 2)}\n`);
console.log(`| scenario | median wall (s) | median peak RSS (MB) | runs (s) |`);
console.log(`|---|---|---|---|`);
for (const r of results) console.log(`| ${r.name} | ${r.medianWallSeconds.toFixed(2)} | ${r.medianMaxRssMb} | ${r.wallSeconds.map((w) => w.toFixed(2)).join(' ')} |`);
// Linear growth shows as a constant marginal cost per environment (per tenant) between sizes.
const wallOf = (name: string) => results.find((r) => r.name === name)!.medianWallSeconds;
const marginal = (label: string, unit: string, sizes: number[]) => console.log(`${label}: ${sizes.slice(1).map((n, i) =>
  `${sizes[i]}→${n}: ${(((wallOf(`${label}, ${n} ${unit}`) - wallOf(`${label}, ${sizes[i]} ${unit}`)) / (n - sizes[i])) * 1000).toFixed(1)} ms each`).join(', ')}`);
marginal('GitOps app', 'environment(s)', [1, 10, 50]);
marginal('Tempo', 'tenant(s)', [1, 10, 100]);
