import { ApiObject, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { TraceSampling, TracingConfigError } from '../../../lib/core';
import {
  CollectorBackend, CollectorSamplingMode, ExtraPropagator, OtelInstrumentation, OtlpProtocol, SdkLanguage, TempoChart, TracingCollector,
  TracingCollectorChart, TracingCollectorProps, instrumentWorkload,
} from '../../../lib/k8s';
import { restrictedViolations } from '../../helpers/pod-security';
import { expectValidManifests } from '../../helpers/schema';
import { findObject, synthChart } from '../../helpers/synth';

type Dict = Record<string, any>;

function setup(props: Partial<TracingCollectorProps> = {}): { app: ReturnType<typeof Testing.app>; collector: TracingCollector; apps: Chart } {
  const app = Testing.app();
  const tempo = new TempoChart(app, 'tempo', { namespace: 'tracing', storage: { bucketName: 'tempo-traces', region: 'eu-west-1' } });
  const otel = new TracingCollectorChart(app, 'otel', { namespace: 'observability', backend: CollectorBackend.tempo(tempo.tempo), ...props });
  const apps = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  return { app, collector: otel.collector, apps };
}

/** An application workload, made "restricted" the way its owners would (cdk8s-plus 28 has no capabilities prop). */
function shopDeployment(apps: Chart, containers = ['app']): kplus.Deployment {
  const d = new kplus.Deployment(apps, 'Payment', {
    metadata: { name: 'payment' },
    containers: containers.map((name) => ({
      name, image: 'registry.example.com/payment:1.0.0', portNumber: 8080,
      resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
    })),
  });
  containers.forEach((_c, i) => {
    ApiObject.of(d).addJsonPatch(JsonPatch.add(`/spec/template/spec/containers/${i}/securityContext/capabilities`, { drop: ['ALL'] }));
    ApiObject.of(d).addJsonPatch(JsonPatch.add(`/spec/template/spec/containers/${i}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }));
  });
  return d;
}

function expectConfigError(act: () => unknown, message: RegExp): void {
  let error: unknown;
  try { act(); } catch (e) { error = e; }
  expect(error).toBeInstanceOf(TracingConfigError);
  expect((error as Error).message).toMatch(message);
}

describe('OtelInstrumentation (operator)', () => {
  test('endpoint per language, propagators, sampler, validated against the Instrumentation CRD', () => {
    const { collector, apps } = setup();
    const inst = new OtelInstrumentation(apps, 'Instrumentation', { collector, extraPropagators: [ExtraPropagator.B3], resourceAttributes: { 'deployment.environment.name': 'prod' } });
    const objects = synthChart(apps);
    expectValidManifests(objects);
    const spec = (findObject(objects, 'Instrumentation', 'default') as Dict).spec;
    expect(spec.exporter.endpoint).toBe('http://otel-agent.observability.svc.cluster.local:4317');
    expect(spec.propagators).toEqual(['tracecontext', 'baggage', 'b3']);
    // The collector tail-samples, so SDKs send everything.
    expect(spec.sampler).toEqual({ type: 'parentbased_traceidratio', argument: '1' });
    for (const lang of ['python', 'dotnet', 'go']) {
      expect(spec[lang].env).toEqual([
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-agent.observability.svc.cluster.local:4318' },
        { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
      ]);
    }
    for (const lang of ['java', 'nodejs']) expect(spec[lang].env).toEqual([{ name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' }]);
    expect(spec.resource).toEqual({ addK8sUIDAttributes: true, resourceAttributes: { 'deployment.environment.name': 'prod' } });
    expect(inst.annotationValue).toBe('shop/default');
    expect(objects).toMatchSnapshot();
  });

  test('without collector-side sampling, SDKs sample at the baseline; an explicit ratio wins', () => {
    const { collector, apps } = setup({ samplingMode: CollectorSamplingMode.NONE, sampling: TraceSampling.of({ baselineRatio: 0.25 }) });
    expect(new OtelInstrumentation(apps, 'A', { collector, name: 'a' }).samplerRatio).toBe(0.25);
    expect(new OtelInstrumentation(apps, 'B', { collector, name: 'b', samplerRatio: 0.5 }).samplerRatio).toBe(0.5);
    const objects = synthChart(apps);
    expect((findObject(objects, 'Instrumentation', 'a') as Dict).spec.sampler.argument).toBe('0.25');
  });

  test.each([
    ['ratio above 1', { samplerRatio: 1.5 }, /samplerRatio must be a probability between 0 and 1 \(got 1\.5\)/],
    ['ratio negative', { samplerRatio: -0.1 }, /samplerRatio must be a probability between 0 and 1 \(got -0\.1\)/],
    ['name not a DNS label', { name: 'Default' }, /name must be a DNS label/],
  ])('rejects %s', (_n, extra, message) => {
    const { collector, apps } = setup();
    expectConfigError(() => new OtelInstrumentation(apps, 'I', { collector, ...extra }), message);
  });
});

describe('instrumentWorkload (no operator)', () => {
  test('sets the SDK environment from the collector and the downward API', () => {
    const { collector, apps } = setup();
    const deployment = shopDeployment(apps);
    instrumentWorkload(deployment, { collector, serviceName: 'payment-service', resourceAttributes: { 'service.namespace': 'shop' } });
    const objects = synthChart(apps);
    expectValidManifests(objects);
    expect(restrictedViolations(objects)).toEqual([]);
    const env: Dict[] = (findObject(objects, 'Deployment', 'payment') as Dict).spec.template.spec.containers[0].env;
    const byName = Object.fromEntries(env.map((e) => [e.name, e]));
    expect(byName.OTEL_EXPORTER_OTLP_ENDPOINT.value).toBe('http://otel-agent.observability.svc.cluster.local:4318');
    expect(byName.OTEL_EXPORTER_OTLP_PROTOCOL.value).toBe('http/protobuf');
    expect(byName.OTEL_SERVICE_NAME.value).toBe('payment-service');
    expect(byName.OTEL_TRACES_SAMPLER.value).toBe('parentbased_traceidratio');
    expect(byName.OTEL_TRACES_SAMPLER_ARG.value).toBe('1');
    expect(byName.OTEL_PROPAGATORS.value).toBe('tracecontext,baggage');
    expect(byName.OTEL_K8S_POD_NAME.valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    expect(byName.OTEL_K8S_NAMESPACE_NAME.valueFrom.fieldRef.fieldPath).toBe('metadata.namespace');
    expect(byName.OTEL_K8S_NODE_NAME.valueFrom.fieldRef.fieldPath).toBe('spec.nodeName');
    expect(byName.OTEL_RESOURCE_ATTRIBUTES.value)
      .toBe('k8s.pod.name=$(OTEL_K8S_POD_NAME),k8s.namespace.name=$(OTEL_K8S_NAMESPACE_NAME),k8s.node.name=$(OTEL_K8S_NODE_NAME),service.namespace=shop');
    // $(VAR) only expands variables defined earlier in the list.
    const index = (n: string) => env.findIndex((e) => e.name === n);
    for (const v of ['OTEL_K8S_POD_NAME', 'OTEL_K8S_NAMESPACE_NAME', 'OTEL_K8S_NODE_NAME']) expect(index(v)).toBeLessThan(index('OTEL_RESOURCE_ATTRIBUTES'));
  });

  test('gRPC goes to 4317; remote sampling polls the agents', () => {
    const { collector, apps } = setup({ remoteSampling: true });
    const deployment = shopDeployment(apps, ['app', 'sidecar']);
    instrumentWorkload(deployment, {
      collector, serviceName: 'payment-service', protocol: OtlpProtocol.GRPC, remoteSampling: true, language: SdkLanguage.JAVA, containerNames: ['app'],
    });
    const containers: Dict[] = (findObject(synthChart(apps), 'Deployment', 'payment') as Dict).spec.template.spec.containers;
    const env = Object.fromEntries(containers[0].env.map((e: Dict) => [e.name, e.value]));
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-agent.observability.svc.cluster.local:4317');
    expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('grpc');
    expect(env.OTEL_TRACES_SAMPLER).toBe('parentbased_jaeger_remote');
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe('endpoint=http://otel-agent.observability.svc.cluster.local:5779,pollingInterval=60000,initialSamplingRate=0.1');
    expect(containers[1].env).toBeUndefined();
  });

  // What each SDK's Jaeger remote sampler reads from OTEL_TRACES_SAMPLER_ARG, checked against the collector's servers:
  // jaegerremotesampling serves HTTP only at /sampling on 5778 and jaeger.api_v2.SamplingManager over gRPC on 5779.
  test.each([
    // opentelemetry-java JaegerRemoteSamplerProvider: gRPC URL, interval key pollingInterval (ms).
    [SdkLanguage.JAVA, 'endpoint=http://otel-agent.observability.svc.cluster.local:5779,pollingInterval=60000,initialSamplingRate=0.1'],
    // go-contrib jaegerremote: fetches <endpoint>?service=, so the URL carries /sampling.
    [SdkLanguage.GO, 'endpoint=http://otel-agent.observability.svc.cluster.local:5778/sampling,pollingIntervalMs=60000,initialSamplingRate=0.1'],
    // @opentelemetry/sampler-jaeger-remote: fetches <endpoint>/sampling?service=, so the base URL only.
    [SdkLanguage.NODEJS, 'endpoint=http://otel-agent.observability.svc.cluster.local:5778,pollingIntervalMs=60000,initialSamplingRate=0.1'],
  ])('remote sampling endpoint for %s', (language, arg) => {
    const { collector, apps } = setup({ remoteSampling: true });
    const deployment = shopDeployment(apps);
    instrumentWorkload(deployment, { collector, serviceName: 'payment-service', remoteSampling: true, language });
    const objects = synthChart(apps);
    expectValidManifests(objects);
    const env = Object.fromEntries((findObject(objects, 'Deployment', 'payment') as Dict).spec.template.spec.containers[0].env.map((e: Dict) => [e.name, e.value]));
    expect(env.OTEL_TRACES_SAMPLER).toBe('parentbased_jaeger_remote');
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe(arg);
    // The port in the argument is one the agent's Service exposes, under the name of the protocol it speaks.
    const port = Number(/:(\d+)/.exec(arg.split(',')[0].replace('http://', ''))![1]);
    const svc = findObject(synthChart(collector.node.scope as Chart), 'Service', 'otel-agent') as Dict;
    expect(svc.spec.ports.find((p: Dict) => p.port === port).name).toBe(language === SdkLanguage.JAVA ? 'sampling-grpc' : 'sampling-http');
  });

  test('the language matters only with remote sampling', () => {
    const { collector, apps } = setup({ remoteSampling: true });
    const deployment = shopDeployment(apps);
    instrumentWorkload(deployment, { collector, serviceName: 'payment-service', language: SdkLanguage.PYTHON });
    const env = Object.fromEntries((findObject(synthChart(apps), 'Deployment', 'payment') as Dict).spec.template.spec.containers[0].env.map((e: Dict) => [e.name, e.value]));
    expect([env.OTEL_TRACES_SAMPLER, env.OTEL_TRACES_SAMPLER_ARG]).toEqual(['parentbased_traceidratio', '1']);
  });

  test.each([
    ['no language', {},
      /^\[shop\/Payment\] remoteSampling needs language: each SDK's jaeger_remote sampler expects a different endpoint in OTEL_TRACES_SAMPLER_ARG \(got undefined\); set language: SdkLanguage.JAVA \(gRPC on 5779\), SdkLanguage.GO \(HTTP 5778\/sampling\) or SdkLanguage.NODEJS \(HTTP 5778\)$/],
    ['Python', { language: SdkLanguage.PYTHON },
      /^\[shop\/Payment\] remoteSampling is on but the Python SDK builds no jaeger_remote sampler from the environment, so it would fall back to its default sampler \(every trace\) \(got "python"\); drop remoteSampling/],
    ['.NET', { language: SdkLanguage.DOTNET }, /the \.NET SDK builds no jaeger_remote sampler from the environment, .*\(got "dotnet"\)/],
    ['not a language', { language: 'ruby' as SdkLanguage }, /language is not an SdkLanguage \(got "ruby"\); use one of SdkLanguage.JAVA, SdkLanguage.GO, SdkLanguage.NODEJS, SdkLanguage.PYTHON, SdkLanguage.DOTNET/],
  ])('remote sampling refuses %s', (_n, extra, message) => {
    const { collector, apps } = setup({ remoteSampling: true });
    expectConfigError(() => instrumentWorkload(shopDeployment(apps), { collector, serviceName: 'payment-service', remoteSampling: true, ...extra }), message);
  });

  test.each([
    ['empty service name', { serviceName: '' }, /serviceName must be a non-empty service.name/],
    ['remote sampling the collector does not serve', { remoteSampling: true }, /remoteSampling is on but the collector does not serve sampling strategies/],
    ['unknown container', { containerNames: ['nope'] }, /containerNames has "nope", which is not a container of the workload/],
    ['bad resource attribute', { resourceAttributes: { 'a,b': 'c' } }, /resourceAttributes keys and values must not contain/],
    ['ratio out of range', { samplerRatio: 2 }, /samplerRatio must be a probability between 0 and 1 \(got 2\)/],
  ])('rejects %s', (_n, extra, message) => {
    const { collector, apps } = setup();
    expectConfigError(() => instrumentWorkload(shopDeployment(apps), { collector, serviceName: 'payment-service', ...extra }), message);
  });

  test('refuses to overwrite an SDK variable the container already sets', () => {
    const { collector, apps } = setup();
    const d = shopDeployment(apps);
    d.containers[0].env.addVariable('OTEL_SERVICE_NAME', kplus.EnvValue.fromValue('legacy'));
    expect(() => instrumentWorkload(d, { collector, serviceName: 'payment-service' })).toThrow(/container "app" already sets OTEL_SERVICE_NAME \(got "legacy"\)/);
  });
});
