import { stringify } from 'yaml';
import { TracingConfigError } from '../../lib/core';
import { crossReferenceProblems } from '../helpers/cross-refs';
import { restrictedViolations } from '../helpers/pod-security';
import { K8sObject, manifestProblems } from '../helpers/schema';
import { tenantBlockProblems, unknownTempoKeys, unknownTempoOverrideKeys } from '../helpers/tempo-keys';
import { parse as parseYaml } from 'yaml';

/**
 * The property every public construct must hold for any props: it either throws our configuration
 * error (`[<construct path>] <problem> (got <value>); <fix>`), or synthesizes objects that pass the
 * strict schemas, the "restricted" checker, the Tempo key and override checks and the
 * cross-reference checks, with no `undefined`, `NaN`, `Infinity` or `[object Object]` anywhere in the output.
 * Anything else (a TypeError, a cdk8s or aws-cdk-lib error, a broken object) is a bug.
 */
const MESSAGE = /^\[([^\]]+)\] ([\s\S]+) \(got ([\s\S]*)\); ([\s\S]+)$/;
/** A factory name such as `IngressAuth.unauthenticated` is not a construct path. */
const FACTORY = /^[A-Z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/;
const BAD_TEXT = /\bundefined\b|\bNaN\b|\[object Object\]|\bInfinity\b/;

export type Outcome = 'refused' | 'synthesized';

/** Refusal reasons seen (the problem text up to its first quote or parenthesis), for tuning the generators. */
export const refusals = new Map<string, number>();

export function checkConfigError(e: unknown): void {
  if (!(e instanceof TracingConfigError)) throw e;
  const m = MESSAGE.exec(e.message);
  if (m) {
    const reason = m[2].split(/["(]/)[0].trim().slice(0, 70);
    refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
  }
  if (!m) throw new Error(`configuration error without path, value and fix: ${e.message}`);
  if (FACTORY.test(m[1])) throw new Error(`configuration error names a factory, not a construct path: ${e.message}`);
  if (m[2].trim() === '' || m[4].trim() === '') throw new Error(`configuration error without a problem or a fix: ${e.message}`);
}

/** Problems of synthesized Kubernetes objects; empty when every check passes. */
export function outputProblems(objects: K8sObject[]): string[] {
  const problems = [...manifestProblems(objects), ...restrictedViolations(objects), ...crossReferenceProblems(objects)];
  const text = stringify(objects);
  const bad = BAD_TEXT.exec(text);
  if (bad) problems.push(`output contains "${bad[0]}" near: ${text.slice(Math.max(0, bad.index - 120), bad.index + 40)}`);
  // A "${Token[...]}" string is what the EKS path passes for values known at deploy time: the GitOps
  // synth guard (findLeakedTokens in the cdk8s entry) refuses it there, so it is not a construct bug.
  for (const cm of objects as any[]) {
    if (cm.kind !== 'ConfigMap' || !cm.data?.['tempo.yaml']) continue;
    const config = parseYaml(cm.data['tempo.yaml']);
    problems.push(...unknownTempoKeys(config).map((k) => `tempo.yaml: unknown key ${k}`));
    const tenants = cm.data['overrides.yaml'] ? parseYaml(cm.data['overrides.yaml']) : { overrides: {} };
    problems.push(...unknownTempoOverrideKeys(tenants).map((k) => `overrides.yaml: unknown key ${k}`));
    for (const [tenant, block] of Object.entries({ defaults: config.overrides?.defaults ?? {}, ...tenants.overrides })) {
      problems.push(...tenantBlockProblems(block as Record<string, unknown>).map((p) => `overrides ${tenant}: ${p}`));
    }
  }
  return problems;
}

/** Runs `build` and applies the property; throws (failing the fast-check run) on a bug. */
export function judge(build: () => K8sObject[]): Outcome {
  let objects: K8sObject[];
  try {
    objects = build();
  } catch (e) {
    checkConfigError(e);
    return 'refused';
  }
  const problems = outputProblems(objects);
  if (problems.length > 0) throw new Error(`synthesized output fails the checks:\n${problems.slice(0, 20).join('\n')}`);
  return 'synthesized';
}

/** Runs per property: a short run in `npm test`, `CDK_TRACING_PROPERTY_RUNS` for a long one. */
export function runs(short: number): number {
  const env = process.env.CDK_TRACING_PROPERTY_RUNS;
  if (env === undefined || env === '') return short;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) throw new Error(`CDK_TRACING_PROPERTY_RUNS must be a positive integer (got ${JSON.stringify(env)})`);
  return n;
}

/** `CDK_TRACING_PROPERTY_SEED` replays one run (fast-check prints the seed of a failure). */
export function seed(): number | undefined {
  const env = process.env.CDK_TRACING_PROPERTY_SEED;
  return env === undefined || env === '' ? undefined : Number(env);
}
