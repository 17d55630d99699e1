import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { isDnsLabel } from '../core/names';
import { ContainerResources, parseMemoryBytes, validateResources } from '../core/quantities';

/** Strimzi 1.x serves only `kafka.strimzi.io/v1` (Strimzi 1.0 removed v1beta2). */
export const STRIMZI_API_VERSION = 'kafka.strimzi.io/v1';
/** Tempo's largest Kafka batch is 16,000,000 bytes (pkg/ingest); the topic must accept it. */
export const TEMPO_KAFKA_MIN_MESSAGE_BYTES = 16_000_000;
/** Tempo's Kafka topic guidance (configure-kafka.md): keep about 24 hours, never below 40 minutes. */
export const TEMPO_KAFKA_MIN_RETENTION_MINUTES = 40;
const KAFKA_PORT = 9092;

/**
 * Security contexts for the pods Strimzi creates from our resources. Strimzi's default pod security
 * provider ("baseline") sets none of runAsNonRoot, seccomp, allowPrivilegeEscalation or dropped
 * capabilities, so a namespace enforcing Pod Security "restricted" rejects its pods. A
 * `template.*.securityContext` in the custom resource replaces what the provider would set, so
 * these make every pod admissible on a default Strimzi install. The Strimzi images run as UID 1001
 * (group 0); Strimzi mounts an emptyDir at /tmp, so the root filesystem can stay read-only.
 */
const STRIMZI_POD_SECURITY = {
  runAsNonRoot: true,
  // The baseline provider's fsGroup for persistent storage: broker volumes stay writable by group 0.
  fsGroup: 0,
  seccompProfile: { type: 'RuntimeDefault' },
};
const STRIMZI_OPERATOR_POD_SECURITY = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const STRIMZI_CONTAINER_SECURITY = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

/** SASL/PLAIN credentials in a Kubernetes Secret of the Tempo namespace. */
export interface KafkaSaslPlainSecret {
  /** Name of the Secret. */
  readonly secretName: string;
  /**
   * Key of the user name in the Secret.
   * @default 'username'
   */
  readonly usernameKey?: string;
  /**
   * Key of the password in the Secret.
   * @default 'password'
   */
  readonly passwordKey?: string;
}

/** Options of {@link TempoKafka.external}. */
export interface ExternalKafkaOptions {
  /**
   * One seed broker as `host:port`, e.g. `kafka-bootstrap.kafka.svc:9092`. Tempo 3.0.3
   * takes a single address (`ingest.kafka.address`) and discovers every other broker
   * from cluster metadata; use a bootstrap DNS name that resolves to several brokers.
   * The listener must be plaintext: **Tempo 3.0.3 has no Kafka TLS** (it arrives after 3.0.3),
   * so Amazon MSK with TLS-only or IAM listeners cannot be used.
   */
  readonly bootstrapServer: string;
  /**
   * Topic Tempo writes to. It must already exist with at least `sizing.partitions`
   * partitions, replication 3, `min.insync.replicas=2`, `cleanup.policy=delete`,
   * about 24h retention and `max.message.bytes` >= 16000000 (see `Tempo.kafkaTopic`).
   * @default `<name>-traces`
   */
  readonly topic?: string;
  /**
   * SASL/PLAIN credentials, read from a Secret (the only authentication Tempo 3.0.3
   * supports; sent in clear text, so keep the broker inside the VPC).
   * @default - no authentication
   */
  readonly saslPlain?: KafkaSaslPlainSecret;
}

/** Options of {@link TempoKafka.strimzi}. */
export interface StrimziKafkaOptions {
  /**
   * Name of the Strimzi `Kafka` resource (its bootstrap Service is `<name>-kafka-bootstrap`).
   * @default `<tempo name>-kafka`
   */
  readonly clusterName?: string;
  /**
   * Kafka nodes (KRaft, each both controller and broker).
   * @default 3
   */
  readonly brokers?: number;
  /**
   * Replicas of each partition of the trace topic. At most `brokers`.
   * @default 3
   */
  readonly replicationFactor?: number;
  /**
   * `min.insync.replicas` of the topic; below `replicationFactor` so one broker can be down.
   * @default 2
   */
  readonly minInsyncReplicas?: number;
  /**
   * How long Kafka keeps trace records, in minutes (`retention.ms`). At least 40 minutes.
   * @default 1440 (24 hours)
   */
  readonly retentionMinutes?: number;
  /**
   * `max.message.bytes` of the topic; at least 16000000 (Tempo's batch size).
   * @default 16777216
   */
  readonly maxMessageBytes?: number;
  /**
   * Size of each broker's volume.
   * @default - ingest x retention x replicationFactor / brokers, plus 25%, rounded up to whole GiB
   */
  readonly storageSize?: string;
  /**
   * StorageClass of the broker volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Requests and limits of each broker.
   * @default { cpuRequest: '1', cpuLimit: '2', memoryRequest: '4Gi', memoryLimit: '4Gi' }
   */
  readonly resources?: ContainerResources;
  /**
   * Kafka version (`spec.kafka.version`).
   * @default - the Strimzi operator's default version
   */
  readonly kafkaVersion?: string;
  /**
   * Topic name.
   * @default `<tempo name>-traces`
   */
  readonly topic?: string;
}

