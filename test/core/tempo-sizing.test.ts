import {
  MB, TEMPO_MICROSERVICES_COMPONENTS, TempoSizing, parseCpuMillis, parseMemoryBytes, publishedResources, sizeTempo, sizingRow,
} from '../../lib/core';
import { strimziBrokerStorage } from '../../lib/k8s';

// The README table ("Tempo at scale"), row for row. If the derivation changes, this test and the README change together.
const README_TABLE = [
  { ingest: '10 MB/s', partitions: 1, liveStores: 1, blockBuilders: 1, distributors: '2-4', queriers: '5-10', queryFrontends: 2, backendSchedulers: 1, backendWorkers: 1, metricsGenerators: 1, cpuRequestCores: 14, memoryRequestGi: 44 },
  { ingest: '50 MB/s', partitions: 5, liveStores: 5, blockBuilders: 5, distributors: '5-10', queriers: '25-50', queryFrontends: 2, backendSchedulers: 1, backendWorkers: 3, metricsGenerators: 3, cpuRequestCores: 48, memoryRequestGi: 170 },
  { ingest: '200 MB/s', partitions: 20, liveStores: 20, blockBuilders: 20, distributors: '20-40', queriers: '100-200', queryFrontends: 2, backendSchedulers: 1, backendWorkers: 10, metricsGenerators: 10, cpuRequestCores: 182.5, memoryRequestGi: 649 },
];

const gi = (q: string) => parseMemoryBytes(q)! / 1024 ** 3;
const cores = (q: string) => parseCpuMillis(q)! / 1000;

describe('sizeTempo: derived from the declared peak ingest', () => {
  test.each(README_TABLE)('README row $ingest', (row) => {
    const mbps = Number(row.ingest.split(' ')[0]);
    expect(sizingRow(sizeTempo('x', mbps * MB))).toEqual(row);
  });

  // plan/size.md @v3.0.3 and configure-kafka.md, figure by figure.
  test.each([10, 50, 200])('reproduces the published sizing table at %d MB/s', (mbps) => {
    const B = mbps * MB;
    const s: TempoSizing = sizeTempo('x', B);
    // Partitions: about 10 MB/s each; live-stores = active partitions; block-builders: 1 per partition.
    expect(s.activePartitions).toBe(Math.ceil(mbps / 10));
    expect(s.partitions).toBeGreaterThanOrEqual(s.liveStore.replicas);
    expect(s.liveStore.replicas).toBe(s.activePartitions);
    // One block-builder per *active* partition (partitions_per_instance: 1 over ordinals 0..n-1), not per topic partition:
    // spare topic partitions have no live-store, never become active, and carry no data.
    expect(s.blockBuilder.replicas).toBe(s.activePartitions);
    expect(sizeTempo('x', B, { partitions: s.partitions + 4 }).blockBuilder.replicas).toBe(s.activePartitions);
    // Live-store: 1 per 6-10 MB/s.
    expect(s.bytesPerLiveStore).toBeGreaterThanOrEqual(6 * MB);
    expect(s.bytesPerLiveStore).toBeLessThanOrEqual(10 * MB);
    // Distributor: 1 per 10 MB/s received (two at least for availability).
    expect(s.distributor.autoscaling!.minReplicas).toBe(Math.max(2, mbps / 10));
    // Querier: 1 per 1-2 MB/s received: the HPA spans exactly that range.
    expect(s.querier.autoscaling!.minReplicas).toBe(mbps / 2);
    expect(s.querier.autoscaling!.maxReplicas).toBe(mbps);
    // Query-frontend: 2 (HA). Backend-scheduler: 1 (singleton).
    expect(s.queryFrontend.replicas).toBe(2);
    expect(s.backendScheduler.replicas).toBe(1);
    expect(s.backendScheduler.autoscaling).toBeUndefined();
    // Per-replica CPU and memory: the published figure is the request, within the published range.
    const table: Record<string, [number, number, number]> = { // cores, min GB, max GB
      distributor: [2, 2, 2], liveStore: [1, 4, 20], blockBuilder: [0.5, 5, 10], backendScheduler: [0.5, 1, 2], backendWorker: [0.5, 1, 2],
      querier: [1, 4, 20], queryFrontend: [1, 4, 20],
    };
    for (const [key, [cpu, minGb, maxGb]] of Object.entries(table)) {
      const r = (s as any)[key].resources;
      expect([key, cores(r.cpuRequest)]).toEqual([key, cpu]);
      expect([key, gi(r.memoryRequest)]).toEqual([key, minGb]);
      expect(gi(r.memoryLimit)).toBeLessThanOrEqual(Math.max(maxGb, 2 * minGb));
    }
  });

  test('partial megabytes round up: 55 MB/s needs 6 partitions, 28 queriers at least', () => {
    const s = sizeTempo('x', 55 * MB);
    expect(s.partitions).toBe(6);
    expect(s.liveStore.replicas).toBe(6);
    expect(s.querier.autoscaling).toEqual({ minReplicas: 28, maxReplicas: 55, targetCpuUtilizationPercent: 70 });
    expect(s.bytesPerLiveStore).toBeCloseTo(55 * MB / 6);
  });

  test('overrides win and stay consistent: spare partitions, more live-stores, fixed replicas, custom HPA bounds', () => {
    const s = sizeTempo('x', 30 * MB, {
      partitions: 16,
      liveStore: { replicas: 4 },
      blockBuilder: { replicas: 4 },
      distributor: { autoscaling: { minReplicas: 3, maxReplicas: 12, targetCpuUtilizationPercent: 60 } },
      querier: { replicas: 8 },
      backendWorker: { replicas: 2, resources: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '3Gi' } },
    });
    expect(s.partitions).toBe(16);
    expect(s.liveStore.replicas).toBe(4);
    expect(s.distributor.autoscaling).toEqual({ minReplicas: 3, maxReplicas: 12, targetCpuUtilizationPercent: 60 });
    expect(s.querier).toMatchObject({ replicas: 8 });
    expect(s.querier.autoscaling).toBeUndefined();
    expect(s.backendWorker.resources.memoryLimit).toBe('3Gi');
    // Raising live-stores alone raises partitions with them.
    expect(sizeTempo('x', 30 * MB, { liveStore: { replicas: 5 }, blockBuilder: { replicas: 5 } }).partitions).toBe(5);
  });

  test('every component gets requests and limits, limits twice the published requests', () => {
    for (const c of TEMPO_MICROSERVICES_COMPONENTS) {
      const r = publishedResources(c);
      expect(cores(r.cpuLimit)).toBe(2 * cores(r.cpuRequest));
      expect(gi(r.memoryLimit)).toBe(2 * gi(r.memoryRequest));
    }
  });

  test('Strimzi broker volume: ingest x retention x copies / brokers, plus 25%', () => {
    expect(strimziBrokerStorage(10 * MB, 24 * 60, 3, 3)).toBe('1006Gi');
    expect(strimziBrokerStorage(50 * MB, 6 * 60, 3, 5)).toBe('755Gi');
  });
});
