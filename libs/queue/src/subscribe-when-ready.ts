import { RedisPubSub } from 'graphql-redis-subscriptions';

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
