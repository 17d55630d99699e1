// AWS entry point: aws-cdk-lib constructs (loads aws-cdk-lib).
export * from './tempo-bucket';
export * from './tempo-identity';
export * from './tempo-on-s3';
export * from './eks-chart';
export * from './tempo-on-eks';
export * from './opensearch-domain';
export * from './opensearch-ism';
export * from './jaeger-on-eks';
