import { ApiObject, Chart } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { IngressAuth, IngressBackend, IngressController, IngressTls, ResolvedBackend, validateSecretName } from './ingress-options';
import { wiringLabels } from './prometheus';

export * from './ingress-options';

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const NGINX = 'nginx.ingress.kubernetes.io';
const ALB = 'alb.ingress.kubernetes.io';

/** Props of {@link TracingIngress}. */
export interface TracingIngressProps {
  /** Public DNS name, e.g. `jaeger.example.com` (no scheme, port or path). */
  readonly host: string;
  /** What the Ingress routes to. */
  readonly backend: IngressBackend;
  /** The controller serving it. */
  readonly controller: IngressController;
  /** Where the certificate comes from. */
  readonly tls: IngressTls;
  /** Who may use it. Required: there is no unauthenticated default. */
  readonly auth: IngressAuth;
  /**
   * Name of the Ingress (and of the NetworkPolicy and Certificate).
   * @default - from the backend, e.g. `tempo-query`, `jaeger-query-ui`, `otel-gateway-otlp-grpc`
   */
  readonly name?: string;
  /**
   * HSTS max-age sent on the HTTPS listener (ALB). ingress-nginx sets HSTS controller-wide
   * (ConfigMap keys `hsts`, `hsts-max-age`, on by default), so with nginx this must stay unset.
   * @default 31536000 (one year) on ALB
   */
  readonly hstsMaxAgeSeconds?: number;
}

/**
 * One Ingress exposing one tracing endpoint (Jaeger UI, Tempo query API, OTLP
 * HTTP or OTLP gRPC) over TLS, with an explicit authentication choice, HTTPS
 * redirect, HSTS, a cert-manager Certificate when cert-manager issues the
 * certificate, and a NetworkPolicy that admits the ingress controller to the
 * backend pods.
 */
export class TracingIngress extends Construct {
  public readonly name: string;
  public readonly host: string;
  public readonly ingress: k8s.KubeIngress;
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** The cert-manager Certificate, when one is created. */
  public readonly certificate?: ApiObject;
  /** Name of the TLS Secret, when TLS terminates at the controller from a Secret. */
  public readonly tlsSecretName?: string;

  constructor(scope: Construct, id: string, props: TracingIngressProps) {
    super(scope, id);
    const path = this.node.path;
    if (!props.auth) {
      throw configError(path, 'no authentication choice: nothing is exposed without one', props.auth,
        'pass auth: IngressAuth.basicAuth(...), IngressAuth.oauth2Proxy(...), IngressAuth.albOidc(...) or IngressAuth.unauthenticated("why this is safe")');
    }
    if (!(props.auth instanceof IngressAuth)) {
      throw configError(path, 'auth is not an IngressAuth', props.auth, 'pass auth: IngressAuth.basicAuth(...), IngressAuth.oauth2Proxy(...), IngressAuth.albOidc(...) or IngressAuth.unauthenticated("why this is safe")');
    }
    if (!(props.tls instanceof IngressTls)) throw configError(path, 'no TLS choice', props.tls, 'pass tls: IngressTls.certManager(...), IngressTls.existingSecret(...) or IngressTls.acm(...)');
    if (!(props.controller instanceof IngressController)) {
      throw configError(path, 'no ingress controller choice', props.controller, 'pass controller: IngressController.nginx() or IngressController.awsLoadBalancer({ vpcCidrs: [...] })');
    }
    if (!(props.backend instanceof IngressBackend)) {
      throw configError(path, 'no backend', props.backend, 'pass backend: IngressBackend.tempoQueryApi(...), IngressBackend.jaegerUi(...), IngressBackend.otlpHttp(...) or IngressBackend.otlpGrpc(...)');
    }
    // The factories keep what they were given; their errors name this construct.
    props.controller._validate(path);
    props.tls._validate(path);
    props.auth._validate(path);
    props.backend._validate(path);
    const backend: ResolvedBackend = props.backend.resolved;
    const controller = props.controller;
    const namespace = Chart.of(this).namespace;
    if (namespace !== backend.namespace) {
      throw configError(path, `an Ingress routes only to Services in its own namespace, but the chart's namespace is "${namespace}" and the backend Service ${backend.serviceName} is in "${backend.namespace}"`,
        namespace, `create this ingress in a chart with namespace "${backend.namespace}"`);
    }
    this.host = props.host;
    if (!HOST.test(props.host ?? '') || props.host.length > 253) {
      const bare = String(props.host ?? '').replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '').toLowerCase();
      throw configError(path, 'host must be a fully qualified DNS name without scheme, port or path', props.host, `use "${bare || 'jaeger.example.com'}"`);
    }
    this.name = props.name ?? backend.defaultName;
    validateDnsLabel(path, 'name', this.name);

