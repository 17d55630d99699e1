// Benchmark app: one Tempo chart with N tenants (argv[2]), each with its own retention and limits.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Retention, TempoChart } from '../../lib/k8s';

const n = Number(process.argv[2] ?? '1');
const app = new App({ outdir: process.env.BENCH_OUTDIR ?? mkdtempSync(path.join(tmpdir(), 'bench-tenants-')) });
new TempoChart(app, 'tempo', {
  namespace: 'tracing',
  storage: { bucketName: 'bench-traces', region: 'eu-west-1' },
  multitenancy: true,
  tenants: Array.from({ length: n }, (_, i) => ({ id: `tenant-${i + 1}`, retention: Retention.days(7 + (i % 30)), limits: { maxTracesPerUser: 10_000 + i } })),
});
app.synth();
