// What every tier (agent, gateway, sampler) is built from: the collector it belongs to, its labels,
// its config and ConfigMap, and its Service ports.
import { Construct } from 'constructs';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { versionOfImage } from '../../core/versions';
import { distributionFor } from '../../render/collector-components';
import { COLLECTOR_CONFIG_FILE, COLLECTOR_PORTS, CollectorListenPort, CommonTierInput } from '../../render/collector-config';
import { toYaml } from '../../render/yaml';
import { selectorLabels, standardLabels } from '../labels';
import type { CollectorServiceMonitorOptions } from './props';
import { BATCH_SIZE } from './sizing';

/** The TracingCollector a tier is built into. */
export interface TierScope {
  /** The TracingCollector itself: every object is its direct child, so construct ids (API) stay as they are. */
  readonly scope: Construct;
  /** The collector's base name, the `app.kubernetes.io/instance` label of every tier. */
  readonly instance: string;
  readonly namespace: string;
  /** ServiceMonitor options, when every tier gets one. */
  readonly monitor?: CollectorServiceMonitorOptions;
}

/** A tier's image, labels and ConfigMap, the parts built before its workload. */
export interface TierBase {
  readonly image: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly configYaml: string;
  readonly configMap: k8s.KubeConfigMap;
}

/** The config settings every tier shares (memory_limiter, queue, batch, log level). */
/** `queueSize` is unset for a tier that owns no queue (the gateway in TAIL mode). */
export function commonTierInput(logLevel: string, queueSize: number | undefined): CommonTierInput {
  return { memoryLimitPercentage: 75, memorySpikePercentage: 20, queueSize, batchSize: BATCH_SIZE, logLevel };
}

/** Labels selecting a tier's pods (no version: selectors are immutable). */
export function tierSelector(instance: string, component: string): Record<string, string> {
  return selectorLabels({ name: 'opentelemetry-collector', instance, component });
}

/**
 * The image (the smallest distribution that runs `config` unless one is given), labels and the
 * `<name>-config` ConfigMap holding the config plus any `extraFiles`.
 */
export function tierBase(ctx: TierScope, id: string, name: string, component: string, config: Record<string, unknown>,
  image: string | undefined, extraFiles: Record<string, string> = {}): TierBase {
  const tierImage = image ?? distributionFor(config).image;
  const labels = standardLabels({ name: 'opentelemetry-collector', instance: ctx.instance, component, version: versionOfImage(tierImage) });
  const selector = tierSelector(ctx.instance, component);
  const configYaml = toYaml(config);
  const configMap = new k8s.KubeConfigMap(ctx.scope, id, {
    metadata: { name: `${name}-config`, labels },
    data: { [COLLECTOR_CONFIG_FILE]: configYaml, ...extraFiles },
  });
  return { image: tierImage, labels, selector, configYaml, configMap };
}

/** Service ports for the given listen ports, by name, plus the metrics port when the Service is the one scraped. */
export function servicePorts(ports: readonly CollectorListenPort[], withMetrics: boolean): k8s.ServicePort[] {
  return [
    ...ports.map((p) => ({
      name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol,
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    })),
    ...(withMetrics ? [{ name: 'metrics', port: COLLECTOR_PORTS.metrics, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP', appProtocol: 'http' }] : []),
  ];
}
