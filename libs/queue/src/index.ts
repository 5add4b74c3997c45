export * from './capacity-signal';
export * from './job-catalogue';
export * from './outbox.service';
export * from './pub-sub.module';
export * from './queue.module';
export * from './redis.module';
export * from './job-durations';
export * from './live-interruptions';
