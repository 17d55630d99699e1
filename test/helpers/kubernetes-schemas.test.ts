// The strict schemas are derived in memory (scripts/kubernetes-schemas.js); these tests pin the
// derivation to the reviewed 1.28 set and show that each Kubernetes version is checked on its own.
import { createHash } from 'crypto';
import { manifestProblems } from './schema';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { KINDS, loadDefinitions, strictSchema, schemaText } = require('../../scripts/kubernetes-schemas');

// sha256 of the reviewed v1.28.0-standalone-strict files (test/fixtures/upstream/README.md).
const REVIEWED_1_28: Record<string, string> = {
  'clusterrole-rbac-v1': '9a0560e32e2f9618daf2d02ae80bf842d56736c38fcea1f4f58d0def9c1038b7',
  'clusterrolebinding-rbac-v1': '840c321cc34fb15fcc0e7eafd00642eb3051be05f0bcb6c0a7f972b8b33b7dcb',
  'configmap-v1': 'd8ce9dd01c9fb79f958459b28e2065dca04e98fdb5995bca80ec681190f87296',
  'cronjob-batch-v1': 'b71646d3c4ff894bcc583c22ff8d94b29fac49bf9e12472db590ed9c3844b523',
  'daemonset-apps-v1': '7338619fd12e434098260c22648a51ff709fa935ca0c5c077b883c4a2f6fb863',
  'deployment-apps-v1': '453b9b79ec1957f649d9a53efe18a57a7372024b8bdcbddf630c213326a7b2c4',
  'horizontalpodautoscaler-autoscaling-v2': '480c62248898bdbada587f2514929399e8f1ad06a64cc462ebfef7f353c495b7',
  'ingress-networking-v1': 'c37bd77cae183547790b8db6471879a0a3d1dfc5218f2eb48b44833c153ae963',
  'ingressclass-networking-v1': '55c72329f09fb9e51f680a7b492bdf515ceeb118a15cb8b6bc0c6625c4d62278',
  'job-batch-v1': '3fb9aa54cd51820a14ffa4ffbeef3179e57cebcc90cf7e4003c8abf2e2b0a985',
  'namespace-v1': '27650ea2edaf154e94709627f69d7c535a4e0489ce4da6c87b2c2fb692549c3e',
  'networkpolicy-networking-v1': '63bd1d57bbbc8f4145542f1374f5b3d7d175c801881c9a052de5276cb264f3d8',
  'persistentvolumeclaim-v1': 'b7a99e766ce06f73110a6b32c408929d355b20891c04f7f88439761e8acdfb8d',
  'poddisruptionbudget-policy-v1': 'dafe44e541e6605d01af0ffdbcf3a3ac32528d7181039a3133e814bc5377e743',
  'role-rbac-v1': '937995dbaaaaed9b1cee3f9f88c4f9e9e7108739db2b5a244a48aa231835064f',
  'rolebinding-rbac-v1': '272d7425216658d1d8b2ecd44257c0c9af97393ff5271441d964ab674c55a325',
  'secret-v1': '90a41bbbb9b1e9a727e20ffa05d9155df92ae984d7330c3a28167be30c3e9eb9',
  'service-v1': '1ca6aaf44cc17ac10c6a3dd7d9afabca89b362bdb88db0d28f48b123977838f8',
  'serviceaccount-v1': 'c8f219e8f3b01382080bca6a4df05f047d7be79b7f555d3480b875e1ccccafd7',
  'statefulset-apps-v1': 'cdf4f8259466ac94785de780a3a31ce31d397fb8c39af7042a3079a75e47ee1d',
};

const podTemplate = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } } },
});

describe('strict Kubernetes schemas', () => {
  test('derived 1.28 schemas are byte-identical to the reviewed standalone-strict set', () => {
    const defs = loadDefinitions('1.28.0');
    const hashes = Object.fromEntries(Object.entries(KINDS as Record<string, string>)
      .map(([file, def]) => [file, createHash('sha256').update(schemaText(strictSchema(defs, def))).digest('hex')]));
    expect(hashes).toEqual(REVIEWED_1_28);
  });

  test('a field only 1.35 knows is rejected by 1.28 alone; a field of neither by both, in one message', () => {
    // Pod-level resources (spec.resources) arrived after 1.28.
    const podLevel = podTemplate({ resources: { limits: { cpu: '1' } } });
    expect(manifestProblems([podLevel as any])).toEqual([expect.stringMatching(/^Deployment\/d \(Kubernetes 1\.28\.0\): .*\[resources\]/)]);
    const typo = podTemplate({ hostNetwrok: true });
    expect(manifestProblems([typo as any])).toEqual([expect.stringMatching(/^Deployment\/d \(Kubernetes 1\.28\.0, Kubernetes 1\.35\.0\): .*\[hostNetwrok\]/)]);
  });

  test('a kind the newer version no longer serves fails there', () => {
    const flowSchema = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kind: 'FlowSchema', metadata: { name: 'f' }, spec: { priorityLevelConfiguration: { name: 'p' } } };
    expect(manifestProblems([flowSchema as any])).toEqual(['FlowSchema/f (Kubernetes 1.35.0): Kubernetes 1.35.0 does not serve flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema']);
  });
});
