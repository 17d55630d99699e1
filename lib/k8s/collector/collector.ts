import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedSampling } from '../../core/sampling';
import { COLLECTOR_PORTS, TailSamplingSizing } from '../../render/collector-config';
import { renderSamplingStrategiesJson } from '../../render/sampling-strategies';
import { agentTier } from './agent';
import { gatewayTier } from './gateway';
import { CollectorSamplingMode, CollectorTier, TracingCollectorProps } from './props';
import { resolveCollector } from './resolve';
import { samplerTier } from './sampler';
import { TierScope } from './tier';
import { collectorScrape } from './monitoring';
import { IMetricsSource, MetricsScrape, resolveMonitorOptions } from '../scrape';

// The public names of the collector stay exported from this module (index.ts, instrumentation.ts import it).
export * from './props';
export { COLLECTOR_GOMEMLIMIT_RATIO, COLLECTOR_UID } from './pod';
export { METRICS_SERVICE_LABEL } from './monitoring';
export { KNOWN_RESOURCE_DETECTORS } from './resolve';
export { deriveTailSizing } from './sizing';

/**
 * The OpenTelemetry Collector tier, correct by construction:
 *
 * - **agent** DaemonSet: OTLP (4317/4318), Jaeger (14250, 14268, UDP 6831/6832) and Zipkin (9411) receivers
 *   on a node-local Service (`internalTrafficPolicy: Local`), k8s_attributes limited to its node,
 *   resource_detection, batch, a persistent queue to the gateway;
 * - **gateway** with a PDB, behind a headless Service the agents balance over: an autoscaled
 *   Deployment owning no queue when it forwards to the sampler (TAIL), a StatefulSet with a fixed
 *   replica count and a PersistentVolumeClaim per pod for its queue when it exports to the backend
 *   itself (HEAD, NONE);
 * - **sampler** StatefulSet with a fixed replica count and a PDB (tail sampling): the gateway routes by traceID with
 *   load_balancing and the k8s resolver, the sampler keeps what the {@link TraceSampling} model says
 *   and exports to the backend through a persistent queue on a PersistentVolumeClaim.
 *
 * Whichever tier exports to the backend keeps its queue on a PersistentVolumeClaim, so a backend
 * outage outlasting a pod replacement (rollout, eviction, node drain) loses no span.
 *
 * Every pipeline starts with memory_limiter, every pod is "restricted", GOMEMLIMIT is 80% of the
 * memory limit, metrics are on the pod IP port 8888 and health_check drives the probes.
 * Must live in a Chart with a namespace.
 */
export class TracingCollector extends Construct implements IMetricsSource {
  public readonly name: string;
  public readonly namespace: string;
  /** The sampling model as resolved. */
  public readonly sampling: ResolvedSampling;
  public readonly samplingMode: CollectorSamplingMode;
  /** Tail-sampling sizes derived from the declared traffic (tail mode only). */
  public readonly tailSizing?: TailSamplingSizing;
  public readonly agent: CollectorTier;
  public readonly gateway: CollectorTier;
  /** The sampler tier, in tail mode. */
  public readonly sampler?: CollectorTier;
  /** The strategies file served to SDKs, when remote sampling is on. */
  public readonly samplingStrategiesJson?: string;
  /** How the tiers' metrics are scraped, with `serviceMonitor`. */
  public readonly metricsScrape?: MetricsScrape;
  public readonly metricsSourceInfo: { readonly component: string; readonly enable: string };

  constructor(scope: Construct, id: string, props: TracingCollectorProps) {
    super(scope, id);
    // Every setting is checked before any object exists.
    const r = resolveCollector(this.node.path, Chart.of(this).namespace, props);
    this.namespace = r.namespace;
    this.name = r.name;
    this.samplingMode = r.samplingMode;
    this.sampling = r.sampling;
    this.tailSizing = r.tail?.sizing;
    const ctx: TierScope = { scope: this, instance: this.name, namespace: this.namespace, monitor: props.serviceMonitor };
    this.metricsSourceInfo = { component: `collector ${this.namespace}/${this.name}`, enable: `serviceMonitor: {} on TracingCollector ${this.node.path}` };
    if (props.serviceMonitor) resolveMonitorOptions(this.node.path, 'serviceMonitor', props.serviceMonitor);

    // Sampler first: the gateway's resolver points at it. The creation order is the order of the manifests.
    this.sampler = r.tail ? samplerTier(ctx, r, r.tail) : undefined;
    this.gateway = gatewayTier(ctx, r, this.sampler);
    this.samplingStrategiesJson = r.remoteSampling ? renderSamplingStrategiesJson(this.sampling) : undefined;
    this.agent = agentTier(ctx, r, this.gateway, this.samplingStrategiesJson);
    if (props.serviceMonitor) this.metricsScrape = collectorScrape(this, [this.agent, this.gateway, ...(this.sampler ? [this.sampler] : [])]);
  }

  /** Service DNS name of the agents' node-local Service: what applications export to. */
  public get agentHost(): string {
    return `${this.agent.name}.${this.namespace}.svc.cluster.local`;
  }

  /** OTLP/gRPC URL of the node-local agent (`http://<agent>:4317`). */
  public get agentOtlpGrpcUrl(): string {
    return `http://${this.agentHost}:${COLLECTOR_PORTS.otlpGrpc}`;
  }

  /** OTLP/HTTP base URL of the node-local agent (`http://<agent>:4318`). */
  public get agentOtlpHttpUrl(): string {
    return `http://${this.agentHost}:${COLLECTOR_PORTS.otlpHttp}`;
  }

  /**
   * Base URL of the agents' remote-sampling HTTP server (`http://<agent>:5778`), when remote sampling is on.
   * The strategies are served at `/sampling?service=<name>` under it (the only path the collector serves).
   */
  public get remoteSamplingUrl(): string | undefined {
    return this.samplingStrategiesJson ? `http://${this.agentHost}:${COLLECTOR_PORTS.remoteSamplingHttp}` : undefined;
  }

  /**
   * URL of the agents' remote-sampling gRPC server (`http://<agent>:5779`, plaintext
   * `jaeger.api_v2.SamplingManager`), when remote sampling is on: what the Java SDK's sampler uses.
   */
  public get remoteSamplingGrpcUrl(): string | undefined {
    return this.samplingStrategiesJson ? `http://${this.agentHost}:${COLLECTOR_PORTS.remoteSamplingGrpc}` : undefined;
  }
}
