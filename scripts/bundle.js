#!/usr/bin/env node
// Bundles the compiled Kubernetes synth entry (out/bin/k8s-main.js, from `tsc`) into one file,
// out/bundle/k8s-main.js, which `npm run synth:k8s` and cdk8s.yaml run. Part of `npm run build`.
//
// Why: start-up of the default app was mostly module loading (about 300 files: cdk8s, its own
// copy of yaml, cdk8s-plus-28, ours). One file with comments stripped loads much faster.
// The input is tsc's CommonJS output, not the .ts sources, so the bundle runs exactly the code
// `node out/bin/k8s-main.js` runs (and each module keeps its own `module`, so `require.main ===
// module` guards in examples stay false). bench/README.md has the numbers.
const esbuild = require('esbuild');
const path = require('path');

const root = path.resolve(__dirname, '..');
const fromRoot = (p) => require.resolve(p, { paths: [root] });

// cdk8s ships its own copy of `yaml` (a bundled dependency); we depend on `yaml` too. When both are
// the same version, the bundle carries one copy: cdk8s's `require('yaml')` resolves to ours.
// Different versions are left apart, so cdk8s's output never depends on our yaml version.
const ourYaml = fromRoot('yaml');
const cdk8sYamlPkg = path.join(path.dirname(fromRoot('cdk8s/package.json')), 'node_modules', 'yaml', 'package.json');
const sameYaml = require(cdk8sYamlPkg).version === require(fromRoot('yaml/package.json')).version;
const oneYaml = {
  name: 'one-yaml',
  setup(build) {
    if (!sameYaml) return;
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: ourYaml }));
  },
};

// The synth entry, and the benchmark's core-platform app (measured against issue 8's 0.15 s target).
esbuild.build({
  entryPoints: {
    'k8s-main': path.join(root, 'out', 'bin', 'k8s-main.js'),
    'core-platform': path.join(root, 'out', 'bench', 'apps', 'core-platform.js'),
  },
  outdir: path.join(root, 'out', 'bundle'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Keep `constructor.name` and function names as they are unbundled (no renaming on collisions).
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
  plugins: [oneYaml],
}).catch(() => process.exit(1));
