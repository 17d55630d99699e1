// The checkers themselves must be able to fail; each gets a known-bad input.
import { restrictedViolations } from './pod-security';
import { manifestProblems } from './schema';
import { unknownTempoKeys, unknownTempoOverrideKeys } from './tempo-keys';

const deployment = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec } },
});

describe('schema checker', () => {
  test('accepts a valid object and rejects a typo, a wrong type and an unknown kind', () => {
    expect(manifestProblems([deployment({ containers: [{ name: 'c', image: 'i' }] })])).toEqual([]);
    expect(manifestProblems([deployment({ containers: [{ name: 'c', image: 'i', imagePullPolicyy: 'Always' }] })])[0]).toMatch(/imagePullPolicyy/);
    expect(manifestProblems([{ ...deployment({ containers: [] }), spec: { replicas: 'two' } } as any])[0]).toMatch(/replicas/);
    expect(manifestProblems([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])[0]).toMatch(/no schema/);
  });
  test('CRDs are validated too (ServiceMonitor typo)', () => {
    const sm = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 's' }, spec: { selector: {}, endpoints: [{ intervall: '30s' }] } };
    expect(manifestProblems([sm as any])[0]).toMatch(/intervall/);
  });
});

describe('restricted Pod Security checker', () => {
  test('flags privileged, root, missing seccomp, missing limits, hostPath', () => {
    const v = restrictedViolations([deployment({
      containers: [{ name: 'c', image: 'i', securityContext: { privileged: true, runAsUser: 0 } }],
      volumes: [{ name: 'h', hostPath: { path: '/' } }],
    }) as any]);
    expect(v.join('\n')).toMatch(/privileged/);
    expect(v.join('\n')).toMatch(/runAsUser 0/);
    expect(v.join('\n')).toMatch(/seccompProfile/);
    expect(v.join('\n')).toMatch(/missing resources.limits.memory/);
    expect(v.join('\n')).toMatch(/hostPath not allowed/);
  });
});

describe('Tempo key checker', () => {
  test('flags 2.x keys and typos, accepts pass-through values', () => {
    expect(unknownTempoKeys({ compactor: { compaction: { block_retention: '1h' } } })).toEqual(['compactor']);
    expect(unknownTempoKeys({ backend_worker: { compaction: { block_retention: '1h', blok: 1 } } })).toEqual(['backend_worker.compaction.blok']);
    expect(unknownTempoKeys({ distributor: { receivers: { otlp: { anything: 1 } } } })).toEqual([]);
    expect(unknownTempoOverrideKeys({ overrides: { t: { ingestion_rate_limit_bytes: 1 } } })).toEqual(['t: overrides.defaults.ingestion_rate_limit_bytes']);
  });
});

describe('schema checker and Go regexes in CRDs', () => {
  test('PrometheusRule compiles and its (?i) pattern matches case-insensitively', () => {
    const rule = (strategy: string) => ({
      apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' },
      spec: { groups: [{ name: 'g', partial_response_strategy: strategy, rules: [{ alert: 'A', expr: 'up == 0' }] }] },
    });
    expect(manifestProblems([rule('WARN') as any])).toEqual([]);
    expect(manifestProblems([rule('sometimes') as any])[0]).toMatch(/partial_response_strategy/);
  });
});

describe('crossReferenceProblems', () => {
  const { crossReferenceProblems } = require('./cross-refs') as typeof import('./cross-refs');
  const pod = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
    spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 80 }] }], ...extra } } },
  });
  test('finds dangling selectors, ports, ConfigMaps and service accounts', () => {
    expect(crossReferenceProblems([
      pod({ app: 'a' }, { serviceAccountName: 'sa', volumes: [{ name: 'v', configMap: { name: 'missing' } }] }),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'other', namespace: 'n' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'b' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 't', namespace: 'n' }, spec: { selector: { app: 'a' }, ports: [{ port: 80, targetPort: 'grpc' }] } },
    ] as any)).toEqual([
      'Service/s: selector {"app":"b"} matches no pod template',
      'Service/t: targetPort "grpc" is no container port of the selected pods',
      'Deployment/d: serviceAccountName sa is not generated',
      'Deployment/d: volume v mounts ConfigMap missing, which is not generated',
    ]);
  });
});
