import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@shelterlink/config';
import { ConnectionState } from '@shelterlink/common';
import { JobDurations } from './job-durations';

/** The shared command connection (rate limits, health). Queues and pub/sub open their own. */
export const REDIS = Symbol('REDIS');

/**
 * Reconnection for every Redis connection, BullMQ's included: quickly at first, then every
 * REDIS_RECONNECT_MAX_MS at most, so service resumes within about that once Redis is back, whatever the outage's
 * length (BullMQ's own strategy grows to 20 s).
 */
export function reconnectStrategy(config: AppConfig): (attempt: number) => number {
  return (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), config.env.REDIS_RECONNECT_MAX_MS);
}

/**
 * A connection used while answering requests: a command waits at most REDIS_COMMAND_TIMEOUT_MS (queued while
 * disconnected, or sent to a Redis that does not answer), then fails. A subscriber connection only listens: its
 * SUBSCRIBEs wait for Redis (ioredis sends them again after every reconnection).
 */
export function createRedis(config: AppConfig, name: string, role: 'commands' | 'subscriber' = 'commands'): Redis {
  const redis = new Redis(config.env.REDIS_URL, {
    connectionName: `shelterlink-${name}`,
    maxRetriesPerRequest: 2,
    commandTimeout: role === 'commands' ? config.env.REDIS_COMMAND_TIMEOUT_MS : undefined,
    retryStrategy: reconnectStrategy(config),
  });
  new ConnectionState(new Logger('Redis'), `redis ${name}`).watch(redis, redis);
  if (role === 'subscriber') settleUnsubscribes(redis);
  return redis;
}

/**
 * graphql-redis-subscriptions unsubscribes without awaiting: while Redis is away the command fails, and a promise
 * nobody handles ends the process. Here such a failure is let go: the listener is gone on our side either way, and
 * a channel left subscribed in Redis only brings messages nobody listens to until the connection next starts over.
 */
function settleUnsubscribes(redis: Redis): void {
  for (const method of ['unsubscribe', 'punsubscribe'] as const) {
    const original = redis[method].bind(redis) as (...channels: string[]) => Promise<unknown>;
    Object.defineProperty(redis, method, {
      value: (...channels: string[]) => {
        const done = original(...channels);
        done.catch(() => undefined);
        return done;
      },
    });
  }
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
