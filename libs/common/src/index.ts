export * from './actor';
export * from './cursor';
export * from './domain-error';
export * from './seeded-random';
export * from './shutdown';
export * from './connection-state';
