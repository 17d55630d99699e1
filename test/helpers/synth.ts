import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { K8sObject } from './schema';

/** Synthesizes a cdk8s chart into plain objects. */
export function synthChart(chart: Chart): K8sObject[] {
  return Testing.synth(chart) as K8sObject[];
}

export function findObject(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind}/${name} among ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found;
}

/** Parses the YAML held in a ConfigMap data key. */
export function configMapYaml(objects: K8sObject[], name: string, key: string): Record<string, any> {
  const cm = findObject(objects, 'ConfigMap', name) as any;
  const text = cm.data?.[key];
  if (typeof text !== 'string') throw new Error(`ConfigMap/${name} has no data key ${key}`);
  return parse(text);
}
