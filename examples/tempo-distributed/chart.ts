import { App } from 'cdk8s';
import { MB, Retention, TempoChart, TempoDeploymentMode, TempoKafka } from '../../lib/k8s';

/**
 * Tempo at scale: the Tempo 3.0 microservices shape for a declared peak of
 * 50 MB/s, writing through a Strimzi-managed Kafka in the same namespace.
 * Everything else (bucket, retention, tenants, metrics-generator, receivers)
 * is written exactly as for the monolithic GitOps example; only
 * `deploymentMode` differs.
 *
 * Needs the Strimzi 1.x operator (kafka.strimzi.io/v1) watching `tempo-scale`.
 * With brokers you already run, replace the kafka line with
 * `TempoKafka.external({ bootstrapServer: 'kafka-bootstrap.kafka.svc:9092', saslPlain: { secretName: 'tempo-kafka' } })`
 * (plaintext only: Tempo 3.0.3 has no Kafka TLS) and create the topic `chart.tempo.kafkaTopic` describes.
 *
 *   npm run synth   # writes dist/tempo-distributed.k8s.yaml
 */
export function buildTempoDistributed(app: App): TempoChart {
  return new TempoChart(app, 'tempo-distributed', {
    namespace: 'tempo-scale',
    name: 'tempo',
    storage: { bucketName: 'example-tempo-traces', region: 'eu-west-1', prefix: 'tempo-scale' },
    retention: Retention.days(14),
    metricsGenerator: { remoteWriteUrl: 'http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/write' },
    allowedNamespaces: ['observability', 'monitoring'],
    // Prometheus scrapes every component's /metrics on port 3200, which the NetworkPolicy admits from monitoring only.
    podMonitor: { labels: { release: 'kube-prometheus-stack' }, prometheusNamespace: 'monitoring' },
    storageClassName: 'gp3',
    deploymentMode: TempoDeploymentMode.microservices({
      // Declared peak ingest: partitions, live-stores, block-builders, HPAs and resources follow from it.
      ingestBytesPerSecond: 50 * MB,
      // Room to grow to 80 MB/s without touching the topic (Kafka cannot remove partitions).
      partitions: 8,
      kafka: TempoKafka.strimzi({ retentionMinutes: 12 * 60, storageClassName: 'gp3' }),
      liveStore: { storageSize: '50Gi' },
    }),
  });
}
