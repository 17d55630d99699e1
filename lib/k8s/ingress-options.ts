import { configError } from '../core/errors';
import { validateDnsLabel, validateLabels } from '../core/names';
import { TEMPO_HTTP_PORT, TEMPO_RECEIVER_PORTS } from '../core/tempo-ports';
import { COLLECTOR_PORTS } from '../render/collector-config';
import { JAEGER_QUERY_HTTP } from '../render/jaeger-ports';
import type { TracingCollector } from './collector/collector';
import type { Jaeger } from './jaeger';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/**
 * The factories below never throw: they keep what they were given, and the TracingIngress that
 * uses them checks it (`_validate`) so every error names the construct path, never a factory.
 */
type Check = (path: string) => void;

export function validateSecretName(path: string, what: string, name: string): void {
  if (!name || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw configError(path, `${what} is not a Kubernetes Secret name`, name, 'use lowercase letters, digits, "-" and ".", e.g. "tracing-basic-auth"');
  }
}

function validateCidr(path: string, what: string, cidr: string): void {
  const m = CIDR.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    throw configError(path, `${what} is not an IPv4 CIDR block`, cidr, 'use the VPC CIDR, e.g. "10.0.0.0/16"');
  }
}

/** Options of {@link IngressController.nginx}. */
export interface NginxIngressOptions {
  /**
   * IngressClass name.
   * @default 'nginx'
   */
  readonly className?: string;
  /**
   * Namespace the controller's pods run in (NetworkPolicies admit them).
   * @default 'ingress-nginx'
   */
  readonly namespace?: string;
  /**
   * Labels of the controller's pods.
   * @default { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' }
   */
  readonly podLabels?: Record<string, string>;
}

/** Options of {@link IngressController.awsLoadBalancer}. */
export interface AwsLoadBalancerIngressOptions {
  /**
   * IngressClass name.
   * @default 'alb'
   */
  readonly className?: string;
  /**
   * CIDR blocks of the VPC subnets the load balancer runs in. With target type `ip` the ALB
   * connects to pods from these addresses, so the NetworkPolicies admit them.
   */
  readonly vpcCidrs: string[];
  /**
   * Put the load balancer on the internet. Internal by default: tracing data and the Jaeger UI
   * seldom belong on the public internet.
   * @default false
   */
  readonly internetFacing?: boolean;
  /**
   * `alb.ingress.kubernetes.io/group.name`: share one ALB among these Ingresses.
   * @default - one ALB per Ingress
   */
  readonly groupName?: string;
  /**
   * TLS policy of the HTTPS listener.
   * @default 'ELBSecurityPolicy-TLS13-1-2-2021-06'
   */
  readonly sslPolicy?: string;
}

