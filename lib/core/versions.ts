/**
 * Every upstream image we deploy, pinned to an exact version in one place.
 * Each construct takes an `image` prop to override its entry.
 */
export const TEMPO_VERSION = '3.0.3';
export const JAEGER_VERSION = '2.20.0';

/** Container images, by component. */
export const IMAGES = {
  tempo: `docker.io/grafana/tempo:${TEMPO_VERSION}`,
  otelcolK8s: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s:0.161.0',
  otelcolContrib: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.161.0',
  jaeger: `docker.io/jaegertracing/jaeger:${JAEGER_VERSION}`,
  jaegerEsIndexCleaner: `docker.io/jaegertracing/jaeger-es-index-cleaner:${JAEGER_VERSION}`,
  jaegerEsRollover: `docker.io/jaegertracing/jaeger-es-rollover:${JAEGER_VERSION}`,
  jaegerSparkDependencies: 'ghcr.io/jaegertracing/spark-dependencies/spark-dependencies:v0.7.2',
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.16',
  curl: 'docker.io/curlimages/curl:8.15.0',
} as const;

/** Version label value taken from an image reference (the tag), or `unknown`. */
export function versionOfImage(image: string): string {
  const lastSegment = image.split('/').pop() ?? image;
  const tag = lastSegment.includes('@') ? undefined : lastSegment.split(':')[1];
  return tag ?? 'unknown';
}
