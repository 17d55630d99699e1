import { ApiObject, Chart } from 'cdk8s';
// The cdk8s-plus workload types, erased at compile time; EnvValue from its own module, because the
// package root would also load every cdk8s-plus L2 construct at start-up.
import type * as kplus from 'cdk8s-plus-28';
import { EnvValue } from 'cdk8s-plus-28/lib/container';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { CollectorSamplingMode, TracingCollector } from './collector/collector';

/**
 * Application-side wiring to the collector tier: an OpenTelemetry Operator
 * `Instrumentation` for auto-instrumentation, and {@link instrumentWorkload}
 * for workloads without the operator. Endpoints, ports and the sampler ratio
 * come from the {@link TracingCollector}, never typed.
 */

/** W3C trace context and baggage are always on; these are the optional extra propagators. */
export enum ExtraPropagator {
  /** Zipkin B3 single header. */
  B3 = 'b3',
  /** Zipkin B3 multi-header. */
  B3_MULTI = 'b3multi',
  /** Jaeger's uber-trace-id. */
  JAEGER = 'jaeger',
  /** AWS X-Ray. */
  XRAY = 'xray',
}

/** OTLP transport an SDK uses. */
export enum OtlpProtocol {
  /** OTLP/gRPC to port 4317. */
  GRPC = 'grpc',
  /** OTLP/HTTP protobuf to port 4318 (the default of most SDKs and auto-instrumentation agents). */
  HTTP_PROTOBUF = 'http/protobuf',
}

/**
 * The OpenTelemetry SDK a workload runs. The SDKs' Jaeger remote samplers disagree on the endpoint
 * they take in `OTEL_TRACES_SAMPLER_ARG` (`endpoint=...`), so remote sampling needs to know which one.
 */
export enum SdkLanguage {
  /**
   * opentelemetry-java (SDK autoconfigure and the Java agent, with
   * `opentelemetry-sdk-extension-jaeger-remote-sampler`): gRPC to `http://<agent>:5779`, keys
   * `endpoint`, `pollingInterval` (ms), `initialSamplingRate`; builds `parentbased_jaeger_remote` from the environment.
   */
  JAVA = 'java',
  /**
   * opentelemetry-go-contrib `samplers/jaegerremote`: HTTP, the full URL `http://<agent>:5778/sampling`
   * (it appends `?service=`), keys `endpoint`, `pollingIntervalMs`, `initialSamplingRate`. The Go SDK
   * does not build the sampler from the environment: the application calls `jaegerremote.New`, which reads the argument.
   */
  GO = 'go',
  /**
   * `@opentelemetry/sampler-jaeger-remote`: HTTP, the base URL `http://<agent>:5778` (it appends
   * `/sampling?service=`). The Node.js SDK does not build it from the environment: the application
   * constructs `JaegerRemoteSampler` from the argument.
   */
  NODEJS = 'nodejs',
  /** opentelemetry-python: no Jaeger remote sampler is built from the environment; remote sampling is refused. */
  PYTHON = 'python',
  /** opentelemetry-dotnet: no Jaeger remote sampler is built from the environment; remote sampling is refused. */
  DOTNET = 'dotnet',
}

/** Polling interval of SDK remote samplers, in milliseconds. */
const REMOTE_SAMPLING_POLL_MS = 60000;

/**
 * `OTEL_TRACES_SAMPLER_ARG` of `parentbased_jaeger_remote` for one SDK, polling the collector's agents.
 * Throws when the language is missing or its SDK cannot take a remote sampler from the environment.
 */
