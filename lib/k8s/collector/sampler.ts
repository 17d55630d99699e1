// The tail-sampling tier: whole traces arrive (the gateway routes by traceID), the sampling model decides,
// and what is kept goes to the backend through a queue on a PersistentVolumeClaim.
import { renderSamplerConfig } from '../../render/collector-config';
import type { CollectorTier } from './props';
import type { ResolvedCollector, ResolvedTail } from './resolve';
import { scalableTier } from './scalable-tier';
import { TierScope, commonTierInput, tierSelector } from './tier';

export function samplerTier(ctx: TierScope, r: ResolvedCollector, tail: ResolvedTail): CollectorTier {
  const config = renderSamplerConfig({
    ...commonTierInput(r.logLevel, tail.queueSize),
    sampling: r.sampling, sizing: tail.sizing, backend: r.backend, tenancy: r.tenancy,
  });
  return scalableTier(ctx, 'Sampler', {
    name: `${r.name}-sampler`, component: 'sampler', config, options: tail.options, persistentQueue: true, headlessServiceOnly: true,
    // Only the gateway routes spans here.
    allowFrom: [{ podSelector: { matchLabels: tierSelector(r.name, 'gateway') } }],
  });
}
