// `npm run synth` ends with scripts/check-synth.js; its checks must be able to fail.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { synthProblems } = require('../../scripts/check-synth') as { synthProblems: (root: string) => { problems: string[] } };

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'check-synth-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('synth output check', () => {
  test.each<[string, Record<string, string>, RegExp | undefined]>([
    ['clean output', { 'dist/a.k8s.yaml': 'kind: ConfigMap\n', 'cdk.out/S.template.json': '{}' }, undefined],
    ['a token in a nested GitOps file', { 'dist/a.k8s.yaml': 'x: 1\n', 'dist/environments/prod/b.k8s.yaml': 'bucket: ${Token[TOKEN.12]}\n', 'cdk.out/S.template.json': '{}' },
      /dist\/environments\/prod\/b\.k8s\.yaml:1: unresolved CDK token/],
    ['an encoded number token', { 'dist/a.k8s.yaml': 'port: -1.8881545897087626e+289\n', 'cdk.out/S.template.json': '{}' }, /unresolved CDK token/],
    ['no YAML', { 'cdk.out/S.template.json': '{}' }, /dist\/ holds no \*\.k8s\.yaml/],
    ['no template', { 'dist/a.k8s.yaml': 'x: 1\n' }, /cdk\.out\/ holds no \*\.template\.json/],
  ])('%s', (_name, files, expected) => {
    const root = tree(files);
    try {
      const { problems } = synthProblems(root);
      if (expected) expect(problems).toEqual([expect.stringMatching(expected)]);
      else expect(problems).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
