/**
 * Bad input: each case has its own message and exits 2 before any request is
 * made (no server runs in this file; a request would fail differently).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../lib/verify/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-bad-input-'));
const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

const configMap = (tempoYaml: string, name = 'tempo') => [
  'apiVersion: v1', 'kind: ConfigMap', `metadata: {name: ${name}}`, 'data:', '  tempo.yaml: |', ...tempoYaml.split('\n').map((l) => `    ${l}`),
].join('\n');

const badRetentionYaml = write('bad-retention/tempo.k8s.yaml', configMap('backend_worker:\n  compaction:\n    block_retention: two weeks'));
const otherBucketYaml = write('other-bucket/tempo.k8s.yaml', configMap('storage:\n  trace:\n    s3:\n      bucket: someone-else'));
const twoConfigs = write('two/tempo.k8s.yaml', `${configMap('storage: {trace: {s3: {bucket: a-bucket}}}', 'a')}\n---\n${configMap('storage: {trace: {s3: {bucket: b-bucket}}}', 'b')}`);
const noTempo = write('no-tempo/app.k8s.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n');
const brokenYaml = write('broken/x.k8s.yaml', 'kind: ConfigMap\n  data: [unclosed\n');
const noExpiry = write('cdk.out/Stack.template.json', JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { LifecycleConfiguration: { Rules: [{ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }] } } } } }));
const noBucket = write('cdk.out2/Other.template.json', JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }));
const emptyDir = path.join(tmp, 'empty-cwd');
fs.mkdirSync(emptyDir);

const base = ['verify', '--bucket', 'traces', '--endpoint', 'http://127.0.0.1:1'];

const cases: [string, string[], RegExp][] = [
  ['missing --bucket', ['verify', '--retention', '14d', '--region', 'eu-west-1'], /^--bucket is required/],
  ['invalid bucket name', ['verify', '--bucket', 'My_Bucket', '--retention', '14d', '--region', 'eu-west-1'], /^--bucket must be an S3 bucket name: .* \(got "My_Bucket"\)$/],
  ['unknown option', [...base, '--retention', '14d', '--bukket', 'x'], /^unknown option --bukket$/],
  ['option without value', [...base, '--retention'], /^--retention needs a value$/],
  ['stray positional', [...base, 'traces', '--retention', '14d'], /^unexpected argument "traces"; every value needs its flag/],
  ['retention not a duration', [...base, '--retention', 'two weeks'], /^--retention must be a whole number of hours or days.*\(got "two weeks"\)$/],
  ['retention below an hour', [...base, '--retention', '90m'], /^--retention must be .* at least 1 hour.*\(got "90m"\)$/],
  ['retention zero', [...base, '--retention', '0d'], /\(got "0d"\)$/],
  ['both --retention and --synth', [...base, '--retention', '14d', '--synth', 'dist'], /^pass either --retention or --synth, not both/],
  ['endpoint not a URL', ['verify', '--bucket', 'traces', '--endpoint', '127.0.0.1:9000', '--retention', '14d'], /^--endpoint must be an http:\/\/ or https:\/\/ URL .*\(got "127\.0\.0\.1:9000"\)$/],
  ['no region anywhere', ['verify', '--bucket', 'traces', '--retention', '14d'], /^no region: pass --region/],
  ['bad --grace', [...base, '--retention', '14d', '--grace', 'soon'], /^--grace must be a duration such as 3h.*\(got "soon"\)$/],
  ['concurrency out of range', [...base, '--retention', '14d', '--concurrency', '0'], /^--concurrency must be a whole number from 1 to 256 \(got "0"\)$/],
  ['page size out of range', [...base, '--retention', '14d', '--page-size', '5000'], /^--page-size must be a whole number from 1 to 1000 \(got "5000"\)$/],
  ['no retention source', [...base], /^no expected retention: pass --retention/],
  ['--synth path missing', [...base, '--synth', path.join(tmp, 'nope')], /--synth .*nope: no such file or directory/],
  ['--synth without Tempo', [...base, '--synth', noTempo], /^found no ConfigMap with a tempo\.yaml key in /],
  ['--synth with invalid YAML', [...base, '--synth', brokenYaml], /x\.k8s\.yaml: not valid YAML/],
  ['--synth with bad block_retention', [...base, '--synth', badRetentionYaml], /backend_worker\.compaction\.block_retention must be a duration in whole hours such as 336h \(got "two weeks"\)/],
  ['--synth for another bucket', [...base, '--synth', otherBucketYaml], /stores blocks in bucket "someone-else", not "traces"; check --bucket/],
  ['--synth with two Tempo configs, neither for this bucket', [...base, '--synth', twoConfigs], /^found 2 Tempo configs .* and 0 of them store blocks in bucket "traces"/],
  ['--synth template without an expiry', [...base, '--synth', noExpiry], /Stack\.template\.json \(B\) has no expiry rule to derive the retention from; pass --retention$/],
  ['--synth template without a Tempo bucket', [...base, '--synth', noBucket], /^cannot tell which AWS::S3::Bucket .* is "traces" \(buckets: none\)/],
];

describe.each(cases)('%s', (_name, argv, message) => {
  test('exits 2 with its own message', async () => {
    let stderr = '';
    let stdout = '';
    const code = await runCli(argv, {
      stdout: { write: (t: string) => { stdout += t; } },
      stderr: { write: (t: string) => { stderr += t; } },
      env: {},
      cwd: emptyDir,
      createClient: () => { throw new Error('no request may be made for bad input'); },
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const [first, second] = stderr.split('\n');
    expect(first.replace(/^error: /, '')).toMatch(message);
    expect(second).toBe('run "cdk-tracing verify --help" for usage');
  });
});

test('every bad-input message is distinct', () => {
  expect(new Set(cases.map(([, , m]) => m.source)).size).toBe(cases.length);
});

describe('commands and help', () => {
  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(argv, { stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } }, env: {}, cwd: emptyDir });
    return { code, out, err };
  };

  test('verify --help documents flags and exit codes, exit 0', async () => {
    const r = await run(['verify', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--bucket', '--prefix', '--region', '--endpoint', '--retention', '--synth', '--grace', '--json', '--strict']) expect(r.out).toContain(flag);
    expect(r.out).toMatch(/Exit codes:\n\s+0 +healthy/);
    expect(r.out).toContain('not supported\nby this endpoint');
  });

  test('no command prints usage and exits 2; unknown command names itself', async () => {
    expect((await run([])).code).toBe(2);
    const r = await run(['verfy']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: unknown command "verfy"/);
  });
});
