#!/usr/bin/env node
// Refreshes the upstream fixtures in test/fixtures/upstream/ that have a source this machine's
// registries reach. test/fixtures/upstream/README.md lists every fixture, its source and, for the
// ones without a reachable source, where to refresh them by hand.
//
//   node scripts/refresh-upstream-fixtures.js kubernetes 1.36.0          write kubernetes/v1.36.0/_definitions.json
//   node scripts/refresh-upstream-fixtures.js kubernetes 1.35.0 --check  regenerate and compare with the file held
//
// kubernetes: `go mod download` of k8s.io/kubernetes@vVERSION from the Go module proxy, then its
// api/openapi-spec/swagger.json converted the way cdk8s's tools/import-spec.sh converts it (that runs
// openapi2jsonschema --kubernetes): the swagger `definitions`, with IntOrString as
// oneOf [string, integer], Quantity as oneOf [string, number], and each kind's
// properties.kind.enum appended from x-kubernetes-group-version-kind. Written as cdk8s writes it
// now (swagger.json's key order, 2-space indent, non-ASCII escaped, no final newline): for 1.35.0
// the output is byte-identical to cdk8s's file. --check compares the content, not the bytes
// (cdk8s's older files, v1.28.0 among them, have another key order), and exits 1 on a difference.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const FIXTURES = path.resolve(__dirname, '..', 'test', 'fixtures', 'upstream');

function goModuleDir(module, version) {
  const out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'local', GOFLAGS: '-mod=mod' },
    cwd: require('node:os').tmpdir(), maxBuffer: 16 * 1024 * 1024,
  });
  const info = JSON.parse(out);
  if (info.Error) throw new Error(`go mod download ${module}@${version}: ${info.Error}`);
  return info.Dir;
}

/** openapi2jsonschema --kubernetes on a swagger 2.0 document: the `definitions` it writes. */
function kubernetesDefinitions(swagger) {
  const defs = structuredClone(swagger.definitions);
  defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { oneOf: [{ type: 'string' }, { type: 'number' }] };
  for (const def of Object.values(defs)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      const kind = def.properties?.kind;
      if (!kind) continue;
      kind.enum = kind.enum ?? [];
      if (!kind.enum.includes(gvk.kind)) kind.enum.push(gvk.kind);
    }
  }
  return { definitions: defs };
}

/** Key order does not matter to a schema; compare content only. */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

function pythonJson(value) {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isDeepStrictEqual(a, b) {
  return require('node:util').isDeepStrictEqual(sortKeys(a), sortKeys(b));
}

function refreshKubernetes(version, check) {
  if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) throw new Error('kubernetes needs a version like 1.35.0');
  const dir = goModuleDir('k8s.io/kubernetes', `v${version}`);
  const swagger = JSON.parse(fs.readFileSync(path.join(dir, 'api', 'openapi-spec', 'swagger.json'), 'utf8'));
  const generated = kubernetesDefinitions(swagger);
  const file = path.join(FIXTURES, 'kubernetes', `v${version}`, '_definitions.json');
  if (check) {
    const held = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!isDeepStrictEqual(held, generated)) {
      const names = new Set([...Object.keys(held.definitions), ...Object.keys(generated.definitions)]);
      const differing = [...names].filter((n) => !require('node:util').isDeepStrictEqual(sortKeys(held.definitions[n]), sortKeys(generated.definitions[n])));
      process.stderr.write(`${path.relative(process.cwd(), file)} differs from k8s.io/kubernetes@v${version} in ${differing.length} definition(s): ${differing.slice(0, 10).join(', ')}\n`);
      process.exit(1);
    }
    process.stdout.write(`${path.relative(process.cwd(), file)}: same content as k8s.io/kubernetes@v${version} api/openapi-spec/swagger.json converted\n`);
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, pythonJson(generated));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(generated.definitions).length} definitions); update its row in test/fixtures/upstream/README.md\n`);
}

module.exports = { kubernetesDefinitions };

if (require.main === module) {
  const [what, version, flag] = process.argv.slice(2);
  try {
    if (what === 'kubernetes') refreshKubernetes(version, flag === '--check');
    else {
      process.stderr.write('usage: node scripts/refresh-upstream-fixtures.js kubernetes VERSION [--check]\n'
        + 'Other fixtures have no source the registries reach: see test/fixtures/upstream/README.md.\n');
      process.exit(2);
    }
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
