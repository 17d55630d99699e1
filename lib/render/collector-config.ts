import { ResolvedSampling, SamplingStrategyType } from '../core/sampling';

/**
 * Pure renderers of OpenTelemetry Collector configs (component names of the
 * pinned 0.161.0 release) for the three tiers:
 *
 * - agent (DaemonSet): every receiver, memory_limiter, k8s_attributes,
 *   resource_detection, batch, a persistent queue to the gateway;
 * - gateway: head sampling or none, exporting to the backend through a
 *   persistent queue (a StatefulSet, the queue on a PersistentVolumeClaim); or,
 *   when tail sampling runs, a synchronous load_balancing exporter keyed on
 *   traceID towards the sampler tier (an autoscaled Deployment owning no queue);
 * - sampler (StatefulSet): tail_sampling, exporting to the backend through a
 *   persistent queue.
 *
 * Ports and paths are constants shared with the constructs.
 */

/** Ports every tier uses. Service, container and config ports all read this table. */
export const COLLECTOR_PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  jaegerGrpc: 14250,
  jaegerThriftHttp: 14268,
  jaegerCompact: 6831,
  jaegerBinary: 6832,
  zipkin: 9411,
  metrics: 8888,
  health: 13133,
  /** Jaeger remote sampling over HTTP (`/sampling?service=`), the port SDKs expect. */
  remoteSamplingHttp: 5778,
  /** Jaeger remote sampling over gRPC. 14250 is taken by the Jaeger receiver, so we use Jaeger v2's 5779. */
  remoteSamplingGrpc: 5779,
} as const;

/** A listening port of a tier, as the constructs expose it. */
export interface CollectorListenPort {
  /** Kubernetes port name (at most 15 characters). */
  readonly name: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly appProtocol?: string;
}

/** Receiver ports of the agent. */
export const AGENT_RECEIVER_PORTS: readonly CollectorListenPort[] = [
  { name: 'otlp-grpc', port: COLLECTOR_PORTS.otlpGrpc, protocol: 'TCP', appProtocol: 'grpc' },
  { name: 'otlp-http', port: COLLECTOR_PORTS.otlpHttp, protocol: 'TCP', appProtocol: 'http' },
  { name: 'jaeger-grpc', port: COLLECTOR_PORTS.jaegerGrpc, protocol: 'TCP', appProtocol: 'grpc' },
  { name: 'jaeger-http', port: COLLECTOR_PORTS.jaegerThriftHttp, protocol: 'TCP', appProtocol: 'http' },
  { name: 'jaeger-compact', port: COLLECTOR_PORTS.jaegerCompact, protocol: 'UDP' },
  { name: 'jaeger-binary', port: COLLECTOR_PORTS.jaegerBinary, protocol: 'UDP' },
  { name: 'zipkin', port: COLLECTOR_PORTS.zipkin, protocol: 'TCP', appProtocol: 'http' },
];

/** Remote-sampling ports (agent, when remote sampling is on). */
export const REMOTE_SAMPLING_PORTS: readonly CollectorListenPort[] = [
  { name: 'sampling-http', port: COLLECTOR_PORTS.remoteSamplingHttp, protocol: 'TCP', appProtocol: 'http' },
  { name: 'sampling-grpc', port: COLLECTOR_PORTS.remoteSamplingGrpc, protocol: 'TCP', appProtocol: 'grpc' },
];

/** OTLP receiver ports of the gateway and sampler tiers. */
export const OTLP_RECEIVER_PORTS: readonly CollectorListenPort[] = AGENT_RECEIVER_PORTS.slice(0, 2);

