#!/usr/bin/env node
// The aws-cdk-lib app behind `npm run synth` and `cdk synth` (cdk.json): every example stack into cdk.out/.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AWS_EXAMPLES } from '../examples/aws-examples';

import { synthWithPlainErrors } from './plain-errors';

synthWithPlainErrors(() => {
  const app = new App();
  for (const build of AWS_EXAMPLES) build(app);
  // Every example must stay cdk-nag clean: an unacknowledged finding fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
});
