import { configError } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True when `name` is a valid RFC 1123 DNS label (Kubernetes names of Services, namespaces). */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

/** Throws unless `value` is a DNS label; `what` names the prop. */
export function validateDnsLabel(path: string, what: string, value: string, maxLength = 63): void {
  if (value.length > maxLength || !DNS_LABEL.test(value)) {
    throw configError(path, `${what} must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${maxLength} characters`, value,
      `choose a name such as "tracing"`);
  }
}

// Tempo tenant IDs: at most 150 bytes of [A-Za-z0-9!-_.*'()], not "." or ".." (configuration/tenant-ids.md).
const TEMPO_TENANT = /^[A-Za-z0-9!\-_.*'()]+$/;

/** Throws unless `tenant` is a tenant id Tempo accepts and we can place in S3 and Kubernetes labels. */
export function validateTenantId(path: string, tenant: string, reserved: readonly string[]): void {
  if (tenant.length === 0 || Buffer.byteLength(tenant) > 150 || !TEMPO_TENANT.test(tenant) || tenant === '.' || tenant === '..') {
    throw configError(path, 'tenant id must be 1-150 characters of letters, digits and !-_.*\'() and not "." or ".."', tenant,
      'rename the tenant, e.g. "team-payments"');
  }
  if (reserved.includes(tenant)) {
    throw configError(path, `tenant id is reserved by Tempo's bucket layout (${reserved.join(', ')})`, tenant,
      'choose another tenant id');
  }
}

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True for a Kubernetes label or annotation key: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
export function isQualifiedName(key: string): boolean {
  if (typeof key !== 'string') return false;
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  return QUALIFIED_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
}

/** Throws unless every key and value is a valid Kubernetes label; `what` names the prop. */
export function validateLabels(path: string, what: string, labels: Record<string, string> | undefined): void {
  if (labels === undefined) return;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw configError(path, `${what} must be a map of label keys to values`, labels, 'pass e.g. { "release": "kube-prometheus-stack" }');
  }
  for (const [k, v] of Object.entries(labels)) {
    if (!isQualifiedName(k) || typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      throw configError(path, `${what} holds an invalid Kubernetes label`, { [k]: v },
        'use keys like "app.kubernetes.io/name" and values of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit');
    }
  }
}

/** Throws unless every key is a valid Kubernetes annotation key and every value a string. */
export function validateAnnotations(path: string, what: string, annotations: Record<string, string> | undefined): void {
  if (annotations === undefined) return;
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) {
    throw configError(path, `${what} must be a map of annotation keys to values`, annotations, 'pass e.g. { "eks.amazonaws.com/role-arn": "arn:aws:iam::..." }');
  }
  for (const [k, v] of Object.entries(annotations)) {
    if (!isQualifiedName(k) || typeof v !== 'string') {
      throw configError(path, `${what} holds an invalid annotation`, { [k]: v }, 'use keys like "eks.amazonaws.com/role-arn" with string values');
    }
  }
}
