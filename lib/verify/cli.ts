/**
 * `cdk-tracing verify`: argument parsing, wiring and exit codes. Everything
 * that does real work lives in the other modules; this file only turns argv
 * and the environment into VerifyOptions and a report into text.
 */
import { parseArgs } from 'util';
import type { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_GRACE_HOURS } from './checks';
import { ClientOptions, createReadOnlyClient } from './client';
import { parseDurationSeconds } from './duration';
import { CouldNotCheckError, UsageError } from './errors';
import { ExpectedRetention, retentionFromDefaultSynth, retentionFromFlag, retentionFromSynth } from './expected-retention';
import { TextStream, ttyProgress } from './progress';
import { JSON_REPORT_VERSION, renderJson, renderTable } from './report';
import { ExitCode } from './types';
import { verifyBucket, VerifyOptions } from './verify';

/** Default number of meta.json reads in flight. */
export const DEFAULT_CONCURRENCY = 16;

/** Where the CLI reads and writes; the bin passes the real process, tests pass fakes. */
export interface CliIo {
  readonly stdout: TextStream;
  readonly stderr: TextStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Builds the S3 client; tests wrap it to record commands. */
  readonly createClient?: (options: ClientOptions) => S3Client;
  /** Pins "now" for block ages (tests). */
  readonly now?: Date;
}

export const TOP_HELP = `Usage: cdk-tracing <command> [options]

Commands:
  verify    read a deployed Tempo bucket and check that storage and retention are healthy

Run "cdk-tracing verify --help" for the options of verify.`;

export const VERIFY_HELP = `Usage: cdk-tracing verify --bucket <name> [options]

Reads a Tempo bucket (strictly read-only: List, Get and Head requests only) and
reports, per tenant, block count, size, oldest and newest block age and blocks
past retention, plus incomplete multipart uploads and the bucket settings Tempo
depends on: lifecycle rules, public access block, default encryption and a
TLS-only policy. A setting the endpoint cannot report is shown as "not supported
by this endpoint", never as healthy.

Where the bucket is:
  --bucket <name>        bucket Tempo stores blocks in (required)
  --prefix <prefix>      Tempo's storage.trace.s3.prefix (default: none, or the
                         one in the synthesized tempo.yaml)
  --region <region>      bucket region (default: $AWS_REGION, $AWS_DEFAULT_REGION;
                         us-east-1 when --endpoint is given)
  --endpoint <url>       S3-compatible endpoint, e.g. http://127.0.0.1:9000
                         (path-style addressing)

Expected retention (one of; default: ./dist, then ./cdk.out):
  --retention <dur>      e.g. 14d, 336h or 336h0m0s (whole hours)
  --synth <path>         synthesized output: dist/ or a *.k8s.yaml (reads
                         backend_worker.compaction.block_retention and per-tenant
                         overrides), or cdk.out/ or a *.template.json (reads the
                         Tempo bucket's retention metadata, or else its
                         lifecycle expiry minus the 7-day margin)

Tuning:
  --grace <dur>          time past retention Tempo may still hold a block
                         (default ${DEFAULT_GRACE_HOURS}h: hourly retention runs, 1h
                         compacted_block_retention, blocklist polls)
  --concurrency <n>      meta.json reads in flight, 1-256 (default ${DEFAULT_CONCURRENCY})
  --page-size <n>        keys per listing page, 1-1000 (default 1000)

Output:
  --json                 machine-readable report on stdout
  --strict               treat "not supported by this endpoint" as "could not check"
  --no-progress          no progress line on stderr (shown only on a terminal)
  -h, --help             this help

Credentials come from the AWS SDK default chain (AWS_PROFILE, environment
variables, SSO, web identity, instance or pod role).

Exit codes:
  0  healthy: nothing wrong in what could be checked
  1  findings: see the FINDINGS section (or "findings" in --json)
  2  could not check: bad flags, unreadable synth output, missing bucket,
     access denied, wrong region, unreachable endpoint`;

