import { S3Client } from '@aws-sdk/client-s3';

/** S3 operations verify may send. Anything else is refused before it leaves the process. */
export const READ_ONLY_COMMAND = /^(Get|Head|List)[A-Za-z0-9]*Command$/;

/** How to reach the bucket. */
export interface ClientOptions {
  readonly region: string;
  /** S3-compatible endpoint URL; implies path-style addressing. */
  readonly endpoint?: string;
  /** Explicit credentials; default: the SDK's default provider chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Called with each command name before it is sent (tests record them). */
  readonly onCommand?: (commandName: string) => void;
}

/**
 * Creates the S3 client verify uses. Credentials come from the SDK's default
 * chain (environment, profile, SSO, web identity, instance role). A guard in
 * the middleware stack refuses every command that is not a Get, Head or List,
 * so "strictly read-only" holds even if a future change slips.
 */
export function createReadOnlyClient(options: ClientOptions): S3Client {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.endpoint !== undefined,
    maxAttempts: 3,
    credentials: options.credentials,
  });
  client.middlewareStack.add((next, context) => async (args) => {
    const name = context.commandName ?? 'unknown';
    options.onCommand?.(name);
    if (!READ_ONLY_COMMAND.test(name)) {
      throw new Error(`verify is read-only and refused to send ${name}`);
    }
    return next(args);
  }, { step: 'initialize', name: 'cdkTracingReadOnlyGuard' });
  return client;
}
