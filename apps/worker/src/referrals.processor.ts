import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobDurations, JobName, JobPayloads, QueueName } from '@shelterlink/queue';
import { ReferralWorkflowService } from '@shelterlink/referrals';
import { TimedWorkerHost } from './timed-worker-host';
import { workerTimings } from './worker-timings';

type AnyReferralJob = { [N in JobName]: Job<JobPayloads[N], unknown, N> }[JobName];

/** Routes each referral job to its workflow step; the steps are idempotent and re-check state themselves. */
@Processor(QueueName.REFERRALS, { concurrency: 16, ...workerTimings() })
export class ReferralsProcessor extends TimedWorkerHost {
  constructor(
    private readonly workflow: ReferralWorkflowService,
    durations: JobDurations,
  ) {
    super(durations);
  }

  async process(job: AnyReferralJob): Promise<unknown> {
    switch (job.name) {
      case 'referral.match':
        return this.workflow.match(job.data.referralId, job.data.attempt);
      case 'referral.consent-expiry':
        return this.workflow.expireConsentWindow(job.data.referralId);
      case 'referral.waitlist-expiry':
        return this.workflow.expireWaitlist(job.data.referralId, job.data.attempt);
      case 'offer.response-timeout':
        return this.workflow.timeOutOffer(job.data.offerId);
      case 'hold.expiry':
        return this.workflow.expireHold(job.data.holdId);
      case 'waitlist.capacity-changed':
        return this.workflow.capacityChanged(job.data.poolId);
      case 'system.ping':
      case 'system.stale-reminders':
      case 'notification.webhook':
        throw new Error(`${job.name} belongs to the system queue`);
    }
  }
}
