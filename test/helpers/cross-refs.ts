import { K8sObject } from './schema';

/**
 * Cross-reference checks over one synthesized set of Kubernetes objects: every name or selector
 * that points at another object we generate finds it. Objects the user brings (Secrets, the
 * operators' own resources) are out of scope: only references to kinds we generate are checked.
 */
type Dict = Record<string, any>;

const WORKLOAD_TEMPLATE: Record<string, string[]> = {
  Deployment: ['spec', 'template'], StatefulSet: ['spec', 'template'], DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'], CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

function nsOf(o: Dict): string { return o.metadata?.namespace ?? ''; }

export function crossReferenceProblems(objects: K8sObject[]): string[] {
  const out: string[] = [];
  const all = objects as Dict[];
  const pods = all.flatMap((o) => {
    const p = WORKLOAD_TEMPLATE[o.kind];
    if (!p) return [];
    const template = p.reduce<any>((n, k) => n?.[k], o);
    return [{ owner: o, id: `${o.kind}/${o.metadata?.name}`, ns: nsOf(o), template }];
  });
  const named = (kind: string, ns: string, name: string) => all.some((o) => o.kind === kind && o.metadata?.name === name && nsOf(o) === ns);
  const generatesKind = (kind: string) => all.some((o) => o.kind === kind);

  for (const o of all) {
    const id = `${o.kind}/${o.metadata?.name}`;
    const ns = nsOf(o);
    if (o.kind === 'Service' && o.spec?.selector) {
      const selected = pods.filter((p) => p.ns === ns && matches(o.spec.selector, p.template?.metadata?.labels));
      if (selected.length === 0) out.push(`${id}: selector ${JSON.stringify(o.spec.selector)} matches no pod template`);
      for (const port of o.spec.ports ?? []) {
        if (typeof port.targetPort !== 'string') continue;
        const found = selected.some((p) => (p.template.spec?.containers ?? []).some((c: Dict) => (c.ports ?? []).some((cp: Dict) => cp.name === port.targetPort)));
        if (selected.length > 0 && !found) out.push(`${id}: targetPort "${port.targetPort}" is no container port of the selected pods`);
      }
    }
    // NetworkPolicies are not checked: one that selects no pod is inert (e.g. Jaeger's maintenance policy with no jobs).
    if (o.kind === 'PodDisruptionBudget') {
      const sel = o.spec?.selector?.matchLabels;
      if (sel && Object.keys(sel).length > 0 && !pods.some((p) => p.ns === ns && matches(sel, p.template?.metadata?.labels))) {
        out.push(`${id}: selector ${JSON.stringify(sel)} matches no pod template`);
      }
    }
    if (o.kind === 'HorizontalPodAutoscaler') {
      const ref = o.spec?.scaleTargetRef;
      if (!named(ref?.kind, ns, ref?.name)) out.push(`${id}: scaleTargetRef ${ref?.kind}/${ref?.name} is not generated`);
    }
    if (o.kind === 'ServiceMonitor') {
      const sel = o.spec?.selector?.matchLabels;
      const namespaces: string[] = o.spec?.namespaceSelector?.matchNames ?? [ns];
      const services = all.filter((s) => s.kind === 'Service' && namespaces.includes(nsOf(s)) && matches(sel, s.metadata?.labels));
      if (services.length === 0) out.push(`${id}: selects no generated Service`);
      for (const ep of o.spec?.endpoints ?? []) {
        if (ep.port && services.length > 0 && !services.some((s) => (s.spec?.ports ?? []).some((p: Dict) => p.name === ep.port))) {
          out.push(`${id}: endpoint port "${ep.port}" is on none of the selected Services`);
        }
      }
    }
  }
  for (const p of pods) {
    const spec: Dict = p.template?.spec ?? {};
    if (spec.serviceAccountName && spec.serviceAccountName !== 'default' && generatesKind('ServiceAccount') && !named('ServiceAccount', p.ns, spec.serviceAccountName)) {
      out.push(`${p.id}: serviceAccountName ${spec.serviceAccountName} is not generated`);
    }
    const volumes = new Set<string>((spec.volumes ?? []).map((v: Dict) => v.name));
    for (const claim of p.owner.kind === 'StatefulSet' ? (p.owner.spec?.volumeClaimTemplates ?? []) : []) volumes.add(claim.metadata?.name);
    for (const v of spec.volumes ?? []) {
      if (v.configMap && !v.configMap.optional && !named('ConfigMap', p.ns, v.configMap.name)) out.push(`${p.id}: volume ${v.name} mounts ConfigMap ${v.configMap.name}, which is not generated`);
      for (const src of v.projected?.sources ?? []) {
        if (src.configMap && !src.configMap.optional && !named('ConfigMap', p.ns, src.configMap.name)) out.push(`${p.id}: projected ConfigMap ${src.configMap.name} is not generated`);
      }
    }
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) out.push(`${p.id} container ${c.name}: mounts unknown volume ${m.name}`);
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.configMapKeyRef;
        if (ref && !ref.optional && !named('ConfigMap', p.ns, ref.name)) out.push(`${p.id} container ${c.name}: env ${e.name} reads ConfigMap ${ref.name}, which is not generated`);
      }
    }
    if (p.owner.kind === 'StatefulSet') {
      const svc = p.owner.spec?.serviceName;
      if (svc && !named('Service', p.ns, svc)) out.push(`${p.id}: serviceName ${svc} is not generated`);
    }
  }
  return out;
}
