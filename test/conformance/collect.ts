import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { resolveIntrinsics } from './cfn-placeholders';
import { KubeObject } from './kube-client';

/** One Kubernetes object found in the output, with where it came from (for messages). */
export interface FoundObject {
  readonly object: KubeObject;
  /** `dist/tempo.k8s.yaml#3` (document index) or `cdk.out/TempoOnEks.template.json:ClusterTempoChart50889871[2]`. */
  readonly source: string;
  /**
   * What is deployed together: one YAML file, or one CloudFormation template (a stack). The
   * conformance run applies one unit at a time and removes it before the next, so two examples
   * that name the same object are each judged on their own.
   */
  readonly unit: string;
}

/** `Kind namespace/name`, how every line of the report names an object. */
export function describe(obj: KubeObject): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind} ${ns}${obj.metadata?.name ?? '?'}`;
}

/** kustomize's own file format: a build instruction, never sent to an API server. */
function isKustomization(obj: KubeObject): boolean {
  return obj.kind === 'Kustomization' && String(obj.apiVersion).startsWith('kustomize.config.k8s.io/');
}

/** Objects of one YAML stream (a `.k8s.yaml` file); empty documents and kustomizations are skipped. */
export function objectsOfYaml(text: string, source: string): FoundObject[] {
  const out: FoundObject[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${source}#${index}: not YAML: ${doc.errors[0].message}`);
    const obj = doc.toJS() as KubeObject | null;
    if (obj === null || obj === undefined) return;
    if (typeof obj !== 'object' || !obj.apiVersion || !obj.kind) throw new Error(`${source}#${index}: not a Kubernetes object (no apiVersion/kind)`);
    if (isKustomization(obj)) return;
    if (obj.kind === 'List' && Array.isArray((obj as any).items)) {
      (obj as any).items.forEach((item: KubeObject, i: number) => out.push({ object: item, source: `${source}#${index}.items[${i}]`, unit: source }));
    } else {
      out.push({ object: obj, source: `${source}#${index}`, unit: source });
    }
  });
  return out;
}

/**
 * Manifests of the `Custom::AWSCDK-EKS-KubernetesResource` resources in one CloudFormation template
 * (what aws-eks `addManifest`/`addCdk8sChart` synthesize), with CloudFormation references replaced by
 * placeholders of the right shape.
 */
export function objectsOfTemplate(template: any, source: string): FoundObject[] {
  const out: FoundObject[] = [];
  const stackName = path.basename(source).replace(/\.template\.json$/, '');
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
    if (resource.Type !== 'Custom::AWSCDK-EKS-KubernetesResource') continue;
    const manifest = resolveIntrinsics(resource.Properties?.Manifest, template, stackName);
    const list = typeof manifest === 'string' ? JSON.parse(manifest) : manifest;
    if (!Array.isArray(list)) throw new Error(`${source}:${id}: Manifest is not a list of objects`);
    list.forEach((obj: KubeObject, i: number) => out.push({ object: obj, source: `${source}:${id}[${i}]`, unit: source }));
  }
  return out;
}

/** Every file under the directories that may hold manifests: YAML files and CloudFormation templates. */
export function manifestFiles(dirs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isFile()) { files.push(p); return; }
    for (const entry of readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      // Lambda bundles and dependencies of a cloud assembly are not manifests.
      if (entry.name === 'node_modules' || entry.name.startsWith('asset.') || entry.name.startsWith('.')) continue;
      const full = path.join(p, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml)$/.test(entry.name) || entry.name.endsWith('.template.json')) files.push(full);
    }
  };
  for (const dir of dirs) walk(dir);
  return files;
}

/** Every Kubernetes object in the files (see manifestFiles). */
export function collectObjects(files: readonly string[]): FoundObject[] {
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return file.endsWith('.json') ? objectsOfTemplate(JSON.parse(text), file) : objectsOfYaml(text, file);
  });
}
