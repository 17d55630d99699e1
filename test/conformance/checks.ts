import { FoundObject } from './collect';
import { KubeClient } from './kube-client';

/**
 * The extension point of the conformance run: a check looks at the discovered objects and files
 * (and may use the API server) and reports verdicts on objects, summary lines, and failures that
 * belong to no single object. The run prints every check's lines, then the final line; any
 * rejection, warning or failure makes it exit non-zero.
 *
 * A check that validates configs held in ConfigMaps (collector, Jaeger) adds itself to the list
 * passed to runConformance and reports e.g. `summary: ['12 collector configs valid']` and one
 * verdict per ConfigMap it rejects.
 */
export interface ConformanceCheck {
  /** Short name, printed before its summary lines. */
  readonly name: string;
  run(context: ConformanceContext): Promise<CheckResult>;
}

export interface ConformanceContext {
  /** The API server, with our CRDs installed and the namespaces ready. */
  readonly client: KubeClient;
  /** Every object found, in the order found. */
  readonly objects: readonly FoundObject[];
  /** Every file searched (YAML files and CloudFormation templates). */
  readonly files: readonly string[];
}

/** A check's finding about one discovered object. */
export interface ObjectVerdict {
  readonly found: FoundObject;
  /** The server's (or the check's) reason for refusing the object. */
  readonly rejected?: string;
  /** Warnings; each one fails the run like a rejection. */
  readonly warnings?: readonly string[];
}

export interface CheckResult {
  readonly verdicts?: readonly ObjectVerdict[];
  /** Lines printed before the final line, e.g. `24 pod templates admitted under "restricted"`. */
  readonly summary?: readonly string[];
  /** Problems that belong to no single object; each fails the run. */
  readonly failures?: readonly string[];
}
