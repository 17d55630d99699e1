/**
 * Where the expected retention comes from: the `--retention` flag, or the
 * synthesized output of this library (`dist/*.k8s.yaml` from cdk8s, or a
 * template in `cdk.out/` from aws-cdk-lib). Every problem is a UsageError that
 * names the file, the key and the fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { LIFECYCLE_SAFETY_MARGIN_DAYS } from '../core/tempo-bucket-layout';
import type { RetentionView } from './checks';
import { parseRetention } from './duration';
import { UsageError } from './errors';
import { rulesFromCloudFormation } from './lifecycle';

/** Tempo's built-in `block_retention` when tempo.yaml sets none (336h). */
export const TEMPO_DEFAULT_RETENTION_HOURS = 336;

/**
 * Optional `Metadata` key on the template's bucket resource holding the
 * retention in hours. Read first when present; otherwise the retention is
 * derived from the expiry rule (expiry days minus the safety margin).
 */
export const RETENTION_METADATA_KEY = 'cdk-tracing:retention-hours';
/** Per-tenant retention in hours, as `{ "<tenant>": hours }`, on the same bucket resource. */
export const TENANT_RETENTION_METADATA_KEY = 'cdk-tracing:tenant-retention-hours';

/** The expected retention plus what the synthesized output said about the bucket. */
export interface ExpectedRetention extends RetentionView {
  /** Human description of the source, shown in the report. */
  readonly source: string;
  /** `storage.trace.s3.prefix` from tempo.yaml, when read from there. */
  readonly prefix?: string;
  /** Things worth telling the user (e.g. "tempo.yaml sets no retention, Tempo's default applies"). */
  readonly notes: readonly string[];
}

/** Expected retention from a `--retention` value. */
export function retentionFromFlag(text: string): ExpectedRetention {
  const retention = parseRetention(text);
  if (!retention) {
    throw new UsageError(`--retention must be a whole number of hours or days, at least 1 hour, such as 14d or 336h (got ${JSON.stringify(text)})`);
  }
  return { defaultHours: retention.hours, perTenantHours: {}, source: `--retention ${text}`, notes: [] };
}

/**
 * Expected retention from synthesized output. `target` is a file or directory;
 * `*.yaml`/`*.yml` are read as Kubernetes manifests, `*.template.json` as
 * CloudFormation templates.
 */
export function retentionFromSynth(target: string, bucket: string): ExpectedRetention {
  if (!fs.existsSync(target)) throw new UsageError(`--synth ${target}: no such file or directory; point it at dist/ (cdk8s synth) or cdk.out/ (cdk synth)`);
  const files = fs.statSync(target).isDirectory()
    ? fs.readdirSync(target).sort().map((f) => path.join(target, f)).filter((f) => fs.statSync(f).isFile())
    : [target];
  const yamlFiles = files.filter((f) => /\.ya?ml$/.test(f));
  const templates = files.filter((f) => /\.template\.json$/.test(f) || (files.length === 1 && f.endsWith('.json')));
  if (yamlFiles.length > 0) return fromManifests(yamlFiles, bucket);
  if (templates.length > 0) return fromTemplates(templates, bucket);
  throw new UsageError(`--synth ${target}: found no *.k8s.yaml manifests and no *.template.json templates; run cdk8s synth or cdk synth first, or pass --retention`);
}

/**
 * Default source when neither flag is given: `./dist` if it holds manifests,
 * then `./cdk.out`. Returns undefined when neither exists.
 */
export function retentionFromDefaultSynth(cwd: string, bucket: string): ExpectedRetention | undefined {
  for (const dir of ['dist', 'cdk.out']) {
    const full = path.join(cwd, dir);
    if (fs.existsSync(full) && fs.statSync(full).isDirectory()) {
      const hasInput = fs.readdirSync(full).some((f) => /\.ya?ml$|\.template\.json$/.test(f));
      if (hasInput) return retentionFromSynth(full, bucket);
    }
  }
  return undefined;
}

