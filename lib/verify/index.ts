/**
 * `cdk-tracing verify`: post-deploy checks of a Tempo bucket. Re-exports only.
 */
export * from './types';
export * from './checks';
export * from './lifecycle';
export * from './duration';
export * from './errors';
export type { ExpectedRetention } from './expected-retention';
export { retentionFromFlag, retentionFromSynth, retentionFromDefaultSynth, TEMPO_DEFAULT_RETENTION_HOURS, RETENTION_METADATA_KEY } from './expected-retention';
export type { ClientOptions } from './client';
export { createReadOnlyClient, READ_ONLY_COMMAND } from './client';
export type { VerifyOptions } from './verify';
export { verifyBucket } from './verify';
export { renderJson, renderTable, JSON_REPORT_VERSION } from './report';
export type { CliIo } from './cli';
export { runCli, VERIFY_HELP } from './cli';
export { NOT_SUPPORTED_TEXT } from './bucket-settings';
export type { S3Failure, S3FailureKind } from './s3-errors';
export { classifyS3Error } from './s3-errors';
