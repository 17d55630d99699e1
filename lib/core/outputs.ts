/**
 * Names of the CloudFormation outputs a Tempo stack writes. The GitOps app reads
 * them back from `cdk deploy --outputs-file`, so both sides use these constants.
 */
export const TEMPO_OUTPUTS = {
  bucketName: 'TempoBucketName',
  bucketRegion: 'TempoBucketRegion',
  roleArn: 'TempoRoleArn',
  bucketPrefix: 'TempoBucketPrefix',
} as const;

/**
 * Names of the CloudFormation outputs `JaegerOnEks` writes (with its `outputPrefix`
 * replacing `Jaeger`), for GitOps pipelines that read `cdk deploy --outputs-file`.
 */
export const JAEGER_OUTPUTS = {
  domainEndpoint: 'JaegerDomainEndpoint',
  domainRegion: 'JaegerDomainRegion',
  roleArn: 'JaegerRoleArn',
} as const;
