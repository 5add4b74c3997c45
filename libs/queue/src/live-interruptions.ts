import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import type Redis from 'ioredis';
import { AppConfig } from '@shelterlink/config';
import { subscribeWhenReady } from './subscribe-when-ready';
import { PUB_SUB, Topics } from './topics';

/** Calls `listener` each time `redis` is ready again after its connection was lost (never at the first connect). */
function onReturn(redis: Redis, listener: () => void): void {
  let lost = false;
  redis.on('close', () => (lost = true));
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    listener();
  });
}

/**
 * Live events are fire-and-forget through Redis pub/sub: while a connection is down, events are lost without a
 * trace. So every process says when that may have happened, and listeners (the API's sockets) tell clients to
 * refetch:
 * - this process's subscriber connection came back: it may have missed events (local listeners are called);
 * - this process's publisher connection came back: events it published meanwhile may be lost, so it announces
 *   that on Topics.liveInterrupted, and every API process calls its listeners.
 */
@Injectable()
export class LiveInterruptions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LiveEvents');
  private readonly listeners = new Set<() => void>();
  private subscription: number | null = null;
  private listening = false;

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    onReturn(this.pubSub.getPublisher() as Redis, () => {
      this.pubSub.publish(Topics.liveInterrupted(this.config), {}).catch(() => {
        // lost again already: the next return announces it
      });
    });
  }

  /** `listener` runs whenever live events may have been missed, here or by another process. */
  async listen(listener: () => void): Promise<void> {
    this.listeners.add(listener);
    if (this.listening) return;
    this.listening = true;
    onReturn(this.pubSub.getSubscriber() as Redis, () => this.interrupted('this process lost its subscription'));
    this.subscription = await subscribeWhenReady(this.pubSub, Topics.liveInterrupted(this.config), () =>
      this.interrupted('another process could not publish'),
    );
  }

  onModuleDestroy(): void {
    if (this.subscription !== null) this.pubSub.unsubscribe(this.subscription);
  }

  private interrupted(why: string): void {
    this.logger.warn({ why }, 'live events may have been missed: telling subscribers to refetch');
    for (const listener of this.listeners) listener();
  }
}
