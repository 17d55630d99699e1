// The Deployment shared by the collector and query roles: the same binary, only config, ports and volumes differ.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ContainerResources, goMemLimit } from '../../core/quantities';
import { JAEGER_CONFIG_DIR, JAEGER_CONFIG_FILE } from '../../render/jaeger-config';
import { JAEGER_HEALTH, JAEGER_HEALTH_PATH, JaegerPort } from '../../render/jaeger-ports';
import { configChecksum } from '../checksum';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../pod-security';
import { resourceRequirements } from '../resources';
import { JaegerContext } from './context';
import { JAEGER_GOMEMLIMIT_RATIO, JAEGER_UID } from './props';
import { JaegerRole } from './role';
import { caVolume, credentialEnv } from './storage-access';

export interface ServerDeploymentOptions {
  readonly role: JaegerRole;
  /** Omitted for the collector, whose HorizontalPodAutoscaler owns the count. */
  readonly replicas?: number;
  /** The rendered config; its checksum rolls the pods when it changes. */
  readonly configYaml: string;
  readonly configMapName: string;
  readonly ports: JaegerPort[];
  readonly resources: ContainerResources;
  readonly extraVolumes?: k8s.Volume[];
  readonly extraMounts?: k8s.VolumeMount[];
}

export function serverDeployment(ctx: JaegerContext, id: string, o: ServerDeploymentOptions): k8s.KubeDeployment {
  return new k8s.KubeDeployment(ctx.scope, id, {
    metadata: {
      name: o.role.name,
      labels: o.role.labels,
      // A recorded choice: the storage is used without credentials on purpose.
      ...(ctx.resolved.unauthenticatedReason !== undefined ? { annotations: { 'cdk-tracing/unauthenticated-storage-reason': ctx.resolved.unauthenticatedReason } } : {}),
    },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: o.role.selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
      template: {
        metadata: { labels: o.role.labels, annotations: { 'checksum/config': configChecksum(o.configYaml) } },
        spec: serverPodSpec(ctx, o),
      },
    },
  });
}

function serverPodSpec(ctx: JaegerContext, o: ServerDeploymentOptions): k8s.PodSpec {
  const q = (v: string) => k8s.Quantity.fromString(v);
  const probe = { httpGet: { path: JAEGER_HEALTH_PATH, port: k8s.IntOrString.fromString(JAEGER_HEALTH.name) }, timeoutSeconds: 5 };
  const ca = caVolume(ctx.resolved);
  return {
    serviceAccountName: ctx.serviceAccountName,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: restrictedPodSecurityContext(JAEGER_UID, JAEGER_UID),
    terminationGracePeriodSeconds: 30,
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: o.role.selector } },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: o.role.selector } },
    ],
    containers: [{
      name: 'jaeger',
      image: ctx.image,
      imagePullPolicy: 'IfNotPresent',
      args: [`--config=${JAEGER_CONFIG_DIR}/${JAEGER_CONFIG_FILE}`],
      ports: o.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
      env: [
        { name: 'GOMEMLIMIT', value: goMemLimit(o.resources.memoryLimit, JAEGER_GOMEMLIMIT_RATIO) },
        ...credentialEnv(ctx.resolved),
        ...(ctx.storage.auth.kind === 'sigv4' ? [{ name: 'AWS_REGION', value: ctx.storage.auth.region }] : []),
      ],
      resources: resourceRequirements(o.resources),
      securityContext: restrictedContainerSecurityContext(JAEGER_UID, JAEGER_UID),
      // Jaeger pings the storage at startup; give it a minute before liveness applies.
      startupProbe: { ...probe, periodSeconds: 5, failureThreshold: 24 },
      readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: { ...probe, periodSeconds: 20, failureThreshold: 3 },
      volumeMounts: [
        { name: 'config', mountPath: JAEGER_CONFIG_DIR, readOnly: true },
        ...(o.extraMounts ?? []),
        ...ca.mounts,
        { name: 'tmp', mountPath: '/tmp' },
      ],
    }],
    volumes: [
      { name: 'config', configMap: { name: o.configMapName } },
      ...(o.extraVolumes ?? []),
      ...ca.volumes,
      { name: 'tmp', emptyDir: { sizeLimit: q('64Mi') } },
    ],
  };
}
