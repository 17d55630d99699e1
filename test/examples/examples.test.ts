import { App as CdkApp } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Testing } from 'cdk8s';
import { AWS_EXAMPLES } from '../../examples/aws-examples';
import { K8S_EXAMPLES } from '../../examples/k8s-examples';
import { findLeakedTokens } from '../../lib/k8s';
import { crossReferenceProblems } from '../helpers/cross-refs';
import { nagFindings } from '../helpers/nag';
import { restrictedViolations } from '../helpers/pod-security';
import { expectValidManifests, K8sObject } from '../helpers/schema';
import { tenantBlockProblems, unknownTempoKeys, unknownTempoOverrideKeys } from '../helpers/tempo-keys';
import { parse as parseYaml } from 'yaml';

// Every registered example: what `npm run synth` writes to dist/ and cdk.out/.
describe('example charts (dist/)', () => {
  const app = Testing.app();
  K8S_EXAMPLES.forEach((build) => build(app));
  const charts = app.charts;

  test('there is at least one chart', () => {
    expect(charts.length).toBeGreaterThan(0);
  });

  test.each(charts.map((c) => [c.node.id, c] as const))('%s: snapshot, schemas, restricted pods, no CDK token', (_id, chart) => {
    const objects = chart.toJson() as K8sObject[];
    expect(objects).toMatchSnapshot();
    expectValidManifests(objects);
    expect(restrictedViolations(objects)).toEqual([]);
    expect(findLeakedTokens(JSON.stringify(objects))).toEqual([]);
  });

  test('cross references resolve across all example charts (selectors, ConfigMaps, ServiceAccounts, ports, monitors)', () => {
    const byNamespaceApp = charts.flatMap((c) => c.toJson() as K8sObject[]);
    expect(crossReferenceProblems(byNamespaceApp)).toEqual([]);
  });

  test('every Tempo overrides block (defaults and each tenant) is complete: Tempo 3.0.3 zeroes what a tenant block leaves out', () => {
    const configMaps = charts.flatMap((c) => (c.toJson() as K8sObject[]))
      .filter((o: any) => o.kind === 'ConfigMap' && o.data?.['tempo.yaml']) as any[];
    expect(configMaps.length).toBeGreaterThan(0);
    let tenantBlocks = 0;
    for (const cm of configMaps) {
      const config = parseYaml(cm.data['tempo.yaml']);
      expect(unknownTempoKeys(config)).toEqual([]);
      const tenants = cm.data['overrides.yaml'] ? parseYaml(cm.data['overrides.yaml']) : { overrides: {} };
      expect(unknownTempoOverrideKeys(tenants)).toEqual([]);
      tenantBlocks += Object.keys(tenants.overrides).length;
      for (const [tenant, block] of Object.entries({ defaults: config.overrides.defaults, ...tenants.overrides })) {
        expect([cm.metadata.name, tenant, tenantBlockProblems(block as Record<string, unknown>)]).toEqual([cm.metadata.name, tenant, []]);
      }
    }
    expect(tenantBlocks).toBeGreaterThan(1);
  });

  test('no StatefulSet carries a version label in its immutable volumeClaimTemplates (an upgrade would be rejected)', () => {
    const claims = charts.flatMap((c) => (c.toJson() as K8sObject[]))
      .filter((o) => o.kind === 'StatefulSet')
      .flatMap((o: any) => (o.spec.volumeClaimTemplates ?? []).map((t: any) => ({ sts: o.metadata.name, labels: t.metadata?.labels ?? {} })));
    expect(claims.length).toBeGreaterThan(2);
    expect(claims.filter((c) => 'app.kubernetes.io/version' in c.labels)).toEqual([]);
  });
});

describe('example stacks (cdk.out/)', () => {
  const app = new CdkApp();
  AWS_EXAMPLES.forEach((build) => build(app));
  const stacks = app.node.children.filter((c): c is import('aws-cdk-lib').Stack => (c as any).templateOptions !== undefined);

  test.each(stacks.map((s) => [s.stackName, s] as const))('%s: snapshot and cdk-nag clean', (_name, stack) => {
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });
});
