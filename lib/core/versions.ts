/**
 * Every upstream image we deploy, pinned to an exact version in one place.
 * Each construct takes an `image` prop to override its entry.
 */
export const TEMPO_VERSION = '3.0.3';

/** Container images, by component. */
export const IMAGES = {
  tempo: `docker.io/grafana/tempo:${TEMPO_VERSION}`,
} as const;

/** Version label value taken from an image reference (the tag), or `unknown`. */
export function versionOfImage(image: string): string {
  const lastSegment = image.split('/').pop() ?? image;
  const tag = lastSegment.includes('@') ? undefined : lastSegment.split(':')[1];
  return tag ?? 'unknown';
}
