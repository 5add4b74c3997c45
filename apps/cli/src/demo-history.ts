import { seededRandom } from '@shelterlink/common';
import { DeclineReason, ExitDestination, ReferralEventReason } from '@shelterlink/referrals';
import { ExclusionReason as R, Gender, NeedsProfile, PLAIN_NEEDS, TraffickingType } from '@shelterlink/shelters';

/**
 * Two weeks of invented history for the demo, so that coordinators' reports (referral statistics, unmet need,
 * occupancy over time) show something: each pool's occupancy moving a bed at a time and ending at today's counts,
 * and closed referrals — no identity, needs profiles only — placed and since exited, waitlisted until they
 * expired, or withdrawn. Pure and deterministic for a given `now`, like the rest of the demo data.
 */
export const HISTORY_DAYS = 14;
const DAY_MS = 86_400_000;
const HISTORY_SEED = 1402;

export type Counts = [capacity: number, occupied: number, held: number, outOfService: number];

export interface PoolEvent {
  at: Date;
  /** Null for the pool's first event (its creation). */
  before: Counts | null;
  after: Counts;
}

/**
 * A pool created HISTORY_DAYS ago whose occupancy then wanders (up to four changes a day, one bed at a time, within
 * what is in service) and ends at `occupied` now. Built backwards from now, so the last event is today's counts.
 */
export function poolHistory(
  pool: { capacity: number; occupied: number; outOfService: number },
  now: Date,
  random: () => number,
): PoolEvent[] {
  const usable = pool.capacity - pool.outOfService;
  const steps = HISTORY_DAYS * 4;
  const occupied = [pool.occupied];
  for (let i = 0; i < steps; i += 1) {
    const move = Math.floor(random() * 3) - 1;
    occupied.unshift(Math.min(usable, Math.max(0, occupied[0] + move)));
  }
  const counts = (o: number): Counts => [pool.capacity, o, 0, pool.outOfService];
  const start = now.getTime() - HISTORY_DAYS * DAY_MS;
  const events: PoolEvent[] = [{ at: new Date(start), before: null, after: counts(occupied[0]) }];
  const stepMs = (HISTORY_DAYS * DAY_MS) / (steps + 1);
  for (let i = 1; i < occupied.length; i += 1) {
    if (occupied[i] === occupied[i - 1]) continue;
    events.push({ at: new Date(start + i * stepMs), before: counts(occupied[i - 1]), after: counts(occupied[i]) });
  }
  return events;
}

export type DemoOutcome = 'EXITED' | 'EXPIRED' | 'WITHDRAWN';

export interface DemoOffer {
  /** Index into the county's shelters that have a fitting pool (the loader picks the shelter). */
  shelterPick: number;
  offeredAt: Date;
  status: 'ACCEPTED' | 'DECLINED';
  answeredAt: Date;
}

export interface DemoReferral {
  countyPick: number;
  agencyPick: number;
  submittedAt: Date;
  outcome: DemoOutcome;
  needs: NeedsProfile;
  /** The exclusion reasons of the matching run that found no bed (waitlisted), with how many shelters each. */
  exclusions: Partial<Record<R, number>> | null;
  /** What stood between it and a bed: the reasons of shelters that would have fitted but for one (blockingReasons). */
  blockedBy: R[] | null;
  offers: DemoOffer[];
  /** State changes after submission, in order: [from, to, at, why]. */
  events: [string, string, Date, ReferralEventReason][];
  closedAt: Date;
  exitDestination: ExitDestination | null;
}

/**
 * Why a survivor could not be placed: what the needs asked for, the exclusions that follow, and what blocked them
 * (the reasons of shelters that failed on one rule alone; the others failed on several).
 */
const UNMET_PROFILES: { needs: Partial<NeedsProfile>; exclusions: Partial<Record<R, number>>; blockedBy: R[] }[] = [
  {
    needs: { childrenAges: [4, 9] },
    exclusions: { [R.NO_FAMILY_UNIT]: 9, [R.NO_AVAILABLE_BED]: 3 },
    blockedBy: [R.NO_AVAILABLE_BED, R.NO_FAMILY_UNIT],
  },
  {
    needs: { languages: ['es'] },
    exclusions: { [R.LANGUAGE]: 11, [R.NO_AVAILABLE_BED]: 4 },
    blockedBy: [R.LANGUAGE, R.NO_AVAILABLE_BED],
  },
  {
    needs: { languages: ['es'], childrenAges: [2] },
    exclusions: { [R.LANGUAGE]: 8, [R.NO_FAMILY_UNIT]: 6 },
    blockedBy: [R.LANGUAGE, R.NO_FAMILY_UNIT],
  },
  {
    needs: { gender: Gender.MAN },
    exclusions: { [R.GENDER]: 21, [R.NO_AVAILABLE_BED]: 2 },
    blockedBy: [R.GENDER, R.NO_AVAILABLE_BED],
  },
  {
    needs: { gender: Gender.MAN, traffickingTypes: [TraffickingType.LABOUR] },
    exclusions: { [R.GENDER]: 19, [R.TRAFFICKING_TYPE]: 4 },
    blockedBy: [R.GENDER, R.TRAFFICKING_TYPE],
  },
  {
    needs: { wheelchairUser: true },
    exclusions: { [R.NO_ACCESSIBLE_BED]: 10, [R.NOT_WHEELCHAIR_ACCESSIBLE]: 7 },
    blockedBy: [R.NO_ACCESSIBLE_BED],
  },
];