/**
 * Where Tempo's microservices write: an external Kafka-compatible cluster, or
 * a Strimzi-managed Kafka in the same namespace.
 */
export class TempoKafka {
  /** Brokers you run (Kafka, Redpanda, WarpStream); the topic must exist. */
  public static external(options: ExternalKafkaOptions): TempoKafka {
    return new TempoKafka(options, undefined);
  }

  /**
   * A Strimzi `Kafka` + `KafkaNodePool` + `KafkaTopic` created next to Tempo.
   * Needs the Strimzi 1.x operator (CRDs `kafka.strimzi.io/v1`) watching the namespace.
   */
  public static strimzi(options: StrimziKafkaOptions = {}): TempoKafka {
    return new TempoKafka(undefined, options);
  }

  private constructor(
    /** @internal */ public readonly _external: ExternalKafkaOptions | undefined,
    /** @internal */ public readonly _strimzi: StrimziKafkaOptions | undefined,
  ) {}
}

/** The settings Tempo requires of its Kafka topic, computed once for Strimzi and for documentation. */
export interface TempoKafkaTopicSettings {
  readonly name: string;
  readonly partitions: number;
  /** Undefined for external Kafka: the operator of those brokers decides (Tempo asks for 3). */
  readonly replicationFactor?: number;
  readonly minInsyncReplicas?: number;
  readonly retentionMs?: number;
  readonly maxMessageBytes?: number;
  readonly cleanupPolicy: 'delete';
}

/** Kafka after defaults and checks. */
export interface ResolvedTempoKafka {
  /** `host:port` Tempo dials. */
  readonly address: string;
  readonly topic: TempoKafkaTopicSettings;
  readonly saslPlain?: Required<KafkaSaslPlainSecret>;
  readonly strimzi?: ResolvedStrimzi;
}

export interface ResolvedStrimzi {
  readonly clusterName: string;
  readonly brokers: number;
  readonly storageSize: string;
  readonly storageClassName?: string;
  readonly resources: ContainerResources;
  readonly kafkaVersion?: string;
}

const DEFAULT_BROKER_RESOURCES: ContainerResources = { cpuRequest: '1', cpuLimit: '2', memoryRequest: '4Gi', memoryLimit: '4Gi' };
const HOST_PORT = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:\d{1,5}$/i;
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Broker volume for `ingest` bytes/s kept `retentionMinutes`, `rf` copies spread over `brokers`, plus 25%. */
export function strimziBrokerStorage(ingestBytesPerSecond: number, retentionMinutes: number, rf: number, brokers: number): string {
  const bytes = (ingestBytesPerSecond * retentionMinutes * 60 * rf / brokers) * 1.25;
  return `${Math.ceil(bytes / 1024 ** 3)}Gi`;
}

