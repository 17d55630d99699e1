import { readFileSync } from 'fs';
import * as path from 'path';
import { SCHEMAS_DIR } from './schema';

/**
 * Checks every key of a rendered tempo.yaml against the Tempo 3.0.3 key list in
 * ../shared/reference. Keys of kind "value" may hold free-form maps or lists
 * (receivers, remote_write, external_labels), so we do not descend into them.
 */
interface KeyEntry { path: string; kind: 'block' | 'value' }

const KEYS_FILE = path.join(SCHEMAS_DIR, '..', 'reference', 'tempo-3.0.3-config-keys.json');
let known: Map<string, KeyEntry['kind']> | undefined;

function knownKeys(): Map<string, KeyEntry['kind']> {
  if (!known) {
    const entries = JSON.parse(readFileSync(KEYS_FILE, 'utf8')) as KeyEntry[];
    known = new Map(entries.map((e) => [e.path, e.kind]));
  }
  return known;
}

/** Paths in `config` that Tempo 3.0.3 does not know. `root` lets overrides blocks be checked as `overrides.defaults`. */
export function unknownTempoKeys(config: Record<string, unknown>, root = ''): string[] {
  const keys = knownKeys();
  const unknown: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const p = prefix ? `${prefix}.${key}` : key;
      const kind = keys.get(p);
      if (!kind) { unknown.push(p); continue; }
      if (kind === 'block' && value && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, p);
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
    unknown.push(...unknownTempoKeys(block, 'overrides.defaults').map((p) => `${tenant}: ${p}`));
  }
  return unknown;
}
