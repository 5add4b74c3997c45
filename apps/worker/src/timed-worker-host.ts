import { Logger } from '@nestjs/common';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobDurations } from '@shelterlink/queue';

/** A processor whose finished jobs' run times go to the job-duration histogram (/metrics on the API). */
export abstract class TimedWorkerHost extends WorkerHost {
  private readonly timingLogger = new Logger('JobDurations');

  constructor(private readonly durations: JobDurations) {
    super();
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    if (job.processedOn === undefined || job.finishedOn === undefined) return;
    this.durations
      .record(job.name, (job.finishedOn - job.processedOn) / 1000)
      .catch((error: unknown) => this.timingLogger.warn({ job: job.name, error: String(error) }, 'not recorded'));
  }
}
