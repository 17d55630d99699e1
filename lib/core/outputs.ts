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
