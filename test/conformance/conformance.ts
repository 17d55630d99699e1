import { RESTRICTED_NAMESPACE_LABELS } from '../../lib/k8s/pod-security';
import { CheckResult, ConformanceCheck, ConformanceContext, ObjectVerdict } from './checks';
import { describe as describeObject, FoundObject } from './collect';
import { KubeClient, KubeObject, messageOf } from './kube-client';

/** Labels our charts put on the namespaces they create (lib/k8s/namespace.ts). */
export const CHART_NAMESPACE_LABELS: Record<string, string> = {
  ...RESTRICTED_NAMESPACE_LABELS,
  'app.kubernetes.io/part-of': 'cdk-tracing',
  'app.kubernetes.io/managed-by': 'cdk-tracing',
};

/** Where Pods made from pod templates are admitted: "restricted", at the server's own version. */
export const RESTRICTED_CHECK_NAMESPACE = 'conformance-restricted';

// Apply order: what others need at admission first (namespaces, service accounts), then config,
// then workloads, custom resources last.
const KIND_ORDER = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'Secret', 'ConfigMap', 'ClusterRole', 'Role',
  'ClusterRoleBinding', 'RoleBinding', 'PersistentVolumeClaim', 'Service'];
function rank(obj: KubeObject): number {
  const i = KIND_ORDER.indexOf(obj.kind);
  if (i >= 0) return i;
  return /\.k8s\.io\/|^v1$|^(apps|batch|policy|autoscaling)\//.test(obj.apiVersion) ? KIND_ORDER.length : KIND_ORDER.length + 1;
}

/** Where a pod template sits in each workload kind. */
const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export interface ConformanceReport {
  readonly accepted: number;
  readonly rejected: number;
  readonly warnings: number;
  /** Every line to print, the final `conformance: ...` line last. */
  readonly lines: readonly string[];
  /** Failures that belong to no object (from checks). */
  readonly failures: readonly string[];
  /** Objects whose kind the server does not serve (no CRD for it here): not judged. */
  readonly unserved: readonly FoundObject[];
  readonly ok: boolean;
}

function dnsLabel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
}

async function must(client: KubeClient, obj: KubeObject): Promise<void> {
  const res = await client.apply(obj);
  if (!res || res.status >= 300) throw new Error(`conformance set-up: cannot apply ${describeObject(obj)}: ${res ? messageOf(res) : 'kind not served'}`);
}

/**
 * The namespaces the objects live in, and the `default` ServiceAccount in each (there is no
 * controller-manager to create either). Namespaces the output declares are applied by the apply
 * check itself; the others are created with the labels our charts give theirs.
 */
