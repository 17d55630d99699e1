import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Runs cdk-nag v3 AwsSolutions over a stack and returns the unacknowledged
 * findings as `RuleId @ path` strings (empty when clean). Acknowledgements made
 * with `Validations.of(scope).acknowledge({ id, reason })` are honoured.
 */
export function nagFindings(scope: App | Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} @ ${r.resourceLogicalId} (${r.locations?.join(',') ?? ''}): ${v.description.slice(0, 120)}`));
}
