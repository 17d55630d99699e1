import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { JaegerExporter } from '@opentelemetry/exporter-jaeger';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpHttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ReadableSpan, SpanExporter, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * Spans made by the OpenTelemetry JS SDK and sent with its exporters (OTLP gRPC, OTLP HTTP, Zipkin
 * v2 JSON, Jaeger Thrift over HTTP) to the agent's receivers. Every trace is one service's: a root
 * server span and a few children; an error trace has one child with status ERROR, a slow trace lasts
 * `slowMs`. Timestamps are set explicitly, so a slow trace costs no waiting.
 */
export type TraceKind = 'normal' | 'error' | 'slow';
export type SenderName = 'otlp-grpc' | 'otlp-http' | 'zipkin' | 'jaeger';
export const SENDERS: readonly SenderName[] = ['otlp-grpc', 'otlp-http', 'zipkin', 'jaeger'];

export interface SentTrace {
  readonly traceId: string;
  readonly kind: TraceKind;
  readonly service: string;
  readonly sender: SenderName;
  readonly spans: number;
}

export interface AgentPorts {
  readonly otlpGrpc: number;
  readonly otlpHttp: number;
  readonly zipkin: number;
  readonly jaegerThriftHttp: number;
}

export interface TrafficPlan {
  readonly traces: number;
  /** Share of error traces and of slow traces (the rest are normal). */
  readonly errorShare: number;
  readonly slowShare: number;
  /** Duration of a slow trace, above the sampler's latency threshold. */
  readonly slowMs: number;
  readonly services: readonly string[];
  /** Traces per export call. */
  readonly batch?: number;
  /** Extra bytes of attribute per span (the memory burst). */
  readonly padBytes?: number;
  /** Which senders carry traffic, in turn. */
  readonly senders?: readonly SenderName[];
}

class Collect implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void { /* nothing */ }
  onEnd(span: ReadableSpan): void { this.spans.push(span); }
  forceFlush(): Promise<void> { return Promise.resolve(); }
  shutdown(): Promise<void> { return Promise.resolve(); }
}

function exporterFor(sender: SenderName, ports: AgentPorts): SpanExporter {
  switch (sender) {
    case 'otlp-grpc': return new OtlpGrpcExporter({ url: `http://127.0.0.1:${ports.otlpGrpc}`, timeoutMillis: 30_000 });
    case 'otlp-http': return new OtlpHttpExporter({ url: `http://127.0.0.1:${ports.otlpHttp}/v1/traces`, timeoutMillis: 30_000 });
    case 'zipkin': return new ZipkinExporter({ url: `http://127.0.0.1:${ports.zipkin}/api/v2/spans` });
    case 'jaeger': return new JaegerExporter({ endpoint: `http://127.0.0.1:${ports.jaegerThriftHttp}/api/traces` });
  }
}

function exportOnce(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** One batch of traces, made by the SDK for one service. */
function makeTraces(service: string, kinds: TraceKind[], plan: TrafficPlan): { spans: ReadableSpan[]; traces: Array<{ traceId: string; kind: TraceKind; spans: number }> } {
  const collect = new Collect();
  const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [collect] });
  const tracer = provider.getTracer('cdk-tracing-e2e', '1.0.0');
  const traces: Array<{ traceId: string; kind: TraceKind; spans: number }> = [];
  const pad = plan.padBytes ? 'x'.repeat(plan.padBytes) : undefined;
  for (const kind of kinds) {
    const end = Date.now();
    const durationMs = kind === 'slow' ? plan.slowMs : 40 + Math.floor(Math.random() * 200);
    const start = end - durationMs;
    const root = tracer.startSpan(`GET /${kind}`, { kind: SpanKind.SERVER, startTime: start, root: true, attributes: { 'e2e.kind': kind, ...(pad ? { 'e2e.pad': pad } : {}) } });
    const parent = trace.setSpan(context.active(), root);
    const children = 3;
    for (let i = 0; i < children; i++) {
      const childStart = start + Math.floor((durationMs / (children + 1)) * i);
      const child = tracer.startSpan(`step-${i}`, { kind: SpanKind.INTERNAL, startTime: childStart, attributes: pad ? { 'e2e.pad': pad } : {} }, parent);
      if (kind === 'error' && i === children - 1) child.setStatus({ code: SpanStatusCode.ERROR, message: 'e2e failure' });
      child.end(childStart + Math.floor(durationMs / (children + 1)));
    }
    root.end(end);
    traces.push({ traceId: root.spanContext().traceId, kind, spans: children + 1 });
  }
  return { spans: collect.spans, traces };
}

export interface TrafficResult {
  readonly sent: SentTrace[];
  /** Export calls whose final result (after the exporters' own retries) was a failure. */
  readonly failedBatches: Array<{ sender: SenderName; error: string; traces: number }>;
  readonly spans: number;
}

/** The kind of the i-th trace: error and slow traces spread evenly through the run. */
function kindAt(i: number, plan: TrafficPlan): TraceKind {
  const errorEvery = plan.errorShare > 0 ? Math.round(1 / plan.errorShare) : 0;
  const slowEvery = plan.slowShare > 0 ? Math.round(1 / plan.slowShare) : 0;
  if (errorEvery && i % errorEvery === 0) return 'error';
  if (slowEvery && i % slowEvery === 1) return 'slow';
  return 'normal';
}

/** Sends `plan.traces` traces, round-robin over senders and services, `concurrency` exports in flight. */
export async function sendTraffic(ports: AgentPorts, plan: TrafficPlan, concurrency = 4): Promise<TrafficResult> {
  const senders = plan.senders ?? SENDERS;
  const batch = plan.batch ?? 50;
  // One exporter per (sender, service): the Jaeger and Zipkin exporters hold one process/service each.
  const exporters = new Map<string, SpanExporter>();
  const exporter = (sender: SenderName, service: string) => {
    const key = `${sender}/${service}`;
    if (!exporters.has(key)) exporters.set(key, exporterFor(sender, ports));
    return exporters.get(key)!;
  };
  const jobs: Array<() => Promise<void>> = [];
  const sent: SentTrace[] = [];
  const failedBatches: TrafficResult['failedBatches'] = [];
  let spans = 0;
  let n = 0;
  for (let b = 0; n < plan.traces; b++) {
    const sender = senders[b % senders.length];
    const service = plan.services[b % plan.services.length];
    const kinds: TraceKind[] = [];
    for (let i = 0; i < batch && n < plan.traces; i++, n++) kinds.push(kindAt(n, plan));
    jobs.push(async () => {
      const made = makeTraces(service, kinds, plan);
      const result = await exportOnce(exporter(sender, service), made.spans);
      if (result.code === ExportResultCode.SUCCESS) {
        spans += made.spans.length;
        for (const t of made.traces) sent.push({ ...t, service, sender });
      } else {
        failedBatches.push({ sender, error: String(result.error?.message ?? result.error), traces: made.traces.length });
      }
    });
  }
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) await jobs[next++]();
  }));
  await Promise.all([...exporters.values()].map((e) => e.shutdown().catch(() => undefined)));
  return { sent, failedBatches, spans };
}
