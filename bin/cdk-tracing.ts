#!/usr/bin/env node
/**
 * The `cdk-tracing` command (package.json "bin"). Kept tiny and free of
 * aws-cdk-lib so it starts fast; all logic is in lib/verify.
 */
import type * as cli from '../lib/verify/cli';

// The SDK warns on load under Node 20 that its 2027 releases need Node 22.
// That is our dependency's roadmap, not something a verify user can act on,
// and it would land in the middle of the report on stderr. It must be off
// before the SDK loads, hence the require below. Users can still opt in.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runCli } = require('../lib/verify/cli') as typeof cli;

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() })
  .then((code) => {
    process.exitCode = code;
  });
