// Pods and CronJobs of the maintenance work (retention jobs, spark-dependencies): run to completion, accept no traffic.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ContainerResources } from '../../core/quantities';
import { JaegerCliInvocation } from '../../render/jaeger-config';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../pod-security';
import { resourceRequirements } from '../resources';
import { JaegerContext } from './context';
import { JAEGER_UID } from './props';
import { caVolume, credentialEnv } from './storage-access';

/** Requests and limits of the small Jaeger CLI jobs (index cleaner, rollover, policy upload). */
export const JOB_RESOURCES: ContainerResources = { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '256Mi' };

/**
 * A restricted pod without an API token, labelled `cdk-tracing.io/maintenance` so the
 * maintenance NetworkPolicy shuts it off from every connection.
 */
export function maintenancePodTemplate(
  ctx: JaegerContext, component: string, image: string, spec: Pick<k8s.PodSpec, 'initContainers' | 'containers' | 'volumes'>,
): k8s.PodTemplateSpec {
  return {
    metadata: { labels: { ...ctx.labelsFor(component, image), 'cdk-tracing.io/maintenance': 'true' } },
    spec: {
      restartPolicy: 'OnFailure',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurityContext(JAEGER_UID, JAEGER_UID),
      ...spec,
    },
  };
}

/** The pod of one Jaeger CLI job (es-index-cleaner, es-rollover), with the storage's credentials and CA. */
export function jobPod(ctx: JaegerContext, o: {
  component: string; image: string; invocation: JaegerCliInvocation; resources?: ContainerResources;
  initContainers?: k8s.Container[]; extraVolumes?: k8s.Volume[];
}): k8s.PodTemplateSpec {
  const ca = caVolume(ctx.resolved);
  return maintenancePodTemplate(ctx, o.component, o.image, {
    initContainers: o.initContainers,
    containers: [jobContainer(ctx, o.component, o.image, o.invocation, o.resources ?? JOB_RESOURCES, ca.mounts)],
    volumes: [...ca.volumes, ...(o.extraVolumes ?? []), { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
  });
}

export function jobContainer(
  ctx: JaegerContext, name: string, image: string, invocation: JaegerCliInvocation, resources: ContainerResources, mounts: k8s.VolumeMount[],
): k8s.Container {
  return {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    args: invocation.args,
    env: [...Object.entries(invocation.env).map(([n, value]) => ({ name: n, value })), ...credentialEnv(ctx.resolved)],
    resources: resourceRequirements(resources),
    securityContext: restrictedContainerSecurityContext(JAEGER_UID, JAEGER_UID),
    volumeMounts: [...mounts, { name: 'tmp', mountPath: '/tmp' }],
  };
}

/** Runs in UTC, never overlapping itself, keeping the last success and the last three failures. */
export function maintenanceCronJob(ctx: JaegerContext, id: string, name: string, component: string, schedule: string, template: k8s.PodTemplateSpec): k8s.KubeCronJob {
  return new k8s.KubeCronJob(ctx.scope, id, {
    metadata: { name, labels: template.metadata!.labels },
    spec: {
      schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels: ctx.labelsFor(component) }, spec: { backoffLimit: 3, template } },
    },
  });
}
