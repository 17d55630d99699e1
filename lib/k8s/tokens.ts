/**
 * aws-cdk-lib tokens that leak into plain `cdk8s synth` output are written as
 * `${Token[TOKEN.n]}` (strings), `#{Token[...]}` (lists) or -1.888...e+289
 * (numbers), with exit code 0. We refuse to write such YAML.
 */
const LEAKED_TOKEN = /\$\{Token\[[^\]]*\]\}|#\{Token\[[^\]]*\]\}|-1\.888\d*e\+289/g;

/** Returns the distinct leaked tokens found in `text`. */
export function findLeakedTokens(text: string): string[] {
  return [...new Set(text.match(LEAKED_TOKEN) ?? [])];
}

/** Throws when `text` (synthesized YAML) carries unresolved CDK tokens. */
export function assertNoLeakedTokens(text: string, where: string): void {
  const leaked = findLeakedTokens(text);
  if (leaked.length > 0) {
    throw new Error(`[${where}] unresolved CDK token(s) in Kubernetes output (got ${leaked.join(', ')}); ` +
      'pass plain strings (e.g. from `cdk deploy --outputs-file`) to charts synthesized with cdk8s, or put the chart on EKS with TempoOnEks');
  }
}
