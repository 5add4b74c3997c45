import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { AppConfig } from '@shelterlink/config';
import { CapacitySignal } from './capacity-signal';
import { createRedis } from './redis.module';
import { PUB_SUB } from './topics';

export { PUB_SUB, Topics } from './topics';

/**
 * Listens to a topic once the subscriber connection is ready. A SUBSCRIBE sent earlier races ioredis's ready check:
 * the connection enters subscriber mode and refuses the check's INFO ("Connection in subscriber mode").
 */
export async function subscribeWhenReady<T>(
  pubSub: RedisPubSub,
  trigger: string,
  onMessage: (message: T) => void,
  options?: { pattern: boolean },
): Promise<number> {
  const subscriber = pubSub.getSubscriber();
  if (subscriber.status !== 'ready') await new Promise<void>((resolve) => subscriber.once('ready', () => resolve()));
  return pubSub.subscribe(trigger, onMessage, options);
}

@Injectable()
class PubSubCloser implements OnApplicationShutdown {
  constructor(@Inject(PUB_SUB) private readonly pubSub: RedisPubSub) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pubSub.close().catch(() => undefined);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: PUB_SUB,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new RedisPubSub({
          publisher: createRedis(config, 'publisher'),
          subscriber: createRedis(config, 'subscriber', 'subscriber'),
        }),
    },
    PubSubCloser,
    CapacitySignal,
  ],
  exports: [PUB_SUB, CapacitySignal],
})
export class PubSubModule {}
