#!/usr/bin/env node
// Builds the real upstream programs our tests run (kube-apiserver, the OpenTelemetry Collector,
// Jaeger, promtool, ...) from the registries alone, and caches each binary by the content of its
// wrapper module, outside the repository.
//
//   node test/upstream/build.js            build every program under test/upstream/
//   node test/upstream/build.js otelcol    build only these
//
// A program is a directory test/upstream/<name>/ holding program.json and whatever its kind needs:
//   { "kind": "go", "package": "k8s.io/kubernetes/cmd/kube-apiserver", "binary": "kube-apiserver",
//     "version": "1.35.4", "env": { "CGO_ENABLED": "0" }, "ldflags": ["-X", "pkg.var=value"] }
// "go": a wrapper module (go.mod + go.sum committed, plus any main.go); `go build <package>` in it.
//   Optional "packages": more main packages of the same module, built into the same entry with
//   one `go build` (each binary named after its package's last element); upstreamBinary() finds them.
// "command": { "kind": "command", "build": ["mvn", "-q", "package"], "artifact": "target/x.jar" }
//   runs the build argv in the directory with OUT set to the cache entry and expects $OUT/<artifact>.
//
// Cache: $CDK_TRACING_UPSTREAM_CACHE or ~/.cache/cdk-tracing/upstream, one entry per
// <name>-<version>-<hash of the program directory>. A changed go.mod is a new entry, never a stale binary.
'use strict';

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const PROGRAMS_DIR = __dirname;

function cacheRoot() {
  return process.env.CDK_TRACING_UPSTREAM_CACHE || path.join(os.homedir(), '.cache', 'cdk-tracing', 'upstream');
}

/** Every program directory (one with a program.json). */
function programNames() {
  return fs.readdirSync(PROGRAMS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(PROGRAMS_DIR, d.name, 'program.json')))
    .map((d) => d.name)
    .sort();
}

function readProgram(name) {
  const dir = path.join(PROGRAMS_DIR, name);
  const file = path.join(dir, 'program.json');
  if (!fs.existsSync(file)) {
    throw new Error(`upstream program '${name}' does not exist (no ${path.relative(process.cwd(), file)}); known: ${programNames().join(', ')}`);
  }
  return { name, dir, spec: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

/** Hash of every file of the program directory except build output, so any change rebuilds. */
function contentHash(dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (['target', 'node_modules', '.build'].includes(entry.name)) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        hash.update(path.relative(dir, full));
        hash.update('\0');
        hash.update(fs.readFileSync(full));
        hash.update('\0');
      }
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 12);
}

function entryDir(program) {
  const version = program.spec.version || 'unversioned';
  return path.join(cacheRoot(), `${program.name}-${version}-${contentHash(program.dir)}`);
}

/** Path of the built artifact (binary, jar, directory) if it is cached, else undefined. */
function cachedArtifact(name) {
  const program = readProgram(name);
  const artifact = path.join(entryDir(program), program.spec.binary || program.spec.artifact);
  return fs.existsSync(path.join(entryDir(program), '.complete')) && fs.existsSync(artifact) ? artifact : undefined;
}

function log(message) {
  process.stderr.write(`upstream: ${message}\n`);
}

function goEnv(extra) {
  return {
    ...process.env,
    GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'local',
    GOFLAGS: '-mod=readonly',
    ...extra,
  };
}

function run(argv, options, program) {
  // `go build -v` names each package it compiles on stderr: count them as progress, report every
  // 30 s, and print the whole output only when the step fails.
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let packages = 0;
    let output = '';
    const child = spawn(argv[0], argv.slice(1), { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (chunk) => {
      const text = chunk.toString();
      output = (output + text).slice(-200_000);
      packages += text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => log(`${program.name}: ${argv[0]} ${argv[1]}: ${Math.round((Date.now() - started) / 1000)}s, ${packages} lines of progress`), 30_000);
    child.on('error', (error) => { clearInterval(timer); reject(new Error(`upstream: ${program.name}: cannot run ${argv[0]} (${error.message})`)); });
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (code !== 0) {
        process.stderr.write(output);
        reject(new Error(`upstream: building ${program.name} failed (exit ${code}) after ${seconds}s: ${argv.join(' ')} in ${program.dir}`));
      } else resolve({ seconds, packages });
    });
  });
}

