import { App, Testing } from 'cdk8s';
import * as path from 'node:path';
import { parse } from 'yaml';
import { buildEnvironment, ENVIRONMENTS } from '../../../examples/gitops-environments/app';
import sampleOutputs from '../../../examples/gitops-environments/outputs.json';
import { K8S_EXAMPLES } from '../../../examples/k8s-examples';

/**
 * The collector configurations we ship, read from what our constructs synthesize (never from copies):
 * every workload whose container runs an OpenTelemetry Collector image, with the ConfigMap its
 * `--config` argument points at, and the container's environment and memory limit.
 */
export interface ShippedCollector {
  /** `chart/Kind/name`, e.g. `otel-collector/DaemonSet/otel-agent`. */
  readonly id: string;
  readonly chart: string;
  readonly kind: string;
  readonly name: string;
  readonly image: string;
  readonly configMap: string;
  readonly config: Record<string, any>;
  /** Literal env values; downward-API ones as `fieldRef:<path>`. */
  readonly env: Record<string, string>;
  readonly memoryLimit?: string;
  readonly args: readonly string[];
}

const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

export function isCollectorImage(image: string): boolean {
  return /opentelemetry-collector/.test(image);
}

/** Collector workloads of one chart's objects. */
export function collectorsOf(chart: string, objects: any[]): ShippedCollector[] {
  const configMaps = new Map<string, any>(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o]));
  const out: ShippedCollector[] = [];
  for (const o of objects) {
    if (!WORKLOADS.has(o.kind)) continue;
    const pod = o.spec.template.spec;
    for (const c of pod.containers ?? []) {
      if (!isCollectorImage(c.image ?? '')) continue;
      const args: string[] = c.args ?? [];
      const configArg = args.find((a) => a.startsWith('--config='));
      if (!configArg) throw new Error(`${chart}/${o.kind}/${o.metadata.name}: collector container without --config=`);
      const file = configArg.slice('--config='.length);
      const mount = (c.volumeMounts ?? []).find((m: any) => path.dirname(file) === m.mountPath.replace(/\/$/, ''));
      const volume = (pod.volumes ?? []).find((v: any) => v.name === mount?.name);
      const cm = volume?.configMap ? configMaps.get(volume.configMap.name) : undefined;
      const text = cm?.data?.[path.basename(file)];
      if (typeof text !== 'string') throw new Error(`${chart}/${o.kind}/${o.metadata.name}: ${file} is not a key of a ConfigMap in the chart`);
      const env: Record<string, string> = {};
      for (const e of c.env ?? []) env[e.name] = e.value ?? (e.valueFrom?.fieldRef ? `fieldRef:${e.valueFrom.fieldRef.fieldPath}` : '');
      out.push({
        id: `${chart}/${o.kind}/${o.metadata.name}`, chart, kind: o.kind, name: o.metadata.name, image: c.image,
        configMap: cm.metadata.name, config: parse(text), env, memoryLimit: c.resources?.limits?.memory, args,
      });
    }
  }
  return out;
}

/**
 * Every example chart (what `npm run synth` writes to dist/ and dist/environments/), synthesized now:
 * the registered examples and each GitOps environment (with the example's sample outputs file).
 */
export function exampleCharts(): Array<{ chart: string; objects: any[] }> {
  const app: App = Testing.app();
  K8S_EXAMPLES.forEach((build) => build(app));
  const charts = app.charts.map((c) => ({ chart: c.node.id, objects: c.toJson() }));
  for (const env of ENVIRONMENTS) {
    const envApp: App = Testing.app();
    buildEnvironment(envApp, env, sampleOutputs, 'examples/gitops-environments/outputs.json');
    charts.push(...envApp.charts.map((c) => ({ chart: `environments/${env.name}/${c.node.id}`, objects: c.toJson() })));
  }
  return charts;
}

/** Every collector of every example chart. */
export function shippedCollectors(): ShippedCollector[] {
  return exampleCharts().flatMap(({ chart, objects }) => collectorsOf(chart, objects));
}

/** `512Mi` -> bytes. */
export function quantityBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(q);
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  const unit: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 };
  return Math.round(Number(m[1]) * (m[2] ? unit[m[2]] : 1));
}
