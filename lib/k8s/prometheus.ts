import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { standardLabels } from './labels';

/** Options of {@link PrometheusEndpoint.inCluster}. */
export interface InClusterPrometheusOptions {
  /**
   * Service in front of Prometheus. prometheus-operator creates `prometheus-operated`.
   * @default 'prometheus-operated'
   */
  readonly serviceName?: string;
  /**
   * Namespace of that Service.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Service port.
   * @default 9090
   */
  readonly port?: number;
}

/** Options of {@link PrometheusEndpoint.fromUrls}. */
export interface PrometheusUrlsOptions {
  /** Base URL Grafana queries (PromQL API root), e.g. `http://mimir-query-frontend.mimir:8080/prometheus`. */
  readonly queryUrl: string;
  /** Remote-write URL Tempo's metrics-generator writes span metrics and exemplars to. */
  readonly remoteWriteUrl: string;
}

const HTTP_URL = /^https?:\/\/[^\s/$.?#][^\s]*$/;

/**
 * Where span metrics and exemplars live: one value that gives both the URL
 * Grafana's Prometheus datasource reads and the remote-write URL Tempo's
 * metrics-generator writes, so the two cannot point at different servers by
 * accident. Pass `remoteWriteUrl` to `Tempo`'s `metricsGenerator.remoteWriteUrl`
 * and the endpoint to `TracingDatasources`; the datasources check they agree.
 */
export class PrometheusEndpoint {
  /** A Prometheus Service in the cluster (prometheus-operator's `prometheus-operated` by default). */
  public static inCluster(options: InClusterPrometheusOptions = {}): PrometheusEndpoint {
    const serviceName = options?.serviceName ?? 'prometheus-operated';
    const namespace = options?.namespace ?? 'monitoring';
    const port = options?.port ?? 9090;
    const base = `http://${serviceName}.${namespace}.svc.cluster.local:${port}`;
    return new PrometheusEndpoint(base, `${base}/api/v1/write`, { serviceName, namespace }, (path) => {
      validateDnsLabel(path, 'prometheus endpoint serviceName', serviceName);
      validateDnsLabel(path, 'prometheus endpoint namespace', namespace);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw configError(path, 'prometheus endpoint port is not a TCP port', port, 'use 1-65535, e.g. 9090');
    });
  }

  /** Separate read and write URLs (Mimir, Thanos Receive, Cortex, a Prometheus outside the cluster). */
  public static fromUrls(options: PrometheusUrlsOptions): PrometheusEndpoint {
    const queryUrl = typeof options?.queryUrl === 'string' ? options.queryUrl.replace(/\/+$/, '') : options?.queryUrl;
    return new PrometheusEndpoint(queryUrl, options?.remoteWriteUrl, undefined, (path) => {
      for (const key of ['queryUrl', 'remoteWriteUrl'] as const) {
        const url = options?.[key];
        if (typeof url !== 'string' || !HTTP_URL.test(url)) {
          throw configError(path, `prometheus endpoint ${key} is not an http(s) URL`, url, 'use a full URL such as "http://prometheus.monitoring:9090"');
        }
      }
    });
  }

  /** URL Grafana's Prometheus datasource reads. */
  public readonly queryUrl: string;
  /** URL Tempo's metrics-generator remote-writes to. */
  public readonly remoteWriteUrl: string;
  /** Service and namespace, for an in-cluster endpoint. */
  public readonly service?: { readonly serviceName: string; readonly namespace: string };

  private constructor(queryUrl: string, remoteWriteUrl: string, service: { serviceName: string; namespace: string } | undefined,
    private readonly check: (path: string) => void) {
    this.queryUrl = queryUrl;
    this.remoteWriteUrl = remoteWriteUrl;
    this.service = service;
  }

  /**
   * @internal The factory keeps what it was given; the construct that uses the endpoint checks it,
   * so the error names that construct's path.
   */
  public _validate(path: string): void { this.check(path); }
}

/** Input of {@link renderPrometheusTracingSpec}. */
export interface PrometheusTracingSpecInput {
  /** `spec.exemplars.maxSize`: exemplars kept in memory across all series. */
  readonly exemplarsMaxSize: number;
  /** Accept remote-write (Tempo's metrics-generator pushes span metrics). */
  readonly remoteWriteReceiver: boolean;
}

/**
 * The `Prometheus` (prometheus-operator) spec fields tracing needs: exemplar
 * storage (a feature flag even in Prometheus 3) with a size, and the
 * remote-write receiver for Tempo's metrics-generator.
 */
export function renderPrometheusTracingSpec(input: PrometheusTracingSpecInput): Record<string, unknown> {
  return {
    enableFeatures: ['exemplar-storage'],
    exemplars: { maxSize: input.exemplarsMaxSize },
    ...(input.remoteWriteReceiver ? { enableRemoteWriteReceiver: true } : {}),
  };
}

/** The same settings as kube-prometheus-stack Helm values (`prometheus.prometheusSpec`). */
export function kubePrometheusStackTracingValues(input: PrometheusTracingSpecInput): Record<string, unknown> {
  return { prometheus: { prometheusSpec: renderPrometheusTracingSpec(input) } };
}

/** Props of {@link PrometheusTracingPatch}. */
export interface PrometheusTracingPatchProps {
  /**
   * Name of the existing `Prometheus` resource to patch. Its namespace is the chart's.
   * kube-prometheus-stack names it `<release>-kube-prometheus-prometheus` (`kube-prometheus-stack-prometheus` for release `kube-prometheus-stack`).
   */
  readonly prometheusName: string;
  /**
   * Exemplars kept in memory across all series (each takes about 100 bytes).
   * @default 100000
   */
  readonly exemplarsMaxSize?: number;
  /**
   * Enable the remote-write receiver. Needed when Tempo's metrics-generator writes here.
   * @default true
   */
  readonly remoteWriteReceiver?: boolean;
}

/**
 * A partial `Prometheus` object carrying only the fields tracing needs, to be
 * applied over the operator-managed Prometheus with server-side apply
 * (`kubectl apply --server-side --field-manager=cdk-tracing`): the other fields
 * stay with their owner. Put it in its own chart. With kube-prometheus-stack,
 * prefer {@link kubePrometheusStackTracingValues} in the Helm values instead.
 */
export class PrometheusTracingPatch extends Construct {
  public readonly spec: Record<string, unknown>;
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PrometheusTracingPatchProps) {
    super(scope, id);
    const path = this.node.path;
    validateDnsLabel(path, 'prometheusName', props.prometheusName);
    const namespace = Chart.of(this).namespace;
    if (!namespace) {
      throw configError(path, 'the chart holding the Prometheus patch has no namespace', namespace, 'create the chart with the namespace of your Prometheus resource, e.g. { namespace: "monitoring" }');
    }
    const exemplarsMaxSize = props.exemplarsMaxSize ?? 100_000;
    if (!Number.isInteger(exemplarsMaxSize) || exemplarsMaxSize < 1) {
      throw configError(path, 'exemplarsMaxSize must be a positive whole number', exemplarsMaxSize, 'use e.g. 100000 (about 10 MB)');
    }
    this.spec = renderPrometheusTracingSpec({ exemplarsMaxSize, remoteWriteReceiver: props.remoteWriteReceiver ?? true });
    this.apiObject = new ApiObject(this, 'Prometheus', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata: {
        name: props.prometheusName,
        annotations: { 'cdk-tracing/apply': 'kubectl apply --server-side --field-manager=cdk-tracing (a patch of fields, not a whole Prometheus)' },
      },
      spec: this.spec,
    });
  }
}

/** Labels of objects the tracing wiring creates. */
export function wiringLabels(component: string, instance: string): Record<string, string> {
  return standardLabels({ name: 'cdk-tracing', instance, component, version: 'v1' });
}