/** Builds one program unless it is cached; resolves to the artifact's absolute path. */
async function buildProgram(name) {
  const cached = cachedArtifact(name);
  if (cached) return cached;
  const program = readProgram(name);
  const target = entryDir(program);
  const staging = `${target}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const spec = program.spec;
  log(`building ${name} ${spec.version || ''} (${spec.kind}); cold builds take minutes, later runs reuse ${target}`);
  let stats;
  if (spec.kind === 'go') {
    if (!spec.package || !spec.binary) throw new Error(`upstream: ${name}/program.json needs "package" and "binary"`);
    // Download first, so a registry failure is told apart from a compile failure.
    await run(['go', 'mod', 'download'], { cwd: program.dir, env: goEnv(spec.env) }, program);
    // "ldflags" (optional) adds to the linker flags, e.g. -X to stamp the version a program reports.
    const ldflags = ['-s', '-w', ...(spec.ldflags || [])].join(' ');
    const extra = spec.packages || [];
    // With several packages `go build -o DIR/` writes one binary per package into DIR.
    const output = extra.length > 0 ? `${staging}${path.sep}` : path.join(staging, spec.binary);
    stats = await run(['go', 'build', '-v', '-trimpath', `-ldflags=${ldflags}`, '-o', output, spec.package, ...extra],
      { cwd: program.dir, env: goEnv(spec.env) }, program);
    for (const pkg of [spec.package, ...extra]) {
      const binary = pkg === spec.package ? spec.binary : path.posix.basename(pkg);
      if (!fs.existsSync(path.join(staging, binary))) throw new Error(`upstream: building ${name} left no ${binary} for ${pkg}`);
    }
  } else if (spec.kind === 'command') {
    if (!Array.isArray(spec.build) || !spec.artifact) throw new Error(`upstream: ${name}/program.json needs "build" (argv) and "artifact"`);
    stats = await run(spec.build, { cwd: program.dir, env: { ...process.env, ...(spec.env || {}), OUT: staging } }, program);
    if (!fs.existsSync(path.join(staging, spec.artifact))) {
      throw new Error(`upstream: building ${name} left no ${spec.artifact} in $OUT`);
    }
  } else {
    throw new Error(`upstream: ${name}/program.json has unknown kind '${spec.kind}' (use "go" or "command")`);
  }
  fs.writeFileSync(path.join(staging, '.complete'), `${new Date().toISOString()} ${stats.seconds}s\n`);
  if (cachedArtifact(name)) {
    fs.rmSync(staging, { recursive: true, force: true }); // another process finished the same build first
  } else {
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
  }
  log(`built ${name} in ${stats.seconds}s (${stats.packages} packages compiled)`);
  return path.join(target, spec.binary || spec.artifact);
}

/**
 * For tests: the artifact of a program, built now if needed. Never skips: a program that cannot be
 * built fails the test with the build's own output.
 */
function upstreamProgram(name) {
  const cached = cachedArtifact(name);
  if (cached) return cached;
  const result = spawnSync(process.execPath, [__filename, name], { stdio: ['ignore', 'inherit', 'inherit'] });
  const built = cachedArtifact(name);
  if (result.status !== 0 || !built) {
    throw new Error(`upstream program '${name}' could not be built (exit ${result.status}); run \`node test/upstream/build.js ${name}\` to see why`);
  }
  return built;
}

/**
 * For tests: another binary built with a program (one of its "packages", named after the package's
 * last path element), built now if needed.
 */
function upstreamBinary(name, binary) {
  const program = readProgram(name);
  const known = [program.spec.binary, ...(program.spec.packages || []).map((p) => path.posix.basename(p))];
  if (!known.includes(binary)) throw new Error(`upstream program '${name}' builds no binary '${binary}' (it builds: ${known.join(', ')})`);
  return path.join(path.dirname(upstreamProgram(name)), binary);
}

module.exports = { upstreamProgram, upstreamBinary, buildProgram, cachedArtifact, programNames, cacheRoot };

if (require.main === module) {
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : programNames();
  const started = Date.now();
  (async () => {
    for (const name of names) log(`${name}: ${await buildProgram(name)}`);
    log(`${names.length} program(s) ready in ${Math.round((Date.now() - started) / 1000)}s`);
  })().catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
