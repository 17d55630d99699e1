import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AWS_EXAMPLES } from '../../examples/aws-examples';
import { nagFindings } from '../helpers/nag';

// cdk-nag acknowledgements name findings the way cdk-nag renders them, and the rendering depends on the
// app's feature flags (enablePartitionLiterals turns `<AWS::Partition>` into `aws`) and on the
// aws-cdk-lib in use (AwsSolutions-L1 wants the newest Lambda runtime that aws-cdk-lib knows). A user's
// `cdk init` app sets every recommended flag, so the examples must be clean under both flag sets.
// jest.config.js runs this file a second time against the newest aws-cdk-lib our peer range admits.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const recommendedFlags: Record<string, unknown> = require('aws-cdk-lib/recommended-feature-flags.json');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdkVersion: string = require('aws-cdk-lib/package.json').version;

const flagSets: Array<[string, Record<string, unknown>]> = [
  ['no feature flags', {}],
  ['cdk init recommended flags', recommendedFlags],
];

describe(`cdk-nag AwsSolutions on every example stack (aws-cdk-lib ${cdkVersion})`, () => {
  test('the recommended flags include enablePartitionLiterals (what makes the finding strings differ)', () => {
    expect(recommendedFlags['@aws-cdk/core:enablePartitionLiterals']).toBe(true);
  });

  test.each(flagSets)('%s: no unacknowledged finding', (_name, context) => {
    const app = new App({ context });
    AWS_EXAMPLES.forEach((build) => build(app));
    const stacks = app.node.children.filter((c): c is Stack => c instanceof Stack);
    expect(stacks.length).toBe(AWS_EXAMPLES.length);
    expect(stacks.flatMap((s) => nagFindings(s).map((f) => `${s.stackName}: ${f}`))).toEqual([]);
  });

  // `npm run synth` runs `cdk synth --strict`, which fails on any warning; this names the culprit.
  test.each(flagSets)('%s: no warning or error annotation on any example stack', (_name, context) => {
    const app = new App({ context });
    AWS_EXAMPLES.forEach((build) => build(app));
    const stacks = app.node.children.filter((c): c is Stack => c instanceof Stack);
    const annotations = stacks.flatMap((s) => [
      ...Annotations.fromStack(s).findWarning('*', Match.anyValue()),
      ...Annotations.fromStack(s).findError('*', Match.anyValue()),
    ].map((a) => `${a.id}: ${JSON.stringify(a.entry.data)}`));
    expect(annotations).toEqual([]);
  });
});
