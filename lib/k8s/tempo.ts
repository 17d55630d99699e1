import { Chart } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateAnnotations, validateDnsLabel } from '../core/names';
import { ContainerResources, goMemLimit, parseMemoryBytes, validateResources } from '../core/quantities';
import { validateBucketName, validateBucketPrefix } from '../core/tempo-bucket-layout';
import { TEMPO_GRPC_PORT, TEMPO_HTTP_PORT, TEMPO_MEMBERLIST_PORT, TEMPO_RECEIVER_PORTS, TempoReceiverPort } from '../core/tempo-ports';
import { ResolvedTenancy, TempoTenancyProps, resolveTempoTenancy } from '../core/tempo-tenancy';
import { IMAGES, versionOfImage } from '../core/versions';
import {
  TEMPO_CONFIG_DIR, TEMPO_CONFIG_FILE, TEMPO_OVERRIDES_FILE, TempoMetricsGeneratorConfig, renderTempoConfig,
} from '../render/tempo-config';
import { toYaml } from '../render/yaml';
import { TempoSizing, sizeTempo } from '../core/tempo-sizing';
import { TEMPO_TARGETS, renderTempoDistributedConfig } from '../render/tempo-distributed-config';
import { configChecksum } from './checksum';
import { ResolvedTempoKafka, TempoKafkaTopicSettings, resolveTempoKafka } from './kafka';
import { labelsWithoutVersion, selectorLabels, standardLabels } from './labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
import { TempoDeploymentMode, TempoMicroservices, tempoMicroservicesHosts } from './tempo-distributed';
import { resourceRequirements } from './resources';
import { BackendMonitorOptions, checkPrometheusAdmitted, IMetricsSource, jobMatchers, MetricsScrape, podMonitor, podMonitorJob, resolveMonitorOptions, scrapeTarget } from './scrape';
import { TEMPO_VOLUME_MOUNTS, tempoProbes } from './tempo-container';

/** Tempo's image runs as this UID and GID (cmd/tempo/Dockerfile). */
export const TEMPO_UID = 10001;
/** GOMEMLIMIT as a share of the memory limit, leaving headroom for non-heap memory. */
export const TEMPO_GOMEMLIMIT_RATIO = 0.85;

/** Where Tempo stores blocks. */
export interface TempoS3StorageProps {
  /** Bucket name (a CDK token is fine when the chart goes to EKS through TempoOnEks). */
  readonly bucketName: string;
  /** Bucket region, also exported to the pod as AWS_REGION so STS uses the regional endpoint. */
  readonly region: string;
  /**
   * Key prefix inside the bucket, without leading or trailing slash.
   * @default - objects at the bucket root
   */
  readonly prefix?: string;
  /**
   * S3 endpoint host, without scheme.
   * @default `s3.<region>.amazonaws.com`
   */
  readonly endpoint?: string;
  /**
   * Use plain HTTP (only for S3-compatible stores inside the cluster).
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Path-style bucket addressing (needed by most S3-compatible stores).
   * @default false
   */
  readonly forcePathStyle?: boolean;
}

/** Tempo's metrics-generator: service graphs and span metrics remote-written to Prometheus. */
export interface TempoMetricsGeneratorOptions {
  /** Prometheus remote-write URL, e.g. `http://prometheus.monitoring:9090/api/v1/write`. Exemplars are always sent. */
  readonly remoteWriteUrl: string;
  /**
   * Generate service-graph metrics.
   * @default true
   */
  readonly serviceGraphs?: boolean;
  /**
   * Generate span metrics (RED metrics per service and span).
   * @default true
   */
  readonly spanMetrics?: boolean;
  /**
   * Labels added to every generated series.
   * @default - none
   */
  readonly externalLabels?: Record<string, string>;
}

