import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@shelterlink/config';
import { DEFAULT_JOB_OPTIONS, JOBS, OutboxService, QueueName } from '@shelterlink/queue';
import { WorkflowSweeper } from '@shelterlink/referrals';

/**
 * Two loops beside the queue: the outbox relay (jobs whose writer crashed before relaying them) and the
 * sweeper (anything overdue in Postgres whose delayed job was lost). Each runs one pass at a time. It also
 * schedules the repeatable stale-count reminder job.
 */
@Injectable()
export class MaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceService.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly outbox: OutboxService,
    private readonly sweeper: WorkflowSweeper,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.SYSTEM) private readonly system: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.every(this.config.env.OUTBOX_POLL_MS, 'outbox relay', () => this.outbox.relayPending());
    this.every(this.config.env.SWEEP_INTERVAL_MS, 'sweep', () => this.sweeper.sweep());
    // one schedule however many workers start (BullMQ keeps a scheduler per id)
    await this.system.upsertJobScheduler(
      'system.stale-reminders',
      { every: this.config.env.STALE_REMINDER_INTERVAL_MS },
      {
        name: 'system.stale-reminders',
        data: {},
        opts: { ...DEFAULT_JOB_OPTIONS, attempts: JOBS['system.stale-reminders'].attempts },
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.timers.forEach((t) => clearInterval(t));
    await Promise.allSettled([...this.running]);
  }

  private every(ms: number, name: string, pass: () => Promise<unknown>): void {
    let busy = false;
    this.timers.push(
      setInterval(() => {
        if (busy) return;
        busy = true;
        const run = pass()
          .catch((error: unknown) => this.logger.error({ err: { type: (error as Error)?.name } }, `${name} failed`))
          .finally(() => {
            busy = false;
            this.running.delete(run);
          });
        this.running.add(run);
      }, ms),
    );
  }
}
