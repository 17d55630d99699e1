import { Chart } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { ContainerResources, goMemLimit, validateResources } from '../core/quantities';
import { Retention } from '../core/retention';
import { ResolvedSampling, TraceSampling } from '../core/sampling';
import { IMAGES, versionOfImage } from '../core/versions';
import {
  JAEGER_CONFIG_DIR, JAEGER_CONFIG_FILE, JAEGER_ES_CA_DIR, JAEGER_ES_PASSWORD_ENV, JAEGER_ES_USERNAME_ENV, JAEGER_SAMPLING_DIR,
  JaegerCliInvocation, JaegerStorageConfig, renderIndexCleaner, renderJaegerCollectorConfig, renderJaegerQueryConfig, renderLookback,
  renderRollover, renderRolloverInit, renderRolloverPolicy, renderSparkEnv, rolloverPolicyPath, sparkVariant,
} from '../render/jaeger-config';
import {
  JAEGER_HEALTH, JAEGER_HEALTH_PATH, JAEGER_OTLP_GRPC, JAEGER_OTLP_HTTP, JAEGER_QUERY_GRPC, JAEGER_QUERY_HTTP, JAEGER_QUERY_SERVICE_PORTS,
  JAEGER_SAMPLING_GRPC, JAEGER_SAMPLING_HTTP, JaegerPort, jaegerCollectorPorts,
} from '../render/jaeger-ports';
import { SAMPLING_STRATEGIES_FILE, renderSamplingStrategiesJson } from '../render/sampling-strategies';
import { toYaml } from '../render/yaml';
import { configChecksum } from './checksum';
import { JaegerIndexRotation, JaegerStorage, ResolvedJaegerStorage, resolveJaegerStorage } from './jaeger-storage';
import { selectorLabels, standardLabels } from './labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
import { resourceRequirements } from './resources';

/** Jaeger's images run as this UID and GID (cmd/jaeger/Dockerfile). */
export const JAEGER_UID = 10001;
/** GOMEMLIMIT as a share of the memory limit. */
export const JAEGER_GOMEMLIMIT_RATIO = 0.85;

/** Options of the collector role. */
export interface JaegerCollectorOptions {
  /**
   * Fewest replicas the HorizontalPodAutoscaler keeps.
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most replicas the HorizontalPodAutoscaler may run.
   * @default 10
   */
  readonly maxReplicas?: number;
  /**
   * Average CPU utilisation (percent of the request) the autoscaler aims for.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
  /**
   * Requests and limits; GOMEMLIMIT is 85% of the memory limit.
   * @default { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' }
   */
  readonly resources?: ContainerResources;
}

/** Options of the query role. */
export interface JaegerQueryOptions {
  /**
   * Replicas of the query Deployment.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Path prefix under which Jaeger receives UI and API requests (what reaches the
   * pod after any ingress rewrite), e.g. `/jaeger`.
   * @default - served at `/`
   */
  readonly basePath?: string;
  /**
   * Requests and limits.
   * @default { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' }
   */
  readonly resources?: ContainerResources;
}

/** A PKCS#12 trust store for the Java spark-dependencies job (Java cannot read a PEM CA directly). */
export interface JaegerTrustStore {
  /** Secret holding the trust store. */
  readonly secretName: string;
  /**
   * Key of the PKCS#12 file.
   * @default 'truststore.p12'
   */
  readonly key?: string;
  /**
   * Key of the trust store password.
   * @default 'password'
   */
  readonly passwordKey?: string;
}

/** The spark-dependencies CronJob that computes the service dependency graph. */
export interface JaegerDependenciesOptions {
  /**
   * Cron schedule (UTC). Each run processes the current UTC day, so run it late in the day.
   * @default '49 23 * * *'
   */
  readonly schedule?: string;
  /**
   * Image without the variant suffix; the suffix (`-elasticsearch8`, `-elasticsearch9`, `-opensearch`) follows the storage.
   * @default 'ghcr.io/jaegertracing/spark-dependencies/spark-dependencies:v0.7.2'
   */
  readonly image?: string;
  /**
   * Requests and limits. The job loads a whole day of spans into memory.
   * @default { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '4Gi' }
   */
  readonly resources?: ContainerResources;
  /**
   * Trust store for TLS with a private CA. Required when the storage has a CA Secret.
   * @default - the JVM's default trust store
   */
  readonly trustStore?: JaegerTrustStore;
}

