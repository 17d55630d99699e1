// Bad input to Tempo's microservices mode gets a clear error at synth time: construct path, the value, and the fix.
import { Testing } from 'cdk8s';
import { MB } from '../lib/core';
import { TempoChart, TempoChartProps, TempoDeploymentMode, TempoKafka, TempoMicroservicesOptions } from '../lib/k8s';
import { expectConfigError } from './helpers/errors';

const storage = { bucketName: 'tempo-traces', region: 'eu-west-1' };

function micro(o: Partial<TempoMicroservicesOptions>, props: Partial<TempoChartProps> = {}): () => void {
  return () => new TempoChart(Testing.app(), 'tempo', {
    namespace: 'tracing', storage, ...props,
    deploymentMode: TempoDeploymentMode.microservices({ ingestBytesPerSecond: 50 * MB, kafka: TempoKafka.strimzi(), ...o }),
  });
}
const ext = (bootstrapServer: string) => micro({ kafka: TempoKafka.external({ bootstrapServer }) });
const P = 'tempo/Tempo';

// [case, build, path, problem, value shown, fix]
const cases: Array<[string, () => void, string, RegExp, string, RegExp]> = [
  ['throughput zero', micro({ ingestBytesPerSecond: 0 }), P, /ingestBytesPerSecond must be a positive number of bytes per second/, '0', /50_000_000 for 50 MB\/s/],
  ['throughput not a number', micro({ ingestBytesPerSecond: Number.NaN }), P, /ingestBytesPerSecond must be a positive number/, '"NaN"', /declare the peak ingest/],
  ['partitions below live-stores', micro({ partitions: 3 }), P, /partitions is below the live-store count \(5\).*invalid record partitioning choice/, '3', /at least 5/],
  ['an HPA on a live-store', micro({ liveStore: { autoscaling: { minReplicas: 5, maxReplicas: 10 } } }), P, /liveStore\.autoscaling is not allowed: live-stores own Kafka partitions.*never by an HPA/, '{"minReplicas":5,"maxReplicas":10}', /set microservices\.liveStore\.replicas instead/],
  ['an HPA on a block-builder', micro({ blockBuilder: { autoscaling: { minReplicas: 1, maxReplicas: 4 } } }), P, /blockBuilder\.autoscaling is not allowed: block-builders own Kafka partitions/, '{"minReplicas":1,"maxReplicas":4}', /remove microservices\.blockBuilder\.autoscaling/],
  ['an HPA on the backend-scheduler', micro({ backendScheduler: { autoscaling: { minReplicas: 1, maxReplicas: 2 } } }), P, /backendScheduler\.autoscaling is not allowed: the backend-scheduler is a singleton/, '{"minReplicas":1,"maxReplicas":2}', /remove microservices\.backendScheduler\.autoscaling$/],
  ['two backend-schedulers', micro({ backendScheduler: { replicas: 2 } }), P, /backendScheduler\.replicas must be 1: the backend-scheduler is a singleton/, '2', /scale backendWorker instead/],
  ['replication above broker count', micro({ kafka: TempoKafka.strimzi({ brokers: 2 }) }), P, /replicationFactor is above the broker count \(2\)/, '3', /raise brokers to at least 3, or lower replicationFactor to 2/],
  ['min.insync.replicas equal to replication', micro({ kafka: TempoKafka.strimzi({ minInsyncReplicas: 3 }) }), P, /minInsyncReplicas must be at least 1 and below replicationFactor \(3\)/, '3', /use 2/],
  ['block-builders differ from live-stores', micro({ blockBuilder: { replicas: 3 } }), P, /blockBuilder\.replicas must equal the live-store count \(5\)/, '3', /set it to 5/],
  ['too few live-stores for the ingest', micro({ liveStore: { replicas: 2 } }), P, /each live-store would carry 25 MB\/s, above Tempo's ~10 MB\/s per partition/, '2', /at least 5 live-stores for 50 MB\/s/],
  ['Kafka retention below 40 minutes', micro({ kafka: TempoKafka.strimzi({ retentionMinutes: 30 }) }), P, /retentionMinutes must be a whole number of at least 40 minutes/, '30', /1440/],
  ['topic max.message.bytes below Tempo batches', micro({ kafka: TempoKafka.strimzi({ maxMessageBytes: 1_048_576 }) }), P, /maxMessageBytes is below Tempo's largest batch \(16000000 bytes\)/, '1048576', /16777216/],
  ['a bootstrap list', ext('k1:9092,k2:9092'), P, /one host:port without scheme: Tempo 3\.0\.3 dials a single seed broker/, '"k1:9092,k2:9092"', /a DNS name resolving to several brokers/],
  ['a TLS bootstrap URL', ext('SSL://b-1.msk.eu-west-1.amazonaws.com:9094'), P, /no Kafka TLS/, '"SSL://b-1.msk.eu-west-1.amazonaws.com:9094"', /pass one address/],
  ['HPA max below min', micro({ querier: { autoscaling: { minReplicas: 10, maxReplicas: 4 } } }), P, /querier\.autoscaling\.maxReplicas is below minReplicas/, '"4 < 10"', /raise maxReplicas to at least 10/],
  ['replicas and autoscaling together', micro({ distributor: { replicas: 3, autoscaling: { minReplicas: 2, maxReplicas: 6 } } }), P, /distributor sets both replicas and autoscaling/, '{"replicas":3', /not both/],
  ['a volume size for a component without a volume', micro({ querier: { storageSize: '10Gi' } }), P, /querier\.storageSize is set but the querier has no PersistentVolumeClaim/, '"10Gi"', /remove microservices\.querier\.storageSize/],
  ['component request above its limit', micro({ querier: { resources: { cpuRequest: '4', cpuLimit: '2', memoryRequest: '4Gi', memoryLimit: '8Gi' } } }), P, /microservices\.querier\.resources\.cpuRequest exceeds cpuLimit/, '"4 > 2"', /raise the limit/],
  ['monolithic resources in microservices mode', micro({}, { resources: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' } }), P, /resources is a monolithic setting/, '{"cpuRequest":"1"', /microservices\(\{ querier: \{ resources \} \}\)/],
  ['name too long for component names', micro({}, { name: 'tempo-production-eu-west-1-primary-abcd' }), P, /name \(microservices mode: .*at most 34 characters/, '"tempo-production-eu-west-1-primary-abcd"', /choose a name/],
  // 35 characters: every Service name fits 63, but the StatefulSet "<name>-backend-scheduler" (53) would never create its pod.
  ['name too long for the backend-scheduler StatefulSet', () => new TempoChart(Testing.app(), 'tempo', {
    namespace: 'tracing', storage, name: 'tempo-production-eu-west-1-primary1',
    deploymentMode: TempoDeploymentMode.microservices({ ingestBytesPerSecond: 50 * MB, kafka: TempoKafka.external({ bootstrapServer: 'kafka:9092' }) }),
  }), P, /"<name>-backend-scheduler" must fit the 52 characters a StatefulSet name may have\) must be a DNS label/, '"tempo-production-eu-west-1-primary1"', /choose a name/],
  ['zero replicas', micro({ queryFrontend: { replicas: 0 } }), P, /queryFrontend\.replicas must be a whole number, at least 1/, '0', /set microservices\.queryFrontend\.replicas to 1 or more/],
];

describe('Tempo microservices: bad input is rejected at synth time with a clear message', () => {
  test('at least 8 distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
    expect(new Set(cases.map((c) => String(c[3]))).size).toBe(cases.length);
  });

  test.each(cases)('%s', (_name, build, path, problem, value, fix) => {
    expectConfigError(build, path, problem, value, fix);
  });
});
