import { AppConfig } from '@shelterlink/config';

/**
 * Live events fan out through Redis pub/sub, so an update made through any API or worker process reaches
 * subscribers on every API process. Payloads carry public or de-identified data only.
 */
export const PUB_SUB = Symbol('PUB_SUB');

export const Topics = {
  bedAvailability: (config: AppConfig, regionId: string) => config.redisKey('bed-availability', regionId),
  referralUpdated: (config: AppConfig, referralId: string) => config.redisKey('referral-updated', referralId),
  offerReceived: (config: AppConfig, shelterId: string) => config.redisKey('offer-received', shelterId),
  offerUpdated: (config: AppConfig, shelterId: string) => config.redisKey('offer-updated', shelterId),
  waitlistAlert: (config: AppConfig, regionId: string) => config.redisKey('waitlist-alert', regionId),
  notification: (config: AppConfig, organisationId: string) => config.redisKey('notification', organisationId),
  /** A user's sessions ended (their session version rose): every API process closes that user's sockets. */
  sessionsEnded: (config: AppConfig) => config.redisKey('sessions-ended'),
  /** A process's Redis connection came back: live events it published meanwhile may be lost (LiveInterruptions). */
  liveInterrupted: (config: AppConfig) => config.redisKey('live-interrupted'),
} as const;