/** The ingress controller that serves an Ingress. */
export class IngressController {
  /** ingress-nginx: TLS from a Secret (cert-manager or existing), basic auth and OAuth2 proxy through auth annotations, gRPC through `backend-protocol: GRPC`. */
  public static nginx(options: NginxIngressOptions = {}): IngressController {
    const className = options?.className ?? 'nginx';
    const namespace = options?.namespace ?? 'ingress-nginx';
    const podLabels = options?.podLabels ?? { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
    return new IngressController('nginx', className, { namespace, podLabels: { ...podLabels } }, undefined, (path) => {
      validateDnsLabel(path, 'controller className', className);
      validateDnsLabel(path, 'controller namespace', namespace);
      if (typeof podLabels !== 'object' || podLabels === null || Object.keys(podLabels).length === 0) {
        throw configError(path, 'controller podLabels is empty, so the NetworkPolicy would admit every pod of the controller namespace', podLabels,
          'pass the labels of the controller pods, e.g. { "app.kubernetes.io/name": "ingress-nginx" }');
      }
      validateLabels(path, 'controller podLabels', podLabels);
    });
  }

  /** AWS Load Balancer Controller: an ALB with an ACM certificate, target type `ip`. */
  public static awsLoadBalancer(options: AwsLoadBalancerIngressOptions): IngressController {
    const className = options?.className ?? 'alb';
    const vpcCidrs = Array.isArray(options?.vpcCidrs) ? [...options.vpcCidrs] : [];
    const groupName = options?.groupName;
    const sslPolicy = options?.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06';
    return new IngressController('alb', className, undefined, {
      vpcCidrs,
      internetFacing: options?.internetFacing ?? false,
      groupName,
      sslPolicy,
    }, (path) => {
      validateDnsLabel(path, 'controller className', className);
      if (vpcCidrs.length === 0) {
        throw configError(path, 'controller vpcCidrs is empty; the ALB reaches pods from addresses in the VPC, so the NetworkPolicies need them', options?.vpcCidrs,
          'pass the VPC CIDR blocks, e.g. ["10.0.0.0/16"]');
      }
      vpcCidrs.forEach((c, i) => validateCidr(path, `controller vpcCidrs[${i}]`, c));
      if (groupName !== undefined && (typeof groupName !== 'string' || groupName.length > 63 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(groupName))) {
        throw configError(path, 'controller groupName is not a valid ALB group name', groupName, 'use up to 63 lowercase letters, digits, "-" and "."');
      }
      if (typeof sslPolicy !== 'string' || !/^ELBSecurityPolicy-[A-Za-z0-9-]+$/.test(sslPolicy)) {
        throw configError(path, 'controller sslPolicy is not an ELB security policy name', sslPolicy, 'use e.g. "ELBSecurityPolicy-TLS13-1-2-2021-06" (the default)');
      }
    });
  }

  private constructor(
    /** @internal */ public readonly kind: 'nginx' | 'alb',
    public readonly className: string,
    /** @internal */ public readonly nginxOptions: { namespace: string; podLabels: Record<string, string> } | undefined,
    /** @internal */ public readonly albOptions: { vpcCidrs: string[]; internetFacing: boolean; groupName?: string; sslPolicy: string } | undefined,
    private readonly check: Check,
  ) {}

  /** @internal Throws, naming `path`, when the options given to the factory are not usable. */
  public _validate(path: string): void { this.check(path); }
}

/** A cert-manager issuer. */
export class CertificateIssuer {
  /** A cluster-scoped `ClusterIssuer`, e.g. `letsencrypt-prod`. */
  public static clusterIssuer(name: string): CertificateIssuer {
    return new CertificateIssuer('ClusterIssuer', name);
  }

  /** A namespaced `Issuer` in the Ingress's namespace. */
  public static issuer(name: string): CertificateIssuer {
    return new CertificateIssuer('Issuer', name);
  }

  private constructor(public readonly kind: 'ClusterIssuer' | 'Issuer', public readonly name: string) {}

  /** @internal */
  public _validate(path: string): void { validateSecretName(path, `tls ${this.kind} name`, this.name); }
}

/** Options of {@link IngressTls.certManager}. */
export interface CertManagerTlsOptions {
  readonly issuer: CertificateIssuer;
  /**
   * Name of the TLS Secret cert-manager writes.
   * @default - `<ingress name>-tls`
   */
  readonly secretName?: string;
  /**
   * Let cert-manager's ingress-shim create the Certificate from an annotation on the Ingress,
   * instead of an explicit `Certificate` resource (which shows the request in Git and can be checked).
   * @default false
   */
  readonly viaIngressAnnotation?: boolean;
}

/** Where the Ingress's TLS certificate comes from. */
export class IngressTls {
  /** cert-manager issues the certificate into a Secret (nginx). */
  public static certManager(options: CertManagerTlsOptions): IngressTls {
    return new IngressTls('cert-manager', options?.secretName, options?.issuer, options?.viaIngressAnnotation ?? false, undefined, (path) => {
      if (!(options?.issuer instanceof CertificateIssuer)) {
        throw configError(path, 'tls issuer is required', options?.issuer, 'pass IngressTls.certManager({ issuer: CertificateIssuer.clusterIssuer("letsencrypt-prod") })');
      }
      options.issuer._validate(path);
      if (options.secretName !== undefined) validateSecretName(path, 'tls secretName', options.secretName);
    });
  }

