import { Construct } from 'constructs';
import { JaegerStorageConfig } from '../../render/jaeger-config';
import { ResolvedJaegerStorage } from '../jaeger-storage';

/**
 * What the role and job builders need from the {@link Jaeger} construct. Builders add
 * their objects directly to `scope` (the Jaeger construct), so construct ids and paths
 * are the same as if the construct had built them itself.
 */
export interface JaegerContext {
  readonly scope: Construct;
  /** Base name of every object. */
  readonly name: string;
  /** Jaeger image of the collector and query pods. */
  readonly image: string;
  readonly storage: JaegerStorageConfig;
  readonly resolved: ResolvedJaegerStorage;
  readonly serviceAccountName: string;
  /** Standard labels of a component; `image` gives the version label (defaults to the Jaeger image). */
  readonly labelsFor: (component: string, image?: string) => Record<string, string>;
}
