// The public options of Jaeger, kept apart from the builders so the API reads in one place.
import { ContainerResources } from '../../core/quantities';
import { Retention } from '../../core/retention';
import { TraceSampling } from '../../core/sampling';
import { JaegerIndexRotation, JaegerStorage } from '../jaeger-storage';
import type { BackendMonitorOptions } from '../scrape';

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
   * prometheus-operator PodMonitors for the collector and query pods (Jaeger's telemetry on port
   * `metrics`, 8888), so that TracingAlerts and TracingDashboards can read Jaeger's metrics (they
   * refuse a Jaeger nothing scrapes). With `allowedNamespaces`, set `prometheusNamespace` to one of them.
   * @default - no PodMonitors
   */
  readonly podMonitor?: BackendMonitorOptions;
  /**
   * Log level of Jaeger.
   * @default 'info'
   */
  readonly logLevel?: string;
}
