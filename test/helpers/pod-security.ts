import { K8sObject } from './schema';

/**
 * Checks every pod template against the Pod Security Standard "restricted"
 * profile (Kubernetes 1.28), plus our own rules: requests and limits on every
 * container and a read-only root filesystem.
 */
const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

const ALLOWED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

type Dict = Record<string, any>;

/**
 * The pods the Strimzi operator (1.x, default "baseline" pod security provider) creates from our
 * custom resources, as templates: a `template.<x>.securityContext` in the resource replaces what the
 * provider sets; the baseline provider itself sets only `fsGroup: 0` on broker pods with persistent
 * storage and no container security context. Resources come from the resource's own fields.
 */
export function strimziPodTemplates(objects: K8sObject[]): Array<{ id: string; template: Dict }> {
  const result: Array<{ id: string; template: Dict }> = [];
  const container = (name: string, template: Dict | undefined, resources: Dict | undefined) => ({
    name, securityContext: template?.securityContext ?? {}, ...(resources ? { resources } : {}),
  });
  for (const obj of objects as Dict[]) {
    if (!String(obj.apiVersion).startsWith('kafka.strimzi.io/')) continue;
    const spec: Dict = obj.spec ?? {};
    if (obj.kind === 'KafkaNodePool') {
      const t: Dict = spec.template ?? {};
      result.push({
        id: `KafkaNodePool/${obj.metadata?.name} (Strimzi broker pod)`,
        template: { spec: { securityContext: t.pod?.securityContext ?? { fsGroup: 0 }, containers: [container('kafka', t.kafkaContainer, spec.resources)] } },
      });
    }
    if (obj.kind === 'Kafka' && spec.entityOperator) {
      const eo: Dict = spec.entityOperator;
      const t: Dict = eo.template ?? {};
      const containers = [
        ...(eo.topicOperator ? [container('topic-operator', t.topicOperatorContainer, eo.topicOperator.resources)] : []),
        ...(eo.userOperator ? [container('user-operator', t.userOperatorContainer, eo.userOperator.resources)] : []),
      ];
      result.push({ id: `Kafka/${obj.metadata?.name} (Strimzi entity operator pod)`, template: { spec: { securityContext: t.pod?.securityContext ?? {}, containers } } });
    }
    for (const part of ['cruiseControl', 'kafkaExporter']) {
      if (spec[part]) result.push({ id: `Kafka/${obj.metadata?.name} ${part}: not modelled`, template: { spec: { containers: [{ name: part }] } } });
    }
  }
  return result;
}

export function podTemplates(objects: K8sObject[]): Array<{ id: string; template: Dict }> {
  const result: Array<{ id: string; template: Dict }> = strimziPodTemplates(objects);
  for (const obj of objects) {
    const p = POD_TEMPLATE_PATHS[obj.kind];
    if (!p) continue;
    const template = p.reduce<any>((node, key) => node?.[key], obj);
    result.push({ id: `${obj.kind}/${obj.metadata?.name}`, template });
  }
  return result;
}

export function restrictedViolations(objects: K8sObject[]): string[] {
  const out: string[] = [];
  for (const { id, template } of podTemplates(objects)) {
    const spec: Dict = template?.spec ?? {};
    const podSc: Dict = spec.securityContext ?? {};
    if (spec.hostNetwork) out.push(`${id}: hostNetwork`);
    if (spec.hostPID) out.push(`${id}: hostPID`);
    if (spec.hostIPC) out.push(`${id}: hostIPC`);
    for (const v of spec.volumes ?? []) {
      const type = Object.keys(v).find((k) => k !== 'name');
      if (!type || !ALLOWED_VOLUME_TYPES.includes(type)) out.push(`${id}: volume ${v.name} of type ${type} not allowed`);
    }
    if (podSc.runAsUser === 0) out.push(`${id}: pod runAsUser 0`);
    if ((podSc.sysctls ?? []).length > 0) out.push(`${id}: sysctls`);
    const containers: Dict[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
    for (const c of containers) {
      const sc: Dict = c.securityContext ?? {};
      const cid = `${id} container ${c.name}`;
      if (sc.privileged) out.push(`${cid}: privileged`);
      if (sc.allowPrivilegeEscalation !== false) out.push(`${cid}: allowPrivilegeEscalation must be false`);
      const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      if (runAsNonRoot !== true) out.push(`${cid}: runAsNonRoot must be true`);
      if (sc.runAsUser === 0) out.push(`${cid}: runAsUser 0`);
      const seccomp = (sc.seccompProfile ?? podSc.seccompProfile)?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${cid}: seccompProfile must be RuntimeDefault or Localhost`);
      const drop: string[] = sc.capabilities?.drop ?? [];
      if (!drop.includes('ALL')) out.push(`${cid}: capabilities must drop ALL`);
      const add: string[] = sc.capabilities?.add ?? [];
      if (add.some((cap) => cap !== 'NET_BIND_SERVICE')) out.push(`${cid}: adds capabilities ${add.join(',')}`);
      if ((c.ports ?? []).some((p: Dict) => p.hostPort !== undefined && p.hostPort !== 0) && spec.hostNetwork) out.push(`${cid}: hostPort with hostNetwork`);
      if (sc.readOnlyRootFilesystem !== true) out.push(`${cid}: readOnlyRootFilesystem must be true`);
      for (const kind of ['requests', 'limits']) {
        for (const res of ['cpu', 'memory']) {
          if (c.resources?.[kind]?.[res] === undefined) out.push(`${cid}: missing resources.${kind}.${res}`);
        }
      }
    }
  }
  return out;
}
