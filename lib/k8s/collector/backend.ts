import { configError } from '../../core/errors';
import { isDnsLabel } from '../../core/names';
import { OtlpGrpcTarget, TENANT_HEADER, TenantRoutingInput } from '../../render/collector-config';
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
  /**
   * Tenants the receiver declares (each with its own settings): a collector must be able to deliver
   * spans to every one of them, and to no undeclared one.
   * @default - none declared: any tenant id is accepted
   */
  readonly declaredTenants?: string[];
}

/** Tenants by Kubernetes namespace: the spans of pods in `namespaces` go to `tenant`. */
export interface NamespaceTenant {
  /** Tenant id, as sent in `X-Scope-OrgID`. */
  readonly tenant: string;
  /** Namespaces whose pods' spans belong to the tenant (the `k8s.namespace.name` the agents add). */
  readonly namespaces: string[];
}

/** Tenants by a resource attribute: spans whose resource has `attribute` set to one of `values` go to `tenant`. */
export interface AttributeTenant {
  /** Tenant id, as sent in `X-Scope-OrgID`. */
  readonly tenant: string;
  /** Values of the attribute that mean this tenant. */
  readonly values: string[];
}

/**
 * What happens to a span that matches no tenant: it goes to a default tenant, or it is dropped and
 * counted. There is no implicit choice.
 */
export class UnmatchedSpans {
  /** Send spans that match no tenant to `tenant` (which must be one the backend accepts). */
  public static toTenant(tenant: string): UnmatchedSpans {
    return new UnmatchedSpans(tenant);
  }

  /**
   * Drop spans that match no tenant. They are not silent: they pass through a `debug/unmatched`
   * exporter, counted in `otelcol_exporter_sent_spans{exporter="debug/unmatched"}` and logged (sampled).
   */
  public static drop(): UnmatchedSpans {
    return new UnmatchedSpans(undefined);
  }

  private constructor(/** @internal */ public readonly tenant: string | undefined) {}
}

/**
 * How the collector routes each span to a tenant of a multi-tenant backend, by a resource attribute
 * of the span. The tier that exports to the backend fans out to one exporter per tenant, each with
 * its own `X-Scope-OrgID` and persistent queue; the attribute travels in the data, so batching and
 * the load-balancing tier cannot lose it.
 */
export class TenantRouting {
  /** By the pod's namespace, `k8s.namespace.name` (added by the agents' k8s_attributes). */
  public static byNamespace(tenants: NamespaceTenant[], unmatched: UnmatchedSpans): TenantRouting {
    return new TenantRouting(NAMESPACE_ATTRIBUTE, (tenants ?? []).map((t) => ({ tenant: t?.tenant, values: t?.namespaces })), unmatched, true);
  }

  /** By any resource attribute the SDKs set, e.g. `tenant.id` in `OTEL_RESOURCE_ATTRIBUTES`. */
  public static byResourceAttribute(attribute: string, tenants: AttributeTenant[], unmatched: UnmatchedSpans): TenantRouting {
    return new TenantRouting(attribute, (tenants ?? []).map((t) => ({ tenant: t?.tenant, values: t?.values })), unmatched, false);
  }

  private constructor(
    private readonly attribute: string,
    private readonly tenants: Array<{ tenant: string; values: string[] }>,
    private readonly unmatched: UnmatchedSpans,
    private readonly byNamespace: boolean,
  ) {}

