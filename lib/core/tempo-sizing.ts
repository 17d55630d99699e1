import { TracingConfigError, configError } from './errors';
import { ContainerResources, parseMemoryBytes, validateResources } from './quantities';

/**
 * Sizing of Tempo 3.0 in microservices mode, derived from one declared number:
 * the peak ingest rate in bytes per second.
 *
 * Sources (Tempo 3.0.3): `plan/size.md` (the published sizing table) and
 * `configure-kafka.md` (about 10 MB/s per active partition; live-stores equal
 * active partitions; block-builders equal live-stores with one partition each).
 * "MB" is 1,000,000 bytes throughout, as in Tempo's own limits.
 *
 * Every number is a plain field of {@link TempoSizing}, so it can be printed,
 * asserted and overridden with {@link TempoSizingOverrides}.
 */

/** One megabyte as Tempo's docs and limits count it. */
export const MB = 1_000_000;
/** Planned peak ingest per active Kafka partition (configure-kafka.md: "about 10 MB/s"). */
export const TEMPO_BYTES_PER_PARTITION = 10 * MB;
/** Published: one distributor per 10 MB/s received. */
export const TEMPO_BYTES_PER_DISTRIBUTOR = 10 * MB;
/** Published: one querier per 1-2 MB/s received; the HPA spans this range (2 MB/s gives the minimum, 1 MB/s the maximum). */
export const TEMPO_BYTES_PER_QUERIER_MIN = 2 * MB;
export const TEMPO_BYTES_PER_QUERIER_MAX = 1 * MB;
/**
 * Not published ("TBD by compaction workload" for backend-workers; nothing for
 * metrics-generators): our default of one per 20 MB/s, at least one.
 */
export const TEMPO_BYTES_PER_WORKER = 20 * MB;
/** Monolithic Tempo 3.0 is positioned for up to about 25-35 MB/s (plan/deployment-modes.md). */
export const TEMPO_MONOLITHIC_MAX_BYTES_PER_SECOND = 25 * MB;

/** Requests of the published table (the lower bound of each range); limits are twice the requests. */
const PUBLISHED: Record<TempoSizedComponent, { cpu: number; memoryGi: number }> = {
  'distributor': { cpu: 2, memoryGi: 2 },
  'live-store': { cpu: 1, memoryGi: 4 },
  'block-builder': { cpu: 0.5, memoryGi: 5 },
  'querier': { cpu: 1, memoryGi: 4 }, // CPU "workload-dependent": 1 core
  'query-frontend': { cpu: 1, memoryGi: 4 }, // CPU "workload-dependent": 1 core
  'backend-scheduler': { cpu: 0.5, memoryGi: 1 },
  'backend-worker': { cpu: 0.5, memoryGi: 1 },
  'metrics-generator': { cpu: 0.5, memoryGi: 1 }, // not published: Tempo's jsonnet default requests
};

/** Every Tempo 3.0 microservices target we deploy. */
export type TempoSizedComponent =
  | 'distributor' | 'live-store' | 'block-builder' | 'querier' | 'query-frontend'
  | 'backend-scheduler' | 'backend-worker' | 'metrics-generator';

export const TEMPO_MICROSERVICES_COMPONENTS: readonly TempoSizedComponent[] = [
  'distributor', 'live-store', 'block-builder', 'querier', 'query-frontend', 'backend-scheduler', 'backend-worker', 'metrics-generator',
];

/** Components that may run under a HorizontalPodAutoscaler (stateless, not bound to partitions). */
export const TEMPO_AUTOSCALED_COMPONENTS: readonly TempoSizedComponent[] = ['distributor', 'querier'];

