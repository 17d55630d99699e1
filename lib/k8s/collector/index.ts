export * from './backend';
export * from './collector';
export * from './collector-chart';