  /** A TLS Secret that already exists in the namespace (nginx). */
  public static existingSecret(secretName: string): IngressTls {
    return new IngressTls('secret', secretName, undefined, false, undefined, (path) => validateSecretName(path, 'tls secretName', secretName));
  }

  /** An ACM certificate on the ALB listener (AWS Load Balancer Controller). */
  public static acm(certificateArn: string): IngressTls {
    return new IngressTls('acm', undefined, undefined, false, certificateArn, (path) => {
      if (typeof certificateArn !== 'string' || (!ACM_ARN.test(certificateArn) && !certificateArn.includes('${Token['))) {
        throw configError(path, 'tls certificateArn is not an ACM certificate ARN', certificateArn, 'use "arn:aws:acm:<region>:<account>:certificate/<id>"');
      }
    });
  }

  private constructor(
    /** @internal */ public readonly kind: 'cert-manager' | 'secret' | 'acm',
    public readonly secretName: string | undefined,
    public readonly issuer: CertificateIssuer | undefined,
    public readonly viaIngressAnnotation: boolean,
    public readonly certificateArn: string | undefined,
    private readonly check: Check,
  ) {}

  /** @internal Throws, naming `path`, when the options given to the factory are not usable. */
  public _validate(path: string): void { this.check(path); }
}

/** Options of {@link IngressAuth.basicAuth}. */
export interface BasicAuthOptions {
  /** Secret with an htpasswd file under key `auth` (`htpasswd -c auth <user>`). You create it; it never enters Git. */
  readonly secretName: string;
  /**
   * Realm shown by the browser.
   * @default 'Tracing'
   */
  readonly realm?: string;
}

/** Options of {@link IngressAuth.oauth2Proxy}. */
export interface OAuth2ProxyOptions {
  /** URL nginx calls to check each request, e.g. `http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth`. */
  readonly authUrl: string;
  /** HTTPS URL browsers are sent to sign in, e.g. `https://auth.example.com/oauth2/start?rd=$scheme://$host$escaped_request_uri`. */
  readonly signinUrl: string;
  /**
   * Headers copied from the auth response to the backend request.
   * @default ['X-Auth-Request-User', 'X-Auth-Request-Email']
   */
  readonly responseHeaders?: string[];
}

/** Options of {@link IngressAuth.albOidc}. */
export interface AlbOidcOptions {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  /** Secret with keys `clientID` and `clientSecret`, in the Ingress's namespace. */
  readonly secretName: string;
}

/**
 * Who may use an exposed endpoint. There is no default: every Ingress takes
 * an explicit choice, and "no authentication" must be chosen by name, with a reason.
 */
export class IngressAuth {
  /** HTTP basic auth by ingress-nginx against an htpasswd Secret. Works for browsers, Grafana and OTLP senders (collector `basicauth` extension). */
  public static basicAuth(options: BasicAuthOptions): IngressAuth {
    const realm = options?.realm ?? 'Tracing';
    return new IngressAuth('basic', { secretName: options?.secretName, realm }, (path) => {
      validateSecretName(path, 'auth secretName', options?.secretName);
      if (typeof realm !== 'string' || realm.trim() === '' || /["\n\r]/.test(realm)) {
        throw configError(path, 'auth realm must be plain text without quotes or newlines', realm, 'use plain text, e.g. "Tracing"');
      }
    });
  }

  /** An OAuth2 proxy (oauth2-proxy) checked by ingress-nginx's `auth-url`, with `auth-signin` for browsers. */
  public static oauth2Proxy(options: OAuth2ProxyOptions): IngressAuth {
    const responseHeaders = options?.responseHeaders ?? ['X-Auth-Request-User', 'X-Auth-Request-Email'];
    return new IngressAuth('oauth2', {
      authUrl: options?.authUrl, signinUrl: options?.signinUrl, responseHeaders: Array.isArray(responseHeaders) ? responseHeaders.join(',') : '',
    }, (path) => {
      if (typeof options?.authUrl !== 'string' || !/^https?:\/\/[^\s/]+\S*$/.test(options.authUrl)) {
        throw configError(path, 'auth authUrl is not an http(s) URL', options?.authUrl, 'use the proxy\'s check endpoint, e.g. "http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth"');
      }
      if (typeof options.signinUrl !== 'string' || !/^https:\/\/[^\s/]+\S*$/.test(options.signinUrl)) {
        throw configError(path, 'auth signinUrl must be an https URL (the sign-in flow carries session cookies)', options.signinUrl,
          'use e.g. "https://auth.example.com/oauth2/start?rd=$scheme://$host$escaped_request_uri"');
      }
      if (!Array.isArray(responseHeaders) || responseHeaders.length === 0) {
        throw configError(path, 'auth responseHeaders is empty', responseHeaders, 'leave it out for ["X-Auth-Request-User", "X-Auth-Request-Email"]');
      }
      for (const h of responseHeaders) {
        if (typeof h !== 'string' || !/^[A-Za-z0-9-]+$/.test(h)) throw configError(path, 'auth responseHeaders holds an invalid header name', h, 'use names such as "X-Auth-Request-User"');
      }
    });
  }

  /** OIDC login by the ALB itself (AWS Load Balancer Controller). Browser endpoints only. */
  public static albOidc(options: AlbOidcOptions): IngressAuth {
    return new IngressAuth('alb-oidc', {
      idp: JSON.stringify({
        issuer: options?.issuer, authorizationEndpoint: options?.authorizationEndpoint, tokenEndpoint: options?.tokenEndpoint,
        userInfoEndpoint: options?.userInfoEndpoint, secretName: options?.secretName,
      }),
    }, (path) => {
      for (const key of ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'userInfoEndpoint'] as const) {
        const url = options?.[key];
        if (typeof url !== 'string' || !/^https:\/\/[^\s/]+\S*$/.test(url)) {
          throw configError(path, `auth ${key} must be an https URL`, url, 'copy it from your identity provider\'s OIDC discovery document');
        }
      }
      validateSecretName(path, 'auth secretName', options.secretName);
    });
  }

