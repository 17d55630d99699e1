/**
 * Turns AWS SDK errors into the few outcomes `verify` reports. The SDK gives
 * us an error `name` (the S3 error code when the response had a body) and the
 * HTTP status in `$metadata`; HEAD requests have no body, so both are checked.
 */

/** What a failed S3 call means for the report. */
export type S3FailureKind =
  | 'not-supported'
  | 'not-configured'
  | 'missing-bucket'
  | 'access-denied'
  | 'wrong-region'
  | 'no-credentials'
  | 'unreachable'
  | 'other';

/** A classified S3 failure with a one-line explanation. */
export interface S3Failure {
  readonly kind: S3FailureKind;
  /** Error code or name as the SDK reported it. */
  readonly code: string;
  readonly httpStatus?: number;
  /** Region the bucket lives in, when S3 told us (wrong-region only). */
  readonly bucketRegion?: string;
  readonly message: string;
}

// "Configuration absent" answers. They are not errors for verify: the check
// itself decides whether an absent setting is a finding.
const NOT_CONFIGURED_CODES = new Set([
  'NoSuchLifecycleConfiguration',
  'NoSuchPublicAccessBlockConfiguration',
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchBucketPolicy',
]);

const ACCESS_CODES = new Set([
  'AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken',
  'InvalidToken', 'TokenRefreshRequired', 'AllAccessDisabled', 'AccountProblem',
]);

const REGION_CODES = new Set(['PermanentRedirect', 'MovedPermanently', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'TimeoutError']);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  Region?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/** Classifies any error thrown by an S3 call. Never throws. */
export function classifyS3Error(error: unknown): S3Failure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkLikeError;
  const code = e.Code ?? e.code ?? e.name ?? 'Error';
  const name = e.name ?? code;
  const status = e.$metadata?.httpStatusCode;
  const text = e.message ?? String(error);

  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(text)) {
    return { kind: 'no-credentials', code: name, message: 'no AWS credentials found (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is available)' };
  }
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up/.test(text)) {
    return { kind: 'unreachable', code, httpStatus: status, message: `could not reach the S3 endpoint (${firstLine(text)})` };
  }
  if (NOT_CONFIGURED_CODES.has(code) || NOT_CONFIGURED_CODES.has(name)) {
    return { kind: 'not-configured', code, httpStatus: status, message: `${code}` };
  }
  // 501 NotImplemented is the standard answer; some stores (s3rver's GET ?policy) answer 405.
  if (code === 'NotImplemented' || name === 'NotImplemented' || status === 501 || code === 'MethodNotAllowed' || status === 405) {
    return { kind: 'not-supported', code, httpStatus: status, message: 'not supported by this endpoint' };
  }
  if (code === 'NoSuchBucket' || (status === 404 && (name === 'NotFound' || name === '404'))) {
    return { kind: 'missing-bucket', code: 'NoSuchBucket', httpStatus: status, message: 'the bucket does not exist' };
  }
  const headerRegion = e.$response?.headers?.['x-amz-bucket-region'];
  // A HEAD has no body, so S3's AuthorizationHeaderMalformed (a request signed
  // for the wrong region, e.g. us-east-1 against the global endpoint) reaches
  // us as a bare 400 whose only clue is the x-amz-bucket-region header.
  const bareRegionError = status === 400 && headerRegion !== undefined && e.Code === undefined;
  if (REGION_CODES.has(code) || REGION_CODES.has(name) || status === 301 || bareRegionError) {
    const bucketRegion = e.Region ?? headerRegion;
    return {
      kind: 'wrong-region', code, httpStatus: status, bucketRegion,
      message: bucketRegion ? `the bucket is in region ${bucketRegion}` : 'the bucket is in another region',
    };
  }
  if (ACCESS_CODES.has(code) || ACCESS_CODES.has(name) || status === 403) {
    const hint = code === 'InvalidAccessKeyId' ? 'the access key id is not known to this endpoint'
      : code === 'SignatureDoesNotMatch' ? 'the secret key does not match the access key id'
        : code === 'ExpiredToken' ? 'the session token has expired'
          : 'access denied';
    return { kind: 'access-denied', code, httpStatus: status, message: hint };
  }
  return { kind: 'other', code, httpStatus: status, message: `${code}${status ? ` (HTTP ${status})` : ''}: ${firstLine(text)}` };
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 200);
}
