import { stringify } from 'yaml';

/**
 * YAML the way we write config files: stable key order as given, no line folding, no anchors.
 *
 * Written for YAML 1.1 readers: every program that reads these files is Go (Jaeger and the
 * collector through confmap, Tempo, Grafana, Prometheus), and Go's YAML libraries resolve
 * plain scalars the YAML 1.1 way. A plain `2006-01-02` is a timestamp to them (Jaeger then
 * refuses `date_layout`: "expected type 'string', got unconvertible type 'time.Time'"), `on`/`yes`/`y`
 * are booleans and `1:20` a number. With `version: '1.1'` every string that a 1.1 reader would
 * take for another type is quoted; numbers and booleans stay plain.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });
}