  /**
   * No authentication, chosen on purpose (for example an internal load balancer
   * reachable only from a VPN). The reason is recorded on the Ingress.
   */
  public static unauthenticated(reason: string): IngressAuth {
    return new IngressAuth('none', { reason: typeof reason === 'string' ? reason.trim() : reason }, (path) => {
      if (typeof reason !== 'string' || reason.trim().length < 10 || /[\n\r]/.test(reason.trim())) {
        throw configError(path, 'auth is IngressAuth.unauthenticated without a reason: one line of at least 10 characters is required for exposing an endpoint without authentication', reason,
          'say why this is safe, e.g. IngressAuth.unauthenticated("internal ALB, reachable only through the corporate VPN")');
      }
    });
  }

  private constructor(
    /** @internal */ public readonly kind: 'basic' | 'oauth2' | 'alb-oidc' | 'none',
    /** @internal */ public readonly settings: Record<string, string>,
    private readonly check: Check,
  ) {}

  /** @internal Throws, naming `path`, when the options given to the factory are not usable. */
  public _validate(path: string): void { this.check(path); }
}

/** What the Tempo query ingress needs of a Tempo; the `Tempo` construct satisfies it. */
export interface ITempoService {
  /** Service name. */
  readonly name: string;
  readonly namespace: string;
  /** Labels of Tempo's pods. */
  readonly selector: Record<string, string>;
}

/** What the Jaeger UI ingress needs of Jaeger's query service. */
export interface IJaegerQueryService {
  /** Name of the Service in front of the query/UI. */
  readonly queryServiceName: string;
  readonly namespace: string;
  /** Port of the UI and HTTP API (16686 by default in Jaeger v2). */
  readonly queryUiPort: number;
  /** Labels of the query pods. */
  readonly querySelector: Record<string, string>;
  /**
   * Path prefix the UI is served under (Jaeger's `base_path`).
   * @default '/'
   */
  readonly basePath?: string;
}

/** Adapters to {@link IJaegerQueryService}. */
export class JaegerQuery {
  /** The query role of a `Jaeger` construct: its Service, the UI port and base path, and the Service's own pod selector. */
  public static fromJaeger(jaeger: Jaeger): IJaegerQueryService {
    const spec = (jaeger.queryService.toJson() as { spec: { selector: Record<string, string> } }).spec;
    return {
      queryServiceName: jaeger.queryService.name, namespace: jaeger.namespace, queryUiPort: JAEGER_QUERY_HTTP.port,
      querySelector: { ...spec.selector }, basePath: jaeger.basePath || '/',
    };
  }
}

/** An OTLP receiver (collector gateway, or Tempo directly) to expose to senders outside the cluster. */
export interface IOtlpReceiverService {
  readonly serviceName: string;
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly otlpGrpcPort: number;
  readonly otlpHttpPort: number;
  /** Port of an HTTP health endpoint the load balancer can probe (collector `health_check` 13133, Tempo 3200). */
  readonly healthCheckPort: number;
  /** Path on that port (collector `/`, Tempo `/ready`). */
  readonly healthCheckPath: string;
}

/** Adapters to {@link IOtlpReceiverService}. */
export class OtlpReceiver {
  /** Tempo's own OTLP receivers. */
  public static fromTempo(tempo: ITempoService): IOtlpReceiverService {
    const port = (name: string) => TEMPO_RECEIVER_PORTS.find((r) => r.name === name)!.port;
    return {
      serviceName: tempo.name, namespace: tempo.namespace, selector: tempo.selector,
      otlpGrpcPort: port('otlp-grpc'), otlpHttpPort: port('otlp-http'), healthCheckPort: TEMPO_HTTP_PORT, healthCheckPath: '/ready',
    };
  }

