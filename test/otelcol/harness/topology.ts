import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { CollectorProcess, startCollector } from './collector-process';
import { FAKE_NODE_NAME, FakeKubeApi } from './fake-kube-api';
import { localize, Rewrite } from './localize';
import { podEnv } from './program';
import { quantityBytes, ShippedCollector } from './shipped';
import { sinkConfig, SinkLayout, sinkFiles } from './sink';

/**
 * Our agent -> our gateway -> N replicas of our sampler -> the capture sink, each a real collector
 * process on 127.0.0.1, each config as shipped except for what {@link localize} rewrites.
 */
export interface Tier {
  readonly name: string;
  readonly shipped: ShippedCollector;
  readonly config: Record<string, any>;
  readonly rewrites: Rewrite[];
  /** Local port standing in for each port of the shipped config. */
  readonly ports: ReadonlyMap<number, number>;
  readonly env: Record<string, string>;
  readonly memoryLimitBytes?: number;
  process?: CollectorProcess;
}

export interface Topology {
  readonly agent: Tier;
  readonly gateway: Tier;
  readonly samplers: Tier[];
  readonly sink: { readonly layout: SinkLayout; process?: CollectorProcess };
  readonly dir: string;
  start(tier: Tier): Promise<CollectorProcess>;
  startSink(): Promise<CollectorProcess>;
  stopAll(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const taken = new Set<number>();
async function uniquePort(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (!taken.has(p)) { taken.add(p); return p; }
  }
}

/** Every port a config listens on (`0.0.0.0:P`, `${env:MY_POD_IP}:P`, the telemetry port). */
function listenPorts(config: Record<string, unknown>): number[] {
  const text = JSON.stringify(config);
  const ports = [...text.matchAll(/(?:0\.0\.0\.0|\$\{env:MY_POD_IP\}):(\d+)/g)].map((m) => Number(m[1]));
  const telemetry = (config as any).service?.telemetry?.metrics?.readers ?? [];
  for (const r of telemetry) if (r?.pull?.exporter?.prometheus?.port) ports.push(r.pull.exporter.prometheus.port);
  return [...new Set(ports)];
}

async function portMap(config: Record<string, unknown>): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const p of listenPorts(config)) map.set(p, await uniquePort());
  return map;
}

export interface TopologyOptions {
  readonly binary: string;
  readonly dir: string;
  readonly agent: ShippedCollector;
  readonly gateway: ShippedCollector;
  readonly sampler: ShippedCollector;
  readonly replicas: number;
  readonly kube: FakeKubeApi;
  /** Files the pods mount from ConfigMaps (path in the pod -> content), e.g. the sampling strategies. */
  readonly mountedFiles?: Readonly<Record<string, string>>;
}

export async function buildTopology(options: TopologyOptions): Promise<Topology> {
  const { dir } = options;
  fs.mkdirSync(dir, { recursive: true });
  const sinkPorts = await Promise.all(Array.from({ length: options.replicas }, () => uniquePort()));
  const layout: SinkLayout = {
    inputs: sinkFiles(dir, options.replicas).map((file, i) => ({ port: sinkPorts[i], file })),
    healthPort: await uniquePort(),
    metricsPort: await uniquePort(),
  };

  const tier = async (name: string, shipped: ShippedCollector, targets: Record<string, string>, samplerEndpoints?: string[], ports?: Map<number, number>): Promise<Tier> => {
    const map = ports ?? await portMap(shipped.config);
    const tierDir = path.join(dir, name, 'pod');
    const { config, rewrites } = localize(shipped.config, {
      port: (p) => { const local = map.get(p); if (!local) throw new Error(`${name}: no local port for ${p}`); return local; },
      exporterTargets: targets, samplerEndpoints, dir: tierDir,
    });
    // The pod's volumes: the queue directory exists (create_directory is false), mounted files are there.
    for (const r of rewrites) if (r.kind === 'file path' && String(r.path).endsWith('directory')) fs.mkdirSync(String(r.to), { recursive: true });
    for (const [file, content] of Object.entries(options.mountedFiles ?? {})) {
      fs.mkdirSync(path.dirname(path.join(tierDir, file)), { recursive: true });
      fs.writeFileSync(path.join(tierDir, file), content);
    }
    return {
      name, shipped, config, rewrites, ports: map,
      env: podEnv(shipped.env, FAKE_NODE_NAME),
      memoryLimitBytes: shipped.memoryLimit ? quantityBytes(shipped.memoryLimit) : undefined,
    };
  };

  const exporterIds = (c: ShippedCollector) => Object.keys(c.config.exporters ?? {});
  const samplers: Tier[] = [];
  for (let i = 0; i < options.replicas; i++) {
    const targets = Object.fromEntries(exporterIds(options.sampler).map((id) => [id, `127.0.0.1:${layout.inputs[i].port}`]));
    samplers.push(await tier(`sampler-${i}`, options.sampler, targets));
  }
  const samplerEndpoints = samplers.map((s) => `127.0.0.1:${s.ports.get(4317)}`);
  const gatewayPorts = await portMap(options.gateway.config);
  const gatewayTargets = Object.fromEntries(exporterIds(options.gateway).filter((id) => !id.startsWith('load_balancing'))
    .map((id) => [id, `127.0.0.1:${layout.inputs[0].port}`]));
  const gateway = await tier('gateway', options.gateway, gatewayTargets, samplerEndpoints, gatewayPorts);
  const agentTargets = Object.fromEntries(exporterIds(options.agent).map((id) => [id, `127.0.0.1:${gatewayPorts.get(4317)}`]));
  const agent = await tier('agent', options.agent, agentTargets);

  let sinkStarts = 0;
  const health = (t: Tier) => `127.0.0.1:${t.ports.get(13133)}`;
  const topology: Topology = {
    agent, gateway, samplers, dir,
    sink: { layout },
    start: async (t) => {
      t.process = await startCollector({
        name: t.name, binary: options.binary, config: t.config, workDir: dir, env: t.env, healthEndpoint: health(t),
        memoryLimitBytes: t.memoryLimitBytes, kube: t === agent ? options.kube : undefined,
      });
      return t.process;
    },
    startSink: async () => {
      sinkStarts += 1;
      topology.sink.process = await startCollector({
        name: 'sink', binary: options.binary, config: sinkConfig(layout, sinkStarts), workDir: dir, env: {}, healthEndpoint: `127.0.0.1:${layout.healthPort}`,
      });
      return topology.sink.process;
    },
    stopAll: async () => {
      for (const t of [agent, gateway, ...samplers]) await t.process?.stop(5000);
      await topology.sink.process?.stop(5000);
    },
  };
  return topology;
}