  /** @internal Checks every rule; `declared` are the backend's declared tenants (undefined: any). */
  public _resolve(path: string, declared: string[] | undefined): TenantRoutingInput {
    const what = this.byNamespace ? 'TenantRouting.byNamespace' : 'TenantRouting.byResourceAttribute';
    if (typeof this.attribute !== 'string' || !ATTRIBUTE.test(this.attribute)) {
      throw configError(path, `${what}: the resource attribute must be a dotted name of letters, digits and _-`, this.attribute,
        'use e.g. "tenant.id"');
    }
    if (this.tenants.length === 0) {
      throw configError(path, `${what} lists no tenants, so every span would be unmatched`, this.tenants,
        'list each tenant with its values, or pass a single tenant with { tenant: "team-a" }');
    }
    const owner = new Map<string, string>();
    const seen = new Set<string>();
    for (const t of this.tenants) {
      checkTenant(path, t.tenant);
      if (seen.has(t.tenant)) {
        throw configError(path, `${what} lists tenant "${t.tenant}" twice`, t.tenant, 'merge its values into one entry');
      }
      seen.add(t.tenant);
      const values = t.values;
      if (!Array.isArray(values) || values.length === 0) {
        throw configError(path, `${what}: tenant "${t.tenant}" has no ${this.byNamespace ? 'namespaces' : 'values'}, so no span could reach it`, values,
          this.byNamespace ? 'list the namespaces whose pods belong to it, e.g. ["payments"]' : 'list the attribute values that mean this tenant');
      }
      for (const v of values) {
        if (this.byNamespace ? (typeof v !== 'string' || !isDnsLabel(v)) : (typeof v !== 'string' || v.length === 0 || /["\\\n]/.test(v))) {
          throw configError(path, `${what}: tenant "${t.tenant}" has ${this.byNamespace ? 'a namespace that is not a DNS label' : 'an empty value or one with a quote, backslash or newline'}`, v,
            this.byNamespace ? 'use the namespace name, e.g. "payments"' : 'use plain values such as "payments"');
        }
        const other = owner.get(v);
        if (other !== undefined) {
          throw configError(path, `${what}: "${v}" is mapped to both tenant "${other}" and tenant "${t.tenant}", so its spans would go to both`, v,
            'map each value to one tenant');
        }
        owner.set(v, t.tenant);
      }
    }
    if (!(this.unmatched instanceof UnmatchedSpans)) {
      throw configError(path, `${what} needs an explicit rule for spans that match no tenant`, this.unmatched,
        'pass UnmatchedSpans.toTenant("team-a") or UnmatchedSpans.drop()');
    }
    const unmatchedTenant = this.unmatched.tenant;
    if (unmatchedTenant !== undefined) checkTenant(path, unmatchedTenant);
    const reachable = new Set([...seen, ...(unmatchedTenant !== undefined ? [unmatchedTenant] : [])]);
    if (declared !== undefined && declared.length > 0) {
      for (const t of reachable) {
        if (!declared.includes(t)) {
          throw configError(path, `tenant "${t}" is routed to, but the backend declares only tenants ${JSON.stringify(declared)}, so its spans would land in a tenant nobody configured`,
            t, `declare "${t}" in the backend's tenants (e.g. { id: "${t}" }), or route to one of ${JSON.stringify(declared)}`);
        }
      }
      const unreachable = declared.filter((t) => !reachable.has(t));
      if (unreachable.length > 0) {
        throw configError(path, `the backend declares tenants ${JSON.stringify(unreachable)} that no span can reach through this collector's tenant routing`,
          unreachable, `route a namespace or attribute value to each of them in ${what}, or remove them from the backend's tenants`);
      }
    }
    return {
      attribute: this.attribute,
      routes: this.tenants.map((t) => ({ tenant: t.tenant, values: [...t.values] })),
      unmatchedTenant,
    };
  }
}

/** The resource attribute k8s_attributes sets to the pod's namespace. */
const NAMESPACE_ATTRIBUTE = 'k8s.namespace.name';
const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

function checkTenant(path: string, tenant: unknown): void {
  if (typeof tenant !== 'string' || !TENANT.test(tenant) || tenant === '.' || tenant === '..') {
    throw configError(path, 'tenant must be 1-150 characters of letters, digits and !-_.*\'() (not "." or "..")', tenant, 'use e.g. "team-payments"');
  }
}

/** Options of {@link CollectorBackend.tempo} and {@link CollectorBackend.receiver}. */
export interface CollectorBackendOptions {
  /**
   * The one tenant every span is written to (`X-Scope-OrgID`). With multitenancy on, give this or
   * `tenants`; refused when multitenancy is off, or when the backend declares another tenant that
   * would then get no data.
   * @default - no tenant header
   */
  readonly tenant?: string;
  /**
   * Route each span to its tenant, by namespace or by a resource attribute, with an explicit rule for
   * spans that match none: `TenantRouting.byNamespace([...], UnmatchedSpans.drop())`. Every tenant the
   * backend declares must be reachable. Exclusive with `tenant`; needs multitenancy on.
   * @default - every span to `tenant`
   */
  readonly tenants?: TenantRouting;
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
    // Tempo's tenants with their own settings (retention, limits) are the ones that must get data.
    const declaredTenants = tempo.tenancy?.tenants.map((t) => t.id);
    return new CollectorBackend('tempo', { otlpGrpcEndpoint: tempo.otlpGrpcEndpoint, multitenancy: tempo.multitenancy,
      allowedNamespaces: tempo.allowedNamespaces, declaredTenants }, undefined, options.tenant, options.tenants);
  }

  /** Any in-cluster OTLP/gRPC receiver construct, e.g. the Jaeger collector construct. */
  public static receiver(receiver: IOtlpTraceReceiver, options: CollectorBackendOptions = {}): CollectorBackend {
    return new CollectorBackend('receiver', receiver, undefined, options.tenant, options.tenants);
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
    private readonly tenants?: TenantRouting,
  ) {}

  /**
   * The tenant routing, validated against the backend's declared tenants, when spans are routed per
   * tenant (`tenants`); undefined otherwise. Call after {@link bind}, which checks the rest.
   */
  public bindTenancy(path: string): TenantRoutingInput | undefined {
    if (this.tenants === undefined) return undefined;
    if (!(this.tenants instanceof TenantRouting)) {
      throw configError(path, 'tenants is not a TenantRouting', this.tenants, 'use TenantRouting.byNamespace(...) or TenantRouting.byResourceAttribute(...)');
    }
    return this.tenants._resolve(path, this.receiverRef.declaredTenants);
  }

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
    if (this.tenant !== undefined && this.tenants !== undefined) {
      throw configError(path, 'both tenant and tenants were given, so it is unclear where spans go', this.tenant,
        'give tenant for one tenant, or tenants (a TenantRouting) to route spans to several');
    }
    if (multitenant && this.tenant === undefined && this.tenants === undefined) {
      throw configError(path, 'the backend has multitenancy on, so every write needs a tenant, but none was given', this.tenant,
        'pass { tenant: "team-a" }, or route spans per tenant with { tenants: TenantRouting.byNamespace(...) }, to CollectorBackend.tempo(...)');
    }
    if (!multitenant && (this.tenant !== undefined || this.tenants !== undefined)) {
      throw configError(path, 'a tenant was given but the backend has multitenancy off, so it would ignore the header', this.tenant ?? 'tenants',
        'drop the tenant, or turn multitenancy on in the backend');
    }
    if (this.tenant !== undefined) {
      checkTenant(path, this.tenant);
      const declared = this.receiverRef.declaredTenants ?? [];
      const others = declared.filter((t) => t !== this.tenant);
      if (declared.length > 0 && others.length > 0) {
        throw configError(path, `every span goes to tenant "${this.tenant}", so the backend's other declared tenants ${JSON.stringify(others)} would never see data`,
          this.tenant, 'route spans per tenant with { tenants: TenantRouting.byNamespace([...], UnmatchedSpans.toTenant(...)) } (or byResourceAttribute), or remove the unused tenants from the backend');
      }
    }
    return {
      endpoint,
      // In-cluster traffic to our own backends is plaintext; NetworkPolicies restrict who may connect.
      insecure: true,
      headers: this.tenant !== undefined ? { [TENANT_HEADER]: this.tenant } : undefined,
    };
  }
}
