import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Chart } from 'cdk8s';

/**
 * Puts a finished cdk8s chart on an aws-eks-v2 cluster. `addCdk8sChart`
 * renders the chart when it is called and silently drops anything added
 * later; the validation here fails the synth instead.
 */
export function addChartToCluster(cluster: eks.ICluster, id: string, chart: Chart): eks.KubernetesManifest {
  const captured = JSON.stringify(chart.toJson());
  const manifest = cluster.addCdk8sChart(id, chart);
  manifest.node.addValidation({
    validate: () => (JSON.stringify(chart.toJson()) === captured ? [] : [
      `[${manifest.node.path}] the cdk8s chart "${chart.node.id}" changed after it was added to the cluster, and the change is not in the template; finish building the chart before adding it`,
    ]),
  });
  return manifest;
}
