import type Redis from 'ioredis';
import { AppConfig } from '@shelterlink/config';

/** Upper bounds (seconds) of the job-duration histogram's buckets. */
export const JOB_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface JobDurationHistogram {
  /** Cumulative counts per bucket, in JOB_DURATION_BUCKETS order. */
  buckets: number[];
  count: number;
  sumSeconds: number;
}

/**
 * Job run times, kept in Redis as cumulative histogram counters per job name: workers record them (they serve no
 * HTTP), the API exposes them on /metrics. Job names only, never ids or payloads.
 */
export class JobDurations {
  constructor(
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private key(name: string): string {
    return this.config.redisKey('metrics', 'job-duration', name);
  }

  async record(name: string, seconds: number): Promise<void> {
    const multi = this.redis.multi();
    for (const [i, le] of JOB_DURATION_BUCKETS.entries()) if (seconds <= le) multi.hincrby(this.key(name), `b${i}`, 1);
    multi.hincrby(this.key(name), 'count', 1);
    multi.hincrbyfloat(this.key(name), 'sum', seconds);
    await multi.exec();
  }

  async read(names: readonly string[]): Promise<Map<string, JobDurationHistogram>> {
    const result = new Map<string, JobDurationHistogram>();
    for (const name of names) {
      const h = await this.redis.hgetall(this.key(name));
      if (!h.count) continue;
      result.set(name, {
        buckets: JOB_DURATION_BUCKETS.map((_, i) => Number(h[`b${i}`] ?? 0)),
        count: Number(h.count),
        sumSeconds: Number(h.sum ?? 0),
      });
    }
    return result;
  }
}
