import { createHash } from 'crypto';

/**
 * A stable checksum of config content for a pod-template annotation: when the
 * config changes, the pod template changes and the workload rolls.
 */
export function configChecksum(...contents: string[]): string {
  const hash = createHash('sha256');
  for (const content of contents) hash.update(content).update('\0');
  return hash.digest('hex');
}