/** Props of {@link Jaeger}. */
export interface JaegerProps {
  /** Where traces are stored. */
  readonly storage: JaegerStorage;
  /**
   * Base name of every object (`<name>-collector`, `<name>-query`, ...).
   * @default 'jaeger'
   */
  readonly name?: string;
  /**
   * How long traces are kept: `max_span_age`, the cleaner's days, the lookback
   * and the ILM/ISM delete age all follow it. At least one day.
   * @default Retention.days(7)
   */
  readonly retention?: Retention;
  /**
   * Index prefix (`prod` gives `prod-jaeger-span-...`), shared by every role and job.
   * @default - no prefix (`jaeger-span-...`)
   */
  readonly indexPrefix?: string;
  /**
   * How indices rotate and old ones are removed.
   * @default JaegerIndexRotation.daily()
   */
  readonly indexRotation?: JaegerIndexRotation;
  /**
   * Primary shards of the span index.
   * @default 3
   */
  readonly spanShards?: number;
  /**
   * Replicas of every index.
   * @default 1
   */
  readonly indexReplicas?: number;
  /**
   * The collector role.
   * @default - 2 to 10 replicas
   */
  readonly collector?: JaegerCollectorOptions;
  /**
   * The query role.
   * @default - 2 replicas at `/`
   */
  readonly query?: JaegerQueryOptions;
  /**
   * Also accept the legacy Jaeger (gRPC 14250, Thrift HTTP 14268) and Zipkin (9411) protocols.
   * @default true
   */
  readonly legacyReceivers?: boolean;
  /**
   * Remote-sampling strategies served to SDKs on 5778 (HTTP) and 5779 (gRPC),
   * from the same sampling model as the collector's tail sampling.
   * @default TraceSampling.of() (10% baseline)
   */
  readonly sampling?: TraceSampling;
  /**
   * Run the spark-dependencies CronJob for the System Architecture graph.
   * @default - not run (the Dependencies page stays empty)
   */
  readonly dependencies?: JaegerDependenciesOptions;
  /**
   * Jaeger image (collector and query).
   * @default 'docker.io/jaegertracing/jaeger:2.20.0'
   */
  readonly image?: string;
  /**
   * Annotations on the ServiceAccount of the collector and query pods (e.g. IRSA's `eks.amazonaws.com/role-arn`).
   * @default - none (EKS Pod Identity needs none)
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /**
   * Namespaces whose pods may send traces, fetch sampling strategies and query.
   * @default - every namespace
   */
  readonly allowedNamespaces?: string[];
  /**
   * Log level of Jaeger.
   * @default 'info'
   */
  readonly logLevel?: string;
}

