import { App, Chart, Testing } from 'cdk8s';
import {
  CertificateIssuer, IngressAuth, IngressBackend, IngressController, IngressTls, JaegerChart, JaegerIndexRotation, JaegerQuery, JaegerStorage, OtlpReceiver,
  TempoChart, TracingIngress, TracingIngressProps,
} from '../../lib/k8s';
import { expectConfigError } from '../helpers/errors';
import { K8sObject } from '../helpers/schema';
import { findObject, synthChart } from '../helpers/synth';
import { expectValidObjects } from './grafana-test-helpers';

function setup(): { app: App; chart: Chart; tempo: any } {
  const app = Testing.app();
  const tempo = new TempoChart(app, 'tempo', { namespace: 'tracing', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' } }).tempo;
  const chart = new Chart(app, 'ingress', { namespace: 'tracing', disableResourceNameHashes: true });
  return { app, chart, tempo };
}

const nginxBase = (tempo: any): TracingIngressProps => ({
  host: 'tempo.example.com',
  backend: IngressBackend.tempoQueryApi(tempo),
  controller: IngressController.nginx(),
  tls: IngressTls.certManager({ issuer: CertificateIssuer.clusterIssuer('letsencrypt-prod') }),
  auth: IngressAuth.basicAuth({ secretName: 'tempo-basic-auth' }),
});

const ALB_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';

function synthWith(make: (tempo: any) => Partial<TracingIngressProps>[]): K8sObject[] {
  const { chart, tempo } = setup();
  make(tempo).forEach((p, i) => new TracingIngress(chart, `Ingress${i}`, { ...nginxBase(tempo), ...p } as TracingIngressProps));
  const objects = synthChart(chart);
  expectValidObjects(objects);
  return objects;
}

/** Every Ingress: TLS hosts equal rule hosts, and every host has a certificate source. */
function checkTlsInvariants(objects: K8sObject[]): void {
  for (const ing of objects.filter((o) => o.kind === 'Ingress') as any[]) {
    const ruleHosts = ing.spec.rules.map((r: any) => r.host).sort();
    const tlsHosts = ing.spec.tls.flatMap((t: any) => t.hosts).sort();
    expect(tlsHosts).toEqual(ruleHosts);
    const a = ing.metadata.annotations ?? {};
    for (const t of ing.spec.tls) {
      const certificate = objects.find((o: any) => o.kind === 'Certificate' && o.spec.secretName === t.secretName) as any;
      const source = certificate ? `Certificate/${certificate.metadata.name}`
        : a['cert-manager.io/cluster-issuer'] || a['cert-manager.io/issuer'] || a['alb.ingress.kubernetes.io/certificate-arn'] || (t.secretName ? `Secret/${t.secretName}` : undefined);
      expect(source).toBeDefined();
      if (certificate) expect(certificate.spec.dnsNames.sort()).toEqual(t.hosts.sort());
    }
  }
}

/** Every Ingress carries an authentication decision. */
function checkAuth(objects: K8sObject[]): void {
  for (const ing of objects.filter((o) => o.kind === 'Ingress') as any[]) {
    const a = ing.metadata.annotations ?? {};
    const decided = a['nginx.ingress.kubernetes.io/auth-type'] === 'basic' || a['nginx.ingress.kubernetes.io/auth-url']
      || a['alb.ingress.kubernetes.io/auth-type'] === 'oidc' || (a['cdk-tracing/unauthenticated-reason'] ?? '').length >= 10;
    expect(decided).toBeTruthy();
  }
}

describe('TracingIngress', () => {
  test('snapshot: nginx + cert-manager: Tempo query API, OTLP HTTP and gRPC', () => {
    const objects = synthWith((tempo) => [
      {},
      { host: 'otlp.example.com', backend: IngressBackend.otlpHttp(OtlpReceiver.fromTempo(tempo)) },
      { host: 'otlp-grpc.example.com', backend: IngressBackend.otlpGrpc(OtlpReceiver.fromTempo(tempo)), tls: IngressTls.certManager({ issuer: CertificateIssuer.issuer('internal-ca'), viaIngressAnnotation: true }) },
    ]);
    expect(objects).toMatchSnapshot();
    checkTlsInvariants(objects);
    checkAuth(objects);
  });

  test('snapshot: ALB + ACM, internal by default, HSTS on the HTTPS listener', () => {
    const objects = synthWith((tempo) => [{
      controller: IngressController.awsLoadBalancer({ vpcCidrs: ['10.0.0.0/16'], groupName: 'tracing' }),
      tls: IngressTls.acm(ALB_ARN),
      auth: IngressAuth.unauthenticated('internal ALB, reachable only through the corporate VPN'),
      backend: IngressBackend.otlpGrpc(OtlpReceiver.fromTempo(tempo)),
      host: 'otlp-grpc.internal.example.com',
    }]);
    expect(objects).toMatchSnapshot();
    checkTlsInvariants(objects);
    checkAuth(objects);
    const a = (findObject(objects, 'Ingress', 'tempo-otlp-grpc') as any).metadata.annotations;
    expect(a['alb.ingress.kubernetes.io/scheme']).toBe('internal');
    expect(a['alb.ingress.kubernetes.io/backend-protocol-version']).toBe('GRPC');
    expect(a['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
    expect(a['alb.ingress.kubernetes.io/listener-attributes.HTTPS-443']).toBe('routing.http.response.strict_transport_security.header_value=max-age=31536000;includeSubDomains');
    const np = findObject(objects, 'NetworkPolicy', 'tempo-otlp-grpc-from-ingress') as any;
    expect(np.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '10.0.0.0/16' } }]);
  });

  test('nginx: HTTPS redirect, gRPC backend protocol, body size for OTLP, only /api of Tempo routed', () => {
    const objects = synthWith((tempo) => [{}, { host: 'otlp-grpc.example.com', backend: IngressBackend.otlpGrpc(OtlpReceiver.fromTempo(tempo)) }]);
    const query = findObject(objects, 'Ingress', 'tempo-query') as any;
    expect(query.metadata.annotations['nginx.ingress.kubernetes.io/force-ssl-redirect']).toBe('true');
    expect(query.spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/api']);
    expect(query.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'tempo', port: { number: 3200 } });
    const grpc = findObject(objects, 'Ingress', 'tempo-otlp-grpc') as any;
    expect(grpc.metadata.annotations['nginx.ingress.kubernetes.io/backend-protocol']).toBe('GRPC');
    expect(grpc.metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('16m');
    expect(grpc.spec.rules[0].http.paths[0].backend.service.port.number).toBe(4317);
  });

  test('the NetworkPolicy admits the ingress controller pods to the backend port only', () => {
    const objects = synthWith(() => [{}]);
    const np = findObject(objects, 'NetworkPolicy', 'tempo-query-from-ingress') as any;
    expect(np.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'backend' });
    expect(np.spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
      }],
      ports: [{ port: 3200, protocol: 'TCP' }],
    }]);
  });

  test('cert-manager Certificate: secret matches the Ingress TLS, ClusterIssuer reference', () => {
    const objects = synthWith(() => [{}]);
    const cert = findObject(objects, 'Certificate', 'tempo-query') as any;
    expect(cert.spec).toMatchObject({ secretName: 'tempo-query-tls', dnsNames: ['tempo.example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod', group: 'cert-manager.io' } });
    expect((findObject(objects, 'Ingress', 'tempo-query') as any).spec.tls).toEqual([{ hosts: ['tempo.example.com'], secretName: 'tempo-query-tls' }]);
  });

  test('OAuth2 proxy annotations; Jaeger UI through the real Jaeger construct, with its base path', () => {
    const app = Testing.app();
    const jaeger = new JaegerChart(app, 'jaeger', {
      namespace: 'tracing', storage: JaegerStorage.opensearch({ serverUrls: ['https://search.example.com'], sigv4: { region: 'eu-west-1' } }),
      indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }), query: { basePath: '/jaeger' },
    }).jaeger;
    const chart = new Chart(app, 'ingress', { namespace: 'tracing', disableResourceNameHashes: true });
    new TracingIngress(chart, 'Jaeger', {
      host: 'jaeger.example.com', backend: IngressBackend.jaegerUi(JaegerQuery.fromJaeger(jaeger)), controller: IngressController.nginx(),
      tls: IngressTls.existingSecret('wildcard-example-com'),
      auth: IngressAuth.oauth2Proxy({ authUrl: 'http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth', signinUrl: 'https://auth.example.com/oauth2/start?rd=$scheme://$host$escaped_request_uri' }),
    });
    const objects = synthChart(chart);
    expectValidObjects(objects);
    checkTlsInvariants(objects);
    checkAuth(objects);
    const ing = findObject(objects, 'Ingress', 'jaeger-query-ui') as any;
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/auth-url']).toBe('http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth');
    expect(ing.spec.rules[0].http.paths[0]).toMatchObject({ path: '/jaeger', backend: { service: { name: 'jaeger-query', port: { number: 16686 } } } });
    expect(ing.spec.tls[0].secretName).toBe('wildcard-example-com');
    const np = findObject(objects, 'NetworkPolicy', 'jaeger-query-ui-from-ingress') as any;
    const querySvc = (jaeger.queryService.toJson() as any).spec.selector;
    expect(np.spec.podSelector.matchLabels).toEqual(querySvc);
  });

  type Case = [string, (tempo: any) => Partial<TracingIngressProps>, RegExp];
  test.each<Case>([
    ['no auth choice', () => ({ auth: undefined }), /\[ingress\/Ingress0\] no authentication choice: nothing is exposed without one \(got undefined\); pass auth: IngressAuth\.basicAuth/],
    ['host with scheme', () => ({ host: 'https://tempo.example.com/' }), /host must be a fully qualified DNS name without scheme, port or path \(got "https:\/\/tempo\.example\.com\/"\); use "tempo\.example\.com"/],
    ['ACM on nginx', () => ({ tls: IngressTls.acm(ALB_ARN) }), /an ACM certificate cannot be used by ingress-nginx/],
    ['cert-manager on ALB', () => ({ controller: IngressController.awsLoadBalancer({ vpcCidrs: ['10.0.0.0/16'] }), auth: IngressAuth.unauthenticated('internal ALB behind the VPN only') }),
      /the AWS Load Balancer Controller terminates TLS with ACM certificates, not Kubernetes Secrets \(got "cert-manager"\)/],
    ['basic auth on ALB', () => ({ controller: IngressController.awsLoadBalancer({ vpcCidrs: ['10.0.0.0/16'] }), tls: IngressTls.acm(ALB_ARN) }), /basic auth needs ingress-nginx; the ALB cannot call it/],
    ['OIDC for an API', () => ({
      controller: IngressController.awsLoadBalancer({ vpcCidrs: ['10.0.0.0/16'] }), tls: IngressTls.acm(ALB_ARN),
      auth: IngressAuth.albOidc({ issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/auth', tokenEndpoint: 'https://idp.example.com/token', userInfoEndpoint: 'https://idp.example.com/userinfo', secretName: 'oidc' }),
    }), /tempo-query is used by programs \(Grafana, OTLP senders\), which cannot follow an OIDC login redirect/],
    ['HSTS on nginx', () => ({ hstsMaxAgeSeconds: 600 }), /ingress-nginx sets HSTS for the whole controller, not per Ingress \(got 600\)/],
    ['backend in another namespace', (tempo) => ({ backend: IngressBackend.otlpHttp({ ...OtlpReceiver.fromTempo(tempo), namespace: 'observability' }) }),
      /an Ingress routes only to Services in its own namespace, but the chart's namespace is "tracing" and the backend Service tempo is in "observability"/],
  ])('bad input: %s', (_n, make, message) => {
    expect(() => synthWith((tempo) => [make(tempo)])).toThrow(message);
  });

  // Factories never throw: the Ingress that uses them reports the problem under its own path (never "[IngressAuth.unauthenticated]").
  const alb = (o: Partial<Parameters<typeof IngressController.awsLoadBalancer>[0]> = {}) => IngressController.awsLoadBalancer({ vpcCidrs: ['10.0.0.0/16'], ...o });
  const otlpOnAlb = (tempo: any, internetFacing: boolean): Partial<TracingIngressProps> => ({
    host: 'otlp.example.com', backend: IngressBackend.otlpGrpc(OtlpReceiver.fromTempo(tempo)), controller: alb({ internetFacing }), tls: IngressTls.acm(ALB_ARN),
    auth: IngressAuth.unauthenticated('senders are other services in our own VPC'),
  });
  test.each<[string, (tempo: any) => Partial<TracingIngressProps>, RegExp, string, RegExp]>([
    ['unauthenticated without a reason', () => ({ auth: IngressAuth.unauthenticated('') }), /auth is IngressAuth.unauthenticated without a reason/, '""', /say why this is safe/],
    ['sign-in over plain HTTP', () => ({ auth: IngressAuth.oauth2Proxy({ authUrl: 'http://oauth2-proxy/oauth2/auth', signinUrl: 'http://auth.example.com/start' }) }),
      /auth signinUrl must be an https URL/, '"http://auth.example.com/start"', /use e\.g\. "https:/],
    ['basic auth secret name', () => ({ auth: IngressAuth.basicAuth({ secretName: 'Basic_Auth' }) }), /auth secretName is not a Kubernetes Secret name/, '"Basic_Auth"', /lowercase/],
    ['ALB without VPC CIDRs', () => ({ controller: alb({ vpcCidrs: [] }), tls: IngressTls.acm(ALB_ARN) }), /controller vpcCidrs is empty/, '[]', /VPC CIDR/],
    ['ALB with a bad CIDR', () => ({ controller: alb({ vpcCidrs: ['10.0.0.0/33'] }), tls: IngressTls.acm(ALB_ARN) }), /controller vpcCidrs\[0\] is not an IPv4 CIDR block/, '"10.0.0.0/33"', /10\.0\.0\.0\/16/],
    ['not an ACM ARN', () => ({ controller: alb(), tls: IngressTls.acm('arn:aws:iam::123456789012:server-certificate/x') }), /tls certificateArn is not an ACM certificate ARN/,
      '"arn:aws:iam::123456789012:server-certificate/x"', /arn:aws:acm:/],
    ['nginx without pod labels', () => ({ controller: IngressController.nginx({ podLabels: {} }) }), /controller podLabels is empty/, '{}', /labels of the controller pods/],
    ['issuer name', () => ({ tls: IngressTls.certManager({ issuer: CertificateIssuer.clusterIssuer('Lets_Encrypt') }) }), /tls ClusterIssuer name is not a Kubernetes Secret name/, '"Lets_Encrypt"', /lowercase/],
    ['unauthenticated OTLP on an internet-facing ALB', (tempo) => otlpOnAlb(tempo, true),
      /an internet-facing load balancer would expose tempo-otlp-grpc to anyone on the internet without authentication \(anyone could write spans\)/,
      '"senders are other services in our own VPC"', /keep the load balancer internal \(internetFacing: false\)/],
    ['unauthenticated query API on an internet-facing ALB', () => ({
      controller: alb({ internetFacing: true }), tls: IngressTls.acm(ALB_ARN), auth: IngressAuth.unauthenticated('grafana cloud needs to reach it'),
    }), /would expose tempo-query to anyone on the internet without authentication \(every trace could be read\)/, '"grafana cloud needs to reach it"', /internetFacing: false/],
  ])('bad input names the Ingress path, the value and the fix: %s', (_n, make, problem, value, fix) => {
    expectConfigError(() => synthWith((tempo) => [make(tempo)]), 'ingress/Ingress0', problem, value, fix);
  });

  test('unauthenticated OTLP on an internal ALB is a recorded choice', () => {
    const objects = synthWith((tempo) => [otlpOnAlb(tempo, false)]);
    const ing = objects.find((o) => o.kind === 'Ingress') as any;
    expect(ing.metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBe('internal');
    expect(ing.metadata.annotations['cdk-tracing/unauthenticated-reason']).toBe('senders are other services in our own VPC');
  });
});
