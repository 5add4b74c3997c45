import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { AppConfig } from '@shelterlink/config';
import { CapacitySignal } from './capacity-signal';
import { LiveInterruptions } from './live-interruptions';
import { createRedis } from './redis.module';
import { PUB_SUB } from './topics';

export { PUB_SUB, Topics } from './topics';
export { subscribeWhenReady } from './subscribe-when-ready';

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
    LiveInterruptions,
  ],
  exports: [PUB_SUB, CapacitySignal, LiveInterruptions],
})
export class PubSubModule {}