export function jaegerRemoteSamplerArgument(path: string, collector: TracingCollector, language: SdkLanguage | undefined): string {
  const httpBase = collector.remoteSamplingUrl;
  const grpcUrl = collector.remoteSamplingGrpcUrl;
  if (!httpBase || !grpcUrl) {
    throw configError(path, 'remoteSampling is on but the collector does not serve sampling strategies', true,
      'set remoteSampling: true on the TracingCollector, or drop it here');
  }
  const initial = `initialSamplingRate=${ratioArgument(collector.sampling.baselineRatio)}`;
  switch (language) {
    case SdkLanguage.JAVA:
      // JaegerRemoteSamplerProvider: gRPC SamplingManager; its interval key is pollingInterval (ms).
      return `endpoint=${grpcUrl},pollingInterval=${REMOTE_SAMPLING_POLL_MS},${initial}`;
    case SdkLanguage.GO:
      // jaegerremote fetches <endpoint>?service=<name>; the collector serves only /sampling.
      return `endpoint=${httpBase}/sampling,pollingIntervalMs=${REMOTE_SAMPLING_POLL_MS},${initial}`;
    case SdkLanguage.NODEJS:
      // JaegerRemoteSampler fetches <endpoint>/sampling?service=<name>.
      return `endpoint=${httpBase},pollingIntervalMs=${REMOTE_SAMPLING_POLL_MS},${initial}`;
    case SdkLanguage.PYTHON:
    case SdkLanguage.DOTNET:
      throw configError(path, `remoteSampling is on but the ${language === SdkLanguage.PYTHON ? 'Python' : '.NET'} SDK builds no jaeger_remote sampler from the environment, so it would fall back to its default sampler (every trace)`,
        language, 'drop remoteSampling (parentbased_traceidratio then follows the collector), or set a remote sampler up in the application code');
    case undefined:
      throw configError(path, 'remoteSampling needs language: each SDK\'s jaeger_remote sampler expects a different endpoint in OTEL_TRACES_SAMPLER_ARG', language,
        'set language: SdkLanguage.JAVA (gRPC on 5779), SdkLanguage.GO (HTTP 5778/sampling) or SdkLanguage.NODEJS (HTTP 5778)');
    default:
      throw configError(path, 'language is not an SdkLanguage', language, `use one of ${Object.keys(SdkLanguage).map((k) => `SdkLanguage.${k}`).join(', ')}`);
  }
}

/** The sampler ratio SDKs should use in front of this collector: everything when the collector samples, the baseline otherwise. */
export function sdkSamplerRatio(collector: TracingCollector): number {
  return collector.samplingMode === CollectorSamplingMode.NONE ? collector.sampling.baselineRatio : 1;
}

function checkRatio(path: string, ratio: number): void {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw configError(path, 'samplerRatio must be a probability between 0 and 1', ratio,
      'use e.g. 0.25, or leave it out to follow the collector (1 when it samples, its baseline otherwise)');
  }
}

function propagatorList(path: string, extra: ExtraPropagator[] | undefined): string[] {
  const out = ['tracecontext', 'baggage'];
  if (extra !== undefined && !Array.isArray(extra)) {
    throw configError(path, 'extraPropagators must be a list', extra, 'pass e.g. [ExtraPropagator.B3]');
  }
  const known = Object.values(ExtraPropagator) as string[];
  for (const p of extra ?? []) {
    // The enum is a type only at compile time; JavaScript callers and casts can pass anything, which the operator's CRD refuses.
    if (!known.includes(p)) throw configError(path, 'extraPropagators holds a value that is not an ExtraPropagator', p, `use ${known.map((k) => `"${k}"`).join(', ')}`);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

function ratioArgument(ratio: number): string {
  return String(Math.round(ratio * 1e6) / 1e6);
}

/** Props of {@link OtelInstrumentation}. */
export interface OtelInstrumentationProps {
  /** The collector whose node-local agent receives the spans. */
  readonly collector: TracingCollector;
  /**
   * Name of the Instrumentation; pods opt in with `instrumentation.opentelemetry.io/inject-<language>: "<name>"`.
   * @default 'default'
   */
  readonly name?: string;
  /**
   * Ratio of `parentbased_traceidratio`.
   * @default - 1 when the collector samples (TAIL or HEAD), the sampling baseline when it does not (NONE)
   */
  readonly samplerRatio?: number;
  /**
   * Propagators besides `tracecontext` and `baggage`, e.g. `[ExtraPropagator.B3]` for Zipkin-instrumented peers.
   * @default - none
   */
  readonly extraPropagators?: ExtraPropagator[];
  /**
   * Resource attributes added to every span, e.g. `{ 'deployment.environment.name': 'prod' }`.
   * @default - none
   */
  readonly resourceAttributes?: Record<string, string>;
}

/**
 * An OpenTelemetry Operator `Instrumentation` (opentelemetry.io/v1alpha1) in the chart's namespace.
 * Java and Node.js export OTLP/gRPC to the agent on 4317 (protocol set explicitly, since their
 * agents default to http/protobuf); Python, .NET and Go export OTLP/HTTP to 4318.
 *
 * The operator injects at pod creation: create this before the workloads, and restart pods that
 * already run.
 */
export class OtelInstrumentation extends Construct {
  public readonly name: string;
  public readonly apiObject: ApiObject;
  /** The ratio SDKs sample with. */
  public readonly samplerRatio: number;

  constructor(scope: Construct, id: string, props: OtelInstrumentationProps) {
    super(scope, id);
    const path = this.node.path;
    if (!Chart.of(this).namespace) {
      throw configError(path, 'the chart holding the Instrumentation has no namespace; the operator only uses Instrumentations in the pod\'s namespace',
        Chart.of(this).namespace, 'create the chart with the applications\' namespace, e.g. { namespace: "shop" }');
    }
    if (!(props.collector instanceof TracingCollector)) {
      throw configError(path, 'collector is missing, so there is no endpoint to export to', props.collector, 'pass the TracingCollector construct');
    }
    this.name = props.name ?? 'default';
    validateDnsLabel(path, 'name', this.name);
    this.samplerRatio = props.samplerRatio ?? sdkSamplerRatio(props.collector);
    checkRatio(path, this.samplerRatio);
    const propagators = propagatorList(path, props.extraPropagators);
    const grpcEnv = [{ name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: OtlpProtocol.GRPC }];
    const httpEnv = [
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: props.collector.agentOtlpHttpUrl },
      { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: OtlpProtocol.HTTP_PROTOBUF },
    ];
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'opentelemetry.io/v1alpha1',
      kind: 'Instrumentation',
      metadata: { name: this.name },
      spec: {
        exporter: { endpoint: props.collector.agentOtlpGrpcUrl },
        propagators,
        sampler: { type: 'parentbased_traceidratio', argument: ratioArgument(this.samplerRatio) },
        resource: {
          addK8sUIDAttributes: true,
          ...(props.resourceAttributes && Object.keys(props.resourceAttributes).length > 0 ? { resourceAttributes: { ...props.resourceAttributes } } : {}),
        },
        java: { env: grpcEnv },
        nodejs: { env: grpcEnv },
        python: { env: httpEnv },
        dotnet: { env: httpEnv },
        go: { env: httpEnv },
      },
    });
  }

  /** Pod annotation value selecting this Instrumentation from any namespace (`<namespace>/<name>`). */
  public get annotationValue(): string {
    return `${Chart.of(this).namespace}/${this.name}`;
  }
}

