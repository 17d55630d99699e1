import { Chart } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateAnnotations, validateDnsLabel } from '../core/names';
import { Retention } from '../core/retention';
import { ResolvedSampling, TraceSampling } from '../core/sampling';
import { IMAGES, versionOfImage } from '../core/versions';
import { JaegerStorageConfig } from '../render/jaeger-config';
import { JAEGER_OTLP_GRPC, JAEGER_OTLP_HTTP, JAEGER_QUERY_GRPC, JAEGER_QUERY_HTTP, JAEGER_SAMPLING_GRPC, JAEGER_SAMPLING_HTTP } from '../render/jaeger-ports';
import { collectorRole, resolveCollector } from './jaeger/collector-role';
import { JaegerContext } from './jaeger/context';
import { dependenciesJob } from './jaeger/dependencies-job';
import { jaegerPodMonitors } from './jaeger/monitoring';
import { JaegerProps } from './jaeger/props';
import { queryRole, resolveQuery } from './jaeger/query-role';
import { retentionJobs } from './jaeger/retention-jobs';
import { maintenanceNetworkPolicy } from './jaeger/services-and-policies';
import { JaegerIndexRotation, ResolvedJaegerStorage, resolveJaegerStorage } from './jaeger-storage';
import { standardLabels } from './labels';
import { IMetricsSource, MetricsScrape } from './scrape';

// The builders live in ./jaeger/; this file keeps the construct that wires them, and the public API.
export * from './jaeger/props';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];

/**
 * Jaeger v2 on Elasticsearch or OpenSearch: a collector role (Deployment,
 * HorizontalPodAutoscaler, PodDisruptionBudget, Service with OTLP, legacy and
 * remote-sampling ports), a query role (Deployment, Service, UI and APIs,
 * `create_mappings: false`), the retention jobs of the chosen index rotation,
 * optionally spark-dependencies; restricted pods and NetworkPolicies throughout.
 * Must live in a Chart with a namespace.
 */
export class Jaeger extends Construct implements IMetricsSource {
  public readonly name: string;
  public readonly namespace: string;
  /** Resolved storage, as every role and job sees it. */
  public readonly storage: JaegerStorageConfig;
  public readonly collectorConfig: Record<string, unknown>;
  public readonly queryConfig: Record<string, unknown>;
  public readonly sampling: ResolvedSampling;
  public readonly serviceAccountName: string;
  public readonly collectorService: k8s.KubeService;
  public readonly queryService: k8s.KubeService;
  public readonly collectorDeployment: k8s.KubeDeployment;
  public readonly queryDeployment: k8s.KubeDeployment;
  /** Path prefix of the UI and API. */
  public readonly basePath: string;
  /** Namespaces the NetworkPolicies admit to the receivers and query ports; undefined means every namespace. */
  public readonly allowedNamespaces?: string[];
  /** How Jaeger's metrics are scraped, with `podMonitor`. */
  public readonly metricsScrape?: MetricsScrape;
  public readonly metricsSourceInfo: { readonly component: string; readonly enable: string };

  private readonly resolved: ResolvedJaegerStorage;
  private readonly image: string;
  private readonly labelsFor: (component: string, image?: string) => Record<string, string>;

