export * from './data-source-options';
export * from './database.module';
export * from './pg-errors';
export * from './query-rows';
export * from './privileges';
export * from './transaction-deadline';
export * from './idempotency';
