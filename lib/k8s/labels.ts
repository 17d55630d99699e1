/** The standard Kubernetes labels we put on every object. */
export interface StandardLabelsInput {
  /** `app.kubernetes.io/name`, e.g. `tempo`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`, unique per install. */
  readonly instance: string;
  /** `app.kubernetes.io/component`, e.g. `backend`. */
  readonly component: string;
  /** `app.kubernetes.io/version`. */
  readonly version: string;
}

export const PART_OF = 'cdk-tracing';
export const MANAGED_BY = 'cdk-tracing';

/** All six recommended labels. */
export function standardLabels(input: StandardLabelsInput): Record<string, string> {
  return {
    'app.kubernetes.io/name': input.name,
    'app.kubernetes.io/instance': input.instance,
    'app.kubernetes.io/component': input.component,
    'app.kubernetes.io/version': input.version,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/**
 * The subset used in selectors. It leaves out `version`, because a selector
 * must not change when the image is upgraded (StatefulSet selectors are immutable).
 */
export function selectorLabels(input: Pick<StandardLabelsInput, 'name' | 'instance' | 'component'>): Record<string, string> {
  return {
    'app.kubernetes.io/name': input.name,
    'app.kubernetes.io/instance': input.instance,
    'app.kubernetes.io/component': input.component,
  };
}

/**
 * Labels for fields Kubernetes never lets change after creation (StatefulSet
 * volumeClaimTemplates): the standard labels without `version`, so an image
 * upgrade does not make the update invalid.
 */
export function labelsWithoutVersion(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => key !== 'app.kubernetes.io/version'));
}
