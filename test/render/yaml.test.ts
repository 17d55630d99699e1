import { parse } from 'yaml';
import { toYaml } from '../../lib/render/yaml';

// Go YAML readers (yaml.v2, yaml.v3 into interface{}, confmap) resolve plain scalars the YAML 1.1
// way. Found by the real Jaeger: a plain `date_layout: 2006-01-02` reached it as a time.Time.
describe('toYaml writes strings a YAML 1.1 reader keeps as strings', () => {
  test.each([
    ['2006-01-02'], ['2026-12-04T10:00:00Z'], ['on'], ['off'], ['yes'], ['no'], ['y'], ['1:20'], ['0755'], ['null'], ['~'], ['0.5'],
  ])('%s is quoted', (s) => {
    const text = toYaml({ key: s });
    expect(text).toMatch(/^key: "/);
    expect(parse(text, { version: '1.1' })).toEqual({ key: s });
    expect(parse(text)).toEqual({ key: s });
  });

  test('plain strings, numbers and booleans stay plain', () => {
    expect(toYaml({ a: '1h', b: 'plain text', c: 3, d: true, e: '0.0.0.0:4317' })).toBe('a: 1h\nb: plain text\nc: 3\nd: true\ne: 0.0.0.0:4317\n');
  });
});
