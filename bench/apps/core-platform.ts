// Benchmark app: the platform issue 8 sets its 0.15 s target on — Tempo, the collector tier
// (agents, gateway, tail sampling) and the Grafana datasources — without the other examples.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { buildCollectorForTempo } from '../../examples/collector-tempo/chart';
import { buildTempoGitOps } from '../../examples/tempo-gitops/chart';
import { GrafanaDelivery, PrometheusEndpoint, TracingDatasources } from '../../lib/k8s';

const app = new App({ outdir: process.env.BENCH_OUTDIR ?? mkdtempSync(path.join(tmpdir(), 'bench-platform-')) });
const tempo = buildTempoGitOps(app).tempo;
buildCollectorForTempo(app);
const grafana = new Chart(app, 'grafana-datasources', { namespace: 'monitoring', disableResourceNameHashes: true });
new TracingDatasources(grafana, 'Datasources', {
  delivery: GrafanaDelivery.sidecar(),
  tempo: { target: tempo },
  prometheus: { endpoint: PrometheusEndpoint.inCluster({ namespace: 'monitoring' }) },
});
app.synth();
