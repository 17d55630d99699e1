/**
 * Tempo's listening ports. The renderer (receiver endpoints in tempo.yaml)
 * and the constructs (Service and container ports, NetworkPolicy) both read
 * this table, so they cannot drift apart.
 */
export const TEMPO_HTTP_PORT = 3200;
export const TEMPO_GRPC_PORT = 9095;
export const TEMPO_MEMBERLIST_PORT = 7946;

/** A trace receiver Tempo's distributor runs. */
export interface TempoReceiverPort {
  /** Kubernetes port name (IANA-style, at most 15 characters). */
  readonly name: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** Receiver name under `distributor.receivers`. */
  readonly receiver: 'otlp' | 'jaeger' | 'zipkin';
  /** Protocol name under `<receiver>.protocols`, when the receiver has protocols. */
  readonly protocolKey?: string;
  /** Kubernetes appProtocol hint for Service ports. */
  readonly appProtocol?: string;
}

export const TEMPO_RECEIVER_PORTS: readonly TempoReceiverPort[] = [
  { name: 'otlp-grpc', port: 4317, protocol: 'TCP', receiver: 'otlp', protocolKey: 'grpc', appProtocol: 'grpc' },
  { name: 'otlp-http', port: 4318, protocol: 'TCP', receiver: 'otlp', protocolKey: 'http', appProtocol: 'http' },
  { name: 'jaeger-grpc', port: 14250, protocol: 'TCP', receiver: 'jaeger', protocolKey: 'grpc', appProtocol: 'grpc' },
  { name: 'jaeger-http', port: 14268, protocol: 'TCP', receiver: 'jaeger', protocolKey: 'thrift_http', appProtocol: 'http' },
  { name: 'jaeger-compact', port: 6831, protocol: 'UDP', receiver: 'jaeger', protocolKey: 'thrift_compact' },
  { name: 'jaeger-binary', port: 6832, protocol: 'UDP', receiver: 'jaeger', protocolKey: 'thrift_binary' },
  { name: 'zipkin', port: 9411, protocol: 'TCP', receiver: 'zipkin', appProtocol: 'http' },
];

/** The receiver endpoint string Tempo must bind: all interfaces, never localhost. */
export function receiverEndpoint(port: number): string {
  return `0.0.0.0:${port}`;
}
