import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { readTempoAwsValues, tempoAwsValuesFrom } from '../../lib/k8s';

describe('AWS values for GitOps charts', () => {
  test('reads the file `cdk deploy --outputs-file` writes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outputs-'));
    const file = path.join(dir, 'outputs.json');
    writeFileSync(file, JSON.stringify({ TempoOnEks: { TempoBucketName: 'b-123', TempoBucketRegion: 'eu-west-1', TempoRoleArn: 'arn:aws:iam::1:role/r', Other: 'x' } }));
    expect(readTempoAwsValues(file)).toEqual({ bucketName: 'b-123', region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/r', prefix: undefined });
  });

  test('reads a small values file', () => {
    expect(tempoAwsValuesFrom({ bucketName: 'tempo-traces', region: 'us-east-1', prefix: 'tempo' }, 'v.json')).toEqual({ bucketName: 'tempo-traces', region: 'us-east-1', prefix: 'tempo', roleArn: undefined });
  });

  test('several stacks need a stack name; a custom output prefix is honoured', () => {
    const outputs = {
      A: { TempoBucketName: 'a', TempoBucketRegion: 'eu-west-1' },
      B: { TempoBucketName: 'b', TempoBucketRegion: 'eu-west-2' },
      C: { TempoEuBucketName: 'c', TempoEuBucketRegion: 'eu-west-3' },
    };
    expect(() => tempoAwsValuesFrom(outputs, 'o.json')).toThrow(/\[o\.json\] expected exactly one stack with output TempoBucketName \(got \["A","B"\]\); pass stackName/);
    expect(tempoAwsValuesFrom(outputs, 'o.json', { stackName: 'B' }).bucketName).toBe('b');
    expect(tempoAwsValuesFrom(outputs, 'o.json', { outputPrefix: 'TempoEu' }).region).toBe('eu-west-3');
  });

  test('missing region and unreadable files are clear errors', () => {
    expect(() => tempoAwsValuesFrom({ bucketName: 'tempo-traces' }, 'v.json')).toThrow(/\[v\.json\] the bucket region is missing/);
    expect(() => readTempoAwsValues('/nonexistent/outputs.json')).toThrow(/\[\/nonexistent\/outputs\.json\] cannot read AWS values/);
  });
});
