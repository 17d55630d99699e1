import * as path from 'path';
import { FoundObject } from './collect';
import { conformanceMain } from './cli';
import { ConformanceReport, deleteObjects, runConformance } from './conformance';
import { installCrds, upstreamCrds } from './crds';
import { bumpImage, bumpVersion, synthExampleUnits } from './examples';
import { ApiServer } from './server';

// One real kube-apiserver (with its embedded etcd) for the whole file: starting it costs far more
// than anything a test sends it. If it cannot be built or started, beforeAll throws and every test
// here fails; none is skipped.
let server: ApiServer | undefined;
let next = new Map<string, FoundObject[]>();

beforeAll(async () => {
  const launched = await ApiServer.launch();
  // While the server boots in its own process: the examples after an upgrade, every pinned image
  // one patch version on, so image tags and app.kubernetes.io/version labels change wherever the
  // constructs put them.
  try {
    synthUpgraded();
  } catch (error) {
    await launched.stop();
    throw error;
  }
  server = await launched.ready();
  await installCrds(server.client, upstreamCrds().crds);
}, 900_000);

function synthUpgraded(): void {
  jest.isolateModules(() => {
    jest.doMock('../../lib/core/versions', () => {
      const actual = jest.requireActual('../../lib/core/versions');
      return {
        ...actual,
        TEMPO_VERSION: bumpVersion(actual.TEMPO_VERSION),
        JAEGER_VERSION: bumpVersion(actual.JAEGER_VERSION),
        IMAGES: Object.fromEntries(Object.entries(actual.IMAGES as Record<string, string>).map(([k, v]) => [k, bumpImage(v)])),
      };
    });
    next = byUnit(synthExampleUnits());
  });
}

afterAll(async () => {
  await server?.stop();
}, 30_000);

function client() {
  if (!server) throw new Error('the API server did not start (see beforeAll)');
  return server.client;
}

/** Kinds whose CRDs no registry reachable here ships (test/upstream/crds/sources.json): schema-checked only. */
const NO_CRD_HERE = /^(opentelemetry\.io|kafka\.strimzi\.io|grafana\.integreatly\.org|jaegertracing\.io)\//;

function problems(report: ConformanceReport): string[] {
  return report.lines.filter((l) => /^(rejected|warning|failed):/.test(l));
}

function byUnit(found: FoundObject[]): Map<string, FoundObject[]> {
  const units = new Map<string, FoundObject[]>();
  for (const f of found) units.set(f.unit, [...(units.get(f.unit) ?? []), f]);
  return units;
}

const identity = (f: FoundObject) => `${f.object.apiVersion} ${f.object.kind} ${f.object.metadata?.namespace ?? ''}/${f.object.metadata?.name}`;

describe('every example on the real API server (Kubernetes 1.35)', () => {
  const current = byUnit(synthExampleUnits());

  test('every example is here: charts, configurations, GitOps environments and stacks', () => {
    const names = [...current.keys()];
    expect(names.filter((n) => n.startsWith('chart ')).length).toBeGreaterThanOrEqual(6);
    expect(names.filter((n) => n.startsWith('configuration ')).length).toBeGreaterThanOrEqual(6);
    expect(names.filter((n) => n.startsWith('environments/')).length).toBe(3);
    expect(names.filter((n) => n.startsWith('stack ')).length).toBeGreaterThanOrEqual(2);
    expect([...next.keys()]).toEqual(names);
  });

  test.each([...current.keys()])('%s: applied, pods admitted under "restricted", and upgraded in place', async (unit) => {
    const before = current.get(unit)!;
    const after = next.get(unit)!;
    const first = await runConformance(client(), before, { keep: true });
    const second = await runConformance(client(), after, { keep: true });
    await deleteObjects(client(), [...before, ...after].map((f) => f.object));

    expect(problems(first)).toEqual([]);
    expect(first.accepted).toBe(before.length - first.unserved.length);
    expect(first.unserved.map(identity).filter((id) => !NO_CRD_HERE.test(id))).toEqual([]);
    // The upgrade: applied over the first synthesis, nothing refused (immutable selectors, claim
    // templates, Job templates), and nothing the first one created is missing (it would be pruned),
    // except a one-shot Job: its template is immutable, so an upgrade replaces it under a new name.
    expect(problems(second)).toEqual([]);
    const kept = new Set(after.map(identity));
    expect(before.filter((f) => !kept.has(identity(f)) && f.object.kind !== 'Job').map(identity)).toEqual([]);
  }, 300_000);

  test('the upgrade really changes versions (else the test above proves nothing)', () => {
    const images = (units: Map<string, FoundObject[]>): string[] => JSON.stringify([...units.values()]).match(/"image":"[^"]+"/g) ?? [];
    const changed = images(next).filter((image) => !images(current).includes(image));
    expect(changed.length).toBeGreaterThan(20);
    expect(JSON.stringify([...next.values()])).toContain('"app.kubernetes.io/version":"3.0.4"');
  });
});

describe('npm run conformance (the command, on a fixture directory)', () => {
  test('reports each rejected and warned object with the server\'s message, then the totals, and fails', async () => {
    const lines: string[] = [];
    const code = await conformanceMain([path.join(__dirname, 'fixtures', 'output')], (l) => lines.push(l), { server });
    const report = lines.join('\n');
    expect(code).toBe(1);
    expect(lines[lines.length - 1]).toBe('conformance: 5 objects accepted, 3 rejected, 1 warnings');
    expect(report).toMatch(/^rejected: Service fixture\/bad-port \(.*bad\.k8s\.yaml#0\): 422: .*spec\.ports\[0\]\.port: Invalid value: 70000/m);
    expect(report).toMatch(/^rejected: ConfigMap fixture\/typo \(.*bad\.k8s\.yaml#1\): 500: .*\.metadata\.lables: field not declared in schema/m);
    expect(report).toMatch(/^warning: Ingress fixture\/old-class \(.*bad\.k8s\.yaml#3\): annotation "kubernetes\.io\/ingress\.class" is deprecated/m);
    expect(report).toMatch(/^rejected: Deployment fixture\/root \(.*\): pod template refused under "restricted": 403: .*violates PodSecurity "restricted:latest"/m);
    expect(report).toMatch(/Deployment fixture\/root .*warning: would violate PodSecurity "restricted/);
    expect(report).toContain('pod security: 1 pod templates admitted as Pods under "restricted" (latest)');
  }, 120_000);

  test('passes output that the server accepts, CloudFormation references resolved to placeholders', async () => {
    const lines: string[] = [];
    const dir = path.join(__dirname, 'fixtures', 'output');
    const code = await conformanceMain([path.join(dir, 'good.k8s.yaml'), path.join(dir, 'Fixture.template.json')], (l) => lines.push(l), { server });
    expect(lines[lines.length - 1]).toBe('conformance: 5 objects accepted, 0 rejected, 0 warnings');
    expect(code).toBe(0);
  }, 120_000);
});
