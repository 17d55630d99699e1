import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { JaegerOnEks, JaegerOpenSearchDomain, TempoOnEks } from '../../lib/aws';
import { buildTempoOnNewCluster } from '../../examples/tempo-on-new-cluster/stack';
import { expectConfigError } from '../helpers/errors';

const env = { account: '111111111111', region: 'eu-west-1' };

function ownedCluster(stack: Stack): eks.Cluster {
  return new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_35,
    kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(stack, 'Kubectl') },
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
  });
}

function importedCluster(stack: Stack): eks.ICluster {
  const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'KubectlProvider', {
    serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:kubectl-onEvent',
  });
  return eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'platform', kubectlProvider, clusterSecurityGroupId: 'sg-0123456789abcdef0' });
}

const resourcesOf = (template: Template, type: string) => Object.entries(template.toJSON().Resources as Record<string, any>).filter(([, r]) => r.Type === type);

describe('backends on a cluster the stack creates', () => {
  test('the example installs the eks-pod-identity-agent add-on once, and Tempo waits for it and for its association', () => {
    const stack = buildTempoOnNewCluster(new App());
    const template = Template.fromStack(stack);
    const addons = resourcesOf(template, 'AWS::EKS::Addon');
    expect(addons.map(([, r]) => r.Properties.AddonName)).toEqual(['eks-pod-identity-agent']);
    const manifestId = stack.getLogicalId(stack.tempo.manifest.node.defaultChild as any);
    const dependsOn = template.toJSON().Resources[manifestId].DependsOn as string[];
    expect(dependsOn).toContain(addons[0][0]);
    expect(dependsOn).toContain(stack.getLogicalId(stack.tempo.aws.podIdentityAssociation!));
  });

  test('two Tempos and a Jaeger share one cluster: one manifest each, one agent add-on', () => {
    const stack = new Stack(new App(), 'Shared', { env });
    const cluster = ownedCluster(stack);
    const a = new TempoOnEks(stack, 'TeamA', { cluster, namespace: 'team-a' });
    const b = new TempoOnEks(stack, 'TeamB', { cluster, namespace: 'team-b', outputPrefix: 'TeamBTempo' });
    const domain = new JaegerOpenSearchDomain(stack, 'Domain', { vpc: cluster.vpc, domainName: 'jaeger-shared' });
    const jaeger = new JaegerOnEks(stack, 'Jaeger', { cluster, domain, namespace: 'team-a', createNamespace: false });
    const template = Template.fromStack(stack);
    expect([a, b, jaeger].map((x) => x.manifest.node.id)).toEqual(['TeamAChart', 'TeamBChart', 'JaegerChart']);
    expect(resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource')).toHaveLength(3);
    expect(resourcesOf(template, 'AWS::EKS::Addon')).toHaveLength(1);
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(expect.arrayContaining(['TempoBucketName', 'TeamBTempoBucketName', 'JaegerDomainEndpoint']));
    expect(resourcesOf(template, 'AWS::EKS::PodIdentityAssociation').map(([, r]) => `${r.Properties.Namespace}/${r.Properties.ServiceAccount}`).sort())
      .toEqual(['team-a/jaeger', 'team-a/tempo', 'team-b/tempo']);
  });

  test('an imported cluster gets no add-on (it cannot be installed there; the README says it must run)', () => {
    const stack = new Stack(new App(), 'Imported', { env });
    new TempoOnEks(stack, 'Tempo', { cluster: importedCluster(stack) });
    expect(resourcesOf(Template.fromStack(stack), 'AWS::EKS::Addon')).toHaveLength(0);
  });

  test('a hand-made second eks-pod-identity-agent add-on fails the synth with the fix', () => {
    const app = new App();
    const stack = new Stack(app, 'Twice', { env });
    const cluster = ownedCluster(stack);
    new eks.Addon(stack, 'MyAgent', { cluster, addonName: 'eks-pod-identity-agent' });
    new TempoOnEks(stack, 'Tempo', { cluster });
    expect(() => app.synth()).toThrow(/2 eks-pod-identity-agent add-ons .*Twice\/MyAgent.*Remove the one you added/s);
  });
});

describe('backends that would collide on one cluster are refused at synth', () => {
  const clash = (build: (stack: Stack, cluster: eks.ICluster) => void) => () => {
    const stack = new Stack(new App(), 'S', { env });
    build(stack, importedCluster(stack));
  };

  test.each([
    ['the same construct id twice (the second manifest would replace the first)',
      clash((stack, cluster) => { new TempoOnEks(stack, 'Tempo', { cluster, namespace: 'a' }); new TempoOnEks(new Stack(stack, 'Inner'), 'Tempo', { cluster, namespace: 'b' }); }),
      'S/Inner/Tempo', /already holds a manifest with the construct id 'TempoChart'/, '"Tempo"', /give each backend on one cluster its own construct id/],
    ['the same name in the same namespace',
      clash((stack, cluster) => { new TempoOnEks(stack, 'A', { cluster }); new TempoOnEks(stack, 'B', { cluster, createNamespace: false }); }),
      'S/B', /already runs a backend named 'tempo' in namespace 'tracing'/, '"tempo"', /set a different name or namespace/],
    ['two backends creating one namespace',
      clash((stack, cluster) => { new TempoOnEks(stack, 'A', { cluster }); new TempoOnEks(stack, 'B', { cluster, name: 'tempo-b' }); }),
      'S/B', /already creates namespace 'tracing'/, '"tracing"', /createNamespace: false on all but one/],
    ['two backends writing the same stack outputs',
      clash((stack, cluster) => { new TempoOnEks(stack, 'A', { cluster, namespace: 'a' }); new TempoOnEks(stack, 'B', { cluster, namespace: 'b' }); }),
      'S/B/Aws', /S\/A\/Aws already writes the stack outputs named Tempo\*/, '"Tempo"', /set outputPrefix to a distinct value/],
  ])('%s', (_name, build, path, problem, value, fix) => {
    expectConfigError(build, path, problem, value, fix);
  });
});
