import { Retention } from '../core/retention';
import {
  JAEGER_HEALTH, JAEGER_LEGACY_GRPC, JAEGER_LEGACY_THRIFT_HTTP, JAEGER_METRICS, JAEGER_OTLP_GRPC, JAEGER_OTLP_HTTP,
  JAEGER_QUERY_GRPC, JAEGER_QUERY_HTTP, JAEGER_SAMPLING_GRPC, JAEGER_SAMPLING_HTTP, JAEGER_ZIPKIN, bindAll,
} from './jaeger-ports';

/**
 * Pure renderers for Jaeger v2 on Elasticsearch/OpenSearch: the collector and
 * query configs, the arguments and environment of the maintenance tools
 * (es-index-cleaner, es-rollover, spark-dependencies) and the ILM/ISM
 * retention policies. Every value two of them must agree on (index prefix,
 * rotation, retention, server URL, TLS, credentials) comes from one
 * {@link JaegerStorageConfig}.
 */

/** Environment variable holding the storage user name (read by Jaeger via `${env:...}` and by the CLIs directly). */
export const JAEGER_ES_USERNAME_ENV = 'ES_USERNAME';
/** Environment variable holding the storage password. */
export const JAEGER_ES_PASSWORD_ENV = 'ES_PASSWORD';
/** Where the constructs mount the CA certificate Secret. */
export const JAEGER_ES_CA_DIR = '/etc/jaeger/es-tls';
/** Where the constructs mount the config ConfigMap. */
export const JAEGER_CONFIG_DIR = '/etc/jaeger';
export const JAEGER_CONFIG_FILE = 'config.yaml';
/** Where the collector finds the sampling strategies file. */
export const JAEGER_SAMPLING_DIR = '/etc/jaeger/sampling';
/** Name of the storage backend inside `jaeger_storage.backends`. */
export const JAEGER_BACKEND_NAME = 'trace_storage';
/** The periodic index date layout (Go reference time) and the matching cleaner separator. */
export const JAEGER_DATE_LAYOUT = '2006-01-02';

export type JaegerEngine = 'elasticsearch' | 'opensearch';

/** How indices rotate: daily dated indices, rollover by a CronJob, or rollover by an ILM/ISM policy. */
export type JaegerRotationMode = 'daily' | 'manual-rollover' | 'lifecycle-policy';

export interface JaegerTlsConfig {
  /** Path of the CA bundle inside the container. */
  readonly caFile?: string;
  readonly serverName?: string;
  readonly insecureSkipVerify?: boolean;
}

export type JaegerAuthConfig =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic' }
  | { readonly kind: 'sigv4'; readonly region: string; readonly service: string };

/** Storage settings after validation: everything every role and job must agree on. */
export interface JaegerStorageConfig {
  readonly engine: JaegerEngine;
  /** Elasticsearch major version (8 or 9); only for `elasticsearch`. Picks the spark-dependencies variant. */
  readonly majorVersion?: number;
  readonly serverUrls: string[];
  /** Index prefix without trailing `-`; Jaeger and the CLIs append `-`. */
  readonly indexPrefix?: string;
  readonly auth: JaegerAuthConfig;
  /** TLS settings; undefined for plain-HTTP URLs. */
  readonly tls?: JaegerTlsConfig;
  readonly retention: Retention;
  readonly rotation: {
    readonly mode: JaegerRotationMode;
    /** ILM/ISM policy name (lifecycle-policy mode). */
    readonly policyName?: string;
    /** Rollover condition (manual-rollover and lifecycle-policy), e.g. `1d`. */
    readonly rolloverMaxAge?: string;
  };
  readonly spanShards: number;
  readonly replicas: number;
}

/** The four index types Jaeger writes. */
export const JAEGER_INDEX_TYPES = ['span', 'service', 'dependencies', 'sampling'] as const;

/** `<prefix>-` or the empty string. */
export function prefixWithDash(prefix: string | undefined): string {
  return prefix ? `${prefix}-` : '';
}

