import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Testing } from 'cdk8s';
import { assertNoLeakedTokens, findLeakedTokens, TempoChart } from '../../lib/k8s';

describe('CDK tokens never reach plain cdk8s output', () => {
  test('a bucket name token leaking into a GitOps chart is caught', () => {
    const bucket = new s3.Bucket(new Stack(new App(), 'S'), 'B');
    const app = Testing.app();
    new TempoChart(app, 'tempo', { namespace: 'tracing', storage: { bucketName: bucket.bucketName, region: 'eu-west-1' } });
    const yaml = app.synthYaml();
    expect(findLeakedTokens(yaml).length).toBeGreaterThan(0);
    expect(() => assertNoLeakedTokens(yaml, 'cdk8s app')).toThrow(/\[cdk8s app\] unresolved CDK token\(s\) in Kubernetes output \(got \$\{Token\[/);
  });

  test('list and number encodings are caught too; clean YAML passes', () => {
    expect(findLeakedTokens('a: ["#{Token[TOKEN.20]}"]\nb: -1.888154589708754e+289')).toHaveLength(2);
    expect(() => assertNoLeakedTokens('bucket: acme-traces\n', 'x')).not.toThrow();
  });
});
