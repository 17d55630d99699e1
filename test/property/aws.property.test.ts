// Property-based test of the CloudFormation constructs (see constructs.property.test.ts and README.md):
// our configuration error, or a template aws-cdk-lib synthesizes with no undefined/NaN/[object Object].
// A separate file so it runs in its own jest worker: each synth takes seconds.
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import { TempoOnS3 } from '../../lib/aws';
import { bucketName, maybe, mixed, name, retention, weirdString } from './arbitraries';
import { checkConfigError, runs, seed } from './oracle';

const tenantId = mixed(fc.constantFrom('storefront', 'payments'), weirdString, fc.constantFrom('overrides', '.', '..'));

describe('property: CloudFormation constructs throw our error or synthesize', () => {
  test('TempoOnS3 / TempoBucket (CloudFormation: our error, or a template aws-cdk-lib accepts)', () => {
    const props = fc.record({
      namespace: maybe(name), clusterName: maybe(name), bucketName: maybe(bucketName), prefix: maybe(mixed(fc.constantFrom('tempo'), weirdString)),
      retention: maybe(retention), multitenancy: maybe(fc.boolean()),
      tenants: maybe(fc.array(fc.record({ id: tenantId, retention: maybe(retention) }, { requiredKeys: ['id'] }), { maxLength: 2 })),
    }, { requiredKeys: [] });
    fc.assert(fc.property(props, (p) => {
      try {
        const stack = new Stack(new CdkApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
        new TempoOnS3(stack, 'Tempo', p as any);
        const text = JSON.stringify(Template.fromStack(stack).toJSON());
        if (/\bundefined\b|\bNaN\b|\[object Object\]/.test(text)) throw new Error('template holds undefined/NaN/[object Object]');
      } catch (e) {
        checkConfigError(e);
      }
    }), { numRuns: runs(2), seed: seed(), endOnFailure: true });
  });
});