  constructor(scope: Construct, id: string, props: JaegerProps) {
    super(scope, id);
    const path = this.node.path;
    const namespace = Chart.of(this).namespace;
    if (!namespace) {
      throw configError(path, 'the chart holding Jaeger has no namespace, so Service DNS names cannot be computed', namespace,
        'create the chart with { namespace: "tracing" } (or use JaegerChart)');
    }
    this.namespace = namespace;
    this.name = props.name ?? 'jaeger';
    validateDnsLabel(path, 'name', this.name, 30);
    this.image = props.image ?? IMAGES.jaeger;
    const logLevel = props.logLevel ?? 'info';
    if (!LOG_LEVELS.includes(logLevel)) throw configError(path, 'logLevel is not a Jaeger log level', logLevel, `use one of ${LOG_LEVELS.join(', ')}`);

    validateAnnotations(path, 'serviceAccountAnnotations', props.serviceAccountAnnotations);
    this.resolved = resolveJaegerStorage(path, {
      storage: props.storage,
      retention: props.retention ?? Retention.days(7),
      indexPrefix: props.indexPrefix,
      indexRotation: props.indexRotation ?? JaegerIndexRotation.daily(),
      spanShards: props.spanShards ?? 3,
      indexReplicas: props.indexReplicas ?? 1,
    });
    this.storage = this.resolved.config;

    // Every option is validated before the first object is created.
    const collector = resolveCollector(path, props.collector);
    const query = resolveQuery(path, props.query);
    this.basePath = query.basePath ?? '';
    this.allowedNamespaces = props.allowedNamespaces ? [...props.allowedNamespaces] : undefined;
    const allowedNamespaces = props.allowedNamespaces;
    allowedNamespaces?.forEach((ns) => validateDnsLabel(path, 'allowedNamespaces entry', ns));
    const legacyReceivers = props.legacyReceivers ?? true;
    this.sampling = (props.sampling ?? TraceSampling.of()).resolve(path);

    this.labelsFor = (component, image = this.image) => standardLabels({ name: 'jaeger', instance: this.name, component, version: versionOfImage(image) });
    this.serviceAccountName = this.name;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, labels: this.labelsFor('server'), annotations: props.serviceAccountAnnotations },
      automountServiceAccountToken: false,
    });

    // The builders add their objects to this construct, in this order (the order of the manifests).
    const ctx: JaegerContext = {
      scope: this, name: this.name, image: this.image, storage: this.storage, resolved: this.resolved,
      serviceAccountName: this.serviceAccountName, labelsFor: this.labelsFor,
    };
    const collectorObjects = collectorRole(ctx, { collector, legacyReceivers, sampling: this.sampling, logLevel, allowedNamespaces });
    this.collectorConfig = collectorObjects.config;
    this.collectorDeployment = collectorObjects.deployment;
    this.collectorService = collectorObjects.service;

    const queryObjects = queryRole(ctx, { query, logLevel, allowedNamespaces });
    this.queryConfig = queryObjects.config;
    this.queryDeployment = queryObjects.deployment;
    this.queryService = queryObjects.service;

    this.metricsSourceInfo = { component: `Jaeger ${namespace}/${this.name}`, enable: `podMonitor: {} on Jaeger ${path}` };
    if (props.podMonitor) this.metricsScrape = jaegerPodMonitors(ctx, path, namespace, props.podMonitor, allowedNamespaces);

    retentionJobs(ctx);
    if (props.dependencies) dependenciesJob(ctx, path, props.dependencies);
    maintenanceNetworkPolicy(ctx);
  }

  /** In-cluster DNS name of the collector Service. */
  public get collectorHost(): string {
    return `${this.collectorService.name}.${this.namespace}.svc.cluster.local`;
  }

  /** In-cluster DNS name of the query Service. */
  public get queryHost(): string {
    return `${this.queryService.name}.${this.namespace}.svc.cluster.local`;
  }

  /** `host:port` of the collector's OTLP gRPC receiver, for collector exporters and SDKs. */
  public get otlpGrpcEndpoint(): string {
    return `${this.collectorHost}:${JAEGER_OTLP_GRPC.port}`;
  }

  /** URL of the collector's OTLP HTTP receiver. */
  public get otlpHttpEndpoint(): string {
    return `http://${this.collectorHost}:${JAEGER_OTLP_HTTP.port}`;
  }

  /** gRPC remote-sampling endpoint, e.g. for `OTEL_TRACES_SAMPLER_ARG=endpoint=...`. */
  public get samplingGrpcEndpoint(): string {
    return `http://${this.collectorHost}:${JAEGER_SAMPLING_GRPC.port}`;
  }

  /** HTTP remote-sampling URL (`?service=<name>` is appended by SDKs). */
  public get samplingHttpUrl(): string {
    return `http://${this.collectorHost}:${JAEGER_SAMPLING_HTTP.port}/sampling`;
  }

  /** URL of the UI and HTTP query API, including the base path: what a Grafana Jaeger datasource points at. */
  public get queryUrl(): string {
    return `http://${this.queryHost}:${JAEGER_QUERY_HTTP.port}${this.basePath}`;
  }

  /** `host:port` of the gRPC query API. */
  public get queryGrpcEndpoint(): string {
    return `${this.queryHost}:${JAEGER_QUERY_GRPC.port}`;
  }
}