    // Controller-specific rules: which TLS and auth each controller can carry out.
    const tls = props.tls;
    const auth = props.auth;
    if (controller.kind === 'nginx' && tls.kind === 'acm') {
      throw configError(path, 'an ACM certificate cannot be used by ingress-nginx (ACM private keys never leave AWS)', tls.certificateArn,
        'use IngressTls.certManager(...) or IngressTls.existingSecret(...), or IngressController.awsLoadBalancer(...)');
    }
    if (controller.kind === 'alb' && tls.kind !== 'acm') {
      throw configError(path, 'the AWS Load Balancer Controller terminates TLS with ACM certificates, not Kubernetes Secrets', tls.kind,
        'use IngressTls.acm("arn:aws:acm:...")');
    }
    if (controller.kind === 'alb' && (auth.kind === 'basic' || auth.kind === 'oauth2')) {
      throw configError(path, `${auth.kind === 'basic' ? 'basic auth' : 'an OAuth2 proxy auth-url'} needs ingress-nginx; the ALB cannot call it`, auth.kind,
        'use IngressAuth.albOidc(...) for browser endpoints, or IngressController.nginx()');
    }
    if (controller.kind === 'nginx' && auth.kind === 'alb-oidc') {
      throw configError(path, 'ALB OIDC authentication needs the AWS Load Balancer Controller', auth.kind, 'use IngressAuth.oauth2Proxy(...) with ingress-nginx');
    }
    if (auth.kind === 'alb-oidc' && !backend.browser) {
      throw configError(path, `${backend.defaultName} is used by programs (Grafana, OTLP senders), which cannot follow an OIDC login redirect`, auth.kind,
        'use IngressAuth.basicAuth(...) with ingress-nginx, or IngressAuth.unauthenticated(...) on an internal load balancer');
    }
    if (auth.kind === 'none' && controller.kind === 'alb' && controller.albOptions!.internetFacing) {
      throw configError(path, `an internet-facing load balancer would expose ${backend.defaultName} to anyone on the internet without authentication`
        + (backend.browser ? '' : (backend.paths[0] === '/api' ? ' (every trace could be read)' : ' (anyone could write spans)')), auth.settings.reason,
        'keep the load balancer internal (internetFacing: false) and reach it through the VPN, or authenticate: IngressAuth.albOidc(...) for browsers, or IngressController.nginx() with IngressAuth.basicAuth(...) for programs');
    }
    if (props.hstsMaxAgeSeconds !== undefined) {
      if (controller.kind === 'nginx') {
        throw configError(path, 'ingress-nginx sets HSTS for the whole controller, not per Ingress', props.hstsMaxAgeSeconds,
          'set hsts-max-age in the ingress-nginx ConfigMap and leave hstsMaxAgeSeconds unset');
      }
      if (!Number.isInteger(props.hstsMaxAgeSeconds) || props.hstsMaxAgeSeconds < 300) {
        throw configError(path, 'hstsMaxAgeSeconds must be a whole number of seconds, at least 300', props.hstsMaxAgeSeconds, 'use 31536000 (one year)');
      }
    }

    const labels = wiringLabels('ingress', this.name);
    const annotations: Record<string, string> = {};
    let tlsSecretName: string | undefined;
    if (tls.kind === 'cert-manager' || tls.kind === 'secret') {
      tlsSecretName = tls.secretName ?? `${this.name}-tls`;
      validateSecretName(path, 'TLS secret name', tlsSecretName);
    }
    this.tlsSecretName = tlsSecretName;

