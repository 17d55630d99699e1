import { configError } from '../../core/errors';
import { OtlpGrpcTarget } from '../../render/collector-config';
import { Tempo } from '../tempo';

/**
 * Anything that receives OTLP/gRPC traces inside the cluster and says where:
 * the {@link Tempo} construct, the Jaeger construct, or your own.
 */
export interface IOtlpTraceReceiver {
  /** `host:port` of the OTLP/gRPC receiver, e.g. `tempo.tracing.svc.cluster.local:4317`. */
  readonly otlpGrpcEndpoint: string;
  /** Whether the receiver requires a tenant header (`X-Scope-OrgID`). */
  readonly multitenancy?: boolean;
  /** Namespaces the receiver's NetworkPolicy admits; undefined means every namespace. */
  readonly allowedNamespaces?: string[];
}

/** Options of {@link CollectorBackend.tempo} and {@link CollectorBackend.receiver}. */
export interface CollectorBackendOptions {
  /**
   * Tenant written into `X-Scope-OrgID`. Required when the backend has multitenancy on, refused otherwise.
   * @default - no tenant header
   */
  readonly tenant?: string;
}

/** Options of {@link CollectorBackend.external}. */
export interface ExternalBackendOptions {
  /**
   * Send in plaintext instead of TLS.
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Extra gRPC headers (for authentication use a Secret-backed header in your own config).
   * @default - none
   */
  readonly headers?: Record<string, string>;
}

const HOST_PORT = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*:\d{1,5}$/;
const TENANT = /^[A-Za-z0-9!\-_.*'()]{1,150}$/;

/**
 * Where the collector tier exports traces. The endpoint is computed from the
 * backend construct, never typed: `CollectorBackend.tempo(tempo)`.
 */
export class CollectorBackend {
  /** The {@link Tempo} construct of this app; endpoint, port and tenant header come from it. */
  public static tempo(tempo: Tempo, options: CollectorBackendOptions = {}): CollectorBackend {
    return new CollectorBackend('tempo', tempo, undefined, options.tenant);
  }

  /** Any in-cluster OTLP/gRPC receiver construct, e.g. the Jaeger collector construct. */
  public static receiver(receiver: IOtlpTraceReceiver, options: CollectorBackendOptions = {}): CollectorBackend {
    return new CollectorBackend('receiver', receiver, undefined, options.tenant);
  }

  /** A receiver outside this app, as `host:port` (no scheme). */
  public static external(endpoint: string, options: ExternalBackendOptions = {}): CollectorBackend {
    return new CollectorBackend('external', { otlpGrpcEndpoint: endpoint }, options);
  }

  private constructor(
    private readonly kind: 'tempo' | 'receiver' | 'external',
    private readonly receiverRef: IOtlpTraceReceiver,
    private readonly external?: ExternalBackendOptions,
    private readonly tenant?: string,
  ) {}

  /**
   * The exporter target, validated; `path` names the construct in errors.
   * `fromNamespace` is where the exporting pods run: the backend's NetworkPolicy must admit it.
   */
  public bind(path: string, fromNamespace?: string): OtlpGrpcTarget {
    const endpoint = this.receiverRef.otlpGrpcEndpoint;
    if (typeof endpoint !== 'string' || !HOST_PORT.test(endpoint) || Number(endpoint.split(':').pop()) > 65535) {
      throw configError(path, 'backend endpoint must be host:port without scheme', endpoint,
        'use e.g. CollectorBackend.external("otel.example.com:4317"), or pass the backend construct with CollectorBackend.tempo(tempo)');
    }
    if (this.kind === 'external') {
      return { endpoint, insecure: this.external?.insecure ?? false, headers: this.external?.headers };
    }
    const allowed = this.receiverRef.allowedNamespaces;
    if (fromNamespace !== undefined && allowed !== undefined && !allowed.includes(fromNamespace)) {
      throw configError(path, `the backend's NetworkPolicy admits only namespaces ${JSON.stringify(allowed)}, so exports from this collector's namespace would be dropped`,
        fromNamespace, `add "${fromNamespace}" to the backend's allowedNamespaces`);
    }
    const multitenant = this.receiverRef.multitenancy ?? false;
    if (multitenant && this.tenant === undefined) {
      throw configError(path, 'the backend has multitenancy on, so every write needs a tenant, but none was given', this.tenant,
        'pass { tenant: "team-a" } to CollectorBackend.tempo(...)');
    }
    if (!multitenant && this.tenant !== undefined) {
      throw configError(path, 'a tenant was given but the backend has multitenancy off, so it would ignore the header', this.tenant,
        'drop the tenant, or turn multitenancy on in the backend');
    }
    if (this.tenant !== undefined && !TENANT.test(this.tenant)) {
      throw configError(path, 'tenant must be 1-150 characters of letters, digits and !-_.*\'()', this.tenant, 'use e.g. "team-payments"');
    }
    return {
      endpoint,
      // In-cluster traffic to our own backends is plaintext; NetworkPolicies restrict who may connect.
      insecure: true,
      headers: this.tenant !== undefined ? { 'X-Scope-OrgID': this.tenant } : undefined,
    };
  }
}