/** Props of {@link Tempo}. */
export interface TempoProps extends TempoTenancyProps {
  /** S3 storage for blocks. */
  readonly storage: TempoS3StorageProps;
  /**
   * Base name of every object (Service DNS name, StatefulSet, ConfigMap prefix).
   * @default 'tempo'
   */
  readonly name?: string;
  /**
   * Container image.
   * @default `docker.io/grafana/tempo:3.0.3`
   */
  readonly image?: string;
  /**
   * Requests and limits. GOMEMLIMIT is set to 85% of the memory limit.
   * @default { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '4Gi' }
   */
  readonly resources?: ContainerResources;
  /**
   * Size of the PersistentVolumeClaim on /var/tempo (WAL, live-store blocks, generator WAL, scheduler work).
   * @default '20Gi'
   */
  readonly storageSize?: string;
  /**
   * StorageClass of the PersistentVolumeClaim.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Annotations on the ServiceAccount, e.g. `eks.amazonaws.com/role-arn` for IRSA.
   * @default - none (EKS Pod Identity needs none)
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /**
   * Enable the metrics-generator.
   * @default - disabled
   */
  readonly metricsGenerator?: TempoMetricsGeneratorOptions;
  /**
   * Namespaces whose pods may send traces to and query Tempo. The NetworkPolicy
   * admits nothing else on Tempo's ports.
   * @default - pods in every namespace of the cluster
   */
  readonly allowedNamespaces?: string[];
  /**
   * Tempo log level.
   * @default 'info'
   */
  readonly logLevel?: string;
  /**
   * Monolithic (one replica, no Kafka) or Tempo 3.0's microservices on Kafka,
   * sized from the declared ingest rate. Switching keeps storage, retention,
   * tenants, receivers and the client-facing getters; `resources` and
   * `storageSize` then move to the per-component options.
   * @default TempoDeploymentMode.monolithic()
   */
  readonly deploymentMode?: TempoDeploymentMode;
  /**
   * A prometheus-operator PodMonitor scraping `/metrics` on port `http` (3200) of every Tempo pod,
   * so that {@link TracingAlerts} and {@link TracingDashboards} can read Tempo's metrics (they refuse
   * a Tempo nothing scrapes). With `allowedNamespaces`, set `prometheusNamespace` to one of them.
   * @default - no PodMonitor
   */
  readonly podMonitor?: BackendMonitorOptions;
}

const DEFAULT_RESOURCES: ContainerResources = { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '4Gi' };
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];

/**
 * Grafana Tempo 3.0 on S3. By default monolithic (`target: all`): one
 * StatefulSet replica with a PersistentVolumeClaim, every receiver on one
 * Service, a restricted pod, and a NetworkPolicy. With
 * `deploymentMode: TempoDeploymentMode.microservices({...})`, Tempo 3.0's
 * distributed shape on Kafka (see {@link TempoMicroservices}). Must live in a
 * Chart with a namespace.
 */
