import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeClient, KubeObject, messageOf } from './kube-client';
import { upstreamArtifact } from './server';

/** The upstream CRDs (test/upstream/crds: gathered from the Go modules that ship them). */
export function upstreamCrds(): { dir: string; crds: KubeObject[] } {
  const dir = upstreamArtifact('crds');
  const crds = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().flatMap((f) =>
    parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject)
      .filter((o) => o?.kind === 'CustomResourceDefinition'));
  return { dir, crds };
}

/** One line per installed CRD group: `cert-manager.io (cert-manager v1.21.2)`. */
export function crdProvenance(dir: string): string[] {
  const sources = JSON.parse(readFileSync(path.join(dir, 'SOURCES.json'), 'utf8')) as { crds: Array<{ file: string; module: string; version: string }> };
  return [...new Set(sources.crds.map((c) => `${c.file.split('_')[0]} (${c.module}@${c.version})`))];
}

/**
 * Creates the CRDs and waits until each is Established and its kind is in discovery, so the
 * objects applied next meet a server that knows them.
 */
export async function installCrds(client: KubeClient, crds: readonly KubeObject[], timeoutMs = 120_000): Promise<void> {
  for (const crd of crds) {
    const res = await client.apply(crd);
    if (!res || res.status >= 300) throw new Error(`cannot install CRD ${crd.metadata?.name}: ${res ? messageOf(res) : 'apiextensions not served'}`);
  }
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const spec = crd.spec as any;
    const served = (spec.versions ?? []).filter((v: any) => v.served).map((v: any) => `${spec.group}/${v.name}`);
    for (;;) {
      const res = await client.get(crd);
      const established = res?.body?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True');
      const discovered = established && (await Promise.all(served.map((gv: string) => client.resourceFor(gv, spec.names.kind)))).every(Boolean);
      if (discovered) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata?.name} not established and discoverable after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