/** Where the constructs mount the config ConfigMap, and the file name. */
export const COLLECTOR_CONFIG_DIR = '/conf';
export const COLLECTOR_CONFIG_FILE = 'config.yaml';
/** Where the strategies file is mounted when remote sampling is on. */
export const COLLECTOR_SAMPLING_DIR = '/etc/otelcol/sampling';
/** The persistent queue's directory; the constructs mount a volume here. */
export const COLLECTOR_QUEUE_DIR = '/var/lib/otelcol/queue';
/** Env var the constructs fill with the pod IP (downward API). */
export const POD_IP_ENV = 'MY_POD_IP';
/** Env var the constructs fill with the node name (downward API). */
export const NODE_NAME_ENV = 'K8S_NODE_NAME';
/** id of the file_storage extension holding the persistent queue. */
export const QUEUE_STORAGE_ID = 'file_storage/queue';

/** An OTLP/gRPC destination. */
export interface OtlpGrpcTarget {
  /** gRPC target: `host:port` or `dns:///host:port`. */
  readonly endpoint: string;
  /** Plaintext (in-cluster) instead of TLS. */
  readonly insecure: boolean;
  /** Extra request headers, e.g. `X-Scope-OrgID` for a multi-tenant Tempo. */
  readonly headers?: Record<string, string>;
}

/** The header a multi-tenant Tempo reads the tenant from. */
export const TENANT_HEADER = 'X-Scope-OrgID';

/** One tenant of {@link TenantRoutingInput} and the attribute values that mean it. */
export interface TenantRoute {
  readonly tenant: string;
  readonly values: readonly string[];
}

/**
 * Per-tenant routing in the tier that exports to the backend: the main pipeline ends in the
 * `forward/tenants` connector, which fans out to one pipeline per tenant; each keeps only its
 * tenant's resources (filter on the resource attribute) and exports with its own `X-Scope-OrgID`
 * and its own persistent queue. The tenant is read from the data, so batching and load balancing
 * upstream cannot lose it.
 */
export interface TenantRoutingInput {
  /** Resource attribute whose value names the tenant, e.g. `k8s.namespace.name`. */
  readonly attribute: string;
  readonly routes: readonly TenantRoute[];
  /** Tenant that also receives resources matching no route; unset: they are dropped through `debug/unmatched`. */
  readonly unmatchedTenant?: string;
}

/** The connector that fans the exporting tier's spans out to the tenants' pipelines. */
export const TENANT_FANOUT_CONNECTOR = 'forward/tenants';
/** Where spans that match no tenant are dropped, counted (`otelcol_exporter_sent_spans`) and logged. */
export const UNMATCHED_EXPORTER = 'debug/unmatched';

/** Every tenant the routing delivers to, in order: the routes', then the unmatched tenant if it has no route. */
export function routedTenants(tenancy: TenantRoutingInput): string[] {
  const tenants = tenancy.routes.map((r) => r.tenant);
  if (tenancy.unmatchedTenant !== undefined && !tenants.includes(tenancy.unmatchedTenant)) tenants.push(tenancy.unmatchedTenant);
  return tenants;
}

/** Settings every tier shares. */
export interface CommonTierInput {
  /** memory_limiter hard limit, % of the container memory limit. */
  readonly memoryLimitPercentage: number;
  /** memory_limiter spike allowance, % of the container memory limit. */
  readonly memorySpikePercentage: number;
  /** Persistent queue length in requests (batches); unset for a tier that owns no queue (the gateway in TAIL mode). */
  readonly queueSize?: number;
  /** batch processor `send_batch_size`; `send_batch_max_size` is twice this. */
  readonly batchSize: number;
  /** Collector log level. */
  readonly logLevel: string;
}

/** Input of {@link renderAgentConfig}. */
export interface AgentConfigInput extends CommonTierInput {
  /** Where the agent sends: the gateway's headless Service (`dns:///...:4317`). */
  readonly gateway: OtlpGrpcTarget;
  /** resource_detection detectors, e.g. `['env', 'k8s_api']`. */
  readonly resourceDetectors: readonly string[];
  /** Path of the strategies file to serve to SDK remote samplers; no remote sampling when unset. */
  readonly remoteSamplingFile?: string;
}