/** Applies defaults and Tempo's Kafka rules; `name` is the Tempo base name. */
export function resolveTempoKafka(path: string, kafka: TempoKafka, name: string, namespace: string,
  partitions: number, ingestBytesPerSecond: number): ResolvedTempoKafka {
  const ext = kafka._external;
  if (ext) {
    const address = ext.bootstrapServer;
    if (typeof address !== 'string' || address.includes(',') || /^[a-z]+:\/\//i.test(address) || !HOST_PORT.test(address)) {
      throw configError(path, 'kafka bootstrapServer must be one host:port without scheme: Tempo 3.0.3 dials a single seed broker (ingest.kafka.address) and discovers the rest, and speaks plaintext only (no Kafka TLS)',
        address, 'pass one address such as "kafka-bootstrap.kafka.svc.cluster.local:9092" (a DNS name resolving to several brokers)');
    }
    const topic = ext.topic ?? `${name}-traces`;
    validateTopic(path, topic);
    let sasl: Required<KafkaSaslPlainSecret> | undefined;
    if (ext.saslPlain) {
      if (!isDnsLabel(ext.saslPlain.secretName) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(ext.saslPlain.secretName)) {
        throw configError(path, 'kafka saslPlain.secretName is not a Kubernetes Secret name', ext.saslPlain.secretName, 'use the name of a Secret in the Tempo namespace, e.g. "tempo-kafka"');
      }
      sasl = { secretName: ext.saslPlain.secretName, usernameKey: ext.saslPlain.usernameKey ?? 'username', passwordKey: ext.saslPlain.passwordKey ?? 'password' };
    }
    return { address, topic: { name: topic, partitions, cleanupPolicy: 'delete' }, ...(sasl ? { saslPlain: sasl } : {}) };
  }
  const s = kafka._strimzi ?? {};
  const clusterName = s.clusterName ?? `${name}-kafka`;
  if (!isDnsLabel(clusterName) || clusterName.length > 40) {
    throw configError(path, 'kafka clusterName must be a DNS label of at most 40 characters (Strimzi derives pod and Service names from it)', clusterName, 'choose a name such as "tempo-kafka"');
  }
  const brokers = s.brokers ?? 3;
  if (!Number.isInteger(brokers) || brokers < 1) {
    throw configError(path, 'kafka brokers must be a whole number, at least 1', brokers, 'use 3 (the default) or more');
  }
  const rf = s.replicationFactor ?? 3;
  if (!Number.isInteger(rf) || rf < 1) throw configError(path, 'kafka replicationFactor must be a whole number, at least 1', rf, 'use 3 (the default)');
  if (rf > brokers) {
    throw configError(path, `kafka replicationFactor is above the broker count (${brokers}): Kafka cannot place more replicas than brokers and the topic would never be created`,
      rf, `raise brokers to at least ${rf}, or lower replicationFactor to ${brokers}`);
  }
  const minIsr = s.minInsyncReplicas ?? Math.min(2, rf);
  if (!Number.isInteger(minIsr) || minIsr < 1 || (minIsr >= rf && rf > 1)) {
    throw configError(path, `kafka minInsyncReplicas must be at least 1 and below replicationFactor (${rf}), or one broker restart stops every write`,
      minIsr, `use ${Math.max(1, rf - 1)}`);
  }
  const retentionMinutes = s.retentionMinutes ?? 24 * 60;
  if (!Number.isInteger(retentionMinutes) || retentionMinutes < TEMPO_KAFKA_MIN_RETENTION_MINUTES) {
    throw configError(path, `kafka retentionMinutes must be a whole number of at least ${TEMPO_KAFKA_MIN_RETENTION_MINUTES} minutes: live-stores and block-builders replay from Kafka after a restart`,
      retentionMinutes, 'use 1440 (24 hours, the default)');
  }
  const maxMessageBytes = s.maxMessageBytes ?? 16_777_216;
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < TEMPO_KAFKA_MIN_MESSAGE_BYTES) {
    throw configError(path, `kafka maxMessageBytes is below Tempo's largest batch (${TEMPO_KAFKA_MIN_MESSAGE_BYTES} bytes), so large writes would be rejected`,
      maxMessageBytes, 'use 16777216 (the default) or more');
  }
  const topic = s.topic ?? `${name}-traces`;
  validateTopic(path, topic);
  if (!isDnsLabel(topic)) {
    throw configError(path, 'kafka topic must be a DNS label with Strimzi (it is the KafkaTopic name)', topic, 'use e.g. "tempo-traces"');
  }
  const resources = s.resources ?? DEFAULT_BROKER_RESOURCES;
  validateResources(path, resources);
  const storageSize = s.storageSize ?? strimziBrokerStorage(ingestBytesPerSecond, retentionMinutes, rf, brokers);
  if (!parseMemoryBytes(storageSize)) throw configError(path, 'kafka storageSize is not a storage quantity', storageSize, 'use a quantity such as "500Gi"');
  return {
    address: `${clusterName}-kafka-bootstrap.${namespace}.svc.cluster.local:${KAFKA_PORT}`,
    topic: { name: topic, partitions, replicationFactor: rf, minInsyncReplicas: minIsr, retentionMs: retentionMinutes * 60_000, maxMessageBytes, cleanupPolicy: 'delete' },
    strimzi: { clusterName, brokers, storageSize, storageClassName: s.storageClassName, resources, kafkaVersion: s.kafkaVersion },
  };
}

