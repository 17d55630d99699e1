import { TracingConfigError } from '../lib/core/errors';

/**
 * Runs an app's synth and turns a configuration error into what a user needs to read: the
 * message (construct path, value, fix) on stderr and exit code 1, without a Node stack trace.
 * Any other error is a bug and keeps its stack.
 */
export function synthWithPlainErrors(synth: () => void): void {
  try {
    synth();
  } catch (error) {
    if (!(error instanceof TracingConfigError)) throw error;
    process.stderr.write(`cdk-tracing: configuration error\n  ${error.message}\n`);
    process.exitCode = 1;
  }
}
