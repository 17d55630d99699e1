// The repository stands alone: a contributor's fresh clone has nothing beside it, so no code,
// test, script or config may read a path outside the repository.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const SCANNED_DIRS = ['lib', 'test', 'scripts', 'bin', 'examples', 'bench', '.ci'];
const SCANNED_FILES = ['package.json', 'jest.config.js', 'tsconfig.json', 'cdk.json', 'cdk8s.yaml'];
const TEXT = /\.(ts|js|cjs|mjs|json|ya?ml|md|sh|go|mod|txt|snap)$|^run$/;
// Built from pieces so this file does not match itself.
const SIBLING = ['..', 'shared'].join('/');
const WORKSPACE = ['', 'work', ''].join('/');

/** Every text file under the scanned paths of `root`, relative to it. */
function scannedFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const full = path.join(root, rel);
    let st;
    try { st = statSync(full); } catch { return; }
    if (st.isDirectory()) {
      for (const name of readdirSync(full)) if (name !== 'node_modules') walk(path.join(rel, name));
    } else if (TEXT.test(path.basename(rel))) out.push(rel);
  };
  [...SCANNED_DIRS, ...SCANNED_FILES].forEach(walk);
  return out.sort();
}

/**
 * Each reference to a place outside `root`: the sibling reference library by name, an absolute
 * workspace path, or a `path.join`/`path.resolve(__dirname, '...', ...)` whose literal segments climb
 * above the root.
 */
function outsideReferences(root: string): string[] {
  const found: string[] = [];
  for (const rel of scannedFiles(root)) {
    const text = readFileSync(path.join(root, rel), 'utf8');
    text.split('\n').forEach((line, i) => {
      const where = `${rel}:${i + 1}`;
      if (line.includes(SIBLING)) found.push(`${where}: names ${SIBLING}`);
      if (line.includes(WORKSPACE)) found.push(`${where}: absolute path ${WORKSPACE}...`);
      for (const m of line.matchAll(/path\.(?:join|resolve)\(\s*__dirname((?:\s*,\s*'[^']*')+)/g)) {
        const segments = [...m[1].matchAll(/'([^']*)'/g)].map((s) => s[1]);
        // bench/, bin/ and examples/ run compiled, from out/<same path>; lib/, test/ and scripts/ run from source.
        const froms = /^(bench|bin|examples)\//.test(rel) ? [rel, path.join('out', rel)] : [rel];
        const inside = froms.some((from) => {
          const target = path.resolve(path.dirname(path.join(root, from)), ...segments);
          return !path.relative(root, target).startsWith('..');
        });
        if (!inside) found.push(`${where}: ${m[0]} leaves the repository`);
      }
    });
  }
  return found;
}

describe('the repository stands alone', () => {
  test('no file in lib/, test/, scripts/, bin/, examples/, bench/, .ci/ or the root configs reads outside the repository', () => {
    expect(scannedFiles(ROOT).length).toBeGreaterThan(100);
    expect(outsideReferences(ROOT)).toEqual([]);
  });

  test('the check fails on each kind of outside reference (it can fail)', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'standalone-'));
    try {
      mkdirSync(path.join(root, 'test', 'helpers'), { recursive: true });
      mkdirSync(path.join(root, 'scripts'));
      writeFileSync(path.join(root, 'test', 'helpers', 'schema.ts'),
        [`const A = path`, `resolve(__dirname, '..', '..', '..', 'shared', 'schemas');\nconst B = path`, `join(__dirname, '..', 'fixtures');\n`].join('.'));
      writeFileSync(path.join(root, 'scripts', 'x.js'), `// reads ${SIBLING}/reference\nconst c = '${WORKSPACE}shared';\n`);
      writeFileSync(path.join(root, 'jest.config.js'), `module.exports = { roots: ['${SIBLING}'] };\n`);
      expect(outsideReferences(root)).toEqual([
        expect.stringMatching(/^jest\.config\.js:1: names/),
        expect.stringMatching(/^scripts\/x\.js:1: names/),
        expect.stringMatching(/^scripts\/x\.js:2: absolute path/),
        expect.stringMatching(/^test\/helpers\/schema\.ts:1: .* leaves the repository$/),
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
