import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { ConnectionState } from '@shelterlink/common';
import { JobDurations } from '@shelterlink/queue';

/** A processor whose finished jobs' run times go to the job-duration histogram (/metrics on the API). */
export abstract class TimedWorkerHost extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');
  private connection?: ConnectionState;

  constructor(private readonly durations: JobDurations) {
    super();
  }

  /**
   * A job that used its last attempt: an alert (this error line, and `shelterlink_queue_jobs{state="failed"}` on
   * /metrics). Ids only. What it was to do is overdue in Postgres, where the sweeper finds it.
   */
  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.logger.error(
      { job: job.name, jobId: job.id, attempts: job.attemptsMade, err: { type: error?.name } },
      'job failed for good',
    );
  }

  /** Redis trouble: one line when the worker's connection is lost, one when it is back (no stack per attempt). */
  async onApplicationBootstrap(): Promise<void> {
    this.connection = new ConnectionState(new Logger('Redis'), `worker ${this.worker.name}`);
    (await this.worker.getBackend().client).on('ready', () => this.connection?.back());
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.connection?.lost(error);
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    if (job.processedOn === undefined || job.finishedOn === undefined) return;
    this.durations
      .record(job.name, (job.finishedOn - job.processedOn) / 1000)
      .catch((error: unknown) => this.logger.warn({ job: job.name, error: String(error) }, 'not recorded'));
  }
}
