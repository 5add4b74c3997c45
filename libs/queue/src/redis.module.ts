import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@shelterlink/config';
import { JobDurations } from './job-durations';

/** The shared command connection (rate limits, health). Queues and pub/sub open their own. */
export const REDIS = Symbol('REDIS');

export function createRedis(config: AppConfig, name: string): Redis {
  return new Redis(config.env.REDIS_URL, { connectionName: `shelterlink-${name}`, maxRetriesPerRequest: 2 });
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [AppConfig], useFactory: (config: AppConfig) => createRedis(config, 'main') },
    RedisCloser,
    {
      provide: JobDurations,
      inject: [REDIS, AppConfig],
      useFactory: (r: Redis, c: AppConfig) => new JobDurations(r, c),
    },
  ],
  exports: [REDIS, JobDurations],
})
export class RedisModule {}