  /** The gateway tier of a `TracingCollector`: where senders outside the cluster should send, so they get the same processing as in-cluster apps. */
  public static fromCollectorGateway(collector: TracingCollector): IOtlpReceiverService {
    return {
      serviceName: collector.gateway.service.name, namespace: collector.namespace, selector: { ...collector.gateway.selector },
      otlpGrpcPort: COLLECTOR_PORTS.otlpGrpc, otlpHttpPort: COLLECTOR_PORTS.otlpHttp, healthCheckPort: COLLECTOR_PORTS.health, healthCheckPath: '/',
    };
  }
}

/** @internal */
export interface ResolvedBackend {
  readonly defaultName: string;
  readonly serviceName: string;
  readonly namespace: string;
  readonly port: number;
  readonly selector: Record<string, string>;
  readonly paths: string[];
  readonly grpc: boolean;
  /** Reached by people in browsers (an OIDC login redirect is acceptable). */
  readonly browser: boolean;
  readonly healthCheckPort: number;
  readonly healthCheckPath?: string;
  /** Large request bodies (OTLP batches). */
  readonly bodySize?: string;
  /** Slow responses (searches). */
  readonly readTimeoutSeconds?: number;
}

/** The Service and paths an Ingress routes to. */
export class IngressBackend {
  /**
   * Tempo's query API (`/api/...` on port 3200) for a Grafana outside the cluster. Only `/api` is routed:
   * Tempo's admin endpoints on the same port (`/flush`, `/shutdown`) stay private. Turn off
   * datasource streaming for a Grafana that comes through this route.
   */
  public static tempoQueryApi(tempo: ITempoService): IngressBackend {
    return new IngressBackend(() => undefined, {
      defaultName: `${tempo.name}-query`, serviceName: tempo.name, namespace: tempo.namespace, port: TEMPO_HTTP_PORT, selector: tempo.selector,
      paths: ['/api'], grpc: false, browser: false, healthCheckPort: TEMPO_HTTP_PORT, healthCheckPath: '/ready', readTimeoutSeconds: 300,
    });
  }

