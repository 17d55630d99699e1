import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';

/**
 * The smallest Kubernetes API our agent's `k8s_attributes` processor and `k8s_api`/`eks` resource
 * detectors can start against, on 127.0.0.1 over TLS: every list is empty, every watch stays open
 * (after the bookmark that ends a watch-list's initial events), the node and the kube-system namespace
 * exist. It stands in for the cluster, not for anything we render: the agent's config is unchanged.
 *
 * `serviceAccountDir` holds what client-go's in-cluster config reads (token, ca.crt, namespace);
 * the collector process sees it at /var/run/secrets/kubernetes.io/serviceaccount through its own
 * mount namespace (see collector-process.ts).
 */
export interface FakeKubeApi {
  readonly host: string;
  readonly port: number;
  readonly serviceAccountDir: string;
  /** Request lines seen, for a test to print when a client misbehaves. */
  readonly requests: string[];
  close(): Promise<void>;
}

export const FAKE_NODE_NAME = 'node-e2e';
const TOKEN = 'e2e-throwaway-token';

function makeCertificate(dir: string): { key: string; cert: string } {
  const key = path.join(dir, 'server.key');
  const cert = path.join(dir, 'ca.crt');
  const result = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-addext', 'basicConstraints=critical,CA:TRUE'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`fake kube API: openssl could not make a throwaway certificate: ${result.stderr || result.error}`);
  return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
}

const LIST_KINDS: Record<string, string> = {
  pods: 'Pod', namespaces: 'Namespace', nodes: 'Node', replicasets: 'ReplicaSet', deployments: 'Deployment',
  statefulsets: 'StatefulSet', daemonsets: 'DaemonSet', jobs: 'Job', cronjobs: 'CronJob',
};

function object(kind: string, apiVersion: string, name: string, uid: string): Record<string, unknown> {
  return { kind, apiVersion, metadata: { name, uid, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' } };
}

/** Starts the fake API in `dir` (which it fills with the service-account files). */
export async function startFakeKubeApi(dir: string): Promise<FakeKubeApi> {
  const serviceAccountDir = path.join(dir, 'serviceaccount');
  fs.mkdirSync(serviceAccountDir, { recursive: true });
  const { key, cert } = makeCertificate(dir);
  fs.copyFileSync(path.join(dir, 'ca.crt'), path.join(serviceAccountDir, 'ca.crt'));
  fs.writeFileSync(path.join(serviceAccountDir, 'token'), TOKEN);
  fs.writeFileSync(path.join(serviceAccountDir, 'namespace'), 'observability');
  const requests: string[] = [];
  const watches = new Set<import('node:http').ServerResponse>();

  const server = https.createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 401 });
    const metadataOnly = String(req.headers.accept ?? '').includes('as=PartialObjectMetadata');
    const segments = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/version') return json(200, { major: '1', minor: '35', gitVersion: 'v1.35.0' });
    // /api/v1/<resource>[/<name>], /api/v1/namespaces/<ns>/<resource>, /apis/<group>/<version>/...
    const apiVersion = segments[0] === 'api' ? segments[1] : `${segments[1]}/${segments[2]}`;
    let rest = segments.slice(segments[0] === 'api' ? 2 : 3);
    if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
    const [resource, name] = rest;
    const kind = LIST_KINDS[resource ?? ''];
    if (!kind) return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' });
    if (name) {
      if (resource === 'nodes' && name === FAKE_NODE_NAME) return json(200, object('Node', 'v1', name, '00000000-0000-0000-0000-00000000e2e1'));
      if (resource === 'namespaces') return json(200, object('Namespace', 'v1', name, '00000000-0000-0000-0000-00000000e2e2'));
      return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' });
    }
    const itemKind = metadataOnly ? 'PartialObjectMetadata' : kind;
    const itemVersion = metadataOnly ? 'meta.k8s.io/v1' : apiVersion;
    if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      if (url.searchParams.get('sendInitialEvents') === 'true') {
        // A watch-list: no initial objects, then the bookmark that says so.
        res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: itemKind, apiVersion: itemVersion,
          metadata: { resourceVersion: '1', annotations: { 'k8s.io/initial-events-end': 'true' } } } })}\n`);
      }
      watches.add(res);
      res.on('close', () => watches.delete(res));
      return undefined;
    }
    return json(200, { kind: `${itemKind}List`, apiVersion: itemVersion, metadata: { resourceVersion: '1' }, items: [] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    serviceAccountDir,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const w of watches) w.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
