import { Testing } from 'cdk8s';
import { buildCollectorForTempo } from '../../../examples/collector-tempo/chart';
import { buildTempoGitOps } from '../../../examples/tempo-gitops/chart';
import { findLeakedTokens } from '../../../lib/k8s';
import { restrictedViolations } from '../../helpers/pod-security';
import { expectValidManifests, K8sObject } from '../../helpers/schema';
import { configMapYaml } from '../../helpers/synth';

describe('example: collector tier in front of the default Tempo example', () => {
  const app = Testing.app();
  buildTempoGitOps(app);
  buildCollectorForTempo(app);
  const objects = app.charts.flatMap((c) => c.toJson()) as K8sObject[];

  test('every object validates and every pod is restricted; no token leaks into the YAML', () => {
    expectValidManifests(objects);
    expect(restrictedViolations(objects)).toEqual([]);
    expect(findLeakedTokens(app.synthYaml())).toEqual([]);
  });

  test('agent -> gateway -> sampler -> Tempo, all computed', () => {
    const sampler = configMapYaml(objects, 'otel-sampler-config', 'config.yaml');
    expect(sampler.exporters['otlp_grpc/backend'].endpoint).toBe('tempo.tracing.svc.cluster.local:4317');
    const gateway = configMapYaml(objects, 'otel-gateway-config', 'config.yaml');
    expect(gateway.exporters['load_balancing/sampler'].resolver.k8s.service).toBe('otel-sampler.observability');
    const agent = configMapYaml(objects, 'otel-agent-config', 'config.yaml');
    expect(agent.exporters['otlp_grpc/gateway'].endpoint).toBe('dns:///otel-gateway-headless.observability.svc.cluster.local:4317');
    expect(objects.some((o) => o.kind === 'Instrumentation' && o.metadata?.namespace === 'shop')).toBe(true);
  });

  test('snapshot', () => {
    expect(objects.filter((o) => o.metadata?.namespace !== 'tracing')).toMatchSnapshot();
  });

  test('fails clearly without the Tempo example', () => {
    expect(() => buildCollectorForTempo(Testing.app())).toThrow(/no Tempo construct in the app .*build the Tempo example \(buildTempoGitOps\) before this one/);
  });
});
