import { App } from 'cdk8s';
import { buildCollectorForTempo } from './collector-tempo/chart';
import { buildGrafanaWiring } from './grafana-wiring/chart';
import { buildJaegerOnOpenSearchGitOps } from './jaeger-on-opensearch/chart';
import { buildPlatformChart } from './platform-stack/chart';
import { buildTempoDistributed } from './tempo-distributed/chart';
import { buildTempoGitOps } from './tempo-gitops/chart';

/** Every example chart; `npm run synth` writes each into dist/. Add new examples here. */
export const K8S_EXAMPLES: Array<(app: App) => unknown> = [
  buildTempoGitOps,
  buildCollectorForTempo,
  buildJaegerOnOpenSearchGitOps,
  // Finds the first Tempo, collector and Jaeger built above; keep it after them.
  buildGrafanaWiring,
  buildTempoDistributed,
  buildPlatformChart,
];