  /** Jaeger's UI and HTTP query API on one port. */
  public static jaegerUi(jaeger: IJaegerQueryService): IngressBackend {
    const basePath = jaeger.basePath ?? '/';
    return new IngressBackend((path) => {
      checkPort(path, 'backend queryUiPort', jaeger.queryUiPort);
      if (typeof basePath !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(basePath)) {
        throw configError(path, 'backend basePath must be a URL path starting with "/"', basePath, 'use e.g. "/" or "/jaeger"');
      }
    }, {
      defaultName: `${jaeger.queryServiceName}-ui`, serviceName: jaeger.queryServiceName, namespace: jaeger.namespace, port: jaeger.queryUiPort,
      selector: jaeger.querySelector, paths: [basePath], grpc: false, browser: true, healthCheckPort: jaeger.queryUiPort, healthCheckPath: basePath,
      readTimeoutSeconds: 300,
    });
  }

  /** OTLP over HTTP (`/v1/traces`) for senders outside the cluster. */
  public static otlpHttp(receiver: IOtlpReceiverService): IngressBackend {
    return new IngressBackend((path) => checkPort(path, 'backend otlpHttpPort', receiver.otlpHttpPort), {
      defaultName: `${receiver.serviceName}-otlp-http`, serviceName: receiver.serviceName, namespace: receiver.namespace, port: receiver.otlpHttpPort,
      selector: receiver.selector, paths: ['/v1/traces'], grpc: false, browser: false,
      healthCheckPort: receiver.healthCheckPort, healthCheckPath: receiver.healthCheckPath, bodySize: '16m',
    });
  }

  /** OTLP over gRPC (the trace service only) for senders outside the cluster. */
  public static otlpGrpc(receiver: IOtlpReceiverService): IngressBackend {
    return new IngressBackend((path) => checkPort(path, 'backend otlpGrpcPort', receiver.otlpGrpcPort), {
      defaultName: `${receiver.serviceName}-otlp-grpc`, serviceName: receiver.serviceName, namespace: receiver.namespace, port: receiver.otlpGrpcPort,
      selector: receiver.selector, paths: ['/opentelemetry.proto.collector.trace.v1.TraceService'], grpc: true, browser: false,
      // The ALB probes gRPC targets itself (an unimplemented method answers code 12, its default success code).
      healthCheckPort: receiver.otlpGrpcPort, bodySize: '16m',
    });
  }

  private constructor(private readonly check: Check, /** @internal */ public readonly resolved: ResolvedBackend) {}

  /** @internal Throws, naming `path`, when the service given to the factory is not usable. */
  public _validate(path: string): void {
    this.check(path);
    const resolved = this.resolved;
    validateDnsLabel(path, 'backend service name', resolved.serviceName);
    validateDnsLabel(path, 'backend namespace', resolved.namespace);
    if (typeof resolved.selector !== 'object' || resolved.selector === null || Object.keys(resolved.selector).length === 0) {
      throw configError(path, 'the backend\'s pod selector is empty, so its NetworkPolicy would open every pod in the namespace', resolved.selector, 'pass the labels of the backend pods');
    }
    validateLabels(path, 'backend pod selector', resolved.selector);
  }
}


function checkPort(path: string, what: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw configError(path, `${what} is not a TCP port`, port, 'use 1-65535');
}
