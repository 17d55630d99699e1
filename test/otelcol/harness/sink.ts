import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

/**
 * The capture sink standing in for Tempo: the same collector binary, one OTLP/gRPC receiver per
 * sampler replica (so the file a span lands in names the replica that decided it), the request's
 * `X-Scope-OrgID` header copied onto each resource, and a file exporter per receiver. Test-only: it is
 * not something we ship.
 */
export const TENANT_ATTRIBUTE = 'e2e.tenant';

export interface SinkLayout {
  /**
   * One entry per sampler replica: receiver port and output file prefix. The file exporter starts a
   * new file when the sink starts, so each start writes `<prefix>.<start>.jsonl` and readers read all.
   */
  readonly inputs: ReadonlyArray<{ readonly port: number; readonly file: string }>;
  readonly healthPort: number;
  readonly metricsPort: number;
}

export function sinkConfig(layout: SinkLayout, start: number): Record<string, unknown> {
  const receivers: Record<string, unknown> = {};
  const exporters: Record<string, unknown> = {};
  const pipelines: Record<string, unknown> = {};
  layout.inputs.forEach((input, i) => {
    receivers[`otlp/s${i}`] = { protocols: { grpc: { endpoint: `127.0.0.1:${input.port}`, include_metadata: true } } };
    // flush_interval 100ms: a test reading the file sees what was received a moment ago.
    exporters[`file/s${i}`] = { path: `${input.file}.${start}.jsonl`, format: 'json', flush_interval: '100ms' };
    pipelines[`traces/s${i}`] = { receivers: [`otlp/s${i}`], processors: ['resource/tenant'], exporters: [`file/s${i}`] };
  });
  return {
    extensions: { health_check: { endpoint: `127.0.0.1:${layout.healthPort}` } },
    receivers,
    processors: {
      'resource/tenant': { attributes: [{ key: TENANT_ATTRIBUTE, from_context: 'metadata.x-scope-orgid', action: 'insert' }] },
    },
    exporters,
    service: {
      extensions: ['health_check'],
      telemetry: { logs: { level: 'warn' }, metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '127.0.0.1', port: layout.metricsPort } } } }] } },
      pipelines,
    },
  };
}

export interface SinkSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly service: string;
  readonly tenant?: string;
  /** Index of the sink input (the sampler replica) it arrived on. */
  readonly replica: number;
}

function stringAttr(attributes: any[] | undefined, key: string): string | undefined {
  return attributes?.find((a) => a.key === key)?.value?.stringValue;
}

/** Every span in the sink's files so far (duplicates kept: a test counts them). */
export function readSink(layout: SinkLayout): SinkSpan[] {
  const out: SinkSpan[] = [];
  layout.inputs.forEach((input, replica) => {
    const prefix = path.basename(input.file);
    const files = fs.readdirSync(path.dirname(input.file)).filter((f) => f.startsWith(`${prefix}.`) && f.endsWith('.jsonl'));
    for (const line of files.flatMap((f) => fs.readFileSync(path.join(path.dirname(input.file), f), 'utf8').split('\n'))) {
      if (!line.trim()) continue;
      let request: any;
      try { request = JSON.parse(line); } catch { continue; } // a line being written
      for (const rs of request.resourceSpans ?? []) {
        const service = stringAttr(rs.resource?.attributes, 'service.name') ?? '';
        const tenant = stringAttr(rs.resource?.attributes, TENANT_ATTRIBUTE);
        for (const ss of rs.scopeSpans ?? []) {
          for (const span of ss.spans ?? []) {
            out.push({ traceId: span.traceId, spanId: span.spanId, service, tenant, replica });
          }
        }
      }
    }
  });
  return out;
}

export function sinkFiles(dir: string, replicas: number): string[] {
  return Array.from({ length: replicas }, (_, i) => path.join(dir, `sink-${i}`));
}

/** A collector's own metrics (Prometheus text), summed by metric name and an optional label match. */
export async function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(`http://127.0.0.1:${port}/metrics`, { timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => { req.destroy(); reject(new Error(`metrics on ${port}: timeout`)); });
  });
}

export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const pair of (m[3] ?? '').match(/[\w.]+="[^"]*"/g) ?? []) {
      const eq = pair.indexOf('=');
      have[pair.slice(0, eq)] = pair.slice(eq + 2, -1);
    }
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[4]);
  }
  return sum;
}
