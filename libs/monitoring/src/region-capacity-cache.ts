import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { AppConfig } from '@shelterlink/config';
import { CapacitySignal, PUB_SUB, subscribeWhenReady, Topics } from '@shelterlink/queue';
import type { RegionCapacity } from './capacity.service';

/** An answer with the region's path (the region and those above it), for the caller's access check. */
export interface Answer {
  value: RegionCapacity;
  path: readonly string[];
}

interface Entry extends Answer {
  expires: number;
}

/**
 * `regionCapacity` answers from here for REGION_CAPACITY_CACHE_MS: many coordinators' dashboards watch the same
 * regions, and summing a state's pools costs tens of milliseconds. A count change forgets the answers for its
 * region and every region above it, at once in this process (CapacitySignal) and through Redis from the others,
 * so the time limit only bounds what changes without a count change (a shelter paused, counts going stale,
 * intake hours opening). Callers that miss together share one computation, and an answer worked out while a
 * change to its region arrived is neither kept nor shared with later callers.
 */
@Injectable()
export class RegionCapacityCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RegionCapacityCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly running = new Map<string, { stamp: string; answer: Promise<Answer> }>();
  /** Per region, how many changes it has seen; `epoch` counts changes of unknown place (everything forgotten). */
  private readonly changes = new Map<string, number>();
  private epoch = 0;
  private stopListening?: () => void;
  private subscription?: number;

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly signal: CapacitySignal,
    private readonly config: AppConfig,
  ) {}

  private get ttlMs(): number {
    return this.config.env.REGION_CAPACITY_CACHE_MS;
  }

  onModuleInit(): void {
    if (this.ttlMs === 0) return;
    this.stopListening = this.signal.listen((path) => this.forget(path));
    // once the subscriber connection is ready; start-up does not wait: until then, and if Redis is away, answers
    // are reused for REGION_CAPACITY_CACHE_MS at most
    subscribeWhenReady(
      this.pubSub,
      Topics.bedAvailability(this.config, '*'),
      (change: { regionPath?: unknown }) =>
        this.forget(Array.isArray(change?.regionPath) ? (change.regionPath as string[]) : null),
      { pattern: true },
    )
      .then((id) => (this.subscription = id))
      .catch((error: unknown) =>
        this.logger.warn({ err: { type: (error as Error)?.name } }, 'capacity changes from other processes not heard'),
      );
  }

  onModuleDestroy(): void {
    this.stopListening?.();
    if (this.subscription !== undefined) this.pubSub.unsubscribe(this.subscription);
  }

  /** A change in the last region of `path` (null: somewhere unknown) makes its answers and those above it stale. */
  private forget(path: readonly string[] | null): void {
    if (!path) {
      this.epoch += 1;
      this.entries.clear();
      this.running.clear();
      return;
    }
    for (const regionId of path) {
      this.changes.set(regionId, (this.changes.get(regionId) ?? 0) + 1);
      this.entries.delete(regionId);
      this.running.delete(regionId);
    }
  }

  private stamp(regionId: string): string {
    return `${this.epoch}:${this.changes.get(regionId) ?? 0}`;
  }

  /** The kept answer, the one being worked out since the last change, or a new one from `compute`. */
  answer(regionId: string, compute: () => Promise<Answer>): Promise<Answer> {
    if (this.ttlMs === 0) return compute();
    const kept = this.entries.get(regionId);
    if (kept && kept.expires > Date.now()) return Promise.resolve(kept);
    const stamp = this.stamp(regionId);
    const running = this.running.get(regionId);
    if (running?.stamp === stamp) return running.answer;
    const answer = compute().then((result) => {
      if (this.stamp(regionId) === stamp) {
        // regions are few; this only bounds memory if ids were sprayed at it
        if (this.entries.size >= 10_000) this.entries.clear();
        this.entries.set(regionId, { ...result, expires: result.value.asOf.getTime() + this.ttlMs });
      }
      return result;
    });
    this.running.set(regionId, { stamp, answer });
    const done = () => {
      if (this.running.get(regionId)?.answer === answer) this.running.delete(regionId);
    };
    answer.then(done, done);
    return answer;
  }
}
