/**
 * Errors raised while resolving props. Every message names where the bad value
 * was given (the construct path), the value itself and how to fix it, so a
 * platform engineer can act on it without reading our source.
 */
export class TracingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TracingConfigError';
  }
}

/** Renders a user value for an error message: strings quoted, objects as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Builds the one message format we use everywhere:
 * `[path] <problem> (got <value>); <fix>`.
 */
export function configError(path: string, problem: string, value: unknown, fix: string): TracingConfigError {
  return new TracingConfigError(`[${path}] ${problem} (got ${describeValue(value)}); ${fix}`);
}
