import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { NotificationsService, WebhooksService } from '@shelterlink/monitoring';
import { JobDurations, JobPayloads, QueueName } from '@shelterlink/queue';
import { TimedWorkerHost } from './timed-worker-host';
import { workerTimings } from './worker-timings';

/**
 * Routes system jobs: `system.ping` answers so callers can see a worker is consuming; `system.stale-reminders`
 * (repeatable, scheduled by MaintenanceService) reminds staff of stale counts; `notification.webhook` tells a
 * shelter's own system.
 */
// several at once: a webhook receiver that answers slowly must not hold up the stale-count job
@Processor(QueueName.SYSTEM, { concurrency: 8, ...workerTimings() })
export class SystemProcessor extends TimedWorkerHost {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhooksService,
    durations: JobDurations,
  ) {
    super(durations);
  }

  async process(
    job:
      | Job<JobPayloads['system.ping'], unknown, 'system.ping'>
      | Job<unknown, unknown, 'system.stale-reminders'>
      | Job<JobPayloads['notification.webhook'], unknown, 'notification.webhook'>,
  ): Promise<unknown> {
    switch (job.name) {
      case 'system.ping':
        return { pong: job.data.requestedAt };
      case 'system.stale-reminders':
        return { reminded: (await this.notifications.remindStale()).length };
      case 'notification.webhook':
        return { webhook: await this.webhooks.deliver(job.data.notificationId) };
      default:
        throw new Error(`unknown job ${(job as Job).name}`);
    }
  }
}
