import { configError } from '../core/errors';

/** Options of {@link GrafanaDelivery.sidecar}. */
export interface GrafanaSidecarOptions {
  /**
   * Value of the `grafana_datasource` / `grafana_dashboard` label. The Grafana
   * chart's sidecar matches any value by default; kube-prometheus-stack expects `"1"`.
   * @default '1'
   */
  readonly labelValue?: string;
  /**
   * Dashboard folder, written to the `grafana_folder` annotation. The Grafana
   * chart uses it when `sidecar.dashboards.folderAnnotation: grafana_folder` is set.
   * @default 'Tracing'
   */
  readonly folder?: string;
}

/** Options of {@link GrafanaDelivery.operator}. */
export interface GrafanaOperatorOptions {
  /** Labels of the `Grafana` resources that import these objects (`spec.instanceSelector.matchLabels`, immutable). */
  readonly instanceSelector: Record<string, string>;
  /**
   * Let Grafana instances in other namespaces import these objects.
   * @default false
   */
  readonly allowCrossNamespaceImport?: boolean;
  /**
   * How often the operator re-applies the objects (Go duration).
   * @default '10m'
   */
  readonly resyncPeriod?: string;
  /**
   * Dashboard folder title.
   * @default 'Tracing'
   */
  readonly folder?: string;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * How Grafana receives datasources and dashboards: ConfigMaps for the Grafana
 * Helm chart's sidecar, or grafana-operator (v5) `GrafanaDatasource` /
 * `GrafanaDashboard` resources.
 */
export class GrafanaDelivery {
  /**
   * ConfigMaps labelled `grafana_datasource` / `grafana_dashboard` for the
   * Grafana chart's sidecar (`sidecar.datasources.enabled`, `sidecar.dashboards.enabled`).
   * They are written to the chart's namespace: Grafana's namespace, unless the
   * sidecar's `searchNamespace` includes it.
   */
  public static sidecar(options: GrafanaSidecarOptions = {}): GrafanaDelivery {
    const labelValue = options.labelValue ?? '1';
    if (labelValue.length > 63 || !LABEL_VALUE.test(labelValue)) {
      throw configError('GrafanaDelivery.sidecar', 'labelValue is not a Kubernetes label value', labelValue, 'use up to 63 letters, digits, "-", "_" or ".", e.g. "1"');
    }
    const folder = options.folder ?? 'Tracing';
    if (folder.trim() === '') throw configError('GrafanaDelivery.sidecar', 'folder is empty', folder, 'name a folder, e.g. "Tracing"');
    return new GrafanaDelivery('sidecar', labelValue, folder, undefined, false, '10m');
  }

  /** grafana-operator v5 resources (`grafana.integreatly.org/v1beta1`), each with a fixed `spec.uid`. */
  public static operator(options: GrafanaOperatorOptions): GrafanaDelivery {
    const path = 'GrafanaDelivery.operator';
    const entries = Object.entries(options.instanceSelector ?? {});
    if (entries.length === 0) {
      throw configError(path, 'instanceSelector is empty, so the objects would match no Grafana (or, once edited, every Grafana)', options.instanceSelector,
        'pass the labels of your Grafana resource, e.g. { dashboards: "grafana" }');
    }
    for (const [k, v] of entries) {
      if (!LABEL_KEY.test(k) || v.length > 63 || !LABEL_VALUE.test(v)) {
        throw configError(path, 'instanceSelector holds an invalid label', { [k]: v }, 'use Kubernetes label keys and values');
      }
    }
    const resync = options.resyncPeriod ?? '10m';
    if (!GO_DURATION.test(resync)) throw configError(path, 'resyncPeriod is not a Go duration', resync, 'use e.g. "10m" or "1h"');
    const folder = options.folder ?? 'Tracing';
    if (folder.trim() === '') throw configError(path, 'folder is empty', folder, 'name a folder, e.g. "Tracing"');
    return new GrafanaDelivery('operator', '1', folder, { ...options.instanceSelector }, options.allowCrossNamespaceImport ?? false, resync);
  }

  /** @internal */
  public readonly mode: 'sidecar' | 'operator';
  /** Label value for sidecar delivery. */
  public readonly labelValue: string;
  /** Dashboard folder. */
  public readonly folder: string;
  /** Operator instance selector. */
  public readonly instanceSelector?: Record<string, string>;
  public readonly allowCrossNamespaceImport: boolean;
  public readonly resyncPeriod: string;

  private constructor(mode: 'sidecar' | 'operator', labelValue: string, folder: string,
    instanceSelector: Record<string, string> | undefined, allowCrossNamespaceImport: boolean, resyncPeriod: string) {
    this.mode = mode;
    this.labelValue = labelValue;
    this.folder = folder;
    this.instanceSelector = instanceSelector;
    this.allowCrossNamespaceImport = allowCrossNamespaceImport;
    this.resyncPeriod = resyncPeriod;
  }

  /** True for grafana-operator delivery. */
  public get isOperator(): boolean {
    return this.mode === 'operator';
  }

  /** The operator's common spec fields. @internal */
  public operatorSpec(): Record<string, unknown> {
    return {
      instanceSelector: { matchLabels: this.instanceSelector },
      ...(this.allowCrossNamespaceImport ? { allowCrossNamespaceImport: true } : {}),
      resyncPeriod: this.resyncPeriod,
    };
  }
}

export const GRAFANA_OPERATOR_API_VERSION = 'grafana.integreatly.org/v1beta1';
