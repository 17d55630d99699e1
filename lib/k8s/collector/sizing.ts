// Sizes derived from the declared traffic: tail-sampling buffers and persistent-queue lengths.
// Each check throws while nothing is built yet, with the number a user should change.
import { configError } from '../../core/errors';
import { ContainerResources, parseMemoryBytes } from '../../core/quantities';
import type { TailSamplingSizing } from '../../render/collector-config';
import type { ResolvedTraffic } from './resolve';

/** Seconds an OTel SDK's batch span processor waits before exporting (OTEL_BSP_SCHEDULE_DELAY default). */
const SDK_EXPORT_DELAY_SECONDS = 5;
/** Seconds for agent batching, queueing and the network between SDK and sampler. */
const PIPELINE_SLACK_SECONDS = 2;
/** Headroom on num_traces for bursts and uneven traceID hashing across replicas. */
const NUM_TRACES_HEADROOM = 2;
/** Share of the sampler memory limit the buffered traces may take. */
const TAIL_BUFFER_MEMORY_SHARE = 0.4;
/** Spans per batch, in every tier. */
export const BATCH_SIZE = 1024;

/**
 * decision_wait covers the slowest traces we promise to sample whole plus the SDK export delay;
 * num_traces holds every trace that arrives during decision_wait on one replica, with headroom.
 */
export function deriveTailSizing(traffic: ResolvedTraffic, replicas: number): TailSamplingSizing {
  const decisionWaitSeconds = Math.ceil(traffic.p99TraceDurationSeconds + SDK_EXPORT_DELAY_SECONDS + PIPELINE_SLACK_SECONDS);
  const perReplica = traffic.tracesPerSecond / replicas;
  const numTraces = Math.max(1000, Math.ceil(perReplica * decisionWaitSeconds * NUM_TRACES_HEADROOM));
  return {
    decisionWaitSeconds,
    numTraces,
    expectedNewTracesPerSecond: Math.max(1, Math.ceil(perReplica)),
    // Decisions outlive their traces so late spans follow them; entries are ~100 bytes.
    decisionCacheSize: numTraces * 5,
    spansPerTrace: traffic.spansPerTrace,
  };
}

/** The traces a sampler replica buffers must fit in its share of the memory limit. */
export function checkTailMemory(path: string, sizing: TailSamplingSizing, traffic: ResolvedTraffic, resources: ContainerResources): void {
  const limit = parseMemoryBytes(resources.memoryLimit)!;
  const held = sizing.numTraces * traffic.spansPerTrace * traffic.averageSpanBytes;
  if (held > limit * TAIL_BUFFER_MEMORY_SHARE) {
    const mib = (b: number) => Math.ceil(b / 1024 ** 2);
    const needed = Math.ceil(held / TAIL_BUFFER_MEMORY_SHARE / 1024 ** 3 * 4) / 4;
    throw configError(path,
      `tail sampling would buffer about ${mib(held)}MiB of spans per sampler replica (num_traces ${sizing.numTraces} x ${traffic.spansPerTrace} spans x ${traffic.averageSpanBytes} bytes), more than ${TAIL_BUFFER_MEMORY_SHARE * 100}% of sampler memoryLimit`,
      resources.memoryLimit,
      `raise sampler.resources.memoryLimit to at least ${needed}Gi, or raise sampler.replicas so each replica holds less`);
  }
}

/**
 * Requests of `requestBytes` each of the `queues` queues on the volume holds (one per tenant exporter
 * with tenant routing), keeping 20% of the volume free.
 */
export function queueLength(path: string, tier: string, volume: string, requestBytes: number, queues = 1): number {
  const bytes = parseMemoryBytes(volume)!;
  const length = Math.floor((bytes * 0.8) / requestBytes / queues);
  if (length < 10) {
    const each = queues > 1 ? ` for each of its ${queues} tenant queues` : '';
    throw configError(path, `${tier}.queueVolumeSize holds fewer than 10 full requests (${requestBytes} bytes each)${each}, too little to ride out a backend restart`, volume,
      `use at least ${Math.ceil((requestBytes * 10 * queues) / 0.8 / 1024 ** 2)}Mi`);
  }
  return length;
}
