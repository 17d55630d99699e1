/**
 * The same platform team's own cdk8s chart: its namespace, a default-deny
 * NetworkPolicy and a demo service of its own, with Tempo and the collector
 * tier imported as constructs next to them. The demo service is pointed at
 * the node-local collector agent by `instrumentWorkload`.
 *
 *   npm run synth   # writes dist/platform.k8s.yaml
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CollectorBackend, instrumentWorkload, Retention, SamplingStrategy, Tempo, TenantRouting, TraceSampling, TracingCollector, UnmatchedSpans,
} from '../../lib/k8s';

export function buildPlatformChart(app: App): Chart {
  const chart = new Chart(app, 'platform', { namespace: 'observability', disableResourceNameHashes: true });

  // The team's own objects.
  new kplus.k8s.KubeNetworkPolicy(chart, 'DefaultDeny', {
    metadata: { name: 'default-deny-ingress' },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });

  // cdk-tracing constructs inside the team's chart (values from `cdk deploy --outputs-file` in real use).
  const tempo = new Tempo(chart, 'Tempo', {
    storage: { bucketName: 'acme-platform-tempo', region: 'eu-west-1', prefix: 'tempo' },
    retention: Retention.days(21),
    multitenancy: true,
    tenants: [{ id: 'payments', retention: Retention.days(90) }, { id: 'storefront' }],
  });
  const collector = new TracingCollector(chart, 'Collector', {
    // Each span goes to its namespace's tenant; the payments team's spans get its 90-day retention.
    // Everything else (this chart's demo service included) is the storefront's.
    backend: CollectorBackend.tempo(tempo, {
      tenants: TenantRouting.byNamespace([
        { tenant: 'payments', namespaces: ['payments'] },
        { tenant: 'storefront', namespaces: ['storefront'] },
      ], UnmatchedSpans.toTenant('storefront')),
    }),
    sampling: TraceSampling.of({ baselineRatio: 0.2, services: [{ service: 'checkout', strategy: SamplingStrategy.timesBaseline(5) }] }),
  });

  // A service of the team's own, instrumented through the collector.
  const demo = new kplus.Deployment(chart, 'Demo', {
    metadata: { name: 'checkout' },
    replicas: 2,
    securityContext: { ensureNonRoot: true, user: 10001, group: 10001 },
    containers: [{
      name: 'checkout',
      image: 'ghcr.io/acme/checkout:1.4.2',
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      },
      securityContext: {
        readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, ensureNonRoot: true, user: 10001, group: 10001,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    }],
  });
  instrumentWorkload(demo, { collector, serviceName: 'checkout' });
  return chart;
}