function needsProfile(overrides: Partial<NeedsProfile>): NeedsProfile {
  return { ...PLAIN_NEEDS, age: 27, ...overrides };
}

const EXITS = [
  ExitDestination.TRANSITIONAL_PROGRAMME,
  ExitDestination.PERMANENT_HOUSING,
  ExitDestination.FAMILY_OR_FRIENDS,
  ExitDestination.OTHER_SHELTER,
];

/**
 * `count` closed referrals submitted over the last HISTORY_DAYS (none in the last day, so every one has closed):
 * about 55 % placed and since exited (a third of them after a first shelter declined), 30 % waitlisted until
 * their waitlist time ran out, 15 % withdrawn while waitlisted.
 */
export function demoReferrals(now: Date, count: number): DemoReferral[] {
  const random = seededRandom(HISTORY_SEED);
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const referrals: DemoReferral[] = [];
  for (let i = 0; i < count; i += 1) {
    const submittedAt = new Date(now.getTime() - between(DAY_MS + 3_600_000, HISTORY_DAYS * DAY_MS - 3_600_000));
    const at = (ms: number) => new Date(submittedAt.getTime() + ms);
    const consentAt = at(between(60, 600) * 1000);
    const events: [string, string, Date, ReferralEventReason][] = [
      ['SUBMITTED', 'AWAITING_CONSENT', submittedAt, ReferralEventReason.SUBMITTED],
      ['AWAITING_CONSENT', 'MATCHING', consentAt, ReferralEventReason.CONSENT_RECORDED],
    ];
    const roll = random();
    const base = {
      countyPick: between(0, 1000),
      agencyPick: between(0, 1000),
      submittedAt,
      exitDestination: null,
    };
    if (roll < 0.55) {
      const offers: DemoOffer[] = [];
      let offeredAt = new Date(consentAt.getTime() + between(5, 120) * 1000);
      if (random() < 0.33) {
        const answeredAt = new Date(offeredAt.getTime() + between(120, 1500) * 1000);
        offers.push({ shelterPick: between(0, 1000), offeredAt, status: 'DECLINED', answeredAt });
        events.push(
          ['MATCHING', 'OFFERED', offeredAt, ReferralEventReason.OFFERED],
          ['OFFERED', 'MATCHING', answeredAt, ReferralEventReason.OFFER_DECLINED],
        );
        offeredAt = new Date(answeredAt.getTime() + between(5, 60) * 1000);
      }
      const acceptedAt = new Date(offeredAt.getTime() + between(60, 1200) * 1000);
      const placedAt = new Date(acceptedAt.getTime() + between(1, 6) * 3_600_000);
      const exitedAt = new Date(Math.min(placedAt.getTime() + between(6, 96) * 3_600_000, now.getTime() - 3_600_000));
      offers.push({ shelterPick: between(0, 1000), offeredAt, status: 'ACCEPTED', answeredAt: acceptedAt });
      events.push(
        ['MATCHING', 'OFFERED', offeredAt, ReferralEventReason.OFFERED],
        ['OFFERED', 'ACCEPTED', acceptedAt, ReferralEventReason.OFFER_ACCEPTED],
        ['ACCEPTED', 'PLACED', placedAt, ReferralEventReason.INTAKE_CONFIRMED],
        ['PLACED', 'EXITED', exitedAt, ReferralEventReason.EXITED],
      );
      referrals.push({
        ...base,
        outcome: 'EXITED',
        needs: needsProfile({ age: between(18, 55), languages: random() < 0.2 ? ['en', 'es'] : ['en'] }),
        exclusions: null,
        blockedBy: null,
        offers,
        events,
        closedAt: exitedAt,
        exitDestination: EXITS[between(0, EXITS.length - 1)],
      });
    } else {
      const profile = UNMET_PROFILES[between(0, UNMET_PROFILES.length - 1)];
      const waitlistedAt = new Date(consentAt.getTime() + between(2, 30) * 1000);
      events.push(['MATCHING', 'WAITLISTED', waitlistedAt, ReferralEventReason.WAITLISTED]);
      const expired = roll < 0.85;
      // TONIGHT referrals wait 12 hours on the waitlist; a withdrawal comes sooner
      const closedAt = new Date(waitlistedAt.getTime() + (expired ? 12 * 3_600_000 : between(1, 8) * 3_600_000));
      events.push(
        expired
          ? ['WAITLISTED', 'EXPIRED', closedAt, ReferralEventReason.WAITLIST_EXPIRED]
          : ['WAITLISTED', 'WITHDRAWN', closedAt, ReferralEventReason.WITHDRAWN],
      );
      referrals.push({
        ...base,
        outcome: expired ? 'EXPIRED' : 'WITHDRAWN',
        needs: needsProfile({ age: between(18, 55), ...profile.needs }),
        exclusions: profile.exclusions,
        blockedBy: profile.blockedBy,
        offers: [],
        events,
        closedAt,
      });
    }
  }
  return referrals.sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
}

export const DEMO_DECLINE_REASON = DeclineReason.NO_BED_AVAILABLE;
