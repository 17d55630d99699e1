import { spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * Spans made by the OpenTelemetry JS SDK and sent with its exporters (OTLP gRPC, OTLP HTTP, Zipkin
 * v2 JSON, Jaeger Thrift over HTTP) to the agent's receivers, from a separate Node process
 * (traffic-worker.js). Every trace is one service's: a root server span and three children; an error
 * trace has one child with status ERROR; a slow trace lasts `slowMs`. Timestamps are set explicitly,
 * so a slow trace costs no waiting.
 */
export type TraceKind = 'normal' | 'error' | 'slow';
export type SenderName = 'otlp-grpc' | 'otlp-http' | 'zipkin' | 'jaeger';

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
  /** Traces per export call (default 50). */
  readonly batch?: number;
  /** Extra bytes of attribute per span (the memory burst). */
  readonly padBytes?: number;
  /** Which senders carry traffic, in turn (default all four). */
  readonly senders?: readonly SenderName[];
  /** Spread the export calls evenly over this long (default: as fast as they go). */
  readonly durationMs?: number;
}

export interface TrafficResult {
  readonly sent: SentTrace[];
  /** Export calls whose final result (after the exporters' own retries) was a failure. */
  readonly failedBatches: Array<{ sender: SenderName; error: string; traces: number }>;
  readonly spans: number;
  readonly seconds: number;
}

const WORKER = path.join(__dirname, 'traffic-worker.js');

/** Sends `plan.traces` traces, round-robin over senders and services, `concurrency` exports in flight. */
export function sendTraffic(ports: AgentPorts, plan: TrafficPlan, concurrency = 4): Promise<TrafficResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER], { stdio: ['pipe', 'pipe', 'pipe'], cwd: path.resolve(__dirname, '..', '..', '..') });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`traffic worker exited ${code}: ${err.slice(-4000)}`));
      else resolve(JSON.parse(out) as TrafficResult);
    });
    child.stdin.end(JSON.stringify({ ports, plan, concurrency }));
  });
}
