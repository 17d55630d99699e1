import * as https from 'https';

/** A Kubernetes object as the API server takes it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** What the server said about one request: its status, body and every `Warning` header. */
export interface KubeResponse {
  readonly status: number;
  readonly body: any;
  readonly warnings: string[];
}

/** Where a kind is served: its resource name and whether it lives in a namespace. */
export interface ResourceInfo {
  readonly resource: string;
  readonly namespaced: boolean;
}

/** The field manager our applies use (server-side apply records it in managedFields). */
export const FIELD_MANAGER = 'cdk-tracing-conformance';

/**
 * A small REST client for one API server: enough for discovery, server-side apply and dry-run
 * creates. Written here rather than taken from a client library so the tests depend on nothing but
 * Node and so every `Warning` header the server returns reaches us unchanged.
 */
export class KubeClient {
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(private readonly endpoint: { host: string; port: number; token: string; ca: string }) {}

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: this.endpoint.host,
        port: this.endpoint.port,
        method,
        path,
        ca: this.endpoint.ca,
        // The serving certificate is the server's own throwaway self-signed one, pinned through `ca`;
        // it names the server's cluster DNS names rather than 127.0.0.1.
        checkServerIdentity: () => undefined,
        headers: {
          authorization: `Bearer ${this.endpoint.token}`,
          accept: 'application/json',
          ...(payload ? { 'content-type': contentType, 'content-length': payload.length } : {}),
        },
        timeout: 120_000,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { /* keep the text */ }
          resolve({ status: res.statusCode ?? 0, body: parsed, warnings: warningsOf(res.rawHeaders) });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 120 s`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Resource name and scope of a kind, or undefined when the server does not serve it. */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let resources = this.discovery.get(apiVersion);
    if (!resources) {
      resources = this.request('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`).then((res) => {
        const map = new Map<string, ResourceInfo>();
        if (res.status !== 200) return map;
        for (const r of res.body.resources ?? []) {
          if (!String(r.name).includes('/')) map.set(r.kind, { resource: r.name, namespaced: r.namespaced });
        }
        return map;
      });
      this.discovery.set(apiVersion, resources);
    }
    const found = (await resources).get(kind);
    // A group that was not served yet (a CRD still being established) is asked again next time.
    if (!found) this.discovery.delete(apiVersion);
    return found;
  }

  /** URL path of one object (or of its collection, without a name). */
  async pathOf(obj: KubeObject, withName = true): Promise<string | undefined> {
    const info = await this.resourceFor(obj.apiVersion, obj.kind);
    if (!info) return undefined;
    const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
    const ns = info.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata?.namespace ?? 'default')}` : '';
    const name = withName ? `/${encodeURIComponent(obj.metadata?.name ?? '')}` : '';
    return `${base}${ns}/${info.resource}${name}`;
  }

  /**
   * Server-side apply (what `kubectl apply --server-side --force-conflicts` sends). Unknown and
   * duplicate fields come back as warnings (the server's default field validation), which the
   * conformance run counts as failures.
   */
  async apply(obj: KubeObject, options: { dryRun?: boolean } = {}): Promise<KubeResponse | undefined> {
    const path = await this.pathOf(obj);
    if (!path) return undefined;
    const query = `?fieldManager=${FIELD_MANAGER}&force=true${options.dryRun ? '&dryRun=All' : ''}`;
    return this.request('PATCH', path + query, obj, 'application/apply-patch+yaml');
  }

  /** POST with dryRun=All: the full admission chain runs, nothing is stored. */
  async createDryRun(obj: KubeObject): Promise<KubeResponse | undefined> {
    const path = await this.pathOf(obj, false);
    if (!path) return undefined;
    return this.request('POST', `${path}?dryRun=All&fieldManager=${FIELD_MANAGER}`, obj);
  }

  /** Deletes the object now (no garbage collector runs here: dependents are not looked for). */
  async delete(obj: KubeObject): Promise<KubeResponse | undefined> {
    const path = await this.pathOf(obj);
    return path ? this.request('DELETE', `${path}?propagationPolicy=Background`) : undefined;
  }

  async get(obj: KubeObject): Promise<KubeResponse | undefined> {
    const path = await this.pathOf(obj);
    return path ? this.request('GET', path) : undefined;
  }
}

/** The text of each `Warning: 299 - "text"` header (RFC 7234 form, as the API server sends it). */
export function warningsOf(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() !== 'warning') continue;
    const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(rawHeaders[i + 1]);
    out.push(m ? m[1].replace(/\\(.)/g, '$1') : rawHeaders[i + 1]);
  }
  return out;
}

/** The server's own message from a failed response (a metav1.Status), on one line. */
export function messageOf(res: KubeResponse): string {
  const text = typeof res.body === 'object' && res.body?.message ? String(res.body.message) : String(res.body ?? '');
  return `${res.status}: ${text.replace(/\s+/g, ' ').trim()}`;
}