/** Options of {@link instrumentWorkload}. */
export interface WorkloadInstrumentationOptions {
  /** The collector whose node-local agent receives the spans. */
  readonly collector: TracingCollector;
  /** `service.name` of the workload. */
  readonly serviceName: string;
  /**
   * OTLP transport of the workload's SDK.
   * @default OtlpProtocol.HTTP_PROTOBUF
   */
  readonly protocol?: OtlpProtocol;
  /**
   * Ratio of `parentbased_traceidratio`. Ignored when `remoteSampling` is on.
   * @default - 1 when the collector samples, the sampling baseline when it does not
   */
  readonly samplerRatio?: number;
  /**
   * Use `parentbased_jaeger_remote`, polling the collector's strategies (needs `remoteSampling` on the
   * collector and `language`, since each SDK expects a different endpoint).
   * @default false
   */
  readonly remoteSampling?: boolean;
  /**
   * The workload's OpenTelemetry SDK. Required with `remoteSampling`: Java polls the agents over gRPC
   * (`http://<agent>:5779`), Go over HTTP at `http://<agent>:5778/sampling`, Node.js over HTTP at the
   * base URL `http://<agent>:5778`. Python and .NET are refused with `remoteSampling`.
   * @default - none (only needed with remoteSampling)
   */
  readonly language?: SdkLanguage;
  /**
   * Propagators besides `tracecontext` and `baggage`.
   * @default - none
   */
  readonly extraPropagators?: ExtraPropagator[];
  /**
   * Extra resource attributes (keys and values must not contain `,` or `=`).
   * @default - none
   */
  readonly resourceAttributes?: Record<string, string>;
  /**
   * Names of the containers to instrument.
   * @default - every container of the workload
   */
  readonly containerNames?: string[];
}

