export * from './pub-sub.module';
export * from './redis.module';