/** Index name patterns Jaeger writes (`<prefix>-jaeger-span-*`, ...). */
export function jaegerIndexPatterns(prefix: string | undefined): string[] {
  return JAEGER_INDEX_TYPES.map((t) => `${prefixWithDash(prefix)}jaeger-${t}-*`);
}

/** `max_span_age`: how far back Jaeger reads; equal to retention. */
export function maxSpanAge(retention: Retention): string {
  return `${retention.hours}h`;
}

/** Days the index cleaner keeps: the retention rounded up to whole days (at least 1, so today's index is never deleted). */
export function cleanerDays(retention: Retention): number {
  return retention.toDaysCeil();
}

function rotationOf(storage: JaegerStorageConfig, type: 'spans' | 'services' | 'dependencies' | 'sampling'): Record<string, unknown> {
  const periodic = { periodic: { date_layout: JAEGER_DATE_LAYOUT, rollover_frequency: 'day' } };
  // The sampling index only matters with adaptive sampling; es-rollover creates it only with --adaptive-sampling.
  if (type === 'sampling') return periodic;
  switch (storage.rotation.mode) {
    case 'daily': return periodic;
    case 'manual-rollover': return { manual_rollover: {} };
    case 'lifecycle-policy': return { auto_rollover: { policy_name: storage.rotation.policyName } };
  }
}

/** The `elasticsearch:`/`opensearch:` block of `jaeger_storage.backends.<name>`. */
export function renderStorageBackend(storage: JaegerStorageConfig, createMappings: boolean): Record<string, unknown> {
  const index = (type: 'spans' | 'services' | 'dependencies' | 'sampling', shards: number) =>
    ({ shards, replicas: storage.replicas, rotation: rotationOf(storage, type) });
  const auth = storage.auth.kind === 'basic'
    ? { auth: { basic: { username: `\${env:${JAEGER_ES_USERNAME_ENV}}`, password: `\${env:${JAEGER_ES_PASSWORD_ENV}}` } } }
    : storage.auth.kind === 'sigv4' ? { auth: { authenticator: 'sigv4auth' } } : {};
  const tls = storage.tls ? {
    ...(storage.tls.caFile ? { ca_file: storage.tls.caFile } : {}),
    ...(storage.tls.serverName ? { server_name_override: storage.tls.serverName } : {}),
    ...(storage.tls.insecureSkipVerify ? { insecure_skip_verify: true } : {}),
  } : undefined;
  return {
    [storage.engine]: {
      server_urls: storage.serverUrls,
      ...auth,
      ...(tls && Object.keys(tls).length > 0 ? { tls } : {}),
      // Cloud endpoints advertise node addresses clients cannot reach.
      sniffing: { enabled: false },
      create_mappings: createMappings,
      max_span_age: maxSpanAge(storage.retention),
      indices: {
        ...(storage.indexPrefix ? { index_prefix: storage.indexPrefix } : {}),
        spans: index('spans', storage.spanShards),
        services: index('services', 1),
        dependencies: index('dependencies', 1),
        sampling: index('sampling', 1),
      },
    },
  };
}

/**
 * Whether the collector creates index templates at startup. With daily
 * indices it does; with rollover the es-rollover init Job owns templates
 * (they carry the aliases and the ILM/ISM policy), so nobody else writes them.
 */
export function collectorCreatesMappings(storage: JaegerStorageConfig): boolean {
  return storage.rotation.mode === 'daily';
}

export interface JaegerCollectorConfigInput {
  readonly storage: JaegerStorageConfig;
  /** Accept the legacy Jaeger (gRPC, Thrift HTTP) and Zipkin protocols. */
  readonly legacyReceivers: boolean;
  /** Path of the remote-sampling strategies file inside the container. */
  readonly samplingStrategiesFile: string;
  readonly logLevel: string;
  /** `service.name` of Jaeger's own telemetry. */
  readonly serviceName: string;
}

export interface JaegerQueryConfigInput {
  readonly storage: JaegerStorageConfig;
  /** Path prefix Jaeger receives requests on (after any ingress rewrite), e.g. `/jaeger`. */
  readonly basePath?: string;
  readonly logLevel: string;
  readonly serviceName: string;
}