const COLLECTOR_RESOURCES: ContainerResources = { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' };
const QUERY_RESOURCES: ContainerResources = { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' };
const JOB_RESOURCES: ContainerResources = { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '256Mi' };
const SPARK_RESOURCES: ContainerResources = { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '4Gi' };
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
const TRUSTSTORE_DIR = '/etc/jaeger/truststore';
const POLICY_DIR = '/etc/jaeger/policy';

/**
 * Jaeger v2 on Elasticsearch or OpenSearch: a collector role (Deployment,
 * HorizontalPodAutoscaler, PodDisruptionBudget, Service with OTLP, legacy and
 * remote-sampling ports), a query role (Deployment, Service, UI and APIs,
 * `create_mappings: false`), the retention jobs of the chosen index rotation,
 * optionally spark-dependencies; restricted pods and NetworkPolicies throughout.
 * Must live in a Chart with a namespace.
 */
export class Jaeger extends Construct {
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

    this.resolved = resolveJaegerStorage(path, {
      storage: props.storage,
      retention: props.retention ?? Retention.days(7),
      indexPrefix: props.indexPrefix,
      indexRotation: props.indexRotation ?? JaegerIndexRotation.daily(),
      spanShards: props.spanShards ?? 3,
      indexReplicas: props.indexReplicas ?? 1,
    });
    this.storage = this.resolved.config;

    const collector = resolveCollector(path, props.collector);
    const query = resolveQuery(path, props.query);
    this.basePath = query.basePath ?? '';
    this.allowedNamespaces = props.allowedNamespaces ? [...props.allowedNamespaces] : undefined;
    const allowed = props.allowedNamespaces;
    allowed?.forEach((ns) => validateDnsLabel(path, 'allowedNamespaces entry', ns));
    const legacyReceivers = props.legacyReceivers ?? true;
    this.sampling = (props.sampling ?? TraceSampling.of()).resolve(path);

    this.labelsFor = (component, image = this.image) => standardLabels({ name: 'jaeger', instance: this.name, component, version: versionOfImage(image) });
    this.serviceAccountName = this.name;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, labels: this.labelsFor('server'), annotations: props.serviceAccountAnnotations },
      automountServiceAccountToken: false,
    });

    // ---- collector ----
    this.collectorConfig = renderJaegerCollectorConfig({
      storage: this.storage,
      legacyReceivers,
      samplingStrategiesFile: `${JAEGER_SAMPLING_DIR}/${SAMPLING_STRATEGIES_FILE}`,
      logLevel,
      serviceName: `${this.name}-collector`,
    });
    const collectorYaml = toYaml(this.collectorConfig);
    const collectorLabels = this.labelsFor('collector');
    const collectorSelector = selectorLabels({ name: 'jaeger', instance: this.name, component: 'collector' });
    const collectorConfigMap = new k8s.KubeConfigMap(this, 'CollectorConfig', {
      metadata: { name: `${this.name}-collector-config`, labels: collectorLabels },
      data: { [JAEGER_CONFIG_FILE]: collectorYaml },
    });
    // Jaeger reloads the strategies file itself; it is not part of the checksum, so a change does not roll the pods.
    const samplingConfigMap = new k8s.KubeConfigMap(this, 'SamplingStrategies', {
      metadata: { name: `${this.name}-sampling-strategies`, labels: collectorLabels },
      data: { [SAMPLING_STRATEGIES_FILE]: renderSamplingStrategiesJson(this.sampling) },
    });
    const collectorPorts = jaegerCollectorPorts(legacyReceivers);
    this.collectorDeployment = new k8s.KubeDeployment(this, 'CollectorDeployment', {
      metadata: { name: `${this.name}-collector`, labels: collectorLabels },
      spec: {
        // No replicas: the HorizontalPodAutoscaler owns the count, a re-apply must not reset it.
        selector: { matchLabels: collectorSelector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels: collectorLabels, annotations: { 'checksum/config': configChecksum(collectorYaml) } },
          spec: this.serverPodSpec({
            component: 'collector',
            selector: collectorSelector,
            configMapName: collectorConfigMap.name,
            ports: [...collectorPorts, JAEGER_HEALTH],
            resources: collector.resources,
            extraVolumes: [{ name: 'sampling', configMap: { name: samplingConfigMap.name } }],
            extraMounts: [{ name: 'sampling', mountPath: JAEGER_SAMPLING_DIR, readOnly: true }],
          }),
        },
      },
    });
    this.collectorService = this.service('CollectorService', `${this.name}-collector`, collectorLabels, collectorSelector, collectorPorts);
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'CollectorAutoscaler', {
      metadata: { name: `${this.name}-collector`, labels: collectorLabels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.collectorDeployment.name },
        minReplicas: collector.minReplicas,
        maxReplicas: collector.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: collector.targetCpuUtilization } } }],
      },
    });
    this.pdb('CollectorDisruptionBudget', `${this.name}-collector`, collectorLabels, collectorSelector);
    this.networkPolicy('CollectorNetworkPolicy', `${this.name}-collector`, collectorLabels, collectorSelector, collectorPorts, allowed);

    // ---- query ----
    this.queryConfig = renderJaegerQueryConfig({ storage: this.storage, basePath: query.basePath, logLevel, serviceName: `${this.name}-query` });
    const queryYaml = toYaml(this.queryConfig);
    const queryLabels = this.labelsFor('query');
    const querySelector = selectorLabels({ name: 'jaeger', instance: this.name, component: 'query' });
    const queryConfigMap = new k8s.KubeConfigMap(this, 'QueryConfig', {
      metadata: { name: `${this.name}-query-config`, labels: queryLabels },
      data: { [JAEGER_CONFIG_FILE]: queryYaml },
    });
    this.queryDeployment = new k8s.KubeDeployment(this, 'QueryDeployment', {
      metadata: { name: `${this.name}-query`, labels: queryLabels },
      spec: {
        replicas: query.replicas,
        selector: { matchLabels: querySelector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels: queryLabels, annotations: { 'checksum/config': configChecksum(queryYaml) } },
          spec: this.serverPodSpec({
            component: 'query',
            selector: querySelector,
            configMapName: queryConfigMap.name,
            ports: [...JAEGER_QUERY_SERVICE_PORTS, JAEGER_HEALTH],
            resources: query.resources,
          }),
        },
      },
    });
    this.queryService = this.service('QueryService', `${this.name}-query`, queryLabels, querySelector, [...JAEGER_QUERY_SERVICE_PORTS]);
    if (query.replicas > 1) this.pdb('QueryDisruptionBudget', `${this.name}-query`, queryLabels, querySelector);
    this.networkPolicy('QueryNetworkPolicy', `${this.name}-query`, queryLabels, querySelector, [...JAEGER_QUERY_SERVICE_PORTS], allowed);

    // ---- retention jobs ----
    this.retentionJobs();
    if (props.dependencies) this.sparkDependencies(path, props.dependencies);

    // Maintenance pods accept no connections at all.
    new k8s.KubeNetworkPolicy(this, 'MaintenanceNetworkPolicy', {
      metadata: { name: `${this.name}-maintenance`, labels: this.labelsFor('maintenance') },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jaeger', 'app.kubernetes.io/instance': this.name, 'cdk-tracing.io/maintenance': 'true' } },
        policyTypes: ['Ingress'],
        ingress: [],
      },
    });
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

  // ---------------------------------------------------------------------------

  private credentialEnv(usernameEnv = JAEGER_ES_USERNAME_ENV, passwordEnv = JAEGER_ES_PASSWORD_ENV): k8s.EnvVar[] {
    const auth = this.resolved.basicAuth;
    if (!auth) return [];
    return [
      auth.username !== undefined
        ? { name: usernameEnv, value: auth.username }
        : { name: usernameEnv, valueFrom: { secretKeyRef: { name: auth.secretName, key: auth.usernameKey! } } },
      { name: passwordEnv, valueFrom: { secretKeyRef: { name: auth.secretName, key: auth.passwordKey } } },
    ];
  }

  private caVolume(): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
    const ca = this.resolved.caSecret;
    if (!ca) return { volumes: [], mounts: [] };
    return {
      volumes: [{ name: 'es-ca', secret: { secretName: ca.secretName, items: [{ key: ca.key, path: ca.key }] } }],
      mounts: [{ name: 'es-ca', mountPath: JAEGER_ES_CA_DIR, readOnly: true }],
    };
  }

  private serverPodSpec(o: {
    component: string; selector: Record<string, string>; configMapName: string; ports: JaegerPort[]; resources: ContainerResources;
    extraVolumes?: k8s.Volume[]; extraMounts?: k8s.VolumeMount[];
  }): k8s.PodSpec {
    const q = (v: string) => k8s.Quantity.fromString(v);
    const probe = { httpGet: { path: JAEGER_HEALTH_PATH, port: k8s.IntOrString.fromString(JAEGER_HEALTH.name) }, timeoutSeconds: 5 };
    const ca = this.caVolume();
    return {
      serviceAccountName: this.serviceAccountName,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurityContext(JAEGER_UID, JAEGER_UID),
      terminationGracePeriodSeconds: 30,
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: o.selector } },
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: o.selector } },
      ],
      containers: [{
        name: 'jaeger',
        image: this.image,
        imagePullPolicy: 'IfNotPresent',
        args: [`--config=${JAEGER_CONFIG_DIR}/${JAEGER_CONFIG_FILE}`],
        ports: o.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
        env: [
          { name: 'GOMEMLIMIT', value: goMemLimit(o.resources.memoryLimit, JAEGER_GOMEMLIMIT_RATIO) },
          ...this.credentialEnv(),
          ...(this.storage.auth.kind === 'sigv4' ? [{ name: 'AWS_REGION', value: this.storage.auth.region }] : []),
        ],
        resources: resourceRequirements(o.resources),
        securityContext: restrictedContainerSecurityContext(JAEGER_UID, JAEGER_UID),
        // Jaeger pings the storage at startup; give it a minute before liveness applies.
        startupProbe: { ...probe, periodSeconds: 5, failureThreshold: 24 },
        readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
        livenessProbe: { ...probe, periodSeconds: 20, failureThreshold: 3 },
        volumeMounts: [
          { name: 'config', mountPath: JAEGER_CONFIG_DIR, readOnly: true },
          ...(o.extraMounts ?? []),
          ...ca.mounts,
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: o.configMapName } },
        ...(o.extraVolumes ?? []),
        ...ca.volumes,
        { name: 'tmp', emptyDir: { sizeLimit: q('64Mi') } },
      ],
    };
  }

  private service(id: string, name: string, labels: Record<string, string>, selector: Record<string, string>, ports: JaegerPort[]): k8s.KubeService {
    return new k8s.KubeService(this, id, {
      metadata: { name, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP', appProtocol: p.appProtocol })),
      },
    });
  }

  private pdb(id: string, name: string, labels: Record<string, string>, selector: Record<string, string>): void {
    new k8s.KubePodDisruptionBudget(this, id, {
      metadata: { name, labels },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }

  private networkPolicy(id: string, name: string, labels: Record<string, string>, selector: Record<string, string>, ports: JaegerPort[], allowed?: string[]): void {
    const from: k8s.NetworkPolicyPeer[] = allowed
      ? allowed.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }))
      : [{ namespaceSelector: {} }];
    new k8s.KubeNetworkPolicy(this, id, {
      metadata: { name, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: 'TCP' })) }],
      },
    });
  }

  private jobPod(o: {
    component: string; image: string; invocation: JaegerCliInvocation; resources?: ContainerResources;
    initContainers?: k8s.Container[]; extraVolumes?: k8s.Volume[];
  }): k8s.PodTemplateSpec {
    const ca = this.caVolume();
    return {
      metadata: { labels: { ...this.labelsFor(o.component, o.image), 'cdk-tracing.io/maintenance': 'true' } },
      spec: {
        restartPolicy: 'OnFailure',
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: restrictedPodSecurityContext(JAEGER_UID, JAEGER_UID),
        initContainers: o.initContainers,
        containers: [this.jobContainer(o.component, o.image, o.invocation, o.resources ?? JOB_RESOURCES, ca.mounts)],
        volumes: [...ca.volumes, ...(o.extraVolumes ?? []), { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
      },
    };
  }

  private jobContainer(name: string, image: string, invocation: JaegerCliInvocation, resources: ContainerResources, mounts: k8s.VolumeMount[]): k8s.Container {
    return {
      name,
      image,
      imagePullPolicy: 'IfNotPresent',
      args: invocation.args,
      env: [...Object.entries(invocation.env).map(([n, value]) => ({ name: n, value })), ...this.credentialEnv()],
      resources: resourceRequirements(resources),
      securityContext: restrictedContainerSecurityContext(JAEGER_UID, JAEGER_UID),
      volumeMounts: [...mounts, { name: 'tmp', mountPath: '/tmp' }],
    };
  }

  private cronJob(id: string, name: string, component: string, schedule: string, template: k8s.PodTemplateSpec): k8s.KubeCronJob {
    return new k8s.KubeCronJob(this, id, {
      metadata: { name, labels: template.metadata!.labels },
      spec: {
        schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: { metadata: { labels: this.labelsFor(component) }, spec: { backoffLimit: 3, template } },
      },
    });
  }

  private retentionJobs(): void {
    const s = this.storage;
    const r = this.resolved;
    if (r.indexCleaner) {
      this.cronJob('IndexCleaner', `${this.name}-es-index-cleaner`, 'es-index-cleaner', r.cleanerSchedule,
        this.jobPod({ component: 'es-index-cleaner', image: IMAGES.jaegerEsIndexCleaner, invocation: renderIndexCleaner(s) }));
    }
    if (s.rotation.mode === 'daily') return;

    const init = renderRolloverInit(s);
    const initContainers: k8s.Container[] = [];
    const extraVolumes: k8s.Volume[] = [];
    let policyJson = '';
    if (r.managePolicy) {
      policyJson = `${JSON.stringify(renderRolloverPolicy(s), null, 2)}\n`;
      const policyMap = new k8s.KubeConfigMap(this, 'RolloverPolicy', {
        metadata: { name: `${this.name}-rollover-policy`, labels: this.labelsFor('es-rollover') },
        data: { 'policy.json': policyJson },
      });
      extraVolumes.push({ name: 'policy', configMap: { name: policyMap.name } });
      const policyContainer = this.jobContainer('put-policy', IMAGES.curl, { args: [policyScript(s)], env: {} }, JOB_RESOURCES, this.caVolume().mounts);
      initContainers.push({
        ...policyContainer,
        command: ['/bin/sh', '-c'],
        env: [
          { name: 'POLICY_URL', value: `${s.serverUrls[0].replace(/\/$/, '')}${rolloverPolicyPath(s.engine, s.rotation.policyName!)}` },
          ...policyContainer.env!,
        ],
        volumeMounts: [...policyContainer.volumeMounts!, { name: 'policy', mountPath: POLICY_DIR, readOnly: true }],
      });
    }
    // Jobs are immutable: a changed init gets a new name (and runs again; es-rollover init is idempotent).
    const hash = configChecksum(JSON.stringify(init), policyJson).slice(0, 8);
    new k8s.KubeJob(this, 'RolloverInit', {
      metadata: { name: `${this.name}-es-rollover-init-${hash}`, labels: this.labelsFor('es-rollover') },
      spec: {
        backoffLimit: 6,
        template: this.jobPod({ component: 'es-rollover', image: IMAGES.jaegerEsRollover, invocation: init, initContainers, extraVolumes }),
      },
    });
    if (s.rotation.mode === 'manual-rollover') {
      this.cronJob('Rollover', `${this.name}-es-rollover`, 'es-rollover', r.rolloverSchedule,
        this.jobPod({ component: 'es-rollover', image: IMAGES.jaegerEsRollover, invocation: renderRollover(s) }));
      this.cronJob('Lookback', `${this.name}-es-lookback`, 'es-lookback', r.cleanerSchedule,
        this.jobPod({ component: 'es-lookback', image: IMAGES.jaegerEsRollover, invocation: renderLookback(s) }));
    }
  }

  private sparkDependencies(path: string, options: JaegerDependenciesOptions): void {
    const s = this.storage;
    if (s.auth.kind === 'sigv4') {
      throw configError(path, 'spark-dependencies cannot sign SigV4 requests, so it cannot read an IAM-only domain', 'dependencies',
        'remove dependencies, or use fine-grained access control with basic auth for the domain');
    }
    if (this.resolved.caSecret && !options.trustStore) {
      throw configError(path, 'spark-dependencies is Java and cannot read the PEM CA of the storage', this.resolved.caSecret.secretName,
        'set dependencies.trustStore to a Secret holding a PKCS#12 trust store with that CA');
    }
    const resources = options.resources ?? SPARK_RESOURCES;
    validateResources(`${path} dependencies`, resources);
    const schedule = options.schedule ?? '49 23 * * *';
    if (!/^(\S+\s+){4}\S+$/.test(schedule.trim())) {
      throw configError(path, 'dependencies.schedule is not a five-field cron schedule', schedule, 'use e.g. "49 23 * * *"');
    }
    const image = `${options.image ?? IMAGES.jaegerSparkDependencies}-${sparkVariant(s)}`;
    const spark = renderSparkEnv(s);
    const trust = options.trustStore;
    const javaOpts = ['-XX:MaxRAMPercentage=75.0', '-Djava.io.tmpdir=/tmp',
      ...(trust ? [`-Djavax.net.ssl.trustStore=${TRUSTSTORE_DIR}/${trust.key ?? 'truststore.p12'}`, '-Djavax.net.ssl.trustStoreType=PKCS12',
        '-Djavax.net.ssl.trustStorePassword=$(TRUSTSTORE_PASSWORD)'] : [])].join(' ');
    const q = (v: string) => k8s.Quantity.fromString(v);
    const template: k8s.PodTemplateSpec = {
      metadata: { labels: { ...this.labelsFor('spark-dependencies', image), 'cdk-tracing.io/maintenance': 'true' } },
      spec: {
        restartPolicy: 'OnFailure',
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: restrictedPodSecurityContext(JAEGER_UID, JAEGER_UID),
        containers: [{
          name: 'spark-dependencies',
          image,
          imagePullPolicy: 'IfNotPresent',
          env: [
            ...Object.entries(spark.env).map(([n, value]) => ({ name: n, value })),
            ...this.credentialEnv(spark.usernameEnv, spark.passwordEnv),
            ...(trust ? [{ name: 'TRUSTSTORE_PASSWORD', valueFrom: { secretKeyRef: { name: trust.secretName, key: trust.passwordKey ?? 'password' } } }] : []),
            { name: 'JAVA_OPTS', value: javaOpts },
            { name: 'SPARK_LOCAL_DIRS', value: '/tmp' },
            { name: 'HOME', value: '/tmp' },
          ],
          resources: resourceRequirements(resources),
          securityContext: restrictedContainerSecurityContext(JAEGER_UID, JAEGER_UID),
          volumeMounts: [
            { name: 'tmp', mountPath: '/tmp' },
            ...(trust ? [{ name: 'truststore', mountPath: TRUSTSTORE_DIR, readOnly: true }] : []),
          ],
        }],
        volumes: [
          { name: 'tmp', emptyDir: { sizeLimit: q('2Gi') } },
          ...(trust ? [{ name: 'truststore', secret: { secretName: trust.secretName } }] : []),
        ],
      },
    };
    this.cronJob('SparkDependencies', `${this.name}-spark-dependencies`, 'spark-dependencies', schedule, template);
  }
}

/**
 * Creates or updates the ILM/ISM policy. ILM PUT is an upsert; an existing ISM
 * policy is only replaced with its current sequence number and primary term.
 */
function policyScript(s: JaegerStorageConfig): string {
  const auth = s.auth.kind === 'basic' ? `-u "$${JAEGER_ES_USERNAME_ENV}:$${JAEGER_ES_PASSWORD_ENV}"` : '';
  const tls = s.tls?.caFile ? `--cacert ${s.tls.caFile}` : s.tls?.insecureSkipVerify ? '-k' : '';
  const curl = `curl -sS ${auth} ${tls}`.replace(/\s+/g, ' ').trim();
  const lines = ['set -eu', 'query=""'];
  if (s.engine === 'opensearch') {
    lines.push(
      `code=$(${curl} -o /tmp/current.json -w '%{http_code}' "$POLICY_URL")`,
      'if [ "$code" = "200" ]; then',
      '  seq=$(sed -n \'s/.*"_seq_no":\\([0-9]*\\).*/\\1/p\' /tmp/current.json)',
      '  term=$(sed -n \'s/.*"_primary_term":\\([0-9]*\\).*/\\1/p\' /tmp/current.json)',
      '  query="?if_seq_no=$seq&if_primary_term=$term"',
      'fi',
    );
  }
  lines.push(`${curl} --fail-with-body -X PUT -H 'Content-Type: application/json' --data-binary @${POLICY_DIR}/policy.json "$POLICY_URL$query"`);
  return lines.join('\n');
}


function resolveCollector(path: string, o: JaegerCollectorOptions = {}) {
  const minReplicas = o.minReplicas ?? 2;
  const maxReplicas = o.maxReplicas ?? 10;
  const targetCpuUtilization = o.targetCpuUtilization ?? 70;
  if (!Number.isInteger(minReplicas) || minReplicas < 1) throw configError(path, 'collector.minReplicas must be a whole number of at least 1', minReplicas, 'use 2 or more for availability');
  if (!Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
    throw configError(path, 'collector.maxReplicas is below collector.minReplicas', { minReplicas, maxReplicas }, 'set maxReplicas >= minReplicas');
  }
  if (!Number.isInteger(targetCpuUtilization) || targetCpuUtilization < 10 || targetCpuUtilization > 100) {
    throw configError(path, 'collector.targetCpuUtilization must be a percentage between 10 and 100', targetCpuUtilization, 'use e.g. 70');
  }
  const resources = o.resources ?? COLLECTOR_RESOURCES;
  validateResources(`${path} collector`, resources);
  return { minReplicas, maxReplicas, targetCpuUtilization, resources };
}

function resolveQuery(path: string, o: JaegerQueryOptions = {}) {
  const replicas = o.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1) throw configError(path, 'query.replicas must be a whole number of at least 1', replicas, 'use 2 for availability');
  const basePath = o.basePath;
  if (basePath !== undefined && (basePath === '/' || !/^\/[A-Za-z0-9._~\-/]*[^/]$/.test(basePath) || basePath.includes('..') || basePath.includes('//'))) {
    throw configError(path, 'query.basePath must start with "/", not end with "/", and contain no ".." or "//"', basePath,
      'use e.g. "/jaeger", or leave it out to serve at "/"');
  }
  const resources = o.resources ?? QUERY_RESOURCES;
  validateResources(`${path} query`, resources);
  return { replicas, basePath, resources };
}
