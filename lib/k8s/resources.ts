import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ContainerResources } from '../core/quantities';

/** A container's `resources` block from our validated requests and limits. */
export function resourceRequirements(r: ContainerResources): k8s.ResourceRequirements {
  const q = (v: string) => k8s.Quantity.fromString(v);
  return {
    requests: { cpu: q(r.cpuRequest), memory: q(r.memoryRequest) },
    limits: { cpu: q(r.cpuLimit), memory: q(r.memoryLimit) },
  };
}
