import { App } from 'cdk8s';
import { buildCollectorForTempo } from './collector-tempo/chart';
import { buildJaegerOnOpenSearchGitOps } from './jaeger-on-opensearch/chart';
import { buildTempoDistributed } from './tempo-distributed/chart';
import { buildTempoGitOps } from './tempo-gitops/chart';

/** Every example chart; `npm run synth` writes each into dist/. Add new examples here. */
export const K8S_EXAMPLES: Array<(app: App) => unknown> = [
  buildTempoGitOps,
  buildCollectorForTempo,
  buildJaegerOnOpenSearchGitOps,
  buildTempoDistributed,
];