/** Input of {@link renderGatewayConfig}. */
export interface GatewayConfigInput extends CommonTierInput {
  /** Head-sampling probability (probabilistic_sampler); no head sampling when unset. */
  readonly headSamplingRatio?: number;
  /** The backend, when the gateway exports to it (no tail sampling). */
  readonly backend?: OtlpGrpcTarget;
  /** Per-tenant routing towards the backend; `queueSize` is then each tenant exporter's. */
  readonly tenancy?: TenantRoutingInput;
  /** The sampler tier, when tail sampling runs: Service `name.namespace` for the k8s resolver. */
  readonly sampler?: { readonly service: string; readonly port: number };
  /** gRPC `max_connection_age` so long-lived agent connections rebalance after scale-out, e.g. `60s`. */
  readonly maxConnectionAge: string;
}

/** Tail-sampling sizes derived from declared traffic. */
export interface TailSamplingSizing {
  readonly decisionWaitSeconds: number;
  readonly numTraces: number;
  readonly expectedNewTracesPerSecond: number;
  /** Entries in each decision cache (sampled, non-sampled): late spans follow the decision. */
  readonly decisionCacheSize: number;
  /** Average spans per trace, to turn traces/s budgets into spans/s. */
  readonly spansPerTrace: number;
}

/** Input of {@link renderSamplerConfig}. */
export interface SamplerConfigInput extends CommonTierInput {
  readonly sampling: ResolvedSampling;
  readonly sizing: TailSamplingSizing;
  readonly backend: OtlpGrpcTarget;
  /** Per-tenant routing towards the backend; `queueSize` is then each tenant exporter's. */
  readonly tenancy?: TenantRoutingInput;
}

const env = (name: string) => `\${env:${name}}`;
const anyAddr = (port: number) => `0.0.0.0:${port}`;

function extensions(extra: Record<string, unknown> = {}, queueStorage = true): Record<string, unknown> {
  return {
    health_check: { endpoint: `${env(POD_IP_ENV)}:${COLLECTOR_PORTS.health}` },
    ...(queueStorage ? {
      [QUEUE_STORAGE_ID]: {
        directory: COLLECTOR_QUEUE_DIR,
        create_directory: false,
        timeout: '1s',
        // Without compaction the bbolt file never shrinks after a backlog.
        compaction: { on_start: true, on_rebound: true, directory: COLLECTOR_QUEUE_DIR },
      },
    } : {}),
    ...extra,
  };
}

function queueSizeOf(input: CommonTierInput, tier: string): number {
  if (input.queueSize === undefined) throw new Error(`${tier}: a tier that exports through a persistent queue needs queueSize`);
  return input.queueSize;
}

function memoryLimiter(input: CommonTierInput): Record<string, unknown> {
  return { check_interval: '1s', limit_percentage: input.memoryLimitPercentage, spike_limit_percentage: input.memorySpikePercentage };
}

function batch(input: CommonTierInput): Record<string, unknown> {
  return { send_batch_size: input.batchSize, send_batch_max_size: input.batchSize * 2, timeout: '200ms' };
}

function telemetry(logLevel: string): Record<string, unknown> {
  return {
    logs: { level: logLevel, encoding: 'json' },
    metrics: {
      level: 'detailed',
      readers: [{ pull: { exporter: { prometheus: { host: env(POD_IP_ENV), port: COLLECTOR_PORTS.metrics } } } }],
    },
  };
}

/** A persistent sending queue and unbounded retries: nothing is dropped while the destination restarts. */
function durableDelivery(queueSize: number): Record<string, unknown> {
  return {
    timeout: '10s',
    sending_queue: { enabled: true, storage: QUEUE_STORAGE_ID, queue_size: queueSize, num_consumers: 10 },
    // max_elapsed_time 0: retry until the destination is back; the bounded on-disk queue applies backpressure.
    retry_on_failure: { enabled: true, initial_interval: '1s', max_interval: '30s', max_elapsed_time: '0s' },
  };
}

