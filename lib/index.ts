// Everything. GitOps users who must not load aws-cdk-lib import 'cdk-tracing/k8s' instead.
export * from './k8s';
export * from './aws';