interface TempoConfigMap {
  readonly file: string;
  readonly name: string;
  readonly tempo: Record<string, unknown>;
  readonly overridesText?: string;
}

/** A Kubernetes object and where it was read from. */
interface SourcedObject {
  readonly where: string;
  readonly obj: unknown;
}

function fromManifests(files: string[], bucket: string): ExpectedRetention {
  const objects: SourcedObject[] = [];
  for (const file of files) {
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf-8'));
    for (const doc of docs) {
      if (doc.errors.length > 0) throw new UsageError(`${file}: not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
      objects.push({ where: file, obj: doc.toJS() });
    }
  }
  const found = fromKubernetesObjects(objects, bucket);
  if (!found) {
    throw new UsageError(`found no ConfigMap with a tempo.yaml key in ${files.join(', ')}; pass --retention, or --synth with the output that contains Tempo`);
  }
  return found;
}

/** Reads Tempo's retention from ConfigMaps; undefined when none holds a tempo.yaml. */
function fromKubernetesObjects(objects: readonly SourcedObject[], bucket: string): ExpectedRetention | undefined {
  const configs: TempoConfigMap[] = [];
  const overridesOnly: { file: string; name: string; text: string }[] = [];
  for (const { where: file, obj: raw } of objects) {
    const obj = raw as { kind?: string; metadata?: { name?: string }; data?: Record<string, unknown> } | null;
    if (obj?.kind !== 'ConfigMap' || !obj.data) continue;
    const name = obj.metadata?.name ?? '(unnamed)';
    const tempoText = obj.data['tempo.yaml'];
    const overridesText = typeof obj.data['overrides.yaml'] === 'string' ? obj.data['overrides.yaml'] : undefined;
    if (typeof tempoText === 'string') {
      configs.push({ file, name, tempo: parseEmbedded(tempoText, file, name, 'tempo.yaml'), overridesText });
    } else if (overridesText !== undefined) {
      overridesOnly.push({ file, name, text: overridesText });
    }
  }
  if (configs.length === 0) return undefined;
  let chosen = configs;
  if (configs.length > 1) {
    chosen = configs.filter((c) => get(c.tempo, ['storage', 'trace', 's3', 'bucket']) === bucket);
    if (chosen.length !== 1) {
      throw new UsageError(`found ${configs.length} Tempo configs (${configs.map((c) => `${path.basename(c.file)}: ConfigMap ${c.name}`).join('; ')}) and ${chosen.length} of them store blocks in bucket "${bucket}"; pass --synth with a single file, or --retention`);
    }
  }
  const config = chosen[0];
  const where = `${config.file} (ConfigMap ${config.name})`;
  const configuredBucket = get(config.tempo, ['storage', 'trace', 's3', 'bucket']);
  if (typeof configuredBucket === 'string' && configuredBucket !== bucket && !configuredBucket.includes('$')) {
    throw new UsageError(`${where} stores blocks in bucket "${configuredBucket}", not "${bucket}"; check --bucket, or pass --retention`);
  }
  const notes: string[] = [];
  const base = readRetention(config.tempo, ['backend_worker', 'compaction', 'block_retention'], `${where} tempo.yaml`);
  let defaultHours = base ?? TEMPO_DEFAULT_RETENTION_HOURS;
  if (base === undefined) notes.push(`tempo.yaml sets no backend_worker.compaction.block_retention, so Tempo's default of 336h applies`);
  const scheduler = readRetention(config.tempo, ['backend_scheduler', 'provider', 'compaction', 'compaction', 'block_retention'], `${where} tempo.yaml`);
  if (scheduler !== undefined && scheduler !== defaultHours) {
    notes.push(`tempo.yaml sets block_retention ${scheduler}h for the backend-scheduler but ${defaultHours}h for the workers; keep both equal`);
  }
  // overrides.defaults applies to tenants without an entry of their own (a
  // non-zero value wins over the worker setting).
  const defaultsOverride = readRetention(config.tempo, ['overrides', 'defaults', 'compaction', 'block_retention'], `${where} tempo.yaml`);
  const workerHours = defaultHours;
  if (defaultsOverride !== undefined) defaultHours = defaultsOverride;

  const perTenantHours: Record<string, number> = {};
  const overridesSource = config.overridesText !== undefined ? { text: config.overridesText, where }
    : overridesOnly.length === 1 ? { text: overridesOnly[0].text, where: `${overridesOnly[0].file} (ConfigMap ${overridesOnly[0].name})` } : undefined;
  if (overridesSource) {
    const overrides = parseEmbedded(overridesSource.text, overridesSource.where, '', 'overrides.yaml');
    const tenants = get(overrides, ['overrides']);
    if (tenants !== undefined && (typeof tenants !== 'object' || tenants === null || Array.isArray(tenants))) {
      throw new UsageError(`${overridesSource.where} overrides.yaml: "overrides" must map tenant ids to settings`);
    }
    for (const [tenant, settings] of Object.entries((tenants ?? {}) as Record<string, unknown>)) {
      const hours = readRetention(settings, ['compaction', 'block_retention'], `${overridesSource.where} overrides.yaml overrides.${tenant}`);
      // Tenant entries replace the defaults rather than merge with them: an
      // entry without block_retention falls back to the worker setting.
      const effective = hours ?? workerHours;
      if (tenant === '*') {
        defaultHours = effective;
      } else {
        perTenantHours[tenant] = effective;
      }
    }
  }
  const prefix = get(config.tempo, ['storage', 'trace', 's3', 'prefix']);
  return { defaultHours, perTenantHours, source: where, prefix: typeof prefix === 'string' ? prefix : undefined, notes };
}

/**
 * Stand-in for a CloudFormation reference inside a manifest. It contains `$`
 * so a bucket name made of it is recognised as "not known until deploy".
 */
const CFN_REFERENCE = '${cfn-ref}';

/**
 * Kubernetes objects an EKS stack applies (`Custom::AWSCDK-EKS-KubernetesResource`
 * and friends carry them as a JSON `Manifest`, an `Fn::Join` when tokens such as
 * the bucket name flow in). References become CFN_REFERENCE.
 */
function manifestObjects(file: string, id: string, manifest: unknown): SourcedObject[] {
  let text: string | undefined;
  if (typeof manifest === 'string') {
    text = manifest;
  } else {
    const join = (manifest as { 'Fn::Join'?: [unknown, unknown[]] } | undefined)?.['Fn::Join'];
    if (join && Array.isArray(join[1])) {
      const separator = typeof join[0] === 'string' ? join[0] : '';
      text = join[1].map((part) => (typeof part === 'string' ? part : CFN_REFERENCE)).join(separator);
    }
  }
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return (Array.isArray(parsed) ? parsed : [parsed]).map((obj) => ({ where: `${file} (${id})`, obj }));
  } catch {
    return []; // A reference in a non-string position; not a manifest we can read.
  }
}

function fromTemplates(files: string[], bucket: string): ExpectedRetention {
  const buckets: { file: string; id: string; props: Record<string, unknown>; metadata: Record<string, unknown> }[] = [];
  const manifests: SourcedObject[] = [];
  for (const file of files) {
    let template: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }> };
    try {
      template = JSON.parse(fs.readFileSync(file, 'utf-8'));
    } catch (err) {
      throw new UsageError(`${file}: not valid JSON (${(err as Error).message}); run cdk synth again`);
    }
    for (const [id, res] of Object.entries(template.Resources ?? {})) {
      if (res.Type === 'AWS::S3::Bucket') buckets.push({ file, id, props: res.Properties ?? {}, metadata: res.Metadata ?? {} });
      if (res.Properties?.Manifest !== undefined) manifests.push(...manifestObjects(file, id, res.Properties.Manifest));
    }
  }
  // On EKS the template carries Tempo's own config: the most direct source.
  const fromManifest = fromKubernetesObjects(manifests, bucket);
  if (fromManifest) return fromManifest;
  // Prefer the bucket whose literal name matches; then one that declares its
  // retention; then the one with an abort-multipart rule, which TempoBucket
  // always writes (its access-log bucket has an expiry but no abort rule).
  let candidates = buckets.filter((b) => b.props.BucketName === bucket);
  if (candidates.length === 0) candidates = buckets.filter((b) => b.metadata[RETENTION_METADATA_KEY] !== undefined);
  if (candidates.length === 0) {
    candidates = buckets.filter((b) => rulesFromCloudFormation(lifecycleRulesOf(b.props)).some((r) => r.enabled && r.abortIncompleteMultipartUploadDays !== undefined));
  }
  if (candidates.length !== 1) {
    const list = buckets.map((b) => `${path.basename(b.file)}: ${b.id}`).join('; ') || 'none';
    throw new UsageError(`cannot tell which AWS::S3::Bucket in ${files.join(', ')} is "${bucket}" (buckets: ${list}); pass --retention instead`);
  }
  const chosen = candidates[0];
  const where = `${chosen.file} (${chosen.id})`;
  const declared = chosen.metadata[RETENTION_METADATA_KEY];
  if (declared !== undefined) {
    const hours = Number(declared);
    if (!Number.isInteger(hours) || hours < 1) throw new UsageError(`${where}: Metadata ${RETENTION_METADATA_KEY} must be a whole number of hours (got ${JSON.stringify(declared)})`);
    const perTenantHours: Record<string, number> = {};
    const tenants = chosen.metadata[TENANT_RETENTION_METADATA_KEY] ?? {};
    for (const [tenant, value] of Object.entries(tenants as Record<string, unknown>)) {
      if (!Number.isInteger(value) || (value as number) < 1) throw new UsageError(`${where}: Metadata ${TENANT_RETENTION_METADATA_KEY}.${tenant} must be a whole number of hours (got ${JSON.stringify(value)})`);
      perTenantHours[tenant] = value as number;
    }
    return { defaultHours: hours, perTenantHours, source: where, notes: [] };
  }
  const expiries = rulesFromCloudFormation(lifecycleRulesOf(chosen.props))
    .filter((r) => r.enabled && r.expirationDays !== undefined)
    .map((r) => r.expirationDays as number);
  if (expiries.length === 0) {
    throw new UsageError(`${where} has no expiry rule to derive the retention from; pass --retention`);
  }
  const days = Math.min(...expiries) - LIFECYCLE_SAFETY_MARGIN_DAYS;
  if (days < 1) {
    throw new UsageError(`${where}: its shortest expiry (${Math.min(...expiries)} days) is not longer than the ${LIFECYCLE_SAFETY_MARGIN_DAYS}-day safety margin, so no retention can be derived; pass --retention`);
  }
  return {
    defaultHours: days * 24, perTenantHours: {}, source: where,
    notes: [`retention derived from the template: shortest expiry ${days + LIFECYCLE_SAFETY_MARGIN_DAYS} days minus the ${LIFECYCLE_SAFETY_MARGIN_DAYS}-day safety margin`],
  };
}

function lifecycleRulesOf(props: Record<string, unknown>): unknown[] {
  const rules = (props.LifecycleConfiguration as { Rules?: unknown } | undefined)?.Rules;
  return Array.isArray(rules) ? rules : [];
}

function parseEmbedded(text: string, file: string, name: string, key: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new UsageError(`${file}${name ? ` ConfigMap ${name}` : ''}: data key ${key} is not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${file}${name ? ` ConfigMap ${name}` : ''}: data key ${key} must be a YAML mapping`);
  return value as Record<string, unknown>;
}

function get(obj: unknown, keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Reads a duration key; absent or zero ("not set" in Tempo) gives undefined. */
function readRetention(obj: unknown, keys: string[], where: string): number | undefined {
  const value = get(obj, keys);
  if (value === undefined || value === null || value === 0 || value === '0' || value === '0s') return undefined;
  const retention = typeof value === 'string' ? parseRetention(value) : undefined;
  if (!retention) {
    throw new UsageError(`${where}: ${keys.join('.')} must be a duration in whole hours such as 336h (got ${JSON.stringify(value)}); fix the config or pass --retention`);
  }
  return retention.hours;
}
