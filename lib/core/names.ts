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
