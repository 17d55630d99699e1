import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

// `cdk-tracing/k8s` is for GitOps users: it must never load aws-cdk-lib (seconds of start-up).
// We follow every relative import from the entry point and list the packages reached.
function packagesReachedFrom(entry: string): Map<string, string> {
  const reached = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|require\('([^']+)'\)|import\('([^']+)'\)/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) {
        const base = path.resolve(path.dirname(file), spec);
        const candidates = [`${base}.ts`, path.join(base, 'index.ts'), base];
        const found = candidates.find((c) => existsSync(c) && c.endsWith('.ts'));
        if (found) visit(found);
      } else if (!reached.has(spec)) {
        reached.set(spec, path.relative(process.cwd(), file));
      }
    }
  };
  visit(path.resolve(__dirname, '..', entry));
  return reached;
}

describe('entry points', () => {
  test('cdk-tracing/k8s reaches no aws-cdk-lib module', () => {
    const reached = packagesReachedFrom('lib/k8s/index.ts');
    const aws = [...reached].filter(([spec]) => spec === 'aws-cdk-lib' || spec.startsWith('aws-cdk-lib/') || spec === 'cdk-nag');
    expect(aws).toEqual([]);
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['cdk8s', 'cdk8s-plus-28', 'constructs']));
  });

  test('the check can fail: cdk-tracing/aws reaches aws-cdk-lib', () => {
    const reached = packagesReachedFrom('lib/aws/index.ts');
    expect([...reached.keys()].some((s) => s.startsWith('aws-cdk-lib'))).toBe(true);
  });

  test('package.json exposes the subpath entry points', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8'));
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './k8s', './aws']));
    expect(pkg.exports['./k8s'].default).toBe('./out/lib/k8s/index.js');
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'cdk8s', 'cdk8s-plus-28', 'constructs']);
    expect(pkg.dependencies['@aws-sdk/client-s3']).toBeDefined();
  });
});