/** Autoscaling bounds of a component under an HPA. */
export interface TempoAutoscalingOptions {
  /** Fewest replicas the HPA keeps. */
  readonly minReplicas: number;
  /** Most replicas the HPA may add. */
  readonly maxReplicas: number;
  /**
   * Average CPU utilization (percent of the request) the HPA aims for.
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;
}

/** Overrides of one component's derived size. Fields left out keep the derived value. */
export interface TempoComponentOptions {
  /**
   * Fixed replica count. For the distributor and querier this replaces the HPA with a fixed count.
   * @default - derived from the ingest rate (see TempoSizing)
   */
  readonly replicas?: number;
  /**
   * HPA bounds. Only the distributor and querier can be autoscaled: live-stores and
   * block-builders are bound to Kafka partitions and the backend-scheduler is a singleton.
   * @default - derived from the ingest rate for the distributor and querier; none elsewhere
   */
  readonly autoscaling?: TempoAutoscalingOptions;
  /**
   * Requests and limits. GOMEMLIMIT is set to 85% of the memory limit.
   * @default - the published sizing table's figure as request, twice that as limit
   */
  readonly resources?: ContainerResources;
  /**
   * Size of the PersistentVolumeClaim (live-store: WAL and recent blocks; backend-scheduler: its work path).
   * Refused for components without a volume claim.
   * @default '20Gi' for the live-store, '1Gi' for the backend-scheduler
   */
  readonly storageSize?: string;
}

/** Everything the user may override in the derived sizing. */
export interface TempoSizingOverrides {
  /**
   * Kafka partitions of the trace topic. May exceed the live-stores (spare partitions
   * for growth: Kafka can add partitions but never remove them), never fall below them.
   * @default - ceil(ingest / 10 MB/s), at least the live-store count
   */
  readonly partitions?: number;
  /** @default - derived (see {@link TempoComponentOptions}) */
  readonly distributor?: TempoComponentOptions;
  /** @default - derived */
  readonly liveStore?: TempoComponentOptions;
  /** @default - derived */
  readonly blockBuilder?: TempoComponentOptions;
  /** @default - derived */
  readonly querier?: TempoComponentOptions;
  /** @default - derived */
  readonly queryFrontend?: TempoComponentOptions;
  /** @default - derived */
  readonly backendScheduler?: TempoComponentOptions;
  /** @default - derived */
  readonly backendWorker?: TempoComponentOptions;
  /** @default - derived */
  readonly metricsGenerator?: TempoComponentOptions;
}

/** The derived size of one component. */
export interface TempoComponentSize {
  /** Replicas when not autoscaled; under an HPA, equal to `autoscaling.minReplicas`. */
  readonly replicas: number;
  /** HPA bounds, when the component runs under an HPA. */
  readonly autoscaling?: Required<TempoAutoscalingOptions>;
  readonly resources: ContainerResources;
  /** PersistentVolumeClaim size, for components with one. */
  readonly storageSize?: string;
}

/** Derived sizing of a microservices Tempo. */
export interface TempoSizing {
  /** The declared peak ingest rate, bytes per second. */
  readonly ingestBytesPerSecond: number;
  /** Active partitions the ingest rate needs: ceil(ingest / 10 MB/s). */
  readonly activePartitions: number;
  /** Partitions of the Kafka topic (>= live-stores). */
  readonly partitions: number;
  /** Peak ingest each live-store (and its partition) carries, bytes per second. */
  readonly bytesPerLiveStore: number;
  readonly distributor: TempoComponentSize;
  readonly liveStore: TempoComponentSize;
  readonly blockBuilder: TempoComponentSize;
  readonly querier: TempoComponentSize;
  readonly queryFrontend: TempoComponentSize;
  readonly backendScheduler: TempoComponentSize;
  readonly backendWorker: TempoComponentSize;
  readonly metricsGenerator: TempoComponentSize;
}

const OVERRIDE_KEYS: Record<TempoSizedComponent, keyof TempoSizingOverrides> = {
  'distributor': 'distributor',
  'live-store': 'liveStore',
  'block-builder': 'blockBuilder',
  'querier': 'querier',
  'query-frontend': 'queryFrontend',
  'backend-scheduler': 'backendScheduler',
  'backend-worker': 'backendWorker',
  'metrics-generator': 'metricsGenerator',
};

const DEFAULT_STORAGE: Partial<Record<TempoSizedComponent, string>> = {
  'live-store': '20Gi',
  'backend-scheduler': '1Gi',
};

/** Resources from the published table: the figure as request, twice it as limit. */
export function publishedResources(component: TempoSizedComponent): ContainerResources {
  const p = PUBLISHED[component];
  const cpu = (cores: number) => (Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`);
  return {
    cpuRequest: cpu(p.cpu),
    cpuLimit: cpu(p.cpu * 2),
    memoryRequest: `${p.memoryGi}Gi`,
    memoryLimit: `${p.memoryGi * 2}Gi`,
  };
}

const ceilDiv = (bytes: number, per: number) => Math.ceil(bytes / per);
const mbps = (bytes: number) => `${Math.round((bytes / MB) * 100) / 100} MB/s`;

function positiveInt(path: string, what: string, value: number | undefined, fix: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1) throw configError(path, `${what} must be a whole number, at least 1`, value, fix);
}

/**
 * Derives partitions, replicas and resources from the peak ingest rate, then
 * applies and checks the overrides. Throws a {@link TracingConfigError} naming
 * `path` for every rule Tempo 3.0 imposes.
 */
export function sizeTempo(path: string, ingestBytesPerSecond: number, overrides: TempoSizingOverrides = {}): TempoSizing {
  const B = ingestBytesPerSecond;
  if (typeof B !== 'number' || !Number.isFinite(B) || B <= 0) {
    throw configError(path, 'ingestBytesPerSecond must be a positive number of bytes per second (the peak you expect)', typeof B === 'number' && !Number.isFinite(B) ? String(B) : B,
      'declare the peak ingest, e.g. 50_000_000 for 50 MB/s');
  }
  const o = overrides;
  const where = (c: TempoSizedComponent) => `microservices.${OVERRIDE_KEYS[c]}`;
  for (const c of TEMPO_MICROSERVICES_COMPONENTS) {
    const opts = o[OVERRIDE_KEYS[c]] as TempoComponentOptions | undefined;
    if (!opts) continue;
    positiveInt(path, `${where(c)}.replicas`, opts.replicas, `set ${where(c)}.replicas to 1 or more, or leave it out for the derived count`);
    if (opts.autoscaling && !TEMPO_AUTOSCALED_COMPONENTS.includes(c)) {
      const why = c === 'backend-scheduler' ? 'the backend-scheduler is a singleton'
        : c === 'live-store' || c === 'block-builder' ? `${c}s own Kafka partitions by StatefulSet ordinal and must be scaled down through Tempo's prepare-downscale endpoints, never by an HPA`
          : `Tempo's guidance is to scale the ${c} by hand (query-frontend: 2 replicas, scaled vertically)`;
      throw configError(path, `${where(c)}.autoscaling is not allowed: ${why}`, opts.autoscaling,
        `remove ${where(c)}.autoscaling${c === 'backend-scheduler' ? '' : ` and set ${where(c)}.replicas instead`}`);
    }
    if (opts.autoscaling && opts.replicas !== undefined) {
      throw configError(path, `${where(c)} sets both replicas and autoscaling`, { replicas: opts.replicas, autoscaling: opts.autoscaling },
        'set replicas for a fixed count, or autoscaling for an HPA, not both');
    }
    if (opts.autoscaling) {
      const a = opts.autoscaling;
      positiveInt(path, `${where(c)}.autoscaling.minReplicas`, a.minReplicas, 'use 1 or more (2 or more for availability)');
      positiveInt(path, `${where(c)}.autoscaling.maxReplicas`, a.maxReplicas, 'use a whole number >= minReplicas');
      if (a.maxReplicas < a.minReplicas) {
        throw configError(path, `${where(c)}.autoscaling.maxReplicas is below minReplicas`, `${a.maxReplicas} < ${a.minReplicas}`,
          `raise maxReplicas to at least ${a.minReplicas}`);
      }
      const target = a.targetCpuUtilizationPercent;
      if (target !== undefined && (!Number.isInteger(target) || target < 10 || target > 100)) {
        throw configError(path, `${where(c)}.autoscaling.targetCpuUtilizationPercent must be a whole percent between 10 and 100`, target, 'use e.g. 70');
      }
    }
    if (opts.resources) {
      try {
        validateResources(path, opts.resources);
      } catch (e) {
        // Name the component in the message: "[path] microservices.querier.resources.cpuRequest ...".
        if (e instanceof TracingConfigError) throw new TracingConfigError(e.message.replace(/\] resources\./g, `] ${where(c)}.resources.`).replace(/exceeds resources\./, 'exceeds '));
        throw e;
      }
    }
    if (opts.storageSize !== undefined) {
      if (!DEFAULT_STORAGE[c]) {
        throw configError(path, `${where(c)}.storageSize is set but the ${c} has no PersistentVolumeClaim (only the live-store and backend-scheduler do)`,
          opts.storageSize, `remove ${where(c)}.storageSize`);
      }
      if (!parseMemoryBytes(opts.storageSize)) {
        throw configError(path, `${where(c)}.storageSize is not a storage quantity`, opts.storageSize, 'use a quantity such as "50Gi"');
      }
    }
  }
  positiveInt(path, 'microservices.partitions', o.partitions, 'set it to at least the live-store count, or leave it out');

  if (o.backendScheduler?.replicas !== undefined && o.backendScheduler.replicas !== 1) {
    throw configError(path, 'microservices.backendScheduler.replicas must be 1: the backend-scheduler is a singleton and two would schedule conflicting compaction and retention jobs',
      o.backendScheduler.replicas, 'remove backendScheduler.replicas (it is always 1); scale backendWorker instead');
  }

  const activePartitions = ceilDiv(B, TEMPO_BYTES_PER_PARTITION);
  const liveStores = o.liveStore?.replicas ?? activePartitions;
  if (liveStores < activePartitions) {
    throw configError(path, `microservices.liveStore.replicas is too low for the declared ingest: each live-store would carry ${mbps(B / liveStores)}, above Tempo's ~10 MB/s per partition`,
      liveStores, `use at least ${activePartitions} live-stores for ${mbps(B)}, or lower ingestBytesPerSecond`);
  }
  const partitions = o.partitions ?? liveStores;
  if (partitions < liveStores) {
    throw configError(path, `microservices.partitions is below the live-store count (${liveStores}): every live-store owns one partition, and distributors fail with "invalid record partitioning choice" when partitions are missing`,
      partitions, `set partitions to at least ${liveStores}, or leave it out`);
  }
  const blockBuilders = o.blockBuilder?.replicas ?? liveStores;
  if (blockBuilders !== liveStores) {
    throw configError(path, `microservices.blockBuilder.replicas must equal the live-store count (${liveStores}): with one partition per block-builder, the active partitions 0..${liveStores - 1} each need exactly one block-builder`,
      blockBuilders, `remove blockBuilder.replicas, or set it to ${liveStores}`);
  }

  const size = (c: TempoSizedComponent, replicas: number, autoscaling?: Required<TempoAutoscalingOptions>): TempoComponentSize => {
    const opts = (o[OVERRIDE_KEYS[c]] ?? {}) as TempoComponentOptions;
    const storage = opts.storageSize ?? DEFAULT_STORAGE[c];
    return {
      replicas: autoscaling ? autoscaling.minReplicas : replicas,
      ...(autoscaling ? { autoscaling } : {}),
      resources: opts.resources ?? publishedResources(c),
      ...(storage ? { storageSize: storage } : {}),
    };
  };
  const hpa = (c: TempoSizedComponent, min: number, max: number): TempoComponentSize => {
    const opts = (o[OVERRIDE_KEYS[c]] ?? {}) as TempoComponentOptions;
    if (opts.replicas !== undefined) return size(c, opts.replicas);
    const a = opts.autoscaling;
    return size(c, 0, {
      minReplicas: a?.minReplicas ?? min,
      maxReplicas: a?.maxReplicas ?? max,
      targetCpuUtilizationPercent: a?.targetCpuUtilizationPercent ?? 70,
    });
  };

  // Published: 1 distributor per 10 MB/s. Two at least, for availability; the HPA may double that for bursts.
  const distributors = ceilDiv(B, TEMPO_BYTES_PER_DISTRIBUTOR);
  const distributorMin = Math.max(2, distributors);
  // Published: 1 querier per 1-2 MB/s received.
  const querierMin = Math.max(2, ceilDiv(B, TEMPO_BYTES_PER_QUERIER_MIN));
  const querierMax = Math.max(querierMin, ceilDiv(B, TEMPO_BYTES_PER_QUERIER_MAX));
  const workers = Math.max(1, ceilDiv(B, TEMPO_BYTES_PER_WORKER));
  const queryFrontends = o.queryFrontend?.replicas ?? 2;

  return {
    ingestBytesPerSecond: B,
    activePartitions,
    partitions,
    bytesPerLiveStore: B / liveStores,
    distributor: hpa('distributor', distributorMin, 2 * distributorMin),
    liveStore: size('live-store', liveStores),
    blockBuilder: size('block-builder', blockBuilders),
    querier: hpa('querier', querierMin, querierMax),
    queryFrontend: size('query-frontend', queryFrontends),
    backendScheduler: size('backend-scheduler', 1),
    backendWorker: size('backend-worker', o.backendWorker?.replicas ?? workers),
    metricsGenerator: size('metrics-generator', o.metricsGenerator?.replicas ?? workers),
  };
}

