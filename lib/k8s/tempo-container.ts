import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { TEMPO_CONFIG_DIR, TEMPO_DATA_DIR } from '../render/tempo-config';

// What every Tempo container shares, monolithic or one per microservices target.

/**
 * Startup and readiness probes on /ready. `startupFailures` x 10 s is how long
 * Tempo may take before it first answers (WAL replay, Kafka catch-up).
 */
export function tempoProbes(startupFailures: number): Pick<k8s.Container, 'startupProbe' | 'readinessProbe'> {
  const ready = { httpGet: { path: '/ready', port: k8s.IntOrString.fromString('http') } };
  return {
    startupProbe: { ...ready, periodSeconds: 10, failureThreshold: startupFailures, timeoutSeconds: 5 },
    readinessProbe: { ...ready, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
  };
}

/** Config read-only, the data volume on /var/tempo, and a writable /tmp (the root filesystem is read-only). */
export const TEMPO_VOLUME_MOUNTS: k8s.VolumeMount[] = [
  { name: 'config', mountPath: TEMPO_CONFIG_DIR, readOnly: true },
  { name: 'data', mountPath: TEMPO_DATA_DIR },
  { name: 'tmp', mountPath: '/tmp' },
];
