import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@shelterlink/config';
import { OutboxService } from '@shelterlink/queue';
import { WorkflowSweeper } from '@shelterlink/referrals';

/**
 * Two loops beside the queue: the outbox relay (jobs whose writer crashed before relaying them) and the
 * sweeper (anything overdue in Postgres whose delayed job was lost). Each runs one pass at a time.
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
  ) {}

  onApplicationBootstrap(): void {
    this.every(this.config.env.OUTBOX_POLL_MS, 'outbox relay', () => this.outbox.relayPending());
    this.every(this.config.env.SWEEP_INTERVAL_MS, 'sweep', () => this.sweeper.sweep());
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
