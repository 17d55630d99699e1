// Every Jaeger configuration in our output, and the two rewrites the real-program tests apply to it:
// - to212Spelling: the index rotation written the way Jaeger 2.12.0 (the approved module version
//   we can build) spells it. Nothing else changes; the change list says what moved.
// - forLoopback: addresses, ports, file paths and credentials pointed at local processes.
// Each rewrite returns the list of every key it changed; a test proves nothing else differs.
import { App as CdkApp } from 'aws-cdk-lib';
import { Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { parse } from 'yaml';
import { AWS_EXAMPLES } from '../../examples/aws-examples';
import { K8S_EXAMPLES } from '../../examples/k8s-examples';
import { JaegerChart, JaegerChartProps, JaegerIndexRotation, JaegerStorage, Retention } from '../../lib/k8s';
import { K8sObject } from '../helpers/schema';

export interface JaegerOutput {
  /** Where it comes from: `example <chart>` or `variant <name>`. */
  readonly source: string;
  /** ConfigMap name (`<name>-collector-config`, `<name>-query-config`). */
  readonly configMap: string;
  readonly role: 'collector' | 'query';
  readonly config: Record<string, any>;
  /** The config file text as shipped. */
  readonly text: string;
  /** Every object of the chart it belongs to (for the jobs, the strategies file, ...). */
  readonly objects: K8sObject[];
}

function isJaegerConfig(cm: any): boolean {
  const text = cm?.data?.['config.yaml'];
  return typeof text === 'string' && text.includes('jaeger_storage');
}

function outputsOf(source: string, objects: K8sObject[]): JaegerOutput[] {
  return objects.filter((o) => o.kind === 'ConfigMap' && isJaegerConfig(o)).map((cm: any) => {
    const config = parse(cm.data['config.yaml']);
    const role = config.extensions?.jaeger_query ? 'query' : 'collector';
    return { source, configMap: cm.metadata.name, role, config, text: cm.data['config.yaml'], objects };
  });
}

/** Charts beyond the examples, so every rotation mode, auth kind and engine is covered. */
export const JAEGER_VARIANTS: Array<[string, JaegerChartProps]> = [
  ['opensearch daily, basic auth, cleaner', {
    namespace: 'tracing', indexPrefix: 'e2e', retention: Retention.days(3),
    storage: JaegerStorage.opensearch({ serverUrls: ['https://opensearch.tracing.svc:9200'], basicAuth: { secretName: 'os-credentials' }, tls: { caSecretName: 'opensearch-ca' } }),
  }],
  ['elasticsearch daily, TLS', {
    namespace: 'tracing',
    storage: JaegerStorage.elasticsearch({
      serverUrls: ['https://tracing-es-http.tracing.svc:9200'],
      basicAuth: { secretName: 'tracing-es-elastic-user', username: 'elastic', passwordKey: 'elastic' },
      tls: { caSecretName: 'tracing-es-http-certs-public' },
    }),
  }],
  ['opensearch manual rollover', {
    namespace: 'tracing', indexPrefix: 'roll', retention: Retention.days(2),
    indexRotation: JaegerIndexRotation.rollover({ maxAge: '12h' }),
    storage: JaegerStorage.opensearch({ serverUrls: ['http://opensearch.tracing.svc:9200'] }),
  }],
  ['opensearch ISM lifecycle policy', {
    namespace: 'tracing', indexPrefix: 'ism', indexRotation: JaegerIndexRotation.lifecyclePolicy({ maxAge: '6h' }),
    storage: JaegerStorage.opensearch({ serverUrls: ['https://search.example.com'], basicAuth: { secretName: 'jaeger-os-credentials' } }),
  }],
  ['elasticsearch ILM lifecycle policy', {
    namespace: 'tracing', indexPrefix: 'ilm', indexRotation: JaegerIndexRotation.lifecyclePolicy(),
    storage: JaegerStorage.elasticsearch({ serverUrls: ['http://es.tracing.svc:9200'] }),
  }],
];

export function variantObjects(name: string): K8sObject[] {
  const props = JAEGER_VARIANTS.find(([n]) => n === name)?.[1];
  if (!props) throw new Error(`no Jaeger variant '${name}'`);
  return Testing.synth(new JaegerChart(Testing.app(), 'jaeger', props)) as K8sObject[];
}

function jaegerChartsIn(root: IConstruct): JaegerChart[] {
  const found: JaegerChart[] = [];
  const visit = (c: IConstruct) => {
    const chart = (c as any).chart;
    if (chart instanceof JaegerChart) found.push(chart as JaegerChart);
    c.node.children.forEach(visit);
  };
  visit(root);
  return found;
}

/** Every Jaeger config: each example (dist/ and, inside the CloudFormation, cdk.out/) and each variant. */
export function allJaegerOutputs(): JaegerOutput[] {
  const outputs: JaegerOutput[] = [];
  const app = Testing.app();
  K8S_EXAMPLES.forEach((build) => build(app));
  for (const chart of app.charts) outputs.push(...outputsOf(`example ${chart.node.id}`, chart.toJson() as K8sObject[]));
  const cdkApp = new CdkApp();
  AWS_EXAMPLES.forEach((build) => build(cdkApp));
  for (const chart of jaegerChartsIn(cdkApp)) {
    outputs.push(...outputsOf(`example ${chart.node.scopes.map((s) => s.node.id).filter(Boolean).join('/') || chart.node.id} (on EKS)`, chart.toJson() as K8sObject[]));
  }
  for (const [name] of JAEGER_VARIANTS) outputs.push(...outputsOf(`variant ${name}`, variantObjects(name)));
  return outputs;
}

/** One changed key: its path, the value we ship and the value the test runs. */
export interface Rewrite {
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** The `elasticsearch`/`opensearch` block of the one storage backend, with its key path. */
function storageBlock(config: any): { path: string; block: any } {
  const backends = config.extensions.jaeger_storage.backends;
  const [name] = Object.keys(backends);
  const engine = backends[name].elasticsearch ? 'elasticsearch' : 'opensearch';
  return { path: `extensions.jaeger_storage.backends.${name}.${engine}`, block: backends[name][engine] };
}

/**
 * Jaeger 2.20 (what we ship) spells rotation per index type
 * (`indices.<type>.rotation.{periodic|manual_rollover|auto_rollover}`); 2.12.0 (what the suite
 * can build) has the older spelling: `date_layout`/`rollover_frequency` per index type, and
 * `use_aliases` (+ `use_ilm`) for the whole backend. The two mean the same indices and aliases
 * (2.20's config_legacy.go maps the old keys onto the new ones); 2.12 has no ILM policy name in
 * the config (es-rollover init writes it into the templates).
 */
export function to212Spelling(config: Record<string, any>): { config: Record<string, any>; rewrites: Rewrite[] } {
  const out = clone(config);
  const rewrites: Rewrite[] = [];
  const { path, block } = storageBlock(out);
  const modes = new Set<string>();
  for (const type of ['spans', 'services', 'dependencies', 'sampling']) {
    const index = block.indices?.[type];
    if (!index?.rotation) continue;
    const rotation = index.rotation;
    const [mode] = Object.keys(rotation);
    const at = `${path}.indices.${type}`;
    rewrites.push({ path: `${at}.rotation`, from: rotation, to: undefined });
    delete index.rotation;
    if (mode === 'periodic') {
      for (const key of ['date_layout', 'rollover_frequency']) {
        if (rotation.periodic[key] !== undefined) {
          index[key] = rotation.periodic[key];
          rewrites.push({ path: `${at}.${key}`, from: undefined, to: rotation.periodic[key] });
        }
      }
    } else if (mode === 'manual_rollover' || mode === 'auto_rollover') {
      if (Object.keys(rotation[mode]).some((k) => k !== 'policy_name')) {
        throw new Error(`to212Spelling: ${at}.rotation.${mode} sets ${Object.keys(rotation[mode])}; 2.12 derives alias names from the prefix only`);
      }
      modes.add(mode);
    } else {
      throw new Error(`to212Spelling: unknown rotation ${mode} at ${at}`);
    }
  }
  if (modes.size > 1) throw new Error(`to212Spelling: ${path} mixes ${[...modes]}; 2.12 has one use_aliases/use_ilm per backend`);
  if (modes.size === 1) {
    block.use_aliases = true;
    rewrites.push({ path: `${path}.use_aliases`, from: undefined, to: true });
    if (modes.has('auto_rollover')) {
      block.use_ilm = true;
      rewrites.push({ path: `${path}.use_ilm`, from: undefined, to: true });
    }
  }
  return { config: out, rewrites };
}

/** Where the local processes listen, and which files stand in for mounted ones. */
export interface LoopbackTargets {
  readonly storageUrl: string;
  /** Our port → the local port (for every `0.0.0.0:<port>` endpoint and the telemetry port). */
  readonly ports: Record<number, number>;
  /** Container path → local path (sampling strategies file, CA bundle, ...). */
  readonly files?: Record<string, string>;
}

/**
 * Points a config at local processes: storage URLs, listen addresses (loopback, free ports),
 * mounted file paths and credentials (`auth`, dropped: the local node has no security plugin).
 * Every change is listed; keys not listed are untouched.
 */
export function forLoopback(config: Record<string, any>, targets: LoopbackTargets): { config: Record<string, any>; rewrites: Rewrite[] } {
  const out = clone(config);
  const rewrites: Rewrite[] = [];
  const set = (path: string, parent: any, key: string, to: unknown) => {
    rewrites.push({ path, from: parent[key], to });
    if (to === undefined) delete parent[key]; else parent[key] = to;
  };
  const walk = (node: any, path: string) => {
    if (Array.isArray(node)) { node.forEach((v, i) => walk(v, `${path}[${i}]`)); return; }
    if (!node || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      const value = node[key];
      const at = path ? `${path}.${key}` : key;
      if (key === 'endpoint' && typeof value === 'string' && /^0\.0\.0\.0:\d+$/.test(value)) {
        const port = Number(value.split(':')[1]);
        if (!targets.ports[port]) throw new Error(`forLoopback: no local port for ${at} = ${value}`);
        set(at, node, key, `127.0.0.1:${targets.ports[port]}`);
      } else if (key === 'prometheus' && path.endsWith('pull.exporter') && value.host === '0.0.0.0') {
        const local = targets.ports[value.port];
        if (!local) throw new Error(`forLoopback: no local port for ${at}.port = ${value.port}`);
        set(`${at}.host`, value, 'host', '127.0.0.1');
        set(`${at}.port`, value, 'port', local);
      } else if (key === 'server_urls') {
        set(at, node, key, [targets.storageUrl]);
      } else if (key === 'auth' && path.endsWith('elasticsearch') || key === 'auth' && path.endsWith('opensearch')) {
        set(at, node, key, undefined);
      } else if (key === 'tls' && (path.endsWith('elasticsearch') || path.endsWith('opensearch'))) {
        set(at, node, key, undefined);
      } else if (key === 'path' && typeof value === 'string' && value.startsWith('/')) {
        const local = targets.files?.[value];
        if (!local) throw new Error(`forLoopback: no local file for ${at} = ${value}`);
        set(at, node, key, local);
      } else {
        walk(value, at);
      }
    }
  };
  walk(out, '');
  return { config: out, rewrites };
}

/** Key paths where two configs differ (for "nothing else changed"). */
export function differingPaths(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    return [...keys].flatMap((k) => differingPaths((a as any)[k], (b as any)[k], path ? `${path}.${k}` : k));
  }
  return [path];
}

/** Host standing in for a CDK token (the domain endpoint, known only at deploy time). */
export const TOKEN_HOST = 'vpc-jaeger-traces-token.eu-west-1.es.amazonaws.com';

/**
 * On EKS the domain endpoint is a CDK token until deploy (CloudFormation joins it into the
 * manifest); in the chart's own YAML it reads `${Token[...]}`, which Jaeger would take for an
 * environment variable. Only `server_urls` may hold one; each is replaced by {@link TOKEN_HOST}.
 */
export function withTokenAddresses(config: Record<string, any>): { config: Record<string, any>; rewrites: Rewrite[] } {
  const out = clone(config);
  const { path, block } = storageBlock(out);
  const rewrites: Rewrite[] = [];
  block.server_urls = block.server_urls.map((u: string, i: number) => {
    const to = u.replace(/\$\{Token\[[^\]]+\]\}/g, TOKEN_HOST);
    if (to !== u) rewrites.push({ path: `${path}.server_urls[${i}]`, from: u, to });
    return to;
  });
  const rest = JSON.stringify(out);
  if (rest.includes('${Token[')) throw new Error(`a CDK token outside server_urls: ${rest.match(/.{60}\$\{Token\[[^\]]+\]\}.{20}/)?.[0]}`);
  return { config: out, rewrites };
}