async function prepareNamespaces(client: KubeClient, objects: readonly FoundObject[]): Promise<void> {
  const declared = new Set(objects.filter((f) => f.object.kind === 'Namespace').map((f) => f.object.metadata?.name));
  const used = new Set<string>([RESTRICTED_CHECK_NAMESPACE]);
  for (const { object } of objects) {
    if (object.kind === 'Namespace') continue;
    const info = await client.resourceFor(object.apiVersion, object.kind);
    // A kind not served here still names its namespace: the rest of its unit lives there too.
    if (info ? info.namespaced : object.metadata?.namespace) used.add(object.metadata?.namespace ?? 'default');
  }
  for (const name of used) {
    if (!declared.has(name) && name !== 'default') {
      const labels = name === RESTRICTED_CHECK_NAMESPACE
        ? { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'latest' }
        : CHART_NAMESPACE_LABELS;
      await must(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    }
  }
  return Promise.resolve();
}

async function defaultServiceAccounts(client: KubeClient, namespaces: Iterable<string>): Promise<void> {
  for (const namespace of namespaces) {
    await must(client, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
  }
}

/**
 * Server-side apply of every object, in dependency order, one deploy unit (a file, a stack) at a
 * time. A status >= 300 is a rejection with the server's message; every `Warning` header (Pod
 * Security on workloads, deprecated APIs, unknown or duplicate fields) is a warning. After each
 * unit its objects are deleted again (namespaces stay), unless `keep` is set: the upgrade test
 * applies a second synthesis over the first.
 */
export function applyCheck(options: { readonly keep?: boolean } = {}): ConformanceCheck {
  return {
    name: 'apply',
    async run({ client, objects }: ConformanceContext): Promise<CheckResult> {
      const namespaces = new Set<string>(['default', RESTRICTED_CHECK_NAMESPACE]);
      for (const f of objects) {
        if (f.object.kind === 'Namespace' && f.object.metadata?.name) namespaces.add(f.object.metadata.name);
        else if (f.object.metadata?.namespace) namespaces.add(f.object.metadata.namespace);
      }
      const verdicts: ObjectVerdict[] = [];
      const units = [...new Set(objects.map((f) => f.unit))];
      // Every declared namespace first: a unit may use a namespace another unit declares.
      for (const found of objects.filter((f) => f.object.kind === 'Namespace')) verdicts.push(await applyOne(client, found));
      await defaultServiceAccounts(client, namespaces);
      for (const unit of units) {
        const ordered = objects.filter((f) => f.unit === unit && f.object.kind !== 'Namespace').sort((a, b) => rank(a.object) - rank(b.object));
        for (const found of ordered) verdicts.push(await applyOne(client, found));
        if (!options.keep) await deleteObjects(client, ordered.map((f) => f.object));
      }
      return { verdicts: verdicts.filter((v) => v.rejected !== undefined || v.warnings !== undefined) };
    },
  };
}

async function applyOne(client: KubeClient, found: FoundObject): Promise<ObjectVerdict> {
  const res = await client.apply(found.object);
  // A kind the server does not serve has no verdict: runConformance reports it as not judged.
  if (!res) return { found };
  return { found, rejected: res.status >= 300 ? messageOf(res) : undefined, warnings: res.warnings };
}

/** Deletes what an apply created, namespaces excepted (no namespace controller would finish them). */
export async function deleteObjects(client: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  for (const obj of [...objects].reverse()) {
    if (obj.kind === 'Namespace' || obj.kind === 'CustomResourceDefinition') continue;
    const res = await client.delete(obj);
    if (res && res.status >= 300 && res.status !== 404) throw new Error(`cannot delete ${describeObject(obj)}: ${messageOf(res)}`);
  }
}

/** A Pod as the workload's controller would create it from the template (name aside). */
export function podFromTemplate(obj: KubeObject): KubeObject | undefined {
  const p = POD_TEMPLATE_PATHS[obj.kind];
  if (!p || !String(obj.apiVersion).match(/^(apps|batch)\//)) return undefined;
  const template = p.reduce<any>((node, key) => node?.[key], obj);
  if (!template?.spec) return undefined;
  const spec = JSON.parse(JSON.stringify(template.spec));
  // The StatefulSet controller adds one volume per claim template; the pod's mounts name them.
  if (obj.kind === 'StatefulSet') {
    for (const claim of (obj as any).spec?.volumeClaimTemplates ?? []) {
      const name = claim.metadata?.name;
      if (name && !(spec.volumes ?? []).some((v: any) => v.name === name)) {
        spec.volumes = [...(spec.volumes ?? []), { name, persistentVolumeClaim: { claimName: `${name}-${obj.metadata?.name}-0` } }];
      }
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: dnsLabel(`${obj.kind}-${obj.metadata?.namespace ?? 'default'}-${obj.metadata?.name}`),
      namespace: RESTRICTED_CHECK_NAMESPACE,
      labels: template.metadata?.labels,
      annotations: template.metadata?.annotations,
    },
    spec,
  };
}

/**
 * Pod Security for real: the API server enforces a namespace's level on Pods only (for workloads it
 * warns), so every pod template becomes a Pod created with dryRun=All in a namespace that enforces
 * "restricted" at the server's own version. A refused Pod is a rejection of its workload.
 */
export const podSecurityCheck: ConformanceCheck = {
  name: 'pod security',
  async run({ client, objects }: ConformanceContext): Promise<CheckResult> {
    const verdicts: ObjectVerdict[] = [];
    let admitted = 0;
    const accounts = new Set<string>();
    for (const found of objects) {
      const pod = podFromTemplate(found.object);
      if (!pod) continue;
      const account = (pod.spec as any).serviceAccountName ?? (pod.spec as any).serviceAccount;
      if (account && !accounts.has(account)) {
        await must(client, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace: RESTRICTED_CHECK_NAMESPACE } });
        accounts.add(account);
      }
      const res = await client.createDryRun(pod);
      if (!res) throw new Error('the server does not serve v1 Pod');
      const rejected = res.status >= 300 ? `pod template refused under "restricted": ${messageOf(res)}` : undefined;
      if (!rejected && res.warnings.length === 0) admitted++;
      verdicts.push({ found, rejected, warnings: res.warnings.map((w) => `pod template: ${w}`) });
    }
    return { verdicts, summary: [`${admitted} pod templates admitted as Pods under "restricted" (latest)`] };
  },
};

/** The checks every run makes; extra checks (collector, Jaeger configs) come after them. */
export function builtInChecks(options: { readonly keep?: boolean } = {}): ConformanceCheck[] {
  return [applyCheck(options), podSecurityCheck];
}

/**
 * Judges the objects on the server: applies them (server-side apply, field manager
 * `cdk-tracing-conformance`), admits a Pod from each pod template under "restricted", runs the
 * extra checks, and returns one line per rejected or warned object plus the final line
 * `conformance: N objects accepted, M rejected, W warnings`.
 */
export async function runConformance(client: KubeClient, objects: readonly FoundObject[], options: {
  readonly files?: readonly string[];
  readonly checks?: readonly ConformanceCheck[];
  /** Leave the applied objects on the server (the upgrade test applies a second synthesis over them). */
  readonly keep?: boolean;
} = {}): Promise<ConformanceReport> {
  const context: ConformanceContext = { client, objects, files: options.files ?? [] };
  const unserved: FoundObject[] = [];
  for (const found of objects) {
    if (!(await client.resourceFor(found.object.apiVersion, found.object.kind))) unserved.push(found);
  }
  await prepareNamespaces(client, objects);

  const state = new Map<FoundObject, { rejected: string[]; warnings: string[] }>();
  const lines: string[] = [];
  const failures: string[] = [];
  for (const check of [...builtInChecks({ keep: options.keep }), ...(options.checks ?? [])]) {
    const result = await check.run(context);
    for (const v of result.verdicts ?? []) {
      if (v.rejected === undefined && v.warnings === undefined) continue;
      const s = state.get(v.found) ?? { rejected: [], warnings: [] };
      if (v.rejected) s.rejected.push(v.rejected);
      s.warnings.push(...(v.warnings ?? []));
      state.set(v.found, s);
    }
    for (const line of result.summary ?? []) lines.push(`${check.name}: ${line}`);
    for (const failure of result.failures ?? []) failures.push(`${check.name}: ${failure}`);
  }

  let accepted = 0;
  let rejected = 0;
  let warnings = 0;
  const objectLines: string[] = [];
  for (const found of objects) {
    const s = state.get(found);
    if (!s) continue;
    const where = `${describeObject(found.object)} (${found.source})`;
    if (s.rejected.length > 0) {
      rejected++;
      objectLines.push(`rejected: ${where}: ${[...s.rejected, ...s.warnings.map((w) => `warning: ${w}`)].join('; ')}`);
    } else if (s.warnings.length > 0) {
      warnings++;
      objectLines.push(`warning: ${where}: ${s.warnings.join('; ')}`);
    } else {
      accepted++;
    }
  }
  if (unserved.length > 0) {
    const kinds = [...new Set(unserved.map((f) => `${f.object.apiVersion} ${f.object.kind}`))].sort();
    lines.push(`not judged: ${unserved.length} objects of kinds this server has no CRD for (${kinds.join(', ')})`);
  }
  const final = `conformance: ${accepted} objects accepted, ${rejected} rejected, ${warnings} warnings`;
  return {
    accepted, rejected, warnings, failures, unserved,
    lines: [...objectLines, ...failures.map((f) => `failed: ${f}`), ...lines, final],
    ok: rejected === 0 && warnings === 0 && failures.length === 0,
  };
}
