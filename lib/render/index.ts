export * from './tempo-config';
export * from './yaml';
