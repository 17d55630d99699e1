export * from './tempo-config';
export * from './yaml';
export * from './sampling-strategies';
export * from './jaeger-ports';
export * from './jaeger-config';
export * from './collector-config';
export * from './collector-components';