function otlpGrpcExporter(target: OtlpGrpcTarget, queueSize: number): Record<string, unknown> {
  return {
    endpoint: target.endpoint,
    tls: { insecure: target.insecure },
    compression: 'gzip',
    ...(target.endpoint.startsWith('dns:///') ? { balancer_name: 'round_robin' } : {}),
    ...(target.headers && Object.keys(target.headers).length > 0 ? { headers: { ...target.headers } } : {}),
    ...durableDelivery(queueSize),
  };
}

function otlpReceiver(maxConnectionAge?: string): Record<string, unknown> {
  return {
    protocols: {
      grpc: {
        endpoint: anyAddr(COLLECTOR_PORTS.otlpGrpc),
        ...(maxConnectionAge ? { keepalive: { server_parameters: { max_connection_age: maxConnectionAge, max_connection_age_grace: '30s' } } } : {}),
      },
      http: { endpoint: anyAddr(COLLECTOR_PORTS.otlpHttp) },
    },
  };
}

function service(input: CommonTierInput, exts: string[], receivers: string[], processors: string[], exporters: string[],
  extraPipelines: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    extensions: exts,
    telemetry: telemetry(input.logLevel),
    pipelines: { traces: { receivers, processors, exporters }, ...extraPipelines },
  };
}

/** What the exporting tier adds after its main processors: batching and the exporter(s) to the backend. */
interface BackendExport {
  readonly processors: Record<string, unknown>;
  /** The main pipeline's processors after `order`. */
  readonly tail: string[];
  readonly exporters: Record<string, unknown>;
  /** The main pipeline's exporters. */
  readonly mainExporters: string[];
  readonly connectors?: Record<string, unknown>;
  readonly pipelines: Record<string, unknown>;
}

const ottlString = (v: string) => JSON.stringify(v);

/**
 * One exporter to the backend, or with `tenancy` one per tenant behind the `forward/tenants` fan-out.
 * Each tenant pipeline drops, by a resource-level condition (so whole resources, never parts of one),
 * the resources of other tenants, then batches and exports with its tenant's header and queue. Spans
 * matching no tenant go to the unmatched tenant, or through `debug/unmatched`, never nowhere.
 */
function backendExport(input: CommonTierInput, backend: OtlpGrpcTarget, tenancy: TenantRoutingInput | undefined, tier: string): BackendExport {
  const queueSize = queueSizeOf(input, tier);
  if (!tenancy) {
    return {
      processors: { batch: batch(input) }, tail: ['batch'],
      exporters: { 'otlp_grpc/backend': otlpGrpcExporter(backend, queueSize) }, mainExporters: ['otlp_grpc/backend'], pipelines: {},
    };
  }
  const attribute = `resource.attributes[${ottlString(tenancy.attribute)}]`;
  const anyOf = (values: readonly string[]) => values.map((v) => `${attribute} == ${ottlString(v)}`).join(' or ');
  const processors: Record<string, unknown> = { batch: batch(input) };
  const exporters: Record<string, unknown> = {};
  const pipelines: Record<string, unknown> = {};
  for (const tenant of routedTenants(tenancy)) {
    const own = tenancy.routes.find((r) => r.tenant === tenant)?.values ?? [];
    const others = tenancy.routes.filter((r) => r.tenant !== tenant).flatMap((r) => r.values);
    // The unmatched tenant keeps everything no other tenant claims; every other tenant keeps only its own.
    const drop = tenant === tenancy.unmatchedTenant
      ? (others.length > 0 ? anyOf(others) : undefined)
      : `not (${anyOf(own)})`;
    const filterId = `filter/tenant-${tenant}`;
    if (drop !== undefined) processors[filterId] = { trace_conditions: [drop] };
    const exporterId = `otlp_grpc/tenant-${tenant}`;
    exporters[exporterId] = otlpGrpcExporter({ ...backend, headers: { ...backend.headers, [TENANT_HEADER]: tenant } }, queueSize);
    pipelines[`traces/tenant-${tenant}`] = {
      receivers: [TENANT_FANOUT_CONNECTOR],
      processors: ['memory_limiter', ...(drop !== undefined ? [filterId] : []), 'batch'],
      exporters: [exporterId],
    };
  }
  if (tenancy.unmatchedTenant === undefined) {
    processors['filter/unmatched'] = { trace_conditions: [anyOf(tenancy.routes.flatMap((r) => r.values))] };
    // basic: one log line per batch (sampled); the exporter's sent-spans counter is the number dropped.
    exporters[UNMATCHED_EXPORTER] = { verbosity: 'basic', sampling_initial: 1, sampling_thereafter: 100 };
    pipelines['traces/unmatched'] = {
      receivers: [TENANT_FANOUT_CONNECTOR], processors: ['memory_limiter', 'filter/unmatched'], exporters: [UNMATCHED_EXPORTER],
    };
  }
  return {
    processors, tail: [], exporters, mainExporters: [TENANT_FANOUT_CONNECTOR],
    connectors: { [TENANT_FANOUT_CONNECTOR]: {} }, pipelines,
  };
}

