#!/usr/bin/env node
// Gathers the upstream CRD manifests listed in sources.json into $OUT/crds/, one file per CRD,
// each from the Go module that ships it (downloaded through the Go module proxy by `go mod
// download`, verified against the checksum database like any module), plus $OUT/crds/SOURCES.json
// recording module, version and path of every file. Run by test/upstream/build.js (kind "command").
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const out = process.env.OUT;
if (!out) throw new Error('gather.js: set OUT (test/upstream/build.js does)');
const target = path.join(out, 'crds');
fs.mkdirSync(target, { recursive: true });
const sources = JSON.parse(fs.readFileSync(path.join(__dirname, 'sources.json'), 'utf8'));
const record = [];
for (const { module, version, files } of sources.modules) {
  process.stderr.write(`crds: go mod download ${module}@${version}\n`);
  const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    encoding: 'utf8',
    cwd: out, // outside any module: a plain download
    env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'local', GOFLAGS: '' },
    maxBuffer: 16 * 1024 * 1024,
  }));
  if (info.Error) throw new Error(`crds: ${module}@${version}: ${info.Error}`);
  for (const file of files) {
    const from = path.join(info.Dir, file);
    if (!fs.existsSync(from)) throw new Error(`crds: ${module}@${version} has no ${file}`);
    const name = `${path.basename(file)}`;
    fs.copyFileSync(from, path.join(target, name));
    fs.chmodSync(path.join(target, name), 0o644);
    record.push({ file: name, module, version, path: file, moduleSum: info.Sum });
    process.stderr.write(`crds: ${name}\n`);
  }
}
fs.writeFileSync(path.join(target, 'SOURCES.json'), `${JSON.stringify({ crds: record, unavailable: sources.unavailable }, null, 2)}\n`);
