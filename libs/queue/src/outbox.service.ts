import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { DEFAULT_JOB_OPTIONS, JobName, JobPayloads, JOBS, QueueName } from './job-catalogue';

interface OutboxRow {
  id: string;
  job_name: JobName;
  job_id: string;
  payload: JobPayloads[JobName];
  run_at: Date;
}

/**
 * Transactional outbox. A step writes the jobs that must follow it into `outbox` in its own transaction, so a
 * crash between the commit and the queue write loses nothing: after the commit the writer relays its rows at
 * once (low latency), and the worker's relay loop picks up any row still unrelayed. Relaying twice is harmless:
 * job ids are deterministic, BullMQ keeps one job per id, and every handler re-checks the state in Postgres.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.SYSTEM) system: Queue,
    @InjectQueue(QueueName.REFERRALS) referrals: Queue,
    private readonly config: AppConfig,
  ) {
    this.queues = { [QueueName.SYSTEM]: system, [QueueName.REFERRALS]: referrals };
  }

  /** Records a job inside the caller's transaction; returns the outbox row id for `relay`. */
  async enqueue<N extends JobName>(tx: EntityManager, name: N, payload: JobPayloads[N], runAt?: Date): Promise<string> {
    const jobId = JOBS[name].jobId(payload);
    const rows = await tx.query<{ id: string }[]>(
      `INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ($1, $2, $3, COALESCE($4, now())) RETURNING id`,
      [name, jobId, JSON.stringify(payload), runAt ?? null],
    );
    return rows[0].id;
  }

  /** Pushes these rows (after their transaction committed) to BullMQ now; failures are left to the relay loop. */
  async relay(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.relayWhere(`id = ANY($1::bigint[])`, [ids]).catch((error: unknown) =>
      this.logger.warn({ err: { type: (error as Error)?.name } }, 'outbox relay deferred to the worker'),
    );
  }

  /** The worker's loop: relays every row not yet relayed, oldest first. Returns how many it relayed. */
  relayPending(limit = 200): Promise<number> {
    return this.relayWhere(`relayed_at IS NULL`, [], limit);
  }

  private async relayWhere(where: string, params: unknown[], limit = 1000): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<OutboxRow[]>(
        `SELECT id, job_name, job_id, payload, run_at FROM outbox
          WHERE ${where} AND relayed_at IS NULL ORDER BY id LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED`,
        params,
      );
      if (rows.length === 0) return 0;
      const now = Date.now();
      const results = await Promise.allSettled(
        rows.map((row) =>
          this.queues[JOBS[row.job_name].queue].add(row.job_name, row.payload, {
            ...DEFAULT_JOB_OPTIONS,
            jobId: row.job_id,
            attempts: JOBS[row.job_name].attempts,
            backoff: JOBS[row.job_name].backoff?.(this.config.env) ?? DEFAULT_JOB_OPTIONS.backoff,
            delay: Math.max(0, new Date(row.run_at).getTime() - now),
          }),
        ),
      );
      // one row BullMQ refuses must not hold back the others: mark only what was queued
      const relayed = rows.filter((_, i) => results[i].status === 'fulfilled').map((r) => r.id);
      const failed = results.length - relayed.length;
      if (failed > 0) this.logger.warn({ failed }, 'outbox rows not relayed; they stay pending');
      if (relayed.length > 0) {
        await tx.query(`UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])`, [relayed]);
      }
      return relayed.length;
    });
  }
}