/** The environment {@link instrumentWorkload} sets, in order (later values refer to earlier ones with `$(VAR)`). */
export function workloadTelemetryEnv(path: string, options: WorkloadInstrumentationOptions): Array<{ name: string; value?: string; fieldPath?: string }> {
  const { collector } = options;
  if (!(collector instanceof TracingCollector)) {
    throw configError(path, 'collector is missing, so there is no endpoint to export to', collector, 'pass the TracingCollector construct');
  }
  if (typeof options.serviceName !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/.test(options.serviceName)) {
    throw configError(path, 'serviceName must be a non-empty service.name of letters, digits and ._-/', options.serviceName, 'use e.g. "payment-service"');
  }
  const protocol = options.protocol ?? OtlpProtocol.HTTP_PROTOBUF;
  const endpoint = protocol === OtlpProtocol.GRPC ? collector.agentOtlpGrpcUrl : collector.agentOtlpHttpUrl;
  const attrs = Object.entries(options.resourceAttributes ?? {});
  for (const [k, v] of attrs) {
    if (/[,=]/.test(k) || /[,=]/.test(v) || k === '') {
      throw configError(path, 'resourceAttributes keys and values must not contain "," or "=" (OTEL_RESOURCE_ATTRIBUTES syntax)', { [k]: v }, 'remove the separator characters');
    }
  }
  let sampler: { type: string; arg: string };
  if (options.remoteSampling) {
    if (options.samplerRatio !== undefined) {
      throw configError(path, 'samplerRatio is set with remoteSampling; the remote strategies decide the ratio', options.samplerRatio,
        'drop samplerRatio, or turn remoteSampling off');
    }
    sampler = { type: 'parentbased_jaeger_remote', arg: jaegerRemoteSamplerArgument(path, collector, options.language) };
  } else {
    const ratio = options.samplerRatio ?? sdkSamplerRatio(collector);
    checkRatio(path, ratio);
    sampler = { type: 'parentbased_traceidratio', arg: ratioArgument(ratio) };
  }
  const resource = [
    'k8s.pod.name=$(OTEL_K8S_POD_NAME)',
    'k8s.namespace.name=$(OTEL_K8S_NAMESPACE_NAME)',
    'k8s.node.name=$(OTEL_K8S_NODE_NAME)',
    ...attrs.map(([k, v]) => `${k}=${v}`),
  ].join(',');
  return [
    { name: 'OTEL_K8S_POD_NAME', fieldPath: 'metadata.name' },
    { name: 'OTEL_K8S_NAMESPACE_NAME', fieldPath: 'metadata.namespace' },
    { name: 'OTEL_K8S_NODE_NAME', fieldPath: 'spec.nodeName' },
    { name: 'OTEL_SERVICE_NAME', value: options.serviceName },
    { name: 'OTEL_RESOURCE_ATTRIBUTES', value: resource },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: endpoint },
    { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: protocol },
    { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
    { name: 'OTEL_TRACES_SAMPLER', value: sampler.type },
    { name: 'OTEL_TRACES_SAMPLER_ARG', value: sampler.arg },
    { name: 'OTEL_PROPAGATORS', value: propagatorList(path, options.extraPropagators).join(',') },
  ];
}

/**
 * Instruments a cdk8s-plus workload without the operator: sets the OTel SDK
 * environment (endpoint of the node-local agent, service name, resource
 * attributes from the downward API, sampler, propagators) on its containers.
 * Throws when a variable is already set to something else.
 */
export function instrumentWorkload(workload: kplus.AbstractPod, options: WorkloadInstrumentationOptions): void {
  const path = workload.node.path;
  const env = workloadTelemetryEnv(path, options);
  const containers = workload.containers;
  const wanted = options.containerNames;
  if (wanted) {
    for (const n of wanted) {
      if (!containers.some((c) => c.name === n)) {
        throw configError(path, `containerNames has "${n}", which is not a container of the workload`, n,
          `use some of ${containers.map((c) => c.name).join(', ') || '(no containers yet: add them before instrumenting)'}`);
      }
    }
  }
  const targets = wanted ? containers.filter((c) => wanted.includes(c.name)) : containers;
  if (targets.length === 0) {
    throw configError(path, 'the workload has no containers to instrument', containers.length, 'add containers before calling instrumentWorkload');
  }
  for (const c of targets) {
    const existing = c.env.variables;
    for (const v of env) {
      if (v.name in existing && existing[v.name].value !== v.value) {
        throw configError(path, `container "${c.name}" already sets ${v.name}`, existing[v.name].value ?? '(from a reference)',
          `remove it from the container, instrumentWorkload sets it from the collector`);
      }
      c.env.addVariable(v.name, v.fieldPath
        ? EnvValue.fromFieldRef(v.fieldPath as kplus.EnvFieldPaths)
        : EnvValue.fromValue(v.value!));
    }
  }
}
