import { createHash } from 'crypto';

// CDK token strings (`${Token[TOKEN.12]}`) are numbered differently on every synth. Hashing them
// as they are would change the pod template, and roll the pods, on every `cdk deploy`.
const TOKEN = /\$\{Token\[[^\]]*\]\}/g;

/**
 * A stable checksum of config content for a pod-template annotation: when the
 * config changes, the pod template changes and the workload rolls. CDK tokens
 * are hashed by position, not by their unstable numbers.
 */
export function configChecksum(...contents: string[]): string {
  const hash = createHash('sha256');
  for (const content of contents) hash.update(content.replace(TOKEN, '${Token}')).update('\0');
  return hash.digest('hex');
}