function validateTopic(path: string, topic: string): void {
  if (!TOPIC.test(topic) || topic === '.' || topic === '..') {
    throw configError(path, 'kafka topic is not a valid Kafka topic name', topic, 'use letters, digits, ".", "_" and "-", e.g. "tempo-traces"');
  }
}

/** Props of {@link StrimziKafkaCluster}. */
export interface StrimziKafkaClusterProps {
  readonly kafka: ResolvedTempoKafka;
  /** Labels of the only pods allowed on the plaintext listener (Strimzi renders a NetworkPolicy from them). */
  readonly clientSelector: Record<string, string>;
  /** Labels put on the three resources. */
  readonly labels: Record<string, string>;
}

/**
 * A Strimzi KRaft cluster for Tempo: one `KafkaNodePool` of combined
 * controller+broker nodes, a `Kafka` with a plaintext internal listener open to
 * Tempo's pods only, and the trace `KafkaTopic` with the settings Tempo requires.
 */
export class StrimziKafkaCluster extends Construct {
  public readonly kafka: ApiObject;
  public readonly nodePool: ApiObject;
  public readonly topic: ApiObject;

  constructor(scope: Construct, id: string, props: StrimziKafkaClusterProps) {
    super(scope, id);
    const s = props.kafka.strimzi;
    if (!s) throw new Error('StrimziKafkaCluster needs a Strimzi Kafka');
    const t = props.kafka.topic;
    const clusterLabel = { 'strimzi.io/cluster': s.clusterName };
    const r = s.resources;
    this.nodePool = new ApiObject(this, 'NodePool', {
      apiVersion: STRIMZI_API_VERSION,
      kind: 'KafkaNodePool',
      metadata: { name: `${s.clusterName}-nodes`, labels: { ...props.labels, ...clusterLabel } },
      spec: {
        replicas: s.brokers,
        roles: ['controller', 'broker'],
        storage: {
          type: 'jbod',
          volumes: [{
            id: 0, type: 'persistent-claim', size: s.storageSize, deleteClaim: false, kraftMetadata: 'shared',
            ...(s.storageClassName ? { class: s.storageClassName } : {}),
          }],
        },
        resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } },
        // The broker pods come from the node pool; its template wins over the Kafka resource's.
        template: {
          pod: { securityContext: STRIMZI_POD_SECURITY },
          kafkaContainer: { securityContext: STRIMZI_CONTAINER_SECURITY },
          // Only used with rack awareness, which we do not set; covered so enabling it cannot break admission.
          initContainer: { securityContext: STRIMZI_CONTAINER_SECURITY },
        },
      },
    });
    this.kafka = new ApiObject(this, 'Kafka', {
      apiVersion: STRIMZI_API_VERSION,
      kind: 'Kafka',
      metadata: { name: s.clusterName, labels: props.labels },
      spec: {
        kafka: {
          ...(s.kafkaVersion ? { version: s.kafkaVersion } : {}),
          listeners: [{
            // Tempo 3.0.3 has no Kafka TLS; the listener is plaintext and open to Tempo's pods only.
            name: 'plain', port: KAFKA_PORT, type: 'internal', tls: false,
            networkPolicyPeers: [{ podSelector: { matchLabels: props.clientSelector } }],
          }],
          config: {
            'auto.create.topics.enable': false,
            'default.replication.factor': t.replicationFactor,
            'min.insync.replicas': t.minInsyncReplicas,
            'offsets.topic.replication.factor': t.replicationFactor,
            'transaction.state.log.replication.factor': t.replicationFactor,
            'transaction.state.log.min.isr': t.minInsyncReplicas,
            'message.max.bytes': t.maxMessageBytes,
          },
        },
        entityOperator: {
          topicOperator: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
          template: {
            pod: { securityContext: STRIMZI_OPERATOR_POD_SECURITY },
            topicOperatorContainer: { securityContext: STRIMZI_CONTAINER_SECURITY },
          },
        },
      },
    });
    this.topic = new ApiObject(this, 'Topic', {
      apiVersion: STRIMZI_API_VERSION,
      kind: 'KafkaTopic',
      metadata: { name: t.name, labels: { ...props.labels, ...clusterLabel } },
      spec: {
        partitions: t.partitions,
        replicas: t.replicationFactor,
        config: {
          'cleanup.policy': t.cleanupPolicy,
          'retention.ms': t.retentionMs,
          'min.insync.replicas': t.minInsyncReplicas,
          'max.message.bytes': t.maxMessageBytes,
        },
      },
    });
  }
}