/** One row of the README sizing table: what {@link sizeTempo} derives for an ingest rate, with no overrides. */
export interface TempoSizingRow {
  readonly ingest: string;
  readonly partitions: number;
  readonly liveStores: number;
  readonly blockBuilders: number;
  readonly distributors: string;
  readonly queriers: string;
  readonly queryFrontends: number;
  readonly backendSchedulers: number;
  readonly backendWorkers: number;
  readonly metricsGenerators: number;
  /** Sum of CPU requests at the minimum replica counts, in cores. */
  readonly cpuRequestCores: number;
  /** Sum of memory requests at the minimum replica counts, in GiB. */
  readonly memoryRequestGi: number;
}

/** Summarizes a sizing the way the README table shows it. */
export function sizingRow(s: TempoSizing, withMetricsGenerator = true): TempoSizingRow {
  const range = (c: TempoComponentSize) => (c.autoscaling ? `${c.autoscaling.minReplicas}-${c.autoscaling.maxReplicas}` : String(c.replicas));
  const parts = [s.distributor, s.liveStore, s.blockBuilder, s.querier, s.queryFrontend, s.backendScheduler, s.backendWorker,
    ...(withMetricsGenerator ? [s.metricsGenerator] : [])];
  const cpu = parts.reduce((sum, c) => sum + c.replicas * cpuCores(c.resources.cpuRequest), 0);
  const mem = parts.reduce((sum, c) => sum + c.replicas * (parseMemoryBytes(c.resources.memoryRequest) ?? 0) / 1024 ** 3, 0);
  return {
    ingest: mbps(s.ingestBytesPerSecond),
    partitions: s.partitions,
    liveStores: s.liveStore.replicas,
    blockBuilders: s.blockBuilder.replicas,
    distributors: range(s.distributor),
    queriers: range(s.querier),
    queryFrontends: s.queryFrontend.replicas,
    backendSchedulers: s.backendScheduler.replicas,
    backendWorkers: s.backendWorker.replicas,
    metricsGenerators: s.metricsGenerator.replicas,
    cpuRequestCores: Math.round(cpu * 10) / 10,
    memoryRequestGi: Math.round(mem * 10) / 10,
  };
}

function cpuCores(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
}
