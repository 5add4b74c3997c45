import type { Env } from '@shelterlink/config';

/**
 * The one list of queues and jobs: name → payload, queue, retry policy and job id. Payloads carry ids only —
 * BullMQ keeps job data in clear text in Redis, so no survivor data may ever be put here. Job ids are derived
 * from the subject and step (and attempt), so the same step enqueued twice is one job. BullMQ refuses custom ids
 * with ':' (Redis key separators), hence '#'.
 */
export const QueueName = {
  SYSTEM: 'system',
  REFERRALS: 'referrals',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface JobPayloads {
  /** Reminds the staff of shelters whose counts went stale (a repeatable job, see JOB_SCHEDULERS). */
  'system.stale-reminders': Record<string, never>;
  /** Tell a shelter's own system of a notification: a signed POST to its webhook (retried until it answers). */
  'notification.webhook': { notificationId: string };
  /** Round trip through the worker, used by health checks and tests. */
  'system.ping': { requestedAt: string };
  /** Find, hold and offer a bed (attempt n of this referral). */
  'referral.match': { referralId: string; attempt: number };
  /** No consent by the deadline: expire. */
  'referral.consent-expiry': { referralId: string };
  /** Waited too long on the waitlist for its urgency: close. */
  'referral.waitlist-expiry': { referralId: string; attempt: number };
  /** The shelter did not answer in time: release the hold, try the next shelter. */
  'offer.response-timeout': { offerId: string };
  /** Accepted, but the survivor did not arrive before the hold ran out: the no-show path. */
  'hold.expiry': { holdId: string };
  /**
   * A pool gained free beds (at `version`), or its paused shelter resumed (`resumedAt`, epoch ms): rematch waitlisted
   * referrals that fit, most urgent and oldest first.
   */
  'waitlist.capacity-changed': { poolId: string; version: number; resumedAt?: number };
}
export type JobName = keyof JobPayloads;

interface JobSpec<N extends JobName> {
  queue: QueueName;
  attempts: number;
  jobId: (payload: JobPayloads[N]) => string;
  /** Instead of DEFAULT_JOB_OPTIONS.backoff, for jobs that wait on someone else's system. */
  backoff?: (env: Env) => { type: 'exponential'; delay: number };
}

export const JOBS: { [N in JobName]: JobSpec<N> } = {
  'system.ping': { queue: QueueName.SYSTEM, attempts: 1, jobId: (p) => `system.ping#${Date.parse(p.requestedAt)}` },
  'system.stale-reminders': { queue: QueueName.SYSTEM, attempts: 3, jobId: () => 'system.stale-reminders' },
  // a receiver that is down is tried again after 30 s, 1 min, 2 min … (WEBHOOK_RETRY_DELAY_MS doubling), for
  // about 17 hours in all
  'notification.webhook': {
    queue: QueueName.SYSTEM,
    attempts: 12,
    jobId: (p) => `notification.webhook#${p.notificationId}`,
    backoff: (env) => ({ type: 'exponential', delay: env.WEBHOOK_RETRY_DELAY_MS }),
  },
  'referral.match': {
    queue: QueueName.REFERRALS,
    attempts: 8,
    jobId: (p) => `referral.match#${p.referralId}#${p.attempt}`,
  },
  'referral.consent-expiry': {
    queue: QueueName.REFERRALS,
    attempts: 8,
    jobId: (p) => `referral.consent-expiry#${p.referralId}`,
  },
  'referral.waitlist-expiry': {
    queue: QueueName.REFERRALS,
    attempts: 8,
    jobId: (p) => `referral.waitlist-expiry#${p.referralId}#${p.attempt}`,
  },
  'offer.response-timeout': {
    queue: QueueName.REFERRALS,
    attempts: 8,
    jobId: (p) => `offer.response-timeout#${p.offerId}`,
  },
  'hold.expiry': { queue: QueueName.REFERRALS, attempts: 8, jobId: (p) => `hold.expiry#${p.holdId}` },
  'waitlist.capacity-changed': {
    queue: QueueName.REFERRALS,
    attempts: 8,
    jobId: (p) => `waitlist.capacity-changed#${p.poolId}#${p.version}${p.resumedAt ? `#resumed-${p.resumedAt}` : ''}`,
  },
};

/** Exponential backoff from 200 ms; finished jobs are kept for a day so a re-enqueued id stays a no-op. */
export const DEFAULT_JOB_OPTIONS = {
  backoff: { type: 'exponential', delay: 200 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
