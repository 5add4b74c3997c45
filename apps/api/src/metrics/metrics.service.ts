import { Injectable } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { JOB_DURATION_BUCKETS, JobDurations, JOBS, QueueName, queueReady, within } from '@shelterlink/queue';
import { ReferralState } from '@shelterlink/referrals';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics, in a registry of this application's own (tests start several in one process). Labels are
 * bounded and never carry survivor data: routes, root field names, job names, states.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly http = new Histogram({
    name: 'shelterlink_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly graphql = new Histogram({
    name: 'shelterlink_graphql_operation_duration_seconds',
    help: 'GraphQL operations over HTTP by type and root field (the schema bounds the field names)',
    labelNames: ['type', 'field', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'shelterlink_graphql_errors_total',
    help: 'GraphQL errors by stable code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly durations: JobDurations,
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {
    const queue = (name: QueueName) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    new Gauge({
      name: 'shelterlink_queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      collect: async function (this: Gauge<'queue' | 'state'>) {
        for (const name of Object.values(QueueName)) {
          // while Redis is away the gauge goes unreported rather than the scrape hanging (BullMQ's connection waits)
          const wait = config.env.REDIS_COMMAND_TIMEOUT_MS;
          if (!(await queueReady(queue(name), wait))) continue;
          const counts = await within(queue(name).getJobCounts(...QUEUE_STATES), wait);
          if (!counts) continue;
          for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'shelterlink_referrals',
      help: 'Referrals by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect: async function (this: Gauge<'state'>) {
        const rows = await db.query<{ state: string; n: number }[]>(
          `SELECT state, count(*)::int AS n FROM referral GROUP BY state`,
        );
        const counts = new Map(rows.map((r) => [r.state, r.n]));
        // every state, zero included, so a series does not vanish when its last referral moves on
        for (const state of Object.values(ReferralState)) this.set({ state }, counts.get(state) ?? 0);
      },
    });
    new Gauge({
      name: 'shelterlink_stale_shelters',
      help: 'Active shelters whose counts were not verified within STALE_AFTER_MINUTES',
      registers: [this.registry],
      collect: async function (this: Gauge) {
        const [row] = await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM shelter
            WHERE status = 'ACTIVE' AND availability_verified_at < now() - make_interval(mins => $1)`,
          [config.env.STALE_AFTER_MINUTES],
        );
        this.set(row.n);
      },
    });
  }

  /** The exposition text: this registry, then the workers' job durations (kept in Redis, see JobDurations). */
  async render(): Promise<string> {
    const own = await this.registry.metrics();
    const histograms = await this.durations.read(Object.keys(JOBS));
    const name = 'shelterlink_job_duration_seconds';
    const lines = [`# HELP ${name} Run time of finished jobs by job name`, `# TYPE ${name} histogram`];
    for (const [job, h] of histograms) {
      for (const [i, le] of JOB_DURATION_BUCKETS.entries())
        lines.push(`${name}_bucket{job="${job}",le="${le}"} ${h.buckets[i]}`);
      lines.push(`${name}_bucket{job="${job}",le="+Inf"} ${h.count}`);
      lines.push(`${name}_sum{job="${job}"} ${h.sumSeconds}`);
      lines.push(`${name}_count{job="${job}"} ${h.count}`);
    }
    return `${own}${lines.join('\n')}\n`;
  }
}
