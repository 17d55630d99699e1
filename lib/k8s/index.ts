// The GitOps entry point: Kubernetes constructs only. It must never load aws-cdk-lib.
export * from '../core';
export * from './labels';
export * from './pod-security';
export * from './checksum';
export * from './tokens';
export * from './tempo';
export * from './tempo-chart';
export * from './aws-outputs';
export * from './jaeger-storage';
export * from './jaeger';
export * from './jaeger-chart';
export * from './environments';
export * from './collector';
export * from './elasticsearch';