export class Tempo extends Construct implements IMetricsSource {
  /** Base name of the objects and the query Service. */
  public readonly name: string;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  /** Resolved retention and tenants, as rendered. */
  public readonly tenancy: ResolvedTenancy;
  /** Rendered tempo.yaml as an object. */
  public readonly config: Record<string, unknown>;
  /** Rendered runtime overrides, when tenants have their own settings. */
  public readonly overrides?: Record<string, unknown>;
  /** The tempo.yaml (and overrides) ConfigMap, shared by every workload. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The Service clients query (monolithic: the only Service; microservices: the query-frontend's, same name). */
  public readonly service: k8s.KubeService;
  /** The Service receiving traces (monolithic: {@link service}; microservices: the distributor's). */
  public readonly ingestService: k8s.KubeService;
  /** The monolithic StatefulSet; undefined in microservices mode (see {@link microservices}). */
  public readonly statefulSet?: k8s.KubeStatefulSet;
  /** The NetworkPolicy admitting clients. */
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** Labels selecting Tempo's pods (microservices: every component's pods). */
  public readonly selector: Record<string, string>;
  /** The distributed shape, in microservices mode. */
  public readonly microservices?: TempoMicroservices;
  /** Derived (and overridden) sizing, in microservices mode. */
  public readonly sizing?: TempoSizing;
  /** The Kafka topic Tempo needs (create it yourself with external Kafka), in microservices mode. */
  public readonly kafkaTopic?: TempoKafkaTopicSettings;
  /** The Prometheus remote-write URL the metrics-generator writes to, when enabled. Prometheus must enable its remote-write receiver and exemplar storage. */
  public readonly metricsGeneratorRemoteWriteUrl?: string;
  /** Whether multitenancy is on (clients and Grafana must then send `X-Scope-OrgID`). */
  public readonly multitenancy: boolean;
  /** Namespaces the NetworkPolicy admits to the receivers and query port; undefined means every namespace. */
  public readonly allowedNamespaces?: string[];
  /** How Tempo's metrics are scraped, with `podMonitor`. */
  public readonly metricsScrape?: MetricsScrape;
  public readonly metricsSourceInfo: { readonly component: string; readonly enable: string };

  constructor(scope: Construct, id: string, props: TempoProps) {
    super(scope, id);
    const path = this.node.path;
    const namespace = Chart.of(this).namespace;
    if (!namespace) {
      throw configError(path, 'the chart holding Tempo has no namespace, so Service DNS names cannot be computed', namespace,
        'create the chart with { namespace: "tracing" } (or use TempoChart)');
    }
    this.namespace = namespace;
    this.name = props.name ?? 'tempo';
    validateDnsLabel(path, 'name', this.name, 40);
    const image = props.image ?? IMAGES.tempo;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    validateResources(path, resources);
    const storageSize = props.storageSize ?? '20Gi';
    if (!parseMemoryBytes(storageSize)) {
      throw configError(path, 'storageSize is not a storage quantity', storageSize, 'use a quantity such as "20Gi"');
    }
    const logLevel = props.logLevel ?? 'info';
    if (!LOG_LEVELS.includes(logLevel)) {
      throw configError(path, 'logLevel is not a Tempo log level', logLevel, `use one of ${LOG_LEVELS.join(', ')}`);
    }
    validateAnnotations(path, 'serviceAccountAnnotations', props.serviceAccountAnnotations);
    this.metricsSourceInfo = { component: `Tempo ${namespace}/${this.name}`, enable: `podMonitor: {} on Tempo ${path}` };
    this.tenancy = resolveTempoTenancy(path, props);
    const storage = resolveStorage(path, props.storage);
    const metricsGenerator = resolveMetricsGenerator(path, props.metricsGenerator);

    const mode = props.deploymentMode ?? TempoDeploymentMode.monolithic();
    let kafka: ResolvedTempoKafka | undefined;
    if (mode._microservices) {
      const ms = mode._microservices;
      // Every component's objects are named <name>-<component>. Two bounds: a Service name is at most 63
      // characters (<name>-query-frontend-discovery: 38), and a StatefulSet name at most 52, because its pods
      // carry the label controller-revision-hash=<statefulset>-<10-character hash>, itself at most 63; a longer
      // StatefulSet is accepted by the API server but never creates a pod. <name>-backend-scheduler gives 34.
      validateDnsLabel(path, 'name (microservices mode: "<name>-backend-scheduler" must fit the 52 characters a StatefulSet name may have)', this.name,
        Math.min(63 - '-query-frontend-discovery'.length, 52 - '-backend-scheduler'.length));
      if (props.resources !== undefined) {
        throw configError(path, 'resources is a monolithic setting; in microservices mode each component has its own', props.resources,
          'set e.g. microservices({ querier: { resources } }), or leave it out for the published sizing');
      }
      if (props.storageSize !== undefined) {
        throw configError(path, 'storageSize is a monolithic setting; in microservices mode the live-store and backend-scheduler have their own volumes', props.storageSize,
          'set microservices({ liveStore: { storageSize } }) instead');
      }
      if (!ms.kafka) {
        throw configError(path, 'microservices mode needs Kafka: Tempo 3.0 distributors write through it', ms.kafka,
          'pass kafka: TempoKafka.strimzi() or TempoKafka.external({ bootstrapServer: "host:9092" })');
      }
      this.sizing = sizeTempo(path, ms.ingestBytesPerSecond, ms);
      kafka = resolveTempoKafka(path, ms.kafka, this.name, namespace, this.sizing.partitions, ms.ingestBytesPerSecond);
      this.kafkaTopic = kafka.topic;
    }
    const configInput = {
      tenancy: this.tenancy,
      storage,
      clusterLabel: `${this.name}.${namespace}`,
      metricsGenerator,
      logLevel,
    };
    const hosts = tempoMicroservicesHosts(this.name, namespace);
    const rendered = kafka
      ? renderTempoDistributedConfig({
        ...configInput,
        kafka: { address: kafka.address, topic: kafka.topic.name, saslFromEnv: kafka.saslPlain !== undefined },
        backendSchedulerHost: hosts.backendScheduler,
        queryFrontendDiscoveryHost: hosts.queryFrontendDiscovery,
        gossipHost: hosts.gossip,
      })
      : renderTempoConfig(configInput);
    this.config = rendered.config;
    this.metricsGeneratorRemoteWriteUrl = metricsGenerator?.remoteWriteUrl;
    this.multitenancy = this.tenancy.multitenancy;
    this.allowedNamespaces = props.allowedNamespaces ? [...props.allowedNamespaces] : undefined;
    this.overrides = rendered.overrides;
    const configYaml = toYaml(rendered.config);
    const overridesYaml = rendered.overrides ? toYaml(rendered.overrides) : undefined;

    const labelsFor = (component: string) => standardLabels({ name: 'tempo', instance: this.name, component, version: versionOfImage(image) });
    const labels = labelsFor('backend');
    const monolithicSelector = selectorLabels({ name: 'tempo', instance: this.name, component: 'backend' });
    this.serviceAccountName = this.name;

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, labels, annotations: props.serviceAccountAnnotations },
      // Tempo never calls the Kubernetes API; Pod Identity and IRSA mount their own tokens.
      automountServiceAccountToken: false,
    });

    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: `${this.name}-config`, labels },
      data: {
        [TEMPO_CONFIG_FILE]: configYaml,
        ...(overridesYaml ? { [TEMPO_OVERRIDES_FILE]: overridesYaml } : {}),
      },
    });

    if (kafka) {
      this.microservices = new TempoMicroservices(this, 'Microservices', {
        name: this.name,
        image,
        version: versionOfImage(image),
        sizing: this.sizing!,
        kafka,
        configMapName: this.configMap.name,
        configChecksum: configChecksum(configYaml, overridesYaml ?? ''),
        serviceAccountName: this.serviceAccountName,
        region: storage.region,
        storageClassName: props.storageClassName,
        allowedNamespaces: validatedNamespaces(path, props.allowedNamespaces),
        metricsGenerator: metricsGenerator !== undefined,
        logLevel,
      });
      this.service = this.microservices.queryService;
      this.ingestService = this.microservices.distributorService;
      this.networkPolicy = this.microservices.networkPolicy;
      this.selector = this.microservices.instanceSelector;
      this.ingestHost = `${this.ingestService.name}.${namespace}.svc.cluster.local`;
      this.metricsScrape = this.createPodMonitor(props, labelsFor('tempo'), TEMPO_TARGETS.distributor);
      return;
    }

    const servicePorts: k8s.ServicePort[] = [
      { name: 'http', port: TEMPO_HTTP_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP', appProtocol: 'http' },
      { name: 'grpc', port: TEMPO_GRPC_PORT, targetPort: k8s.IntOrString.fromString('grpc'), protocol: 'TCP', appProtocol: 'grpc' },
      ...TEMPO_RECEIVER_PORTS.map((r) => ({
        name: r.name, port: r.port, targetPort: k8s.IntOrString.fromString(r.name), protocol: r.protocol,
        ...(r.appProtocol ? { appProtocol: r.appProtocol } : {}),
      })),
    ];
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: this.name, labels },
      spec: { type: 'ClusterIP', selector: monolithicSelector, ports: servicePorts },
    });
    this.selector = monolithicSelector;
    this.ingestService = this.service;
    this.ingestHost = this.serviceHost;
    const headless = new k8s.KubeService(this, 'HeadlessService', {
      metadata: { name: `${this.name}-headless`, labels },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: this.selector,
        ports: [
          { name: 'http', port: TEMPO_HTTP_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' },
          { name: 'grpc', port: TEMPO_GRPC_PORT, targetPort: k8s.IntOrString.fromString('grpc'), protocol: 'TCP' },
          { name: 'memberlist', port: TEMPO_MEMBERLIST_PORT, targetPort: k8s.IntOrString.fromString('memberlist'), protocol: 'TCP' },
        ],
      },
    });

    const containerPorts: k8s.ContainerPort[] = [
      { name: 'http', containerPort: TEMPO_HTTP_PORT, protocol: 'TCP' },
      { name: 'grpc', containerPort: TEMPO_GRPC_PORT, protocol: 'TCP' },
      { name: 'memberlist', containerPort: TEMPO_MEMBERLIST_PORT, protocol: 'TCP' },
      ...TEMPO_RECEIVER_PORTS.map((r) => ({ name: r.name, containerPort: r.port, protocol: r.protocol })),
    ];
    const q = (v: string) => k8s.Quantity.fromString(v);

    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name: this.name, labels },
      spec: {
        // Monolithic Tempo 3.0 runs exactly one replica: the backend scheduler is a singleton.
        replicas: 1,
        serviceName: headless.name,
        selector: { matchLabels: this.selector },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: {
            labels,
            annotations: { 'checksum/config': configChecksum(configYaml, overridesYaml ?? '') },
          },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(TEMPO_UID, TEMPO_UID),
            // The live-store flushes blocks on shutdown.
            terminationGracePeriodSeconds: 120,
            enableServiceLinks: false,
            containers: [{
              name: 'tempo',
              image,
              imagePullPolicy: 'IfNotPresent',
              args: [`-config.file=${TEMPO_CONFIG_DIR}/${TEMPO_CONFIG_FILE}`],
              ports: containerPorts,
              env: [
                { name: 'GOMEMLIMIT', value: goMemLimit(resources.memoryLimit, TEMPO_GOMEMLIMIT_RATIO) },
                { name: 'AWS_REGION', value: storage.region },
              ],
              resources: resourceRequirements(resources),
              securityContext: restrictedContainerSecurityContext(TEMPO_UID, TEMPO_UID),
              // Tempo replays its WAL before /ready answers; give it up to 10 minutes.
              ...tempoProbes(60),
              volumeMounts: TEMPO_VOLUME_MOUNTS,
            }],
            volumes: [
              { name: 'config', configMap: { name: this.configMap.name } },
              { name: 'tmp', emptyDir: { sizeLimit: q('256Mi') } },
            ],
          },
        },
        volumeClaimTemplates: [{
          // volumeClaimTemplates are immutable: a label that changes with the image (app.kubernetes.io/version)
          // would make the API server reject every later update of the StatefulSet.
          metadata: { name: 'data', labels: labelsWithoutVersion(labels) },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: q(storageSize) } },
            ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
          },
        }],
      },
    });

    const publicPorts: k8s.NetworkPolicyPort[] = [
      { port: k8s.IntOrString.fromNumber(TEMPO_HTTP_PORT), protocol: 'TCP' },
      { port: k8s.IntOrString.fromNumber(TEMPO_GRPC_PORT), protocol: 'TCP' },
      ...TEMPO_RECEIVER_PORTS.map((r) => ({ port: k8s.IntOrString.fromNumber(r.port), protocol: r.protocol })),
    ];
    const allowed = validatedNamespaces(path, props.allowedNamespaces);
    const from: k8s.NetworkPolicyPeer[] = allowed
      ? allowed.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }))
      : [{ namespaceSelector: {} }];
    this.metricsScrape = this.createPodMonitor(props, labels, 'tempo');
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: this.name, labels },
      spec: {
        podSelector: { matchLabels: this.selector },
        policyTypes: ['Ingress'],
        ingress: [
          { from, ports: publicPorts },
          // Gossip only between Tempo's own pods.
          { from: [{ podSelector: { matchLabels: this.selector } }], ports: [{ port: k8s.IntOrString.fromNumber(TEMPO_MEMBERLIST_PORT), protocol: 'TCP' }] },
        ],
      },
    });
  }

  /**
   * The PodMonitor (when asked for) over every Tempo pod, and what it scrapes: the series of the
   * container that receives spans (`tempo` monolithic, `distributor` in microservices mode) are
   * the ones the alerts and dashboards read.
   */
  private createPodMonitor(props: TempoProps, labels: Record<string, string>, ingestContainer: string): MetricsScrape | undefined {
    if (!props.podMonitor) return undefined;
    const path = this.node.path;
    const interval = resolveMonitorOptions(path, 'podMonitor', props.podMonitor);
    checkPrometheusAdmitted(path, 'podMonitor', props.podMonitor, this.allowedNamespaces, TEMPO_HTTP_PORT);
    const monitor = podMonitor(this, 'PodMonitor', {
      name: this.name,
      namespace: this.namespace,
      labels: { ...labels, ...(props.podMonitor.labels ?? {}) },
      selector: this.selector,
      port: 'http',
      interval,
    });
    const component = `Tempo ${this.namespace}/${this.name}`;
    const job = podMonitorJob(this.namespace, this.name);
    return {
      component,
      matchers: jobMatchers(this.namespace, [job]),
      targets: [scrapeTarget(ingestContainer === 'tempo' ? component : `Tempo ${ingestContainer} ${this.namespace}/${this.name}`,
        { namespace: this.namespace, job, container: ingestContainer })],
      monitors: [monitor],
      owner: this,
    };
  }

  /** In-cluster DNS name of the Service receiving traces (the distributor's in microservices mode). */
  public readonly ingestHost: string;

  /** In-cluster DNS name of the query Service (the query-frontend's in microservices mode; same name in both modes). */
  public get serviceHost(): string {
    return `${this.name}.${this.namespace}.svc.cluster.local`;
  }

  /** URL Grafana and other clients query (`http://<svc>:3200`). */
  public get queryUrl(): string {
    return `http://${this.serviceHost}:${TEMPO_HTTP_PORT}`;
  }

  /** `host:port` of the OTLP gRPC receiver, for collector exporters (microservices: the distributor Service). */
  public get otlpGrpcEndpoint(): string {
    return `${this.ingestHost}:${this.receiverPort('otlp-grpc').port}`;
  }

  /** URL of the OTLP HTTP receiver (microservices: the distributor Service). */
  public get otlpHttpEndpoint(): string {
    return `http://${this.ingestHost}:${this.receiverPort('otlp-http').port}`;
  }

  /** A receiver port by its Service port name (`otlp-grpc`, `zipkin`, ...). */
  public receiverPort(name: string): TempoReceiverPort {
    const found = TEMPO_RECEIVER_PORTS.find((r) => r.name === name);
    if (!found) throw new Error(`unknown Tempo receiver port ${name}; known: ${TEMPO_RECEIVER_PORTS.map((r) => r.name).join(', ')}`);
    return found;
  }
}


