// A real OpenSearch 2.19 node on 127.0.0.1 for the Jaeger tests (test/upstream/opensearch/):
// throwaway data directory, small heap, bounded start, stopped by the test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePorts, RunningProcess, startProcess, waitFor } from './processes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { upstreamProgram } = require('../upstream/build');

/** Heap of the test node. 256 MiB holds the suite's few thousand spans; the process stays near 350 MB resident. */
export const OPENSEARCH_HEAP = '256m';
/** Start deadline: a few seconds on an idle machine, over a minute on a loaded 2-core one. */
export const OPENSEARCH_START_TIMEOUT_MS = 240_000;

export interface OpenSearchNode {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly process: RunningProcess;
  /** Milliseconds from spawn to a yellow cluster. */
  readonly startMs: number;
  /** Sets an index's creation date (what es-index-cleaner judges age by). */
  age(index: string, creationMillis: number): Promise<void>;
  /** JSON request to the node; throws on a non-2xx answer unless `allow` lists the status. */
  request(method: string, urlPath: string, body?: unknown, allow?: number[]): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startOpenSearch(): Promise<OpenSearchNode> {
  const jar: string = upstreamProgram('opensearch');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-tracing-opensearch-'));
  const [httpPort, transportPort] = await freePorts(2);
  const proc = startProcess('opensearch', 'java', [
    `-Xms${OPENSEARCH_HEAP}`, `-Xmx${OPENSEARCH_HEAP}`, '-XX:+UseSerialGC', '-Xss1m',
    '-Djava.awt.headless=true', '-Dlog4j2.formatMsgNoLookups=true',
    '-jar', jar, dataDir, String(httpPort), String(transportPort),
  ], { cwd: dataDir });
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    proc.child.stdin?.end(); // NodeMain closes the node on EOF
    await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 15_000))]);
    await proc.stop(5_000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  let startMs: number;
  try {
    startMs = await waitFor(proc, 'a yellow cluster', async () => proc.output().includes(`OPENSEARCH_READY ${url}`), OPENSEARCH_START_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  const request = async (method: string, urlPath: string, body?: unknown, allow: number[] = []) => {
    const response = await fetch(`${url}${urlPath}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: any = text;
    try { parsed = JSON.parse(text); } catch { /* plain text (_cat) */ }
    if (!response.ok && !allow.includes(response.status)) {
      throw new Error(`opensearch ${method} ${urlPath}: ${response.status} ${text.slice(0, 2000)}`);
    }
    return { status: response.status, body: parsed };
  };
  const age = async (index: string, creationMillis: number) => {
    const before = proc.output().length;
    proc.child.stdin!.write(`age ${index} ${creationMillis}\n`);
    const answered = () => proc.output().slice(before);
    await waitFor(proc, `the answer to "age ${index}"`, async () => /(aged|error) /.test(answered()), 30_000);
    if (!answered().includes(`aged ${index}`)) throw new Error(`opensearch: age ${index}: ${answered()}`);
  };
  return { url, process: proc, startMs, age, request, stop };
}