function telemetry(serviceName: string, logLevel: string): Record<string, unknown> {
  return {
    resource: { 'service.name': serviceName },
    metrics: {
      level: 'detailed',
      readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: JAEGER_METRICS.port } } } }],
    },
    logs: { level: logLevel },
  };
}

function commonExtensions(storage: JaegerStorageConfig, createMappings: boolean): Record<string, unknown> {
  return {
    healthcheckv2: { use_v2: true, http: { endpoint: bindAll(JAEGER_HEALTH) } },
    ...(storage.auth.kind === 'sigv4' ? { sigv4auth: { region: storage.auth.region, service: storage.auth.service } } : {}),
    jaeger_storage: { backends: { [JAEGER_BACKEND_NAME]: renderStorageBackend(storage, createMappings) } },
  };
}

function extensionNames(storage: JaegerStorageConfig, own: string[]): string[] {
  return ['healthcheckv2', ...(storage.auth.kind === 'sigv4' ? ['sigv4auth'] : []), 'jaeger_storage', ...own];
}

/** Config of the collector role: receivers, remote sampling, storage exporter. */
export function renderJaegerCollectorConfig(input: JaegerCollectorConfigInput): Record<string, unknown> {
  const receivers: Record<string, unknown> = {
    otlp: { protocols: { grpc: { endpoint: bindAll(JAEGER_OTLP_GRPC) }, http: { endpoint: bindAll(JAEGER_OTLP_HTTP) } } },
  };
  if (input.legacyReceivers) {
    receivers.jaeger = { protocols: { grpc: { endpoint: bindAll(JAEGER_LEGACY_GRPC) }, thrift_http: { endpoint: bindAll(JAEGER_LEGACY_THRIFT_HTTP) } } };
    receivers.zipkin = { endpoint: bindAll(JAEGER_ZIPKIN) };
  }
  return {
    service: {
      extensions: extensionNames(input.storage, ['remote_sampling']),
      pipelines: {
        traces: {
          receivers: Object.keys(receivers),
          processors: ['memory_limiter', 'batch'],
          exporters: ['jaeger_storage_exporter'],
        },
      },
      telemetry: telemetry(input.serviceName, input.logLevel),
    },
    extensions: {
      ...commonExtensions(input.storage, collectorCreatesMappings(input.storage)),
      remote_sampling: {
        file: { path: input.samplingStrategiesFile, reload_interval: '30s' },
        http: { endpoint: bindAll(JAEGER_SAMPLING_HTTP) },
        grpc: { endpoint: bindAll(JAEGER_SAMPLING_GRPC) },
      },
    },
    receivers,
    processors: {
      // First in the pipeline: refuse data before the container is OOM-killed.
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      batch: {},
    },
    exporters: {
      // Retries are off by default upstream; a storage hiccup would drop spans.
      jaeger_storage_exporter: { trace_storage: JAEGER_BACKEND_NAME, retry_on_failure: { enabled: true } },
    },
  };
}

/** Config of the query role: UI and query APIs, never writing templates. */
export function renderJaegerQueryConfig(input: JaegerQueryConfigInput): Record<string, unknown> {
  return {
    service: {
      extensions: extensionNames(input.storage, ['jaeger_query']),
      // An OpenTelemetry config needs a pipeline; the query role ingests nothing.
      pipelines: { traces: { receivers: ['nop'], exporters: ['nop'] } },
      telemetry: telemetry(input.serviceName, input.logLevel),
    },
    extensions: {
      ...commonExtensions(input.storage, false),
      jaeger_query: {
        ...(input.basePath ? { base_path: input.basePath } : {}),
        storage: { traces: JAEGER_BACKEND_NAME },
        http: { endpoint: bindAll(JAEGER_QUERY_HTTP) },
        grpc: { endpoint: bindAll(JAEGER_QUERY_GRPC) },
      },
    },
    receivers: { nop: {} },
    exporters: { nop: {} },
  };
}

