import { ApiObject } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { dashboardDatasourceUids, renderPipelineDashboard, renderServiceDashboard } from '../render/dashboards';
import { SpanMetrics } from '../render/grafana-span-metrics';
import { GRAFANA_OPERATOR_API_VERSION, GrafanaDelivery } from './grafana-delivery';
import { ITracingDatasourceUids } from './grafana-datasources';
import { wiringLabels } from './prometheus';
import { IMetricsSource, resolveSources } from './scrape';

/** Props of {@link TracingDashboards}. */
export interface TracingDashboardsProps {
  /** The datasources the dashboards query (a `TracingDatasources` satisfies this); every uid used is checked against it. */
  readonly datasources: ITracingDatasourceUids;
  /**
   * How Grafana receives the dashboards.
   * @default GrafanaDelivery.sidecar()
   */
  readonly delivery?: GrafanaDelivery;
  /**
   * Producer of the span metrics behind the service dashboard.
   * @default - the datasources' span metrics, else the collector's spanmetrics connector
   */
  readonly spanMetrics?: SpanMetrics;
  /**
   * Show the collector tier's panels. It must be scraped (`serviceMonitor` on the TracingCollector);
   * the panels select its series by the labels that scrape gives them.
   * @default - no collector panels
   */
  readonly collector?: IMetricsSource;
  /**
   * Show Tempo's panels. It must be scraped (`podMonitor` on Tempo).
   * @default - no Tempo panels
   */
  readonly tempo?: IMetricsSource;
  /**
   * Show Jaeger's panels. It must be scraped (`podMonitor` on Jaeger).
   * @default - no Jaeger panels
   */
  readonly jaeger?: IMetricsSource;
  /**
   * Name of the ConfigMap (sidecar) or prefix of the GrafanaDashboard objects (operator).
   * @default 'tracing-dashboards'
   */
  readonly name?: string;
}

/**
 * Two Grafana dashboards, delivered by sidecar ConfigMap or grafana-operator:
 * pipeline health (scrape targets up, collectors, queues, Tempo or Jaeger ingestion) of the
 * components given, each of which must be scraped, and per-service rate, errors and duration
 * from span metrics with exemplars. With no component, only the service dashboard.
 */
export class TracingDashboards extends Construct {
  /** Dashboard models by uid. */
  public readonly dashboards: Record<string, Record<string, unknown>>;
  public readonly configMap?: k8s.KubeConfigMap;
  public readonly operatorObjects: ApiObject[] = [];

  constructor(scope: Construct, id: string, props: TracingDashboardsProps) {
    super(scope, id);
    const path = this.node.path;
    const delivery = props.delivery ?? GrafanaDelivery.sidecar();
    const ds = props.datasources;
    if (!ds) throw configError(path, 'datasources is required', ds, 'pass the TracingDatasources construct');
    if (!ds.prometheusUid) {
      throw configError(path, 'the dashboards read Prometheus, but the datasources have no Prometheus datasource', ds.prometheusUid,
        'add prometheus: { endpoint } to TracingDatasources');
    }
    const sources = resolveSources(this, path, 'dashboards', props);
    const spanMetrics = props.spanMetrics ?? ds.spanMetrics ?? SpanMetrics.collectorConnector();
    // The pipeline dashboard only shows scraped components: without any, it would be empty.
    const pipeline = sources.collector || sources.tempo || sources.jaeger;
    const models = [
      ...(pipeline ? [renderPipelineDashboard({
        prometheusUid: ds.prometheusUid,
        collectorMatchers: sources.collector?.matchers,
        tempoMatchers: sources.tempo?.matchers,
        jaegerMatchers: sources.jaeger?.matchers,
        scrapeTargets: sources.targets,
      })] : []),
      renderServiceDashboard({ prometheusUid: ds.prometheusUid, traceUid: ds.traceUid, spanMetrics }),
    ];
    // Every datasource a dashboard uses must exist: name the dashboard, the panel and the missing uid.
    const known = new Set(ds.knownUids);
    for (const model of models) {
      for (const ref of dashboardDatasourceUids(model)) {
        if (!known.has(ref.uid)) {
          throw configError(path, `dashboard "${model.uid}" ${ref.where} uses datasource uid "${ref.uid}", which no datasource has; known uids: ${[...known].map((u) => `"${u}"`).join(', ')}`,
            ref.uid, 'provision that datasource in TracingDatasources, or list it in externalDatasourceUids');
        }
      }
    }
    if (!known.has(ds.traceUid)) {
      throw configError(path, `the dashboards link to trace datasource uid "${ds.traceUid}", which no datasource has`, ds.traceUid, 'pass the TracingDatasources construct as datasources');
    }
    this.dashboards = Object.fromEntries(models.map((m) => [m.uid as string, m]));

    const name = props.name ?? 'tracing-dashboards';
    validateDnsLabel(path, 'name', name, 40);
    const labels = wiringLabels('grafana-dashboards', name);
    if (delivery.isOperator) {
      for (const model of models) {
        const uid = model.uid as string;
        this.operatorObjects.push(new ApiObject(this, `Dashboard-${uid}`, {
          apiVersion: GRAFANA_OPERATOR_API_VERSION,
          kind: 'GrafanaDashboard',
          metadata: { name: `${name}-${uid}`.slice(0, 63).replace(/-+$/, ''), labels },
          spec: { uid, ...delivery.operatorSpec(), folder: delivery.folder, json: JSON.stringify(model, null, 2) },
        }));
      }
    } else {
      this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
        metadata: {
          name,
          labels: { ...labels, grafana_dashboard: delivery.labelValue },
          annotations: { grafana_folder: delivery.folder },
        },
        data: Object.fromEntries(models.map((m) => [`${m.uid}.json`, JSON.stringify(m, null, 2)])),
      });
    }
  }
}
