// Tenant routing: every span reaches its tenant's exporter with that tenant's X-Scope-OrgID, through the
// pipelines we render. The real collector runs these configs in the loopback suite; here a small evaluator
// of exactly the filter conditions we emit walks the pipelines, so a routing mistake fails at synth time.
import { App, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { TracingConfigError } from '../../../lib/core';
import { Tempo, TempoChart, TempoChartProps } from '../../../lib/k8s';
import {
  CollectorBackend, CollectorBackendOptions, CollectorSamplingMode, TenantRouting, TracingCollectorChart, TracingCollectorProps, UnmatchedSpans,
} from '../../../lib/k8s/collector';
import { OTELCOL_K8S, missingComponents } from '../../../lib/render';
import { buildPlatformChart } from '../../../examples/platform-stack/chart';

type Dict = Record<string, any>;
const storage = { bucketName: 'traces-bucket', region: 'eu-west-1' };
const TWO_TENANTS: Partial<TempoChartProps> = { multitenancy: true, tenants: [{ id: 'payments' }, { id: 'storefront' }] };

function synth(options: CollectorBackendOptions, tempoProps: Partial<TempoChartProps> = TWO_TENANTS, props: Partial<TracingCollectorProps> = {}) {
  const app = Testing.app();
  const tempo = new TempoChart(app, 'tempo', { namespace: 'tracing', storage, ...tempoProps });
  const chart = new TracingCollectorChart(app, 'otel', { namespace: 'observability', backend: CollectorBackend.tempo(tempo.tempo, options), ...props });
  return chart.collector;
}

/** The condition shapes the renderer emits: `resource.attributes["k"] == "v"` joined by ` or `, optionally in `not (...)`. */
function evalCondition(condition: string, attributes: Record<string, string>): boolean {
  const negated = /^not \((.*)\)$/.exec(condition);
  if (negated) return !evalCondition(negated[1], attributes);
  return condition.split(' or ').some((term) => {
    const m = /^resource\.attributes\[("(?:[^"\\]|\\.)*")\] == ("(?:[^"\\]|\\.)*")$/.exec(term);
    if (!m) throw new Error(`condition shape the evaluator does not know: ${term}`);
    return attributes[JSON.parse(m[1])] === JSON.parse(m[2]);
  });
}

/**
 * Where a resource with `attributes` ends up: the X-Scope-OrgID of every exporter it reaches, or
 * `dropped:<exporter>` for the unmatched sink. Walks the main pipeline and, through the fan-out
 * connector, every pipeline it feeds; a filter processor drops the resource when any condition holds.
 */
function deliveries(config: Dict, attributes: Record<string, string>): string[] {
  const out: string[] = [];
  const pipelines = config.service.pipelines as Dict;
  const walk = (id: string) => {
    const p = pipelines[id];
    for (const proc of p.processors as string[]) {
      if (proc.startsWith('filter/') && config.processors[proc].trace_conditions.some((c: string) => evalCondition(c, attributes))) return;
    }
    for (const e of p.exporters as string[]) {
      if (config.connectors?.[e] !== undefined) {
        for (const [next, q] of Object.entries(pipelines) as Array<[string, Dict]>) if (q.receivers.includes(e)) walk(next);
      } else if (e.startsWith('debug/')) {
        out.push(`dropped:${e}`);
      } else {
        out.push(config.exporters[e].headers?.['X-Scope-OrgID'] ?? '(no tenant)');
      }
    }
  };
  walk('traces');
  return out.sort();
}

/** The tier that exports to the backend. */
function exportingConfig(collector: { sampler?: { config: Dict }; gateway: { config: Dict } }): Dict {
  return (collector.sampler ?? collector.gateway).config as Dict;
}

describe('tenant routing', () => {
  test('the platform example delivers both tenants (payments and storefront), each with its own header and queue', () => {
    const chart = buildPlatformChart(new App());
    const objects = Testing.synth(chart) as Dict[];
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'otel-sampler-config')!;
    const config = parse(cm.data['config.yaml']);
    const ns = (n: string) => deliveries(config, { 'k8s.namespace.name': n });
    expect(ns('payments')).toEqual(['payments']);
    expect(ns('storefront')).toEqual(['storefront']);
    // The chart's own demo service (namespace observability) and spans without a namespace: the storefront's.
    expect(ns('observability')).toEqual(['storefront']);
    expect(deliveries(config, {})).toEqual(['storefront']);
    // Those are exactly the tenants Tempo declares (payments with its 90-day retention).
    const tempo = chart.node.findChild('Tempo') as Tempo;
    expect(tempo.tenancy.tenants.map((t) => t.id).sort()).toEqual(['payments', 'storefront']);
    for (const id of ['otlp_grpc/tenant-payments', 'otlp_grpc/tenant-storefront']) {
      expect(config.exporters[id].sending_queue).toMatchObject({ enabled: true, storage: 'file_storage/queue' });
    }
  });

  test('by namespace with unmatched spans dropped: each namespace to its tenant, the rest counted by debug/unmatched', () => {
    const collector = synth({ tenants: TenantRouting.byNamespace([
      { tenant: 'payments', namespaces: ['payments', 'ledger'] }, { tenant: 'storefront', namespaces: ['shop'] },
    ], UnmatchedSpans.drop()) });
    const config = exportingConfig(collector);
    expect(deliveries(config, { 'k8s.namespace.name': 'payments' })).toEqual(['payments']);
    expect(deliveries(config, { 'k8s.namespace.name': 'ledger' })).toEqual(['payments']);
    expect(deliveries(config, { 'k8s.namespace.name': 'shop' })).toEqual(['storefront']);
    expect(deliveries(config, { 'k8s.namespace.name': 'kube-system' })).toEqual(['dropped:debug/unmatched']);
    expect(deliveries(config, { 'service.name': 'no-namespace' })).toEqual(['dropped:debug/unmatched']);
    // Tail sampling decides whole traces first; batching happens per tenant, after routing.
    expect(config.service.pipelines.traces).toEqual({
      receivers: ['otlp'], processors: ['memory_limiter', 'tail_sampling'], exporters: ['forward/tenants'],
    });
    expect(config.service.pipelines['traces/tenant-payments'].processors).toEqual(['memory_limiter', 'filter/tenant-payments', 'batch']);
    // The real collector also refuses spans with a wrong header: the header is per exporter, set from the tenant id.
    expect(config.exporters['otlp_grpc/tenant-payments'].headers).toEqual({ 'X-Scope-OrgID': 'payments' });
    expect(config.exporters['otlp_grpc/backend']).toBeUndefined();
    // The whole sampler volume is shared by two tenant queues: each gets half of the single-tenant length.
    const single = exportingConfig(synth({ tenant: 'payments' }, { multitenancy: true, tenants: [{ id: 'payments' }] }));
    expect(config.exporters['otlp_grpc/tenant-payments'].sending_queue.queue_size).toBe(Math.floor(single.exporters['otlp_grpc/backend'].sending_queue.queue_size / 2));
  });

  test('by resource attribute with a default tenant, in HEAD mode (the gateway exports)', () => {
    const collector = synth({ tenants: TenantRouting.byResourceAttribute('tenant.id', [{ tenant: 'payments', values: ['pay', 'billing'] }],
      UnmatchedSpans.toTenant('storefront')) }, TWO_TENANTS, { samplingMode: CollectorSamplingMode.HEAD });
    expect(collector.sampler).toBeUndefined();
    const config = collector.gateway.config as Dict;
    expect(deliveries(config, { 'tenant.id': 'pay' })).toEqual(['payments']);
    expect(deliveries(config, { 'tenant.id': 'billing', 'k8s.namespace.name': 'shop' })).toEqual(['payments']);
    expect(deliveries(config, { 'tenant.id': 'other' })).toEqual(['storefront']);
    expect(deliveries(config, {})).toEqual(['storefront']);
    expect(config.exporters['debug/unmatched']).toBeUndefined();
    expect(config.service.pipelines.traces.processors).toEqual(['memory_limiter', 'probabilistic_sampler']);
  });

  test('every rendered pipeline starts with memory_limiter, references defined components, and runs on otelcol-k8s', () => {
    const config = exportingConfig(synth({ tenants: TenantRouting.byNamespace([{ tenant: 'payments', namespaces: ['payments'] },
      { tenant: 'storefront', namespaces: ['shop'] }], UnmatchedSpans.drop()) }));
    for (const p of Object.values(config.service.pipelines) as Dict[]) {
      expect(p.processors[0]).toBe('memory_limiter');
      for (const r of p.receivers) expect(config.receivers?.[r] ?? config.connectors?.[r]).toBeDefined();
      for (const x of p.processors) expect(config.processors[x]).toBeDefined();
      for (const e of p.exporters) expect(config.exporters[e] ?? config.connectors?.[e]).toBeDefined();
    }
    // Every declared component is used by a pipeline (the collector refuses unused connectors).
    const used = new Set((Object.values(config.service.pipelines) as Dict[]).flatMap((p) => [...p.receivers, ...p.processors, ...p.exporters]));
    for (const id of [...Object.keys(config.processors), ...Object.keys(config.exporters), ...Object.keys(config.connectors)]) expect(used).toContain(id);
    expect(missingComponents(config, OTELCOL_K8S)).toEqual([]);
  });

  describe('refused at synth time, naming path, value and fix', () => {
    const nsRouting = (unmatched = UnmatchedSpans.drop()) =>
      TenantRouting.byNamespace([{ tenant: 'payments', namespaces: ['payments'] }, { tenant: 'storefront', namespaces: ['shop'] }], unmatched);
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['one tenant for a backend that declares two (the old platform example)', () => synth({ tenant: 'storefront' }),
        /\[otel\/Collector\] every span goes to tenant "storefront", so the backend's other declared tenants \["payments"\] would never see data \(got "storefront"\); route spans per tenant with \{ tenants: TenantRouting.byNamespace/],
      ['a declared tenant no route reaches', () => synth({ tenants: TenantRouting.byNamespace([{ tenant: 'storefront', namespaces: ['shop'] }], UnmatchedSpans.drop()) }),
        /\[otel\/Collector\] the backend declares tenants \["payments"\] that no span can reach through this collector's tenant routing \(got \["payments"\]\); route a namespace or attribute value to each of them/],
      ['a routed tenant the backend does not declare', () => synth({ tenants: nsRouting(UnmatchedSpans.toTenant('unassigned')) }),
        /tenant "unassigned" is routed to, but the backend declares only tenants \["payments","storefront"\], .*\(got "unassigned"\); declare "unassigned" in the backend's tenants/],
      ['tenant and tenants together', () => synth({ tenant: 'payments', tenants: nsRouting() }), /both tenant and tenants were given/],
      ['tenant routing for a single-tenant backend', () => synth({ tenants: nsRouting() }, {}), /a tenant was given but the backend has multitenancy off/],
      ['one namespace mapped to two tenants', () => synth({ tenants: TenantRouting.byNamespace([{ tenant: 'payments', namespaces: ['shop'] },
        { tenant: 'storefront', namespaces: ['shop'] }], UnmatchedSpans.drop()) }),
      /"shop" is mapped to both tenant "payments" and tenant "storefront", so its spans would go to both \(got "shop"\); map each value to one tenant/],
      ['a tenant with no namespaces', () => synth({ tenants: TenantRouting.byNamespace([{ tenant: 'payments', namespaces: [] },
        { tenant: 'storefront', namespaces: ['shop'] }], UnmatchedSpans.drop()) }), /tenant "payments" has no namespaces, so no span could reach it/],
      ['a namespace that is not a DNS label', () => synth({ tenants: TenantRouting.byNamespace([{ tenant: 'payments', namespaces: ['Pay Ments'] },
        { tenant: 'storefront', namespaces: ['shop'] }], UnmatchedSpans.drop()) }), /has a namespace that is not a DNS label \(got "Pay Ments"\)/],
      ['no rule for unmatched spans', () => synth({ tenants: TenantRouting.byNamespace([{ tenant: 'payments', namespaces: ['payments'] },
        { tenant: 'storefront', namespaces: ['shop'] }], undefined as unknown as UnmatchedSpans) }),
      /needs an explicit rule for spans that match no tenant .*UnmatchedSpans.toTenant\("team-a"\) or UnmatchedSpans.drop\(\)/],
      ['a tenant listed twice', () => synth({ tenants: TenantRouting.byNamespace([{ tenant: 'payments', namespaces: ['a'] },
        { tenant: 'payments', namespaces: ['b'] }], UnmatchedSpans.toTenant('storefront')) }), /lists tenant "payments" twice/],
      ['a bad tenant id', () => synth({ tenants: TenantRouting.byNamespace([{ tenant: 'pay/ments', namespaces: ['a'] }], UnmatchedSpans.drop()) },
        { multitenancy: true }), /tenant must be 1-150 characters .* \(got "pay\/ments"\)/],
      ['a bad attribute name', () => synth({ tenants: TenantRouting.byResourceAttribute('tenant id', [{ tenant: 'payments', values: ['p'] }],
        UnmatchedSpans.toTenant('storefront')) }), /the resource attribute must be a dotted name .* \(got "tenant id"\)/],
      ['an attribute value with a quote', () => synth({ tenants: TenantRouting.byResourceAttribute('tenant.id', [{ tenant: 'payments', values: ['p"'] }],
        UnmatchedSpans.toTenant('storefront')) }), /an empty value or one with a quote/],
      ['no tenants', () => synth({ tenants: TenantRouting.byNamespace([], UnmatchedSpans.toTenant('storefront')) }), /lists no tenants/],
      ['tenant queues too small for the volume', () => synth({ tenants: nsRouting() }, TWO_TENANTS, { sampler: { queueVolumeSize: '40Mi' } }),
        /sampler.queueVolumeSize holds fewer than 10 full requests \(\d+ bytes each\) for each of its 2 tenant queues/],
    ];
    test.each(cases)('%s', (_name, act, message) => {
      expect(act).toThrow(TracingConfigError);
      expect(act).toThrow(message);
    });
  });
});
