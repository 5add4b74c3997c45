import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobDurations, JobPayloads, QueueName } from '@shelterlink/queue';
import { TimedWorkerHost } from './timed-worker-host';
import { workerTimings } from './worker-timings';

/** Routes system jobs; `system.ping` answers so callers can see a worker is consuming. */
@Processor(QueueName.SYSTEM, workerTimings())
export class SystemProcessor extends TimedWorkerHost {
  constructor(durations: JobDurations) {
    super(durations);
  }

  async process(job: Job<JobPayloads['system.ping']>): Promise<{ pong: string }> {
    switch (job.name) {
      case 'system.ping':
        return { pong: job.data.requestedAt };
      default:
        throw new Error(`unknown job ${job.name}`);
    }
  }
}
