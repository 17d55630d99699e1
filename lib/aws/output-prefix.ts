import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { configError } from '../core/errors';

const claimed = new WeakMap<Stack, Map<string, string>>();

/**
 * CloudFormation output names are unique per stack: a second backend with the same output
 * prefix would fail with CDK's own "section 'Outputs' already contains" error. Refuse it here,
 * naming both constructs and the prop that fixes it.
 */
export function claimOutputPrefix(owner: Construct, prefix: string): void {
  const stack = Stack.of(owner);
  const byPrefix = claimed.get(stack) ?? new Map<string, string>();
  const other = byPrefix.get(prefix);
  if (other) {
    throw configError(owner.node.path, `${other} already writes the stack outputs named ${prefix}*; output names are unique per stack`,
      prefix, 'set outputPrefix to a distinct value on one of them (GitOps readers take the same prefix)');
  }
  byPrefix.set(prefix, owner.node.path);
  claimed.set(stack, byPrefix);
}