/**
 * resource_detection that cannot stop the agent. Since contrib 0.142 a detector error fails the
 * processor's start, and with it the collector; so no detector may return one:
 * - `fail_on_missing_metadata: false` (the default, written out because the agent's life depends on it):
 *   eks, gcp, aks and azure report an unreachable metadata service as "no attributes";
 * - eks and k8s_api read the node from the downward-API variable: without it, where pods cannot reach
 *   IMDS (hop limit 1, the default with Karpenter and EKS Auto Mode), eks learns nothing from the API;
 * - k8s_api's `k8s.cluster.uid` (a read of the kube-system Namespace) is the one lookup it turns into an
 *   error when the API server does not answer in time, so it is off.
 */
function resourceDetection(detectors: readonly string[]): Record<string, unknown> {
  const perDetector: Record<string, unknown> = {};
  if (detectors.includes('k8s_api')) {
    perDetector.k8s_api = { node_from_env_var: NODE_NAME_ENV, resource_attributes: { 'k8s.cluster.uid': { enabled: false } } };
  }
  if (detectors.includes('eks')) perDetector.eks = { node_from_env_var: NODE_NAME_ENV };
  return { detectors: [...detectors], timeout: '5s', override: false, fail_on_missing_metadata: false, ...perDetector };
}

/** The agent's config. */
export function renderAgentConfig(input: AgentConfigInput): Record<string, unknown> {
  const extraExtensions: Record<string, unknown> = input.remoteSamplingFile
    ? {
      jaegerremotesampling: {
        source: { file: input.remoteSamplingFile, reload_interval: '30s' },
        http: { endpoint: anyAddr(COLLECTOR_PORTS.remoteSamplingHttp) },
        grpc: { endpoint: anyAddr(COLLECTOR_PORTS.remoteSamplingGrpc) },
      },
    }
    : {};
  const exts = extensions(extraExtensions);
  return {
    extensions: exts,
    receivers: {
      otlp: otlpReceiver(),
      jaeger: {
        protocols: {
          grpc: { endpoint: anyAddr(COLLECTOR_PORTS.jaegerGrpc) },
          thrift_http: { endpoint: anyAddr(COLLECTOR_PORTS.jaegerThriftHttp) },
          thrift_compact: { endpoint: anyAddr(COLLECTOR_PORTS.jaegerCompact) },
          thrift_binary: { endpoint: anyAddr(COLLECTOR_PORTS.jaegerBinary) },
        },
      },
      zipkin: { endpoint: anyAddr(COLLECTOR_PORTS.zipkin) },
    },
    processors: {
      memory_limiter: memoryLimiter(input),
      k8s_attributes: {
        auth_type: 'serviceAccount',
        passthrough: false,
        // Watch only this node's pods: memory and API-server load stay flat as the cluster grows.
        filter: { node_from_env_var: NODE_NAME_ENV },
        pod_association: [
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.ip' }] },
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] },
          { sources: [{ from: 'connection' }] },
        ],
        extract: {
          metadata: [
            'k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.node.name', 'k8s.container.name',
            'k8s.deployment.name', 'k8s.replicaset.name', 'k8s.statefulset.name', 'k8s.daemonset.name',
            'k8s.job.name', 'k8s.cronjob.name',
          ],
        },
      },
      resource_detection: resourceDetection(input.resourceDetectors),
      batch: batch(input),
    },
    exporters: {
      'otlp_grpc/gateway': otlpGrpcExporter(input.gateway, queueSizeOf(input, 'renderAgentConfig')),
    },
    service: service(input, Object.keys(exts), ['otlp', 'jaeger', 'zipkin'],
      ['memory_limiter', 'k8s_attributes', 'resource_detection', 'batch'], ['otlp_grpc/gateway']),
  };
}

