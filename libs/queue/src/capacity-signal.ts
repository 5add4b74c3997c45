import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { AppConfig } from '@shelterlink/config';
import { PUB_SUB, Topics } from './topics';

/** The path from the top region down to the region whose counts changed, or null for "anywhere". */
type Listener = (regionPath: readonly string[] | null) => void;

/**
 * An in-process notice that bed counts changed, given right after the commit and before anything else: a cache in
 * the same process forgets at once (so a caller reads its own change back); other processes hear of it through
 * Redis (the bed-availability announcement each change makes anyway).
 */
@Injectable()
export class CapacitySignal {
  private readonly logger = new Logger(CapacitySignal.name);
  private readonly listeners = new Set<Listener>();

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly config: AppConfig,
  ) {}

  /** Returns the function that stops listening. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Counts changed in a shelter of the last region of `regionPath`. */
  changed(regionPath: readonly string[]): void {
    for (const listener of this.listeners) listener(regionPath);
  }

  /**
   * A shelter or a region moved: totals and paths changed in places no single path names, so every process
   * forgets everything (an announcement without a path).
   */
  async moved(): Promise<void> {
    for (const listener of this.listeners) listener(null);
    await this.pubSub.publish(Topics.bedAvailability(this.config, 'moved'), {}).catch((error: unknown) => {
      this.logger.warn({ err: { type: (error as Error)?.name } }, 'move not announced to other processes');
    });
  }
}
