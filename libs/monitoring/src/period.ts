import { badInput } from '@shelterlink/common';

/** A half-open span of time [from, to). */
export interface Period {
  from: Date;
  to: Date;
}

export enum OccupancyBucket {
  HOUR = 'HOUR',
  DAY = 'DAY',
}

/** The longest period a report covers, and the most buckets an occupancy series has. */
export const MAX_PERIOD_DAYS = 366;
export const MAX_BUCKETS: Readonly<Record<OccupancyBucket, number>> = { HOUR: 31 * 24, DAY: MAX_PERIOD_DAYS };
const BUCKET_MS: Readonly<Record<OccupancyBucket, number>> = { HOUR: 3_600_000, DAY: 86_400_000 };

/**
 * A period a report may cover: a real span, not reversed, not longer than MAX_PERIOD_DAYS. Statistics about
 * referrals take whole days (UTC midnight to midnight): two periods a few minutes apart would otherwise tell one
 * referral apart from the rest.
 */
export function checkPeriod(period: Period, options: { wholeDays?: boolean } = {}): Period {
  const { from, to } = period;
  if (Number.isNaN(from.getTime())) throw badInput('from', 'must be a date-time');
  if (Number.isNaN(to.getTime())) throw badInput('to', 'must be a date-time');
  if (options.wholeDays) {
    if (from.getTime() % 86_400_000 !== 0) throw badInput('from', 'must be a whole day (00:00 UTC)');
    if (to.getTime() % 86_400_000 !== 0) throw badInput('to', 'must be a whole day (00:00 UTC)');
  }
  if (to.getTime() <= from.getTime()) throw badInput('to', 'must be later than from');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000)
    throw badInput('to', `a period covers at most ${MAX_PERIOD_DAYS} days`);
  return period;
}

/** A period for an occupancy series: as above, and no more than MAX_BUCKETS buckets of the chosen size. */
export function checkBuckets(period: Period, bucket: OccupancyBucket): Period {
  checkPeriod(period);
  if (!Object.values(OccupancyBucket).includes(bucket)) throw badInput('bucket', 'must be HOUR or DAY');
  const buckets = Math.ceil((period.to.getTime() - period.from.getTime()) / BUCKET_MS[bucket]);
  if (buckets > MAX_BUCKETS[bucket])
    throw badInput(
      'to',
      `at most ${MAX_BUCKETS[bucket]} ${bucket.toLowerCase()} buckets; choose a shorter period or DAY`,
    );
  return period;
}
