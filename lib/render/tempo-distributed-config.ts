import { TEMPO_GRPC_PORT, TEMPO_MEMBERLIST_PORT } from '../core/tempo-ports';
import { RenderedTempoConfig, TempoConfigInput, renderTempoConfig } from './tempo-config';

/** The `-target` of each microservices workload, in Tempo 3.0.3. */
export const TEMPO_TARGETS = {
  distributor: 'distributor',
  liveStore: 'live-store',
  blockBuilder: 'block-builder',
  querier: 'querier',
  queryFrontend: 'query-frontend',
  backendScheduler: 'backend-scheduler',
  backendWorker: 'backend-worker',
  metricsGenerator: 'metrics-generator',
} as const;

/**
 * Live-store readiness (Tempo 3.0.3 `live_store.readiness_target_lag`, default 0s = ready at once,
 * `readiness_max_wait`, default 30m, only read when the target lag is above 0): a restarted
 * live-store stays unready until it has replayed its partition to within this lag, so a rolling
 * update moves to the next ordinal only once the previous partition is queryable again. Values of
 * upstream's `example/docker-compose/distributed/tempo.yaml` (5s) and Tempo's default wait (30m).
 */
export const TEMPO_LIVE_STORE_READINESS_TARGET_LAG = '5s';
export const TEMPO_LIVE_STORE_READINESS_MAX_WAIT_SECONDS = 30 * 60;

/** Environment variables holding the SASL/PLAIN credentials; Tempo expands them with `-config.expand-env=true`. */
export const TEMPO_KAFKA_SASL_USERNAME_ENV = 'TEMPO_KAFKA_SASL_USERNAME';
export const TEMPO_KAFKA_SASL_PASSWORD_ENV = 'TEMPO_KAFKA_SASL_PASSWORD';

/** Tempo's Kafka client settings (`ingest.kafka`). Tempo 3.0.3 speaks plaintext with optional SASL/PLAIN only. */
export interface TempoKafkaClientConfig {
  /** One seed broker `host:port`; the client discovers the other brokers from cluster metadata. */
  readonly address: string;
  readonly topic: string;
  /** Read SASL/PLAIN credentials from the environment (the construct fills it from a Secret). */
  readonly saslFromEnv: boolean;
}

/** What the microservices config adds to the monolithic input. */
export interface TempoDistributedConfigInput extends TempoConfigInput {
  readonly kafka: TempoKafkaClientConfig;
  /** `host:port` of the backend-scheduler's gRPC server, for the backend-workers. */
  readonly backendSchedulerHost: string;
  /** Host of the query-frontend discovery (headless) Service, for the queriers' frontend workers. */
  readonly queryFrontendDiscoveryHost: string;
  /** Host of the headless gossip Service every Tempo pod sits behind. */
  readonly gossipHost: string;
}

/**
 * Renders the one tempo.yaml every microservices workload reads (each picks
 * its role with `-target=`). It is the monolithic config, same retention,
 * storage, overrides, receivers and cluster label, with `target` removed and
 * the keys the distributed shape needs added.
 */
export function renderTempoDistributedConfig(input: TempoDistributedConfigInput): RenderedTempoConfig {
  const base = renderTempoConfig(input);
  const config = JSON.parse(JSON.stringify(base.config)) as Record<string, any>;
  // Each workload passes its own -target=; a shared `target: all` would be misleading.
  delete config.target;

  config.ingest = {
    kafka: {
      address: input.kafka.address,
      topic: input.kafka.topic,
      // The topic is created with the partitions sizing derived; never let Tempo create it
      // (auto-creation also rewrites the broker-wide num.partitions).
      auto_create_topic_enabled: false,
      ...(input.kafka.saslFromEnv ? {
        sasl_username: `\${${TEMPO_KAFKA_SASL_USERNAME_ENV}}`,
        sasl_password: `\${${TEMPO_KAFKA_SASL_PASSWORD_ENV}}`,
      } : {}),
    },
  };
  // StatefulSet ordinal N consumes partition N (instance id = pod hostname).
  config.block_builder = { partitions_per_instance: 1 };
  // Without a target lag the live-store reports ready before it has replayed its partition
  // (modules/livestore waitForCatchUp: "catch-up waiting disabled (readiness_target_lag=0)").
  config.live_store = {
    readiness_target_lag: TEMPO_LIVE_STORE_READINESS_TARGET_LAG,
    readiness_max_wait: `${TEMPO_LIVE_STORE_READINESS_MAX_WAIT_SECONDS / 60}m`,
  };
  if (config.metrics_generator) {
    // The generators are a Deployment: every rollout brings new pod names, and the Kafka consumer
    // group's static members (instance id = hostname) keep their partitions until the session
    // times out (~3 min) unless they leave on shutdown (modules/generator/config.go).
    config.metrics_generator = { ...config.metrics_generator, leave_consumer_group_on_shutdown: true };
  }
  config.backend_worker = {
    ...config.backend_worker,
    backend_scheduler_addr: `${input.backendSchedulerHost}:${TEMPO_GRPC_PORT}`,
  };
  config.querier = { frontend_worker: { frontend_address: `${input.queryFrontendDiscoveryHost}:${TEMPO_GRPC_PORT}` } };
  config.memberlist = {
    ...config.memberlist,
    join_members: [`dns+${input.gossipHost}:${TEMPO_MEMBERLIST_PORT}`],
    // A pod starting before the gossip Service has endpoints must retry, not die.
    abort_if_cluster_join_fails: false,
  };
  return { config, ...(base.overrides ? { overrides: base.overrides } : {}) };
}
