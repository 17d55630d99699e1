// The gateway tier the agents (and any pod exporting OTLP directly) send to: it routes spans by traceID
// to the sampler in TAIL mode, or head-samples (HEAD) or passes everything (NONE) straight to the backend.
import { COLLECTOR_PORTS, renderGatewayConfig } from '../../render/collector-config';
import { CollectorSamplingMode, CollectorTier } from './props';
import type { ResolvedCollector } from './resolve';
import { scalableTier } from './scalable-tier';
import { TierScope, commonTierInput } from './tier';

/** `sampler` is the sampler tier in TAIL mode, which the gateway's load_balancing resolver watches. */
export function gatewayTier(ctx: TierScope, r: ResolvedCollector, sampler?: CollectorTier): CollectorTier {
  const config = renderGatewayConfig({
    ...commonTierInput(r.logLevel, r.gatewayQueueSize),
    headSamplingRatio: r.samplingMode === CollectorSamplingMode.HEAD ? r.sampling.baselineRatio : undefined,
    backend: sampler ? undefined : r.backend,
    tenancy: sampler ? undefined : r.tenancy,
    sampler: sampler ? { service: `${sampler.name}.${r.namespace}`, port: COLLECTOR_PORTS.otlpGrpc } : undefined,
    maxConnectionAge: '60s',
  });
  return scalableTier(ctx, 'Gateway', {
    name: `${r.name}-gateway`, component: 'gateway', config, options: r.gateway, persistentQueue: r.gatewayExports, headlessServiceOnly: false,
    // Agents send here; so may any pod of the cluster that exports OTLP directly.
    allowFrom: [{ namespaceSelector: {} }],
    readsEndpointSlices: sampler !== undefined,
  });
}
