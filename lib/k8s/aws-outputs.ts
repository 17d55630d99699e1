import { readFileSync } from 'fs';
import { TEMPO_OUTPUTS } from '../core/outputs';

/** Values that come from AWS, as plain strings, for a chart synthesized with cdk8s. */
export interface TempoAwsValues {
  readonly bucketName: string;
  readonly region: string;
  readonly roleArn?: string;
  readonly prefix?: string;
}

type Json = Record<string, unknown>;

/**
 * Reads Tempo's AWS values from either file a GitOps pipeline has at hand:
 * - the JSON `cdk deploy --outputs-file` writes (`{ "<Stack>": { "TempoBucketName": ... } }`), or
 * - a small config file `{ "bucketName": ..., "region": ..., "roleArn": ..., "prefix": ... }`.
 *
 * With several stacks in an outputs file, pass `stackName`. `outputPrefix` matches
 * the `outputPrefix` given to the AWS construct (default `Tempo`).
 */
export function readTempoAwsValues(file: string, options: { stackName?: string; outputPrefix?: string } = {}): TempoAwsValues {
  return tempoAwsValuesFrom(readAwsValuesFile(file), file, options);
}

/** Parses a JSON values or outputs file, with an error that names the file and the fix. */
export function readAwsValuesFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`[${file}] cannot read AWS values: ${(e as Error).message}; pass the JSON written by \`cdk deploy --outputs-file\` or a {bucketName, region} file`);
  }
}

/** Same as {@link readTempoAwsValues}, on already-parsed JSON. */
export function tempoAwsValuesFrom(parsed: unknown, source: string, options: { stackName?: string; outputPrefix?: string } = {}): TempoAwsValues {
  if (!isObject(parsed)) throw new Error(`[${source}] expected a JSON object (got ${JSON.stringify(parsed)}); pass cdk outputs or {bucketName, region}`);
  if (typeof parsed.bucketName === 'string') {
    return checked(source, {
      bucketName: parsed.bucketName,
      region: String(parsed.region ?? ''),
      roleArn: optionalString(parsed.roleArn),
      prefix: optionalString(parsed.prefix),
    });
  }
  const key = (name: string) => name.replace(/^Tempo/, options.outputPrefix ?? 'Tempo');
  const stacks = Object.entries(parsed).filter(([, v]) => isObject(v) && typeof (v as Json)[key(TEMPO_OUTPUTS.bucketName)] === 'string');
  const chosen = options.stackName ? stacks.filter(([name]) => name === options.stackName) : stacks;
  if (chosen.length !== 1) {
    throw new Error(`[${source}] expected exactly one stack with output ${key(TEMPO_OUTPUTS.bucketName)} (got ${JSON.stringify(stacks.map(([n]) => n))}); ` +
      (chosen.length === 0 ? 'deploy the Tempo stack with --outputs-file, or check outputPrefix' : 'pass stackName to choose one'));
  }
  const outputs = chosen[0][1] as Json;
  return checked(source, {
    bucketName: String(outputs[key(TEMPO_OUTPUTS.bucketName)]),
    region: String(outputs[key(TEMPO_OUTPUTS.bucketRegion)] ?? ''),
    roleArn: optionalString(outputs[key(TEMPO_OUTPUTS.roleArn)]),
    prefix: optionalString(outputs[key(TEMPO_OUTPUTS.bucketPrefix)]),
  });
}

function checked(source: string, values: TempoAwsValues): TempoAwsValues {
  if (!values.region) throw new Error(`[${source}] the bucket region is missing (got ${JSON.stringify(values)}); add "region"`);
  return values;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
