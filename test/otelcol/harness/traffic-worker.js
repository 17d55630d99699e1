#!/usr/bin/env node
// Sends the e2e suite's traffic with the OpenTelemetry JS SDK's own exporters. A separate Node process
// (not jest's module sandbox): the OTLP exporters load their transports with dynamic import().
// Input: one JSON object on stdin ({ ports, plan, concurrency }); output: one JSON result on stdout.
'use strict';

const { context, SpanKind, SpanStatusCode, trace } = require('@opentelemetry/api');
const { ExportResultCode } = require('@opentelemetry/core');
const { JaegerExporter } = require('@opentelemetry/exporter-jaeger');
const { OTLPTraceExporter: OtlpGrpcExporter } = require('@opentelemetry/exporter-trace-otlp-grpc');
const { OTLPTraceExporter: OtlpHttpExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { ZipkinExporter } = require('@opentelemetry/exporter-zipkin');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { TracerProvider } = require('@opentelemetry/sdk-trace');

const SENDERS = ['otlp-grpc', 'otlp-http', 'zipkin', 'jaeger'];

function exporterFor(sender, ports) {
  switch (sender) {
    case 'otlp-grpc': return new OtlpGrpcExporter({ url: `http://127.0.0.1:${ports.otlpGrpc}`, timeoutMillis: 30000 });
    case 'otlp-http': return new OtlpHttpExporter({ url: `http://127.0.0.1:${ports.otlpHttp}/v1/traces`, timeoutMillis: 30000 });
    case 'zipkin': return new ZipkinExporter({ url: `http://127.0.0.1:${ports.zipkin}/api/v2/spans` });
    case 'jaeger': return new JaegerExporter({ endpoint: `http://127.0.0.1:${ports.jaegerThriftHttp}/api/traces` });
    default: throw new Error(`unknown sender ${sender}`);
  }
}

/** One batch of traces of one service, made by the SDK: a server root span and three children. */
function makeTraces(service, kinds, plan) {
  const spans = [];
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [{ onStart() {}, onEnd(s) { spans.push(s); }, forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const tracer = provider.getTracer('cdk-tracing-e2e', '1.0.0');
  const pad = plan.padBytes ? 'x'.repeat(plan.padBytes) : undefined;
  const traces = [];
  for (const kind of kinds) {
    const end = Date.now();
    const durationMs = kind === 'slow' ? plan.slowMs : 40 + Math.floor(Math.random() * 200);
    const start = end - durationMs;
    const attributes = pad ? { 'e2e.kind': kind, 'e2e.pad': pad } : { 'e2e.kind': kind };
    const root = tracer.startSpan(`GET /${kind}`, { kind: SpanKind.SERVER, startTime: start, root: true, attributes });
    const parent = trace.setSpan(context.active(), root);
    const children = 3;
    const step = Math.floor(durationMs / (children + 1));
    for (let i = 0; i < children; i++) {
      const childStart = start + step * i;
      const child = tracer.startSpan(`step-${i}`, { kind: SpanKind.INTERNAL, startTime: childStart, attributes: pad ? { 'e2e.pad': pad } : {} }, parent);
      if (kind === 'error' && i === children - 1) child.setStatus({ code: SpanStatusCode.ERROR, message: 'e2e failure' });
      child.end(childStart + step);
    }
    root.end(end);
    traces.push({ traceId: root.spanContext().traceId, kind, spans: children + 1 });
  }
  return { spans, traces };
}

/** Error and slow traces spread evenly through the run. */
function kindAt(i, plan) {
  const errorEvery = plan.errorShare > 0 ? Math.round(1 / plan.errorShare) : 0;
  const slowEvery = plan.slowShare > 0 ? Math.round(1 / plan.slowShare) : 0;
  if (errorEvery && i % errorEvery === 0) return 'error';
  if (slowEvery && i % slowEvery === 1) return 'slow';
  return 'normal';
}

async function main({ ports, plan, concurrency }) {
  const senders = plan.senders || SENDERS;
  const batch = plan.batch || 50;
  const exporters = new Map();
  const exporter = (sender, service) => {
    const key = `${sender}/${service}`;
    if (!exporters.has(key)) exporters.set(key, exporterFor(sender, ports));
    return exporters.get(key);
  };
  const jobs = [];
  const sent = [];
  const failedBatches = [];
  let spans = 0;
  let n = 0;
  const started = Date.now();
  const timing = {};
  for (let b = 0; n < plan.traces; b++) {
    const sender = senders[b % senders.length];
    const service = plan.services[Math.floor(b / senders.length) % plan.services.length];
    const kinds = [];
    for (let i = 0; i < batch && n < plan.traces; i++, n++) kinds.push(kindAt(n, plan));
    jobs.push({ sender, service, kinds, at: plan.durationMs ? (plan.durationMs * jobs.length) / Math.ceil(plan.traces / batch) : 0 });
  }
  let next = 0;
  await Promise.all(Array.from({ length: concurrency || 4 }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const wait = started + job.at - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const made = makeTraces(job.service, job.kinds, plan);
      const t0 = Date.now();
      const result = await new Promise((resolve) => exporter(job.sender, job.service).export(made.spans, resolve));
      timing[job.sender] = (timing[job.sender] || 0) + (Date.now() - t0);
      if (result.code === ExportResultCode.SUCCESS) {
        spans += made.spans.length;
        for (const t of made.traces) sent.push({ ...t, service: job.service, sender: job.sender });
      } else {
        failedBatches.push({ sender: job.sender, error: String((result.error && result.error.message) || result.error), traces: made.traces.length });
      }
    }
  }));
  await Promise.all([...exporters.values()].map((e) => e.shutdown().catch(() => undefined)));
  return { sent, failedBatches, spans, seconds: (Date.now() - started) / 1000, exportMs: timing };
}

let input = '';
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  main(JSON.parse(input)).then((result) => {
    // Exit only once the pipe has taken all of it.
    process.stdout.write(JSON.stringify(result), () => process.exit(0));
  }, (error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
  });
});
