// How any Jaeger pod (server, job or spark) reaches the storage: basic-auth env and the CA mount.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { JAEGER_ES_CA_DIR, JAEGER_ES_PASSWORD_ENV, JAEGER_ES_USERNAME_ENV } from '../../render/jaeger-config';
import { ResolvedJaegerStorage } from '../jaeger-storage';

/** Basic-auth env; the variable names differ for spark-dependencies. */
export function credentialEnv(resolved: ResolvedJaegerStorage, usernameEnv = JAEGER_ES_USERNAME_ENV, passwordEnv = JAEGER_ES_PASSWORD_ENV): k8s.EnvVar[] {
  const auth = resolved.basicAuth;
  if (!auth) return [];
  return [
    auth.username !== undefined
      ? { name: usernameEnv, value: auth.username }
      : { name: usernameEnv, valueFrom: { secretKeyRef: { name: auth.secretName, key: auth.usernameKey! } } },
    { name: passwordEnv, valueFrom: { secretKeyRef: { name: auth.secretName, key: auth.passwordKey } } },
  ];
}

/** The storage's CA Secret as a volume and its mount; empty without a CA. */
export function caVolume(resolved: ResolvedJaegerStorage): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
  const ca = resolved.caSecret;
  if (!ca) return { volumes: [], mounts: [] };
  return {
    volumes: [{ name: 'es-ca', secret: { secretName: ca.secretName, items: [{ key: ca.key, path: ca.key }] } }],
    mounts: [{ name: 'es-ca', mountPath: JAEGER_ES_CA_DIR, readOnly: true }],
  };
}
