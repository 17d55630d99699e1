import { stringify } from 'yaml';

/** YAML the way we write config files: stable key order as given, no line folding, no anchors. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });
}
