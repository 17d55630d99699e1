/**
 * Errors that end a verify run with exit code 2 ("could not check"). Each
 * carries a message a platform engineer can act on without reading our code.
 */

/** Bad command-line input or unreadable synthesized output. Printed with a pointer to `--help`. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The bucket could not be read at all (missing, access denied, wrong region, unreachable). */
export class CouldNotCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CouldNotCheckError';
  }
}
