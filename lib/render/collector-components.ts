import { IMAGES, versionOfImage } from '../core/versions';

/**
 * Component types of the pinned OpenTelemetry Collector release, per
 * distribution, and the choice of image from the components a config uses.
 *
 * The version lives in one place: the `otelcolK8s` and `otelcolContrib` entries
 * of `IMAGES` (lib/core/versions.ts). The lists below are the component types of
 * that release (opentelemetry-collector-releases `distributions/*\/manifest.yaml`,
 * snake_case names since the 2026 renames); a test checks them against the
 * release's manifest digest.
 */
export const OTELCOL_VERSION = versionOfImage(IMAGES.otelcolK8s);

/** Component classes of a collector config. */
export type ComponentClass = 'receivers' | 'processors' | 'exporters' | 'connectors' | 'extensions';

/** A collector distribution: its image and the component types it carries. */
export interface CollectorDistribution {
  /** `k8s` or `contrib`. */
  readonly name: string;
  readonly image: string;
  readonly components: Readonly<Record<ComponentClass, readonly string[]>>;
}

/** otelcol-k8s: the curated Kubernetes distribution (smaller image, fewer CVEs). */
export const OTELCOL_K8S: CollectorDistribution = {
  name: 'k8s',
  image: IMAGES.otelcolK8s,
  components: {
    receivers: ['file_log', 'fluent_forward', 'host_metrics', 'http_check', 'jaeger', 'journald', 'k8s_cluster', 'k8s_events',
      'k8s_objects', 'kubelet_stats', 'otelarrow', 'otlp', 'prometheus', 'receiver_creator', 'zipkin'],
    processors: ['attributes', 'batch', 'cumulative_to_delta', 'delta_to_cumulative', 'delta_to_rate', 'drain', 'filter', 'groupbyattrs',
      'groupbytrace', 'interval', 'k8s_attributes', 'log_dedup', 'memory_limiter', 'metrics_transform', 'metricsgeneration',
      'probabilistic_sampler', 'redaction', 'remotetap', 'resource', 'resource_detection', 'tail_sampling', 'transform'],
    exporters: ['debug', 'file', 'load_balancing', 'nop', 'otelarrow', 'otlp_grpc', 'otlp_http'],
    connectors: ['count', 'exceptions', 'failover', 'forward', 'otlp_json', 'round_robin', 'routing', 'service_graph', 'span_metrics'],
    extensions: ['ack', 'basicauth', 'bearertokenauth', 'cgroup_runtime', 'file_storage', 'headers_setter', 'health_check', 'host_observer',
      'http_forwarder', 'k8s_leader_elector', 'k8s_observer', 'oauth2client', 'oidc', 'opamp', 'pprof', 'zpages'],
  },
};

/**
 * otelcol-contrib: everything. We list only the types this library emits that
 * the k8s distribution lacks, plus every type it shares with the k8s list
 * (contrib is a superset for all of them).
 */
export const OTELCOL_CONTRIB: CollectorDistribution = {
  name: 'contrib',
  image: IMAGES.otelcolContrib,
  components: {
    receivers: OTELCOL_K8S.components.receivers,
    processors: OTELCOL_K8S.components.processors,
    exporters: OTELCOL_K8S.components.exporters,
    connectors: OTELCOL_K8S.components.connectors,
    // The Jaeger remote-sampling extension is contrib-only (and keeps its old, un-snake-cased type name).
    extensions: [...OTELCOL_K8S.components.extensions, 'jaegerremotesampling'],
  },
};

const CLASSES: ComponentClass[] = ['receivers', 'processors', 'exporters', 'connectors', 'extensions'];

/** The component type of a config key: `otlp_grpc/backend` -> `otlp_grpc`. */
export function componentType(id: string): string {
  return id.split('/')[0];
}

/** Every component type a rendered config declares, by class. */
export function componentsOf(config: Record<string, unknown>): Record<ComponentClass, string[]> {
  const out = {} as Record<ComponentClass, string[]>;
  for (const cls of CLASSES) {
    const section = (config[cls] ?? {}) as Record<string, unknown>;
    out[cls] = [...new Set(Object.keys(section).map(componentType))].sort();
  }
  return out;
}

/** Component types of `config` that `distribution` does not carry, as `class/type`. */
export function missingComponents(config: Record<string, unknown>, distribution: CollectorDistribution): string[] {
  const used = componentsOf(config);
  return CLASSES.flatMap((cls) => used[cls].filter((t) => !distribution.components[cls].includes(t)).map((t) => `${cls}/${t}`));
}

/** The smallest distribution that runs `config`: k8s when it can, contrib otherwise. */
export function distributionFor(config: Record<string, unknown>): CollectorDistribution {
  return missingComponents(config, OTELCOL_K8S).length === 0 ? OTELCOL_K8S : OTELCOL_CONTRIB;
}