    if (controller.kind === 'nginx') {
      annotations[`${NGINX}/ssl-redirect`] = 'true';
      annotations[`${NGINX}/force-ssl-redirect`] = 'true';
      if (backend.grpc) annotations[`${NGINX}/backend-protocol`] = 'GRPC';
      if (backend.bodySize) annotations[`${NGINX}/proxy-body-size`] = backend.bodySize;
      if (backend.readTimeoutSeconds) annotations[`${NGINX}/proxy-read-timeout`] = String(backend.readTimeoutSeconds);
      if (auth.kind === 'basic') {
        annotations[`${NGINX}/auth-type`] = 'basic';
        annotations[`${NGINX}/auth-secret`] = auth.settings.secretName;
        annotations[`${NGINX}/auth-secret-type`] = 'auth-file';
        annotations[`${NGINX}/auth-realm`] = auth.settings.realm;
      } else if (auth.kind === 'oauth2') {
        annotations[`${NGINX}/auth-url`] = auth.settings.authUrl;
        annotations[`${NGINX}/auth-signin`] = auth.settings.signinUrl;
        annotations[`${NGINX}/auth-response-headers`] = auth.settings.responseHeaders;
      }
    } else {
      const alb = controller.albOptions!;
      annotations[`${ALB}/scheme`] = alb.internetFacing ? 'internet-facing' : 'internal';
      annotations[`${ALB}/target-type`] = 'ip';
      annotations[`${ALB}/listen-ports`] = '[{"HTTP":80},{"HTTPS":443}]';
      annotations[`${ALB}/ssl-redirect`] = '443';
      annotations[`${ALB}/certificate-arn`] = tls.certificateArn!;
      annotations[`${ALB}/ssl-policy`] = alb.sslPolicy;
      annotations[`${ALB}/listener-attributes.HTTPS-443`] =
        `routing.http.response.strict_transport_security.header_value=max-age=${props.hstsMaxAgeSeconds ?? 31_536_000};includeSubDomains`;
      if (alb.groupName) annotations[`${ALB}/group.name`] = alb.groupName;
      if (backend.grpc) {
        annotations[`${ALB}/backend-protocol-version`] = 'GRPC';
      } else {
        annotations[`${ALB}/healthcheck-port`] = String(backend.healthCheckPort);
        annotations[`${ALB}/healthcheck-path`] = backend.healthCheckPath ?? '/';
      }
      if (auth.kind === 'alb-oidc') {
        annotations[`${ALB}/auth-type`] = 'oidc';
        annotations[`${ALB}/auth-idp-oidc`] = auth.settings.idp;
        annotations[`${ALB}/auth-on-unauthenticated-request`] = 'authenticate';
        annotations[`${ALB}/auth-scope`] = 'openid';
      }
    }
    if (auth.kind === 'none') annotations['cdk-tracing/unauthenticated-reason'] = auth.settings.reason;

    if (tls.kind === 'cert-manager') {
      const issuer = tls.issuer!;
      if (tls.viaIngressAnnotation) {
        annotations[issuer.kind === 'ClusterIssuer' ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer'] = issuer.name;
      } else {
        this.certificate = new ApiObject(this, 'Certificate', {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name: this.name, labels },
          spec: {
            secretName: tlsSecretName,
            dnsNames: [props.host],
            issuerRef: { group: 'cert-manager.io', kind: issuer.kind, name: issuer.name },
            privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
          },
        });
      }
    }

    this.ingress = new k8s.KubeIngress(this, 'Ingress', {
      metadata: { name: this.name, labels, annotations },
      spec: {
        ingressClassName: controller.className,
        // With ACM the certificate is on the listener; the tls entry still declares the host as HTTPS-only.
        tls: [{ hosts: [props.host], ...(tlsSecretName ? { secretName: tlsSecretName } : {}) }],
        rules: [{
          host: props.host,
          http: {
            paths: backend.paths.map((p) => ({
              path: p,
              pathType: 'Prefix',
              backend: { service: { name: backend.serviceName, port: { number: backend.port } } },
            })),
          },
        }],
      },
    });

    const ports = [...new Set([backend.port, ...(controller.kind === 'alb' ? [backend.healthCheckPort] : [])])]
      .map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }));
    const from: k8s.NetworkPolicyPeer[] = controller.kind === 'nginx'
      ? [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': controller.nginxOptions!.namespace } },
        podSelector: { matchLabels: controller.nginxOptions!.podLabels },
      }]
      : controller.albOptions!.vpcCidrs.map((cidr) => ({ ipBlock: { cidr } }));
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: `${this.name}-from-ingress`, labels },
      spec: {
        podSelector: { matchLabels: backend.selector },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports }],
      },
    });
  }
}
