// What the collector and query roles share: one binary, so the same naming, labels and config file.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { JAEGER_CONFIG_FILE } from '../../render/jaeger-config';
import { selectorLabels } from '../labels';
import { JaegerContext } from './context';

/** A server role's identity: the name of its objects, their labels and its pod selector. */
export interface JaegerRole {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
}

export function jaegerRole(ctx: JaegerContext, component: string): JaegerRole {
  return {
    name: `${ctx.name}-${component}`,
    labels: ctx.labelsFor(component),
    selector: selectorLabels({ name: 'jaeger', instance: ctx.name, component }),
  };
}

/** The ConfigMap holding the role's rendered Jaeger config file (`<name>-<component>-config`). */
export function roleConfigMap(ctx: JaegerContext, id: string, role: JaegerRole, configYaml: string): k8s.KubeConfigMap {
  return new k8s.KubeConfigMap(ctx.scope, id, {
    metadata: { name: `${role.name}-config`, labels: role.labels },
    data: { [JAEGER_CONFIG_FILE]: configYaml },
  });
}
