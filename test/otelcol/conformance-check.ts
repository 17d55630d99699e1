import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConformanceCheck, ObjectVerdict } from '../conformance/checks';
import { FAKE_NODE_NAME, startFakeKubeApi } from './harness/fake-kube-api';
import { otelcolBinary, podEnv, validate, withoutUnbuildable } from './harness/program';
import { collectorsOf } from './harness/shipped';

/**
 * `npm run conformance`'s collector check: every collector workload found (YAML files and the
 * manifests inside CloudFormation templates), its config loaded by the real collector 0.161.0 with
 * `otelcol validate`, in the same pod-like sandbox as test/otelcol/validate.test.ts. Reports
 * `N collector configs valid` and rejects each ConfigMap the collector refuses.
 */
export const collectorConfigCheck: ConformanceCheck = {
  name: 'otelcol',
  run: async ({ objects }) => {
    const units = new Map<string, typeof objects[number][]>();
    for (const f of objects) units.set(f.unit, [...(units.get(f.unit) ?? []), f]);
    const found = [...units].flatMap(([unit, list]) => collectorsOf(unit, list.map((f) => f.object)).map((c) => ({ unit, list, c })));
    if (found.length === 0) return { summary: ['0 collector configs found'] };
    const binary = otelcolBinary();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'otelcol-conformance-'));
    const kube = await startFakeKubeApi(path.join(work, 'kube'));
    const verdicts: ObjectVerdict[] = [];
    let valid = 0;
    let partial = 0;
    try {
      // One config per ConfigMap: several workloads may mount the same one.
      const seen = new Set<string>();
      for (const [i, { unit, list, c }] of found.entries()) {
        const key = `${unit}/${c.configMap}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { config, removed } = withoutUnbuildable(c.config);
        const result = validate(binary, config, path.join(work, String(i), 'config.yaml'), podEnv(c.env, FAKE_NODE_NAME), kube);
        const cm = list.find((f) => f.object.kind === 'ConfigMap' && f.object.metadata?.name === c.configMap)!;
        if (result.status === 0) {
          valid++;
          if (removed.length > 0) partial++;
        } else {
          verdicts.push({ found: cm, rejected: `otelcol validate: ${result.output.trim().split('\n').slice(-3).join(' ')}` });
        }
      }
    } finally {
      await kube.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
    const note = partial > 0 ? ` (${partial} without jaegerremotesampling, which the registry does not serve at 0.161.0)` : '';
    return { verdicts, summary: [`${valid} collector configs valid${note}`] };
  },
};