const OPTIONS = {
  'bucket': { type: 'string' },
  'prefix': { type: 'string' },
  'region': { type: 'string' },
  'endpoint': { type: 'string' },
  'retention': { type: 'string' },
  'synth': { type: 'string' },
  'grace': { type: 'string' },
  'concurrency': { type: 'string' },
  'page-size': { type: 'string' },
  'json': { type: 'boolean' },
  'strict': { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  'help': { type: 'boolean', short: 'h' },
} as const;

/** Parsed command line of `verify`, before anything is read. */
export interface VerifyArgs {
  readonly help: boolean;
  readonly json: boolean;
  readonly progress: boolean;
  readonly bucket: string;
  readonly prefix?: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly retention?: string;
  readonly synth?: string;
  readonly graceHours: number;
  readonly concurrency: number;
  readonly pageSize: number;
  readonly strict: boolean;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses and validates `verify` arguments. Throws UsageError with a specific message. */
export function parseVerifyArgs(argv: readonly string[], env: CliIo['env']): VerifyArgs {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (err) {
    throw new UsageError(describeParseError(err as Error & { code?: string }));
  }
  const json = values.json === true;
  if (values.help) {
    return { help: true, json, progress: false, bucket: '', region: '', graceHours: 0, concurrency: 1, pageSize: 1, strict: false };
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; every value needs its flag, e.g. --bucket ${positionals[0]}`);

  const bucket = values.bucket as string | undefined;
  if (bucket === undefined || bucket === '') throw new UsageError('--bucket is required: the name of the bucket Tempo stores blocks in');
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw new UsageError(`--bucket must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (got ${JSON.stringify(bucket)})`);
  }

  let prefix = values.prefix as string | undefined;
  if (prefix !== undefined) {
    prefix = prefix.replace(/^\/+|\/+$/g, '');
    if (prefix.split('/').some((part) => part === '') && prefix !== '') {
      throw new UsageError(`--prefix must not contain empty path segments (got ${JSON.stringify(values.prefix)})`);
    }
  }

  const endpoint = values.endpoint as string | undefined;
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new UsageError(`--endpoint must be an http:// or https:// URL such as http://127.0.0.1:9000 (got ${JSON.stringify(endpoint)})`);
    }
  }

  const region = (values.region as string | undefined) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : undefined);
  if (region === undefined) throw new UsageError('no region: pass --region (e.g. --region eu-west-1) or set AWS_REGION');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(region)) throw new UsageError(`--region must look like eu-west-1 (got ${JSON.stringify(region)})`);

  if (values.retention !== undefined && values.synth !== undefined) {
    throw new UsageError('pass either --retention or --synth, not both: they are two sources for the same expected retention');
  }

  let graceHours = DEFAULT_GRACE_HOURS;
  if (values.grace !== undefined) {
    const seconds = parseDurationSeconds(values.grace as string);
    if (seconds === undefined) throw new UsageError(`--grace must be a duration such as 3h, 90m or 1d (got ${JSON.stringify(values.grace)})`);
    graceHours = seconds / 3600;
  }

  const concurrency = intFlag('concurrency', values.concurrency as string | undefined, DEFAULT_CONCURRENCY, 1, 256);
  const pageSize = intFlag('page-size', values['page-size'] as string | undefined, 1000, 1, 1000);

  return {
    help: false, json, progress: values['no-progress'] !== true, bucket, prefix, region, endpoint,
    retention: values.retention as string | undefined, synth: values.synth as string | undefined,
    graceHours, concurrency, pageSize, strict: values.strict === true,
  };
}

function intFlag(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  }
  return Number(text);
}

function describeParseError(err: Error & { code?: string }): string {
  const option = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option && /argument missing/.test(err.message) ? `${option} needs a value` : `invalid value: ${err.message}`;
    default:
      return err.message;
  }
}

/** Resolves the expected retention from flags, or the default synth directories. */
export function resolveExpected(args: VerifyArgs, cwd: string): ExpectedRetention {
  if (args.retention !== undefined) return retentionFromFlag(args.retention);
  if (args.synth !== undefined) return retentionFromSynth(args.synth, args.bucket);
  const found = retentionFromDefaultSynth(cwd, args.bucket);
  if (!found) {
    throw new UsageError('no expected retention: pass --retention (e.g. --retention 14d), or --synth with dist/ or cdk.out/ (none found in the current directory)');
  }
  return found;
}

/**
 * Runs the CLI and returns the exit code. Never throws: every failure becomes
 * a message on stderr (and a JSON error object with `--json`) and exit code 2.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(`${TOP_HELP}\n`);
    return command === undefined ? ExitCode.COULD_NOT_CHECK : ExitCode.HEALTHY;
  }
  if (command !== 'verify') {
    io.stderr.write(`error: unknown command "${command}"\n\n${TOP_HELP}\n`);
    return ExitCode.COULD_NOT_CHECK;
  }
  const wantsJson = rest.includes('--json');
  try {
    const args = parseVerifyArgs(rest, io.env);
    if (args.help) {
      io.stdout.write(`${VERIFY_HELP}\n`);
      return ExitCode.HEALTHY;
    }
    const expected = resolveExpected(args, io.cwd);
    const prefix = args.prefix ?? (expected.prefix ?? '').replace(/^\/+|\/+$/g, '');
    const options: VerifyOptions = {
      bucket: args.bucket, prefix, region: args.region, endpoint: args.endpoint, expected,
      graceHours: args.graceHours, concurrency: args.concurrency, strict: args.strict, pageSize: args.pageSize, now: io.now,
    };
    const client = (io.createClient ?? createReadOnlyClient)({ region: args.region, endpoint: args.endpoint });
    try {
      const progress = args.progress ? ttyProgress(io.stderr) : undefined;
      const report = await verifyBucket(client, options, progress);
      io.stdout.write(`${args.json ? renderJson(report) : renderTable(report)}\n`);
      return report.exitCode;
    } finally {
      client.destroy();
    }
  } catch (err) {
    const kind = err instanceof UsageError ? 'usage' : err instanceof CouldNotCheckError ? 'could-not-check' : 'unexpected';
    const message = err instanceof Error ? err.message : String(err);
    const text = kind === 'usage' ? `error: ${message}\nrun "cdk-tracing verify --help" for usage`
      : kind === 'could-not-check' ? `error: could not check: ${message}` : `error: unexpected failure: ${message}`;
    io.stderr.write(`${text}\n`);
    if (wantsJson) {
      io.stdout.write(`${JSON.stringify({ version: JSON_REPORT_VERSION, error: { kind, message }, exitCode: ExitCode.COULD_NOT_CHECK }, null, 2)}\n`);
    }
    return ExitCode.COULD_NOT_CHECK;
  }
}
