// The shared helper now compiles every CRD schema (including PrometheusRule's Go regex), so this is a plain alias.
export { expectValidManifests as expectValidObjects } from '../helpers/schema';
