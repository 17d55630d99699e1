// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';

/**
 * Pod- and container-level security contexts that satisfy the Pod Security
 * Standard "restricted" profile: non-root, no privilege escalation, all
 * capabilities dropped, RuntimeDefault seccomp, read-only root filesystem.
 */
export function restrictedPodSecurityContext(uid: number, gid: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: gid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function restrictedContainerSecurityContext(uid: number, gid: number): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Namespace labels that make the API server enforce the restricted profile. */
export const RESTRICTED_NAMESPACE_LABELS: Record<string, string> = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'v1.28',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
};