/** The gateway's config. */
export function renderGatewayConfig(input: GatewayConfigInput): Record<string, unknown> {
  if (!input.backend === !input.sampler) {
    throw new Error('renderGatewayConfig: give exactly one of backend (no tail sampling) or sampler (tail sampling)');
  }
  if (input.sampler && input.tenancy) {
    throw new Error('renderGatewayConfig: tenancy applies where spans leave for the backend (the sampler in tail mode)');
  }
  // In TAIL mode the gateway owns no queue (it autoscales, and a queue on a removed pod would be lost).
  const exts = extensions({}, !input.sampler);
  const processors: Record<string, unknown> = { memory_limiter: memoryLimiter(input) };
  const order = ['memory_limiter'];
  if (input.headSamplingRatio !== undefined) {
    processors.probabilistic_sampler = {
      sampling_percentage: toPercentage(input.headSamplingRatio),
      mode: 'proportional',
      fail_closed: false,
    };
    order.push('probabilistic_sampler');
  }
  if (input.sampler) {
    const exporters = {
      'load_balancing/sampler': {
        routing_key: 'traceID',
        protocol: {
          otlp: {
            tls: { insecure: true },
            compression: 'gzip',
            timeout: '10s',
            sending_queue: { enabled: false },
            retry_on_failure: { enabled: false },
          },
        },
        resolver: { k8s: { service: input.sampler.service, ports: [input.sampler.port], timeout: '1s' } },
        // No queue and no retries here: the export is synchronous, so a sampler that does not take the spans
        // fails the agent's request with a retryable error, and the span stays in the agent's queue. The
        // gateway holds nothing, so the autoscaler may remove a gateway pod without losing a span.
        timeout: '10s',
        sending_queue: { enabled: false },
        retry_on_failure: { enabled: false },
      },
    };
    return {
      extensions: exts,
      receivers: { otlp: otlpReceiver(input.maxConnectionAge) },
      processors,
      exporters,
      service: service(input, Object.keys(exts), ['otlp'], order, Object.keys(exporters)),
    };
  }
  const out = backendExport(input, input.backend!, input.tenancy, 'renderGatewayConfig');
  return {
    extensions: exts,
    receivers: { otlp: otlpReceiver(input.maxConnectionAge) },
    processors: { ...processors, ...out.processors },
    exporters: out.exporters,
    ...(out.connectors ? { connectors: out.connectors } : {}),
    service: service(input, Object.keys(exts), ['otlp'], [...order, ...out.tail], out.mainExporters, out.pipelines),
  };
}

