import * as path from 'node:path';

/**
 * The one place the end-to-end suite changes a configuration we ship, and only in the ways the issue
 * allows: listen addresses and ports (everything binds 127.0.0.1, on ports free on this machine),
 * destination addresses (the next tier's local ports), file paths (a scratch directory), and the
 * load_balancing exporter's Kubernetes resolver (a static list of the local sampler replicas).
 * Every change is returned, and {@link differences} lets a test prove nothing else moved.
 */
export type RewriteKind = 'address' | 'port' | 'file path' | 'resolver';

export interface Rewrite {
  /** Dotted path of the changed value (`receivers.otlp.protocols.grpc.endpoint`). */
  readonly path: string;
  readonly kind: RewriteKind;
  readonly from: unknown;
  readonly to: unknown;
}

export interface LocalPlan {
  /** The local port standing in for a port the config names (4317 -> 40123). */
  readonly port: (shipped: number) => number;
  /** Destination of each exporter (`otlp_grpc/backend` -> `127.0.0.1:40200`). */
  readonly exporterTargets?: Readonly<Record<string, string>>;
  /** The sampler replicas the gateway's load_balancing exporter sends to (`127.0.0.1:port`). */
  readonly samplerEndpoints?: readonly string[];
  /** Scratch directory standing in for the pod's volumes. */
  readonly dir: string;
}

const LISTEN_ANY = /^0\.0\.0\.0:(\d+)$/;
const LISTEN_POD_IP = /^(\$\{env:MY_POD_IP\}):(\d+)$/;
const PATH_KEYS = new Set(['directory', 'file', 'path']);

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Applies the allowed rewrites; throws if the result would still listen beyond loopback. */
export function localize(shipped: Record<string, unknown>, plan: LocalPlan): { config: Record<string, any>; rewrites: Rewrite[] } {
  const config = clone(shipped) as Record<string, any>;
  const rewrites: Rewrite[] = [];
  const record = (p: string, kind: RewriteKind, from: unknown, to: unknown) => rewrites.push({ path: p, kind, from, to });

  // Exporter destinations and the resolver first: they are replaced as a whole.
  for (const [id, exporter] of Object.entries<any>(config.exporters ?? {})) {
    if (exporter?.resolver?.k8s) {
      if (!plan.samplerEndpoints?.length) throw new Error(`localize: ${id} uses the k8s resolver but the plan names no sampler endpoints`);
      const to = { static: { hostnames: [...plan.samplerEndpoints] } };
      record(`exporters.${id}.resolver`, 'resolver', exporter.resolver, to);
      exporter.resolver = to;
    }
    if (typeof exporter?.endpoint === 'string') {
      const target = plan.exporterTargets?.[id];
      if (!target) throw new Error(`localize: no local target for exporter ${id} (${exporter.endpoint})`);
      const scheme = /^[a-z]+:\/\/\//.exec(exporter.endpoint)?.[0] ?? '';
      const to = `${scheme}${target}`;
      record(`exporters.${id}.endpoint`, 'address', exporter.endpoint, to);
      exporter.endpoint = to;
    }
  }

  const walk = (node: any, trail: string[]) => {
    if (Array.isArray(node)) { node.forEach((v, i) => visit(node, i, v, [...trail, String(i)])); return; }
    if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(node, k, v, [...trail, k]);
  };
  const visit = (parent: any, key: string | number, value: any, trail: string[]) => {
    const p = trail.join('.');
    if (trail[0] === 'exporters' && (trail[2] === 'endpoint' || trail[2] === 'resolver') && trail.length <= 3) return;
    if (trail[0] === 'exporters' && trail[2] === 'resolver') return;
    if (typeof value === 'string') {
      const any = LISTEN_ANY.exec(value);
      if (any) {
        const to = `127.0.0.1:${plan.port(Number(any[1]))}`;
        record(p, 'address', value, to);
        parent[key] = to;
        return;
      }
      const podIp = LISTEN_POD_IP.exec(value);
      if (podIp) {
        const to = `${podIp[1]}:${plan.port(Number(podIp[2]))}`;
        record(p, 'port', value, to);
        parent[key] = to;
        return;
      }
      if (PATH_KEYS.has(String(key)) && value.startsWith('/')) {
        const to = path.join(plan.dir, value);
        record(p, 'file path', value, to);
        parent[key] = to;
      }
      return;
    }
    if (typeof value === 'number' && key === 'port' && trail.includes('telemetry')) {
      const to = plan.port(value);
      record(p, 'port', value, to);
      parent[key] = to;
      return;
    }
    walk(value, trail);
  };
  walk(config, []);

  const stillOpen = JSON.stringify(config).match(/0\.0\.0\.0[^"]*/g);
  if (stillOpen) throw new Error(`localize: the config would still listen on ${stillOpen.join(', ')}`);
  return { config, rewrites };
}

/**
 * Dotted paths of every value that differs between two configs: leaves that changed, keys that
 * appeared or vanished. `atomic` paths are compared as a whole.
 */
export function differences(a: unknown, b: unknown, atomic: readonly string[] = [], trail: string[] = []): string[] {
  const p = trail.join('.');
  if (atomic.includes(p)) return JSON.stringify(a) === JSON.stringify(b) ? [] : [p];
  const isObj = (v: unknown) => v !== null && typeof v === 'object';
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return a === b ? [] : [p];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].flatMap((k) => differences((a as any)[k], (b as any)[k], atomic, [...trail, k]));
}