/** A CLI invocation: arguments and plain environment (credentials are added by the construct from a Secret). */
export interface JaegerCliInvocation {
  readonly args: string[];
  readonly env: Record<string, string>;
}

function tlsFlags(storage: JaegerStorageConfig): string[] {
  if (!storage.tls) return [];
  return [
    '--es.tls.enabled=true',
    ...(storage.tls.caFile ? [`--es.tls.ca=${storage.tls.caFile}`] : []),
    ...(storage.tls.serverName ? [`--es.tls.server-name=${storage.tls.serverName}`] : []),
    ...(storage.tls.insecureSkipVerify ? ['--es.tls.skip-host-verify=true'] : []),
  ];
}

function prefixFlag(storage: JaegerStorageConfig): string[] {
  return storage.indexPrefix ? [`--index-prefix=${storage.indexPrefix}`] : [];
}

/**
 * `jaeger-es-index-cleaner <days> <url>`: deletes indices created more than
 * `days` days ago. `--rollover` follows the index mode: dated names for daily
 * indices, `-00000N` names for rollover (one run matches one naming style only).
 */
export function renderIndexCleaner(storage: JaegerStorageConfig): JaegerCliInvocation {
  if (storage.rotation.mode === 'lifecycle-policy') {
    throw new Error('the index cleaner does not run with lifecycle-policy rotation: the ILM/ISM policy deletes indices');
  }
  return {
    args: [
      String(cleanerDays(storage.retention)), storage.serverUrls[0],
      ...prefixFlag(storage),
      `--rollover=${storage.rotation.mode === 'manual-rollover'}`,
      ...tlsFlags(storage),
    ],
    env: {},
  };
}

/** `jaeger-es-rollover init`: templates, the first `-000001` indices and the read/write aliases. */
export function renderRolloverInit(storage: JaegerStorageConfig): JaegerCliInvocation {
  if (storage.rotation.mode === 'daily') throw new Error('es-rollover init only runs with rollover rotation');
  return {
    args: [
      'init', storage.serverUrls[0],
      ...prefixFlag(storage),
      `--shards=${storage.spanShards}`,
      `--replicas=${storage.replicas}`,
      ...(storage.rotation.mode === 'lifecycle-policy' ? ['--es.use-ilm=true', `--es.ilm-policy-name=${storage.rotation.policyName}`] : []),
      ...tlsFlags(storage),
    ],
    env: {},
  };
}

/** `jaeger-es-rollover rollover`: moves the write alias to a new index when the condition holds. */
export function renderRollover(storage: JaegerStorageConfig): JaegerCliInvocation {
  if (storage.rotation.mode !== 'manual-rollover') throw new Error('the rollover CronJob only runs with manual rollover');
  return {
    args: ['rollover', storage.serverUrls[0], ...prefixFlag(storage), ...tlsFlags(storage)],
    env: { CONDITIONS: JSON.stringify({ max_age: storage.rotation.rolloverMaxAge }) },
  };
}

/** `jaeger-es-rollover lookback`: removes indices older than the retention from the read alias. */
export function renderLookback(storage: JaegerStorageConfig): JaegerCliInvocation {
  if (storage.rotation.mode !== 'manual-rollover') throw new Error('the lookback CronJob only runs with manual rollover');
  return {
    args: ['lookback', storage.serverUrls[0], ...prefixFlag(storage), ...tlsFlags(storage)],
    env: { UNIT: 'days', UNIT_COUNT: String(cleanerDays(storage.retention)) },
  };
}

/** spark-dependencies image variant for the storage engine and version. */
export function sparkVariant(storage: JaegerStorageConfig): string {
  return storage.engine === 'opensearch' ? 'opensearch' : `elasticsearch${storage.majorVersion ?? 8}`;
}

/**
 * Environment of the spark-dependencies job. The OpenSearch variant reads
 * `OS_*`, the Elasticsearch ones `ES_*`; credentials are added by the construct.
 */
