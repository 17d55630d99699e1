import { readFileSync } from 'fs';
import * as path from 'path';
import { FIXTURES_DIR } from './schema';

/**
 * Checks every key of a rendered tempo.yaml against the Tempo 3.0.3 key list in
 * test/fixtures/upstream (provenance in its README). Keys of kind "value" may hold free-form maps or lists
 * (receivers, remote_write, external_labels), so we do not descend into them.
 *
 * Override blocks (`overrides.defaults` and every tenant block) are checked against
 * test/fixtures/upstream/tempo-3.0.3-override-defaults.json instead: it is read from the
 * Overrides structs themselves, while the key list misses some of their fields
 * (`cost_attribution.max_cardinality`, `read.metrics_spanonly_fetch`, the generator's
 * `forwarder` and `processor.*` fields) and gives some defaults that are not the code's
 * (`trace_id_label_name` "traceID", `artificial_delay` "0ms", `ring_size` null).
 */
interface KeyEntry { path: string; kind: 'block' | 'value' }

const KEYS_FILE = path.join(FIXTURES_DIR, 'tempo-3.0.3-config-keys.json');
export const OVERRIDE_DEFAULTS_FILE = path.join(FIXTURES_DIR, 'tempo-3.0.3-override-defaults.json');
const OVERRIDES_ROOT = 'overrides.defaults';
let known: Map<string, KeyEntry['kind']> | undefined;
let overrideLeaves: Map<string, unknown> | undefined;
let overrideBlocks: Set<string> | undefined;

function knownKeys(): Map<string, KeyEntry['kind']> {
  if (!known) {
    const entries = JSON.parse(readFileSync(KEYS_FILE, 'utf8')) as KeyEntry[];
    known = new Map(entries.map((e) => [e.path, e.kind]));
  }
  return known;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every leaf field of a Tempo 3.0.3 overrides block (dotted, relative to the block) with its built-in default. */
export function tempoOverrideDefaults(): Map<string, unknown> {
  if (!overrideLeaves) {
    const file = JSON.parse(readFileSync(OVERRIDE_DEFAULTS_FILE, 'utf8')) as { defaults: Record<string, unknown> };
    overrideLeaves = new Map();
    overrideBlocks = new Set();
    const walk = (node: Record<string, unknown>, prefix: string) => {
      for (const [key, value] of Object.entries(node)) {
        const p = prefix ? `${prefix}.${key}` : key;
        if (isPlainObject(value)) { overrideBlocks!.add(p); walk(value, p); } else overrideLeaves!.set(p, value);
      }
    };
    walk(file.defaults, '');
  }
  return overrideLeaves;
}

function overrideKind(relative: string): KeyEntry['kind'] | undefined {
  const leaves = tempoOverrideDefaults();
  if (overrideBlocks!.has(relative)) return 'block';
  return leaves.has(relative) ? 'value' : undefined;
}

/** Paths in `config` that Tempo 3.0.3 does not know. `root` lets overrides blocks be checked as `overrides.defaults`. */
export function unknownTempoKeys(config: Record<string, unknown>, root = ''): string[] {
  const keys = knownKeys();
  const unknown: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const p = prefix ? `${prefix}.${key}` : key;
      const kind = p.startsWith(`${OVERRIDES_ROOT}.`) ? overrideKind(p.slice(OVERRIDES_ROOT.length + 1)) : keys.get(p);
      if (!kind) { unknown.push(p); continue; }
      if (kind === 'block' && isPlainObject(value)) walk(value, p);
    }
  };
  walk(config, root);
  return unknown;
}

/** Checks a runtime overrides file (`overrides: { <tenant>: {...} }`): each tenant block uses `overrides.defaults.*` keys. */
export function unknownTempoOverrideKeys(overridesFile: Record<string, unknown>): string[] {
  const tenants = (overridesFile.overrides ?? {}) as Record<string, Record<string, unknown>>;
  const unknown: string[] = Object.keys(overridesFile).filter((k) => k !== 'overrides');
  for (const [tenant, block] of Object.entries(tenants)) {
    unknown.push(...unknownTempoKeys(block, OVERRIDES_ROOT).map((p) => `${tenant}: ${p}`));
  }
  return unknown;
}

/** The Go zero value Tempo gives a field a tenant block leaves out, in the fixture's notation. */
function goZero(builtin: unknown): unknown {
  if (typeof builtin === 'number') return 0;
  if (typeof builtin === 'boolean') return false;
  if (typeof builtin === 'string') return /^\d+(\.\d+)?(ns|us|ms|s|m|h)(\d|$)/.test(builtin) ? '0s' : '';
  return null;
}

/** What Tempo 3.0.3 uses for each field of a per-tenant block: the block's value, or the Go zero value when absent or null. */
export function effectiveTenantOverrides(block: Record<string, unknown>): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const [field, builtin] of tempoOverrideDefaults()) {
    const value = field.split('.').reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), block);
    result.set(field, value === undefined || value === null ? goZero(builtin) : value);
  }
  return result;
}

/**
 * Fields of a per-tenant block whose effective value differs from Tempo's built-in default,
 * other than the fields in `chosen` (what the deployment sets on purpose, with the expected value).
 * An empty list means the tenant gets exactly the built-in behaviour plus the chosen settings.
 */
export function tenantBlockDeviations(block: Record<string, unknown>, chosen: Record<string, unknown> = {}): string[] {
  const out: string[] = [];
  const builtins = tempoOverrideDefaults();
  for (const [field, effective] of effectiveTenantOverrides(block)) {
    const expected = field in chosen ? chosen[field] : builtins.get(field);
    if (JSON.stringify(effective) !== JSON.stringify(expected)) {
      out.push(`${field}: Tempo would use ${JSON.stringify(effective)}, expected ${JSON.stringify(expected)}`);
    }
  }
  for (const field of Object.keys(chosen)) if (!builtins.has(field)) out.push(`${field}: not an override field`);
  return out;
}

/** Override fields our props set (limits, retention, generator processors); every other field must keep Tempo's built-in default. */
export const TEMPO_OVERRIDE_FIELDS_WE_SET = [
  'ingestion.rate_limit_bytes', 'ingestion.burst_size_bytes', 'ingestion.max_traces_per_user', 'global.max_bytes_per_trace',
  'compaction.block_retention', 'metrics_generator.processors',
];

/**
 * Problems of one overrides block (defaults or tenant) as Tempo 3.0.3 reads a tenant block: a field we
 * set that is missing (its zero value would apply: a 0 rate limit rejects every push), or any other field
 * whose effective value is not the built-in default.
 */
export function tenantBlockProblems(block: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const chosen: Record<string, unknown> = {};
  for (const field of TEMPO_OVERRIDE_FIELDS_WE_SET) {
    const value = field.split('.').reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), block);
    if (value === undefined || value === null) {
      if (field !== 'metrics_generator.processors') problems.push(`${field}: missing, so Tempo would use its zero value`);
    } else {
      chosen[field] = value;
    }
  }
  return [...problems, ...tenantBlockDeviations(block, chosen)];
}
