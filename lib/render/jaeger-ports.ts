/**
 * Jaeger v2's listening ports (jaeger.md section 4). The config renderer
 * (endpoints in the YAML) and the constructs (Service, container ports,
 * NetworkPolicy) read this one table, so they cannot drift apart.
 */
export interface JaegerPort {
  /** Kubernetes port name (at most 15 characters). */
  readonly name: string;
  readonly port: number;
  /** Kubernetes appProtocol hint. */
  readonly appProtocol: 'grpc' | 'http';
}

export const JAEGER_OTLP_GRPC: JaegerPort = { name: 'otlp-grpc', port: 4317, appProtocol: 'grpc' };
export const JAEGER_OTLP_HTTP: JaegerPort = { name: 'otlp-http', port: 4318, appProtocol: 'http' };
/** Legacy Jaeger gRPC ingest (deprecated upstream; does not serve sampling in v2). */
export const JAEGER_LEGACY_GRPC: JaegerPort = { name: 'jaeger-grpc', port: 14250, appProtocol: 'grpc' };
/** Legacy Jaeger Thrift over HTTP ingest. */
export const JAEGER_LEGACY_THRIFT_HTTP: JaegerPort = { name: 'jaeger-http', port: 14268, appProtocol: 'http' };
export const JAEGER_ZIPKIN: JaegerPort = { name: 'zipkin', port: 9411, appProtocol: 'http' };
/** Remote sampling over HTTP (`/sampling?service=...`). */
export const JAEGER_SAMPLING_HTTP: JaegerPort = { name: 'sampling-http', port: 5778, appProtocol: 'http' };
/** Remote sampling over gRPC (`OTEL_TRACES_SAMPLER_ARG=endpoint=...:5779`). */
export const JAEGER_SAMPLING_GRPC: JaegerPort = { name: 'sampling-grpc', port: 5779, appProtocol: 'grpc' };
/** UI and HTTP query API (`/api/v3/*`). */
export const JAEGER_QUERY_HTTP: JaegerPort = { name: 'http-query', port: 16686, appProtocol: 'http' };
/** gRPC query API (api_v2 and api_v3). */
export const JAEGER_QUERY_GRPC: JaegerPort = { name: 'grpc-query', port: 16685, appProtocol: 'grpc' };
/** `healthcheckv2` HTTP endpoint, serving `/status`. */
export const JAEGER_HEALTH: JaegerPort = { name: 'health', port: 13133, appProtocol: 'http' };
/** Prometheus `/metrics` of Jaeger's own telemetry. */
export const JAEGER_METRICS: JaegerPort = { name: 'metrics', port: 8888, appProtocol: 'http' };

/** Path of the health endpoint on {@link JAEGER_HEALTH}. */
export const JAEGER_HEALTH_PATH = '/status';

/** Ingest ports of the collector role. */
export function jaegerReceiverPorts(legacyReceivers: boolean): JaegerPort[] {
  return legacyReceivers
    ? [JAEGER_OTLP_GRPC, JAEGER_OTLP_HTTP, JAEGER_LEGACY_GRPC, JAEGER_LEGACY_THRIFT_HTTP, JAEGER_ZIPKIN]
    : [JAEGER_OTLP_GRPC, JAEGER_OTLP_HTTP];
}

/** Every port the collector Service exposes: receivers, remote sampling, metrics. */
export function jaegerCollectorPorts(legacyReceivers: boolean): JaegerPort[] {
  return [...jaegerReceiverPorts(legacyReceivers), JAEGER_SAMPLING_HTTP, JAEGER_SAMPLING_GRPC, JAEGER_METRICS];
}

/** Every port the query Service exposes. */
export const JAEGER_QUERY_SERVICE_PORTS: readonly JaegerPort[] = [JAEGER_QUERY_HTTP, JAEGER_QUERY_GRPC, JAEGER_METRICS];

/** The endpoint string a component binds: all interfaces, never localhost. */
export function bindAll(port: JaegerPort): string {
  return `0.0.0.0:${port.port}`;
}