export function renderSparkEnv(storage: JaegerStorageConfig): { env: Record<string, string>; usernameEnv: string; passwordEnv: string } {
  const p = storage.engine === 'opensearch' ? 'OS' : 'ES';
  return {
    env: {
      [`${p}_NODES`]: storage.serverUrls.join(','),
      // Only the given URLs are reachable (Services, cloud endpoints), never the node addresses.
      [`${p}_NODES_WAN_ONLY`]: 'true',
      ...(storage.indexPrefix ? { [`${p}_INDEX_PREFIX`]: storage.indexPrefix } : {}),
      ...(storage.rotation.mode !== 'daily' ? { [`${p}_USE_ALIASES`]: 'true' } : {}),
    },
    usernameEnv: `${p}_USERNAME`,
    passwordEnv: `${p}_PASSWORD`,
  };
}

/**
 * The retention policy for lifecycle-policy rotation: roll over at
 * `rolloverMaxAge`, delete once the index rolled over more than the retention
 * ago (so no span is deleted before it is `retention` old). ILM for
 * Elasticsearch; ISM for OpenSearch, attached to Jaeger's indices by an
 * `ism_template` because Jaeger only sets the rollover alias there.
 */
export function renderRolloverPolicy(storage: JaegerStorageConfig): Record<string, unknown> {
  const maxAge = storage.rotation.rolloverMaxAge ?? '1d';
  const deleteAfter = maxSpanAge(storage.retention);
  if (storage.engine === 'elasticsearch') {
    return {
      policy: {
        phases: {
          hot: { min_age: '0ms', actions: { rollover: { max_age: maxAge } } },
          delete: { min_age: deleteAfter, actions: { delete: {} } },
        },
      },
    };
  }
  return {
    policy: {
      description: `Jaeger rollover at ${maxAge}, deletion ${deleteAfter} after rollover (managed by cdk-tracing)`,
      default_state: 'hot',
      states: [
        {
          name: 'hot',
          actions: [{ rollover: { min_index_age: maxAge } }],
          transitions: [{ state_name: 'delete', conditions: { min_rollover_age: deleteAfter } }],
        },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: rolloverIndexPatterns(storage.indexPrefix), priority: 100 }],
    },
  };
}

function rolloverIndexPatterns(prefix: string | undefined): string[] {
  // Spans, services and dependencies roll over; the sampling index stays daily.
  return ['span', 'service', 'dependencies'].map((t) => `${prefixWithDash(prefix)}jaeger-${t}-*`);
}

/**
 * Days after its creation an ISM policy may delete a daily index: the
 * retention in whole days plus one, because a daily index is created with the
 * first span of its UTC day and keeps receiving spans until midnight. Deleting
 * at creation + retention (as ISM would, checking all day long) would drop the
 * day's last spans up to one day before they are `retention` old. The cleaner
 * gets the same effect from running at 23:55, just before the day ends.
 */
export function dailyIsmDeleteDays(retention: Retention): number {
  return cleanerDays(retention) + 1;
}

/**
 * An ISM policy that deletes Jaeger's daily indices once their youngest span
 * is older than the retention ({@link dailyIsmDeleteDays} after creation):
 * what enforces retention on an IAM-only (SigV4) OpenSearch domain, where the
 * index cleaner cannot authenticate.
 */
export function renderDailyIsmDeletePolicy(prefix: string | undefined, retention: Retention): Record<string, unknown> {
  const days = dailyIsmDeleteDays(retention);
  return {
    policy: {
      description: `Delete Jaeger daily indices ${days}d after creation, when their last span is ${cleanerDays(retention)}d old (managed by cdk-tracing)`,
      default_state: 'hot',
      states: [
        { name: 'hot', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: `${days}d` } }] },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: jaegerIndexPatterns(prefix), priority: 100 }],
    },
  };
}

/** REST path of a lifecycle policy on the engine. */
export function rolloverPolicyPath(engine: JaegerEngine, policyName: string): string {
  return engine === 'elasticsearch' ? `/_ilm/policy/${policyName}` : `/_plugins/_ism/policies/${policyName}`;
}
