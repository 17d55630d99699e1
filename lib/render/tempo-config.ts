import { Retention } from '../core/retention';
import { ResolvedLimits, ResolvedTenancy } from '../core/tempo-tenancy';
import {
  TEMPO_GRPC_PORT, TEMPO_HTTP_PORT, TEMPO_MEMBERLIST_PORT, TEMPO_RECEIVER_PORTS, receiverEndpoint,
} from '../core/tempo-ports';
import { renderTempoOverridesBlock } from './tempo-overrides';

/** Where Tempo keeps local state; the construct mounts a PersistentVolumeClaim here. */
export const TEMPO_DATA_DIR = '/var/tempo';
/** Where the construct mounts the ConfigMap. */
export const TEMPO_CONFIG_DIR = '/conf';
export const TEMPO_CONFIG_FILE = 'tempo.yaml';
export const TEMPO_OVERRIDES_FILE = 'overrides.yaml';

/** S3 storage as Tempo sees it. Values may be CDK tokens on the EKS path. */
export interface TempoS3Storage {
  readonly bucket: string;
  readonly region: string;
  /** Host only, no scheme, e.g. `s3.eu-west-1.amazonaws.com`. */
  readonly endpoint: string;
  /** Key prefix without leading or trailing slash. */
  readonly prefix?: string;
  /** Plain HTTP endpoint (local S3-compatible stores only). */
  readonly insecure?: boolean;
  readonly forcePathStyle?: boolean;
}

/** Metrics-generator settings after defaults. */
export interface TempoMetricsGeneratorConfig {
  readonly remoteWriteUrl: string;
  readonly serviceGraphs: boolean;
  readonly spanMetrics: boolean;
  readonly externalLabels: Record<string, string>;
}

export interface TempoConfigInput {
  readonly tenancy: ResolvedTenancy;
  readonly storage: TempoS3Storage;
  /** `memberlist.cluster_label`, unique per install so rings of other installs never merge. */
  readonly clusterLabel: string;
  readonly metricsGenerator?: TempoMetricsGeneratorConfig;
  readonly logLevel: string;
}

export interface RenderedTempoConfig {
  /** Content of tempo.yaml. */
  readonly config: Record<string, unknown>;
  /** Content of the runtime overrides file, when tenants have their own settings. */
  readonly overrides?: Record<string, unknown>;
}

function receivers(): Record<string, unknown> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const r of TEMPO_RECEIVER_PORTS) {
    result[r.receiver] ??= {};
    if (r.protocolKey) {
      const protocols = (result[r.receiver].protocols ??= {}) as Record<string, unknown>;
      protocols[r.protocolKey] = { endpoint: receiverEndpoint(r.port) };
    } else {
      result[r.receiver].endpoint = receiverEndpoint(r.port);
    }
  }
  return result;
}

function processors(mg: TempoMetricsGeneratorConfig | undefined): string[] {
  if (!mg) return [];
  return [...(mg.serviceGraphs ? ['service-graphs'] : []), ...(mg.spanMetrics ? ['span-metrics'] : [])];
}

/** One complete scoped overrides block: Tempo gives a block's missing fields their Go zero value, so nothing may be left out. */
function overridesBlock(limits: ResolvedLimits, retention: Retention, mg: TempoMetricsGeneratorConfig | undefined): Record<string, unknown> {
  return renderTempoOverridesBlock(limits, retention, mg ? { processors: processors(mg) } : undefined);
}

/**
 * Renders tempo.yaml for Tempo 3.0.3 in monolithic mode (`target: all`):
 * every receiver bound to 0.0.0.0, S3 storage, retention in both places Tempo
 * 3.0 reads it, scoped overrides only.
 */
export function renderTempoConfig(input: TempoConfigInput): RenderedTempoConfig {
  const { tenancy, storage, metricsGenerator } = input;
  const retention = tenancy.retention.toTempoDuration();
  const s3: Record<string, unknown> = {
    bucket: storage.bucket,
    endpoint: storage.endpoint,
    region: storage.region,
  };
  if (storage.prefix) s3.prefix = storage.prefix;
  if (storage.insecure) s3.insecure = true;
  if (storage.forcePathStyle) s3.forcepathstyle = true;

  const config: Record<string, unknown> = {
    target: 'all',
    multitenancy_enabled: tenancy.multitenancy,
    stream_over_http_enabled: true,
    usage_report: { reporting_enabled: false },
    server: {
      http_listen_port: TEMPO_HTTP_PORT,
      grpc_listen_port: TEMPO_GRPC_PORT,
      log_level: input.logLevel,
      log_format: 'logfmt',
    },
    distributor: { receivers: receivers() },
    memberlist: {
      cluster_label: input.clusterLabel,
      bind_port: TEMPO_MEMBERLIST_PORT,
    },
    storage: {
      trace: {
        backend: 's3',
        s3,
        wal: { path: `${TEMPO_DATA_DIR}/wal` },
      },
    },
    backend_scheduler: {
      local_work_path: TEMPO_DATA_DIR,
      provider: { compaction: { compaction: { block_retention: retention } } },
    },
    backend_worker: { compaction: { block_retention: retention } },
    overrides: {
      defaults: overridesBlock(tenancy.limits, tenancy.retention, metricsGenerator),
      ...(tenancy.tenants.length > 0 ? { per_tenant_override_config: `${TEMPO_CONFIG_DIR}/${TEMPO_OVERRIDES_FILE}` } : {}),
    },
  };
  if (metricsGenerator) {
    config.metrics_generator = {
      registry: { external_labels: metricsGenerator.externalLabels },
      storage: {
        path: `${TEMPO_DATA_DIR}/generator/wal`,
        remote_write: [{ url: metricsGenerator.remoteWriteUrl, send_exemplars: true }],
      },
    };
  }
  if (tenancy.tenants.length === 0) return { config };
  const overrides: Record<string, unknown> = {};
  for (const tenant of tenancy.tenants) {
    overrides[tenant.id] = overridesBlock(tenant.limits, tenant.retention, metricsGenerator);
  }
  return { config, overrides: { overrides } };
}
