// Every Jaeger configuration in our output is loaded by the real Jaeger (`jaeger validate`), built
// from Go modules by test/upstream/jaeger/ (module v1.75.0 = Jaeger 2.12.0).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { toYaml } from '../../lib/render/yaml';
import { allJaegerOutputs, differingPaths, JaegerOutput, to212Spelling, withTokenAddresses } from './jaeger-output';
import { runToCompletion } from '../helpers/processes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { upstreamProgram } = require('../upstream/build');

jest.setTimeout(300_000);

const outputs = allJaegerOutputs();
let jaeger: string;
let dir: string;

beforeAll(() => {
  jaeger = upstreamProgram('jaeger');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-tracing-jaeger-validate-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `jaeger validate` on a config. Credentials come from the environment, set to throwaway
 * values: the storage user and password, and static AWS keys, because validate builds the
 * sigv4auth extension, which resolves AWS credentials; without them the SDK's default chain
 * would ask the EC2 metadata address. The metadata lookup is disabled outright as well.
 */
async function jaegerValidate(binary: string, config: Record<string, unknown>, file: string): Promise<{ code: number | null; output: string }> {
  fs.writeFileSync(file, toYaml(config));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, TMPDIR: os.tmpdir() };
  return runToCompletion(binary, ['validate', `--config=file:${file}`], {
    timeoutMs: 60_000,
    env: {
      ...env,
      ES_USERNAME: 'validate-user',
      ES_PASSWORD: 'validate-password',
      AWS_ACCESS_KEY_ID: 'AKIDTHROWAWAYVALIDATE',
      AWS_SECRET_ACCESS_KEY: 'throwaway-secret-for-jaeger-validate',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
}

/** What validate loads: our config with tokens standing in for their addresses, in 2.12's rotation spelling. */
function as212(o: JaegerOutput): Record<string, unknown> {
  return to212Spelling(withTokenAddresses(o.config).config).config;
}

describe('jaeger validate (Jaeger 2.12.0 built from Go modules)', () => {
  test('our output has Jaeger configs from every example and variant, both roles', () => {
    const sources = [...new Set(outputs.map((o) => o.source))];
    process.stdout.write(`Jaeger configs in our output: ${outputs.length} from ${sources.length} sources: ${sources.join('; ')}\n`);
    expect(sources.filter((s) => s.startsWith('example')).length).toBeGreaterThanOrEqual(2);
    for (const source of sources) {
      expect(outputs.filter((o) => o.source === source).map((o) => o.role).sort()).toEqual(['collector', 'query']);
    }
  });

  test('every config file reads the same to a YAML 1.1 reader (Go) as to a 1.2 one', () => {
    for (const o of outputs) expect(parse(o.text, { version: '1.1' })).toEqual(parse(o.text));
  });

  test('the 2.12 spelling changes only the index rotation keys', () => {
    for (const o of outputs) {
      const { config, rewrites } = to212Spelling(o.config);
      const changed = differingPaths(o.config, config);
      expect(changed.every((p) => /\.indices\.(spans|services|dependencies|sampling)\.(rotation|date_layout|rollover_frequency)$|\.use_aliases$|\.use_ilm$/.test(p))).toBe(true);
      expect(changed.sort()).toEqual([...new Set(rewrites.map((r) => r.path))].sort());
    }
  });

  test('only server_urls carry a CDK token, and only they are replaced', () => {
    const withTokens = outputs.filter((o) => o.text.includes('${Token['));
    expect(withTokens.map((o) => o.source)).toEqual([...new Set(withTokens.map((o) => o.source))].flatMap((s) => [s, s]));
    for (const o of outputs) {
      const { config } = withTokenAddresses(o.config);
      expect(differingPaths(o.config, config).every((p) => /\.server_urls$/.test(p))).toBe(true);
    }
  });

  test.each(outputs.map((o) => [`${o.source}: ${o.configMap}`, o] as [string, JaegerOutput]))('%s is valid', async (name, o) => {
    const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
    const { code, output } = await jaegerValidate(jaeger, as212(o), file);
    if (code !== 0) throw new Error(`jaeger validate rejected ${name} (exit ${code}):\n${output.slice(-4000)}`);
  });

  test('every storage key we ship exists in Jaeger 2.20.0 (the image we default to), none it rejects by default', () => {
    const known = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/upstream/jaeger-2.20.0-storage-keys.json'), 'utf8'));
    const allowed = (key: string) => known.keys.some((k: string) => k === key || (k.endsWith('.*') && key.startsWith(k.slice(0, -1))));
    const leaves = (node: any, at: string): string[] => (node && typeof node === 'object' && !Array.isArray(node)
      ? Object.keys(node).flatMap((k) => leaves(node[k], at ? `${at}.${k}` : k)) : [at]);
    const emitted = new Set<string>();
    for (const o of outputs) {
      const backends = o.config.extensions.jaeger_storage.backends;
      for (const b of Object.values<any>(backends)) for (const block of [b.elasticsearch, b.opensearch].filter(Boolean)) leaves(block, '').forEach((k) => emitted.add(k));
    }
    process.stdout.write(`storage keys we emit: ${emitted.size}, checked against Jaeger 2.20.0's source\n`);
    expect([...emitted].filter((k) => !allowed(k))).toEqual([]);
    expect([...emitted].filter((k) => known.rejectedByDefault.keys.includes(k) || /rotation\.data_stream/.test(k))).toEqual([]);
    expect([...emitted]).toContain('indices.spans.rotation.periodic.date_layout');
  });

  test('the real jaeger rejects a misspelt key, and 2.20 rotation keys (so the 2.12 rewrite is needed)', async () => {
    const [first] = outputs;
    const typo = as212(first) as any;
    typo.extensions.jaeger_storage.backends.trace_storage[Object.keys(typo.extensions.jaeger_storage.backends.trace_storage)[0]].max_span_agee = '1h';
    const bad = await jaegerValidate(jaeger, typo, path.join(dir, 'typo.yaml'));
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/max_span_agee/);
    // Our shipped spelling (2.20's rotation keys) is unknown to 2.12: proof that the 2.12 rewrite is needed, not cosmetic.
    const shipped = await jaegerValidate(jaeger, first.config, path.join(dir, 'shipped.yaml'));
    expect(shipped.code).not.toBe(0);
    expect(shipped.output).toMatch(/rotation/);
  });
});
