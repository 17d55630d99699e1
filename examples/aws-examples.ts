import { App } from 'aws-cdk-lib';
import { buildTempoOnEks } from './tempo-on-eks/stack';
import { buildJaegerOnOpenSearch } from './jaeger-on-opensearch/stack';
import { buildPlatformStack } from './platform-stack/stack';
import { buildTempoOnNewCluster } from './tempo-on-new-cluster/stack';

/** Every example stack; `npm run synth` writes each into cdk.out/. Add new examples here. */
export const AWS_EXAMPLES: Array<(app: App) => unknown> = [
  buildTempoOnEks,
  buildJaegerOnOpenSearch,
  buildPlatformStack,
  buildTempoOnNewCluster,
];