function resolveStorage(path: string, storage: TempoS3StorageProps) {
  const prefix = validateBucketPrefix(path, 'storage.prefix', storage.prefix);
  if (!storage.bucketName) throw configError(path, 'storage.bucketName is empty', storage.bucketName, 'pass the bucket name');
  validateBucketName(path, 'storage.bucketName', storage.bucketName);
  if (!storage.region) throw configError(path, 'storage.region is empty', storage.region, 'pass the bucket region, e.g. "eu-west-1"');
  if (storage.endpoint !== undefined && /^[a-z]+:\/\//i.test(storage.endpoint)) {
    throw configError(path, 'storage.endpoint must be a host without scheme', storage.endpoint,
      `use "${storage.endpoint.replace(/^[a-z]+:\/\//i, '')}" and set insecure: true for plain HTTP`);
  }
  return {
    bucket: storage.bucketName,
    region: storage.region,
    endpoint: storage.endpoint ?? `s3.${storage.region}.amazonaws.com`,
    prefix,
    insecure: storage.insecure,
    forcePathStyle: storage.forcePathStyle,
  };
}

/** Labels that never change with the image: for immutable places such as volumeClaimTemplates. */

function validatedNamespaces(path: string, allowed: string[] | undefined): string[] | undefined {
  if (allowed) allowed.forEach((ns) => validateDnsLabel(path, 'allowedNamespaces entry', ns));
  return allowed;
}

function resolveMetricsGenerator(path: string, options: TempoMetricsGeneratorOptions | undefined): TempoMetricsGeneratorConfig | undefined {
  if (!options) return undefined;
  if (!/^https?:\/\/[^\s/]+/.test(options.remoteWriteUrl)) {
    throw configError(path, 'metricsGenerator.remoteWriteUrl is not an http(s) URL', options.remoteWriteUrl,
      'use the Prometheus remote-write endpoint, e.g. "http://prometheus-operated.monitoring:9090/api/v1/write"');
  }
  const resolved = {
    remoteWriteUrl: options.remoteWriteUrl,
    serviceGraphs: options.serviceGraphs ?? true,
    spanMetrics: options.spanMetrics ?? true,
    externalLabels: options.externalLabels ?? {},
  };
  if (!resolved.serviceGraphs && !resolved.spanMetrics) {
    throw configError(path, 'metricsGenerator is set but both serviceGraphs and spanMetrics are off, so it would generate nothing',
      { serviceGraphs: resolved.serviceGraphs, spanMetrics: resolved.spanMetrics }, 'enable at least one processor, or leave metricsGenerator out');
  }
  return resolved;
}