/** Tail-sampling policies from the sampling model. */
export function renderTailSamplingPolicies(sampling: ResolvedSampling, spansPerTrace: number): Array<Record<string, unknown>> {
  const policies: Array<Record<string, unknown>> = [];
  if (sampling.keepErrors) {
    policies.push({ name: 'keep-errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } });
  }
  if (sampling.latencyThresholdMs !== undefined) {
    policies.push({ name: 'keep-slow', type: 'latency', latency: { threshold_ms: sampling.latencyThresholdMs } });
  }
  const serviceMatch = (name: string, services: string[], invert = false) => ({
    name, type: 'string_attribute', string_attribute: { key: 'service.name', values: services, ...(invert ? { invert_match: true } : {}) },
  });
  for (const s of sampling.services) {
    const rate = s.type === SamplingStrategyType.RATE_LIMITING
      ? { name: `service-${s.service}-rate`, type: 'rate_limiting', rate_limiting: { spans_per_second: Math.max(1, Math.round(s.param * spansPerTrace)) } }
      : { name: `service-${s.service}-rate`, type: 'probabilistic', probabilistic: { sampling_percentage: toPercentage(s.param) } };
    policies.push({
      name: `service-${s.service}`,
      type: 'and',
      // The service match comes first: the rate is only evaluated (and, for rate_limiting, only spent) on this service's traces.
      and: { and_sub_policy: [serviceMatch(`service-${s.service}-match`, [s.service]), rate] },
    });
  }
  if (sampling.baselineRatio > 0) {
    const baselineRate = { name: 'baseline-rate', type: 'probabilistic', probabilistic: { sampling_percentage: toPercentage(sampling.baselineRatio) } };
    if (sampling.services.length === 0) {
      policies.push({ ...baselineRate, name: 'baseline' });
    } else {
      // Traces touching a service with its own rule are sampled at that rule's rate, not the baseline.
      policies.push({
        name: 'baseline',
        type: 'and',
        and: { and_sub_policy: [serviceMatch('baseline-other-services', sampling.services.map((s) => s.service), true), baselineRate] },
      });
    }
  }
  return policies;
}

/** The sampler's config. */
export function renderSamplerConfig(input: SamplerConfigInput): Record<string, unknown> {
  const { sampling, sizing } = input;
  const policies = renderTailSamplingPolicies(sampling, sizing.spansPerTrace);
  if (policies.length === 0) {
    throw new Error('renderSamplerConfig: the sampling model keeps nothing (no errors, no latency, no services, baseline 0)');
  }
  const exts = extensions();
  const processors: Record<string, unknown> = {
    memory_limiter: memoryLimiter(input),
    tail_sampling: {
      decision_wait: `${sizing.decisionWaitSeconds}s`,
      num_traces: sizing.numTraces,
      expected_new_traces_per_sec: sizing.expectedNewTracesPerSecond,
      decision_cache: { sampled_cache_size: sizing.decisionCacheSize, non_sampled_cache_size: sizing.decisionCacheSize },
      policies,
    },
  };
  const order = ['memory_limiter', 'tail_sampling'];
  if (sampling.maxSpansPerSecond !== undefined) {
    // A second, short tail-sampling stage caps what the first one kept; error traces pass uncapped when kept.
    const capWaitSeconds = 2;
    const capPolicies: Array<Record<string, unknown>> = [];
    if (sampling.keepErrors) capPolicies.push({ name: 'keep-errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } });
    capPolicies.push({ name: 'rate-limit', type: 'rate_limiting', rate_limiting: { spans_per_second: sampling.maxSpansPerSecond } });
    // Sized from what arrives, not from the cap: the cap stage sees every trace the first stage kept (at most every new
    // trace of this replica), and a trace evicted from a full buffer before its decision is dropped, error traces included.
    const capTraces = Math.max(1000, Math.ceil(sizing.expectedNewTracesPerSecond * capWaitSeconds * 2));
    processors['tail_sampling/rate_limit'] = {
      decision_wait: `${capWaitSeconds}s`,
      num_traces: capTraces,
      policies: capPolicies,
    };
    order.push('tail_sampling/rate_limit');
  }
  const out = backendExport(input, input.backend, input.tenancy, 'renderSamplerConfig');
  return {
    extensions: exts,
    receivers: { otlp: otlpReceiver() },
    processors: { ...processors, ...out.processors },
    exporters: out.exporters,
    ...(out.connectors ? { connectors: out.connectors } : {}),
    service: service(input, Object.keys(exts), ['otlp'], [...order, ...out.tail], out.mainExporters, out.pipelines),
  };
}

/** A probability as the collector's percentage, without float noise (0.3 -> 30). */
export function toPercentage(ratio: number): number {
  return Math.round(ratio * 100 * 1e6) / 1e6;
}
