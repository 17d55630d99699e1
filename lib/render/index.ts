export * from './tempo-config';
export * from './yaml';
export * from './sampling-strategies';
