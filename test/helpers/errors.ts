import { TracingConfigError } from '../../lib/core';

/**
 * Asserts the shape of every synth-time error: `[<construct path>] <problem> (got <value>); <fix>`.
 */
export function expectConfigError(build: () => unknown, path: string, problem: RegExp, value: string, fix: RegExp): void {
  let error: unknown;
  try { build(); } catch (e) { error = e; }
  expect(error).toBeInstanceOf(TracingConfigError);
  const message = (error as Error).message;
  expect(message.startsWith(`[${path}] `)).toBe(true);
  expect(message).toMatch(problem);
  expect(message).toContain(`(got ${value}`);
  expect(message).toMatch(fix);
}
