import { readFileSync } from 'fs';
import * as path from 'path';
import { resolveIntrinsics } from './cfn-placeholders';
import { collectObjects, manifestFiles, objectsOfTemplate } from './collect';
import { warningsOf } from './kube-client';

// The parts of the conformance run that need no API server.
describe('conformance: finding the objects', () => {
  const fixtures = path.join(__dirname, 'fixtures', 'output');

  test('YAML documents and CloudFormation manifests are found; kustomizations are not objects', () => {
    const found = collectObjects(manifestFiles([fixtures]));
    expect(found.map((f) => `${f.object.kind}/${f.object.metadata?.name}`)).toEqual([
      'Service/bad-port', 'ConfigMap/typo', 'Deployment/root', 'Ingress/old-class',
      'ServiceAccount/app', 'ConfigMap/storage',
      'Namespace/fixture', 'ConfigMap/app-config', 'Deployment/app',
    ]);
    expect(new Set(found.map((f) => path.basename(f.unit)))).toEqual(new Set(['bad.k8s.yaml', 'Fixture.template.json', 'good.k8s.yaml']));
  });

  test('CloudFormation references become values of the shape CloudFormation deploys', () => {
    const template = JSON.parse(readFileSync(path.join(fixtures, 'Fixture.template.json'), 'utf8'));
    const [account, config] = objectsOfTemplate(template, 'Fixture.template.json').map((f) => f.object) as any[];
    expect(account.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::123456789012:role\/podroleabcdef12-[0-9a-f]{8}$/);
    expect(config.metadata.labels.bucket).toMatch(/^[a-z0-9][a-z0-9-]{2,62}$/);
    expect(config.data.endpoint).toBe('s3.us-east-1.amazonaws.com');
  });

  test('an intrinsic without a placeholder is an error, never passed on as an object', () => {
    expect(() => resolveIntrinsics({ 'Fn::Transform': {} }, {}, 's')).toThrow(/no placeholder for the intrinsic Fn::Transform/);
    expect(() => resolveIntrinsics({ Ref: 'Missing' }, {}, 's')).toThrow(/Ref to 'Missing'/);
    expect(resolveIntrinsics({ 'Fn::Sub': ['x-${AWS::Region}-${Name}', { Name: 'n' }] }, {}, 's')).toBe('x-us-east-1-n');
  });

  test('every Warning header is read, commas and quotes included', () => {
    expect(warningsOf(['Content-Type', 'application/json',
      'Warning', '299 - "would violate PodSecurity \\"restricted:latest\\": runAsNonRoot != true, seccompProfile"',
      'Warning', '299 - "unknown field \\"spec.foo\\""'])).toEqual([
      'would violate PodSecurity "restricted:latest": runAsNonRoot != true, seccompProfile',
      'unknown field "spec.foo"',
    ]);
  });
});
