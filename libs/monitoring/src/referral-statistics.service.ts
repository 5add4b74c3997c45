import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { ANSWERED, OfferStatus, ReferralState } from '@shelterlink/referrals';
import { ExclusionReason } from '@shelterlink/shelters';
import { checkPeriod, Period } from './period';
import { visibleRegion } from './region-scope';
import { Cell, cell, cellsWithTotal, statistic, sumOf } from './suppression';
import { DETAILED_REASONS, unmetNeedLabel } from './unmet-need-labels';

/** How long something took for the referrals it happened to; null when fewer than k had it. */
export interface Durations {
  referrals: Cell;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface ShelterResponses {
  shelterId: string;
  shelterName: string;
  offers: Cell;
  accepted: Cell;
  declined: Cell;
  timedOut: Cell;
  /** Offer to answer (accepted or declined), when at least k were answered. */
  medianResponseSeconds: number | null;
  /** Accepted ÷ (accepted + declined + timed out), when at least k offers ended so and no count is withheld. */
  acceptanceRate: number | null;
}

export interface ReferralStatistics {
  regionId: string;
  regionName: string;
  period: Period;
  suppressionThreshold: number;
  submitted: Cell;
  /** Referrals submitted in the period, by the state they are in now. */
  byState: { state: ReferralState; referrals: Cell }[];
  submissionToOffer: Durations;
  submissionToPlacement: Durations;
  /** Shelters in the region that received offers in the period, by name. */
  shelters: ShelterResponses[];
}

export interface UnmetNeedReason {
  reason: ExclusionReason;
  /** What about the needs met the reason ("es" for a language); null for the reason as a whole or rarer details. */
  detail: string | null;
  label: string;
  referrals: Cell;
}

export interface UnmetNeed {
  regionId: string;
  regionName: string;
  period: Period;
  suppressionThreshold: number;
  /** Referrals submitted in the period that are waitlisted now or closed without a placement. */
  referrals: Cell;
  waitlisted: Cell;
  closedWithoutPlacement: Cell;
  /** What stood between the unmet referrals and a bed when they were last waitlisted (most first). */
  reasons: UnmetNeedReason[];
}

/** States of a referral whose need was not met: waiting, or closed before a placement. */
export const UNMET_STATES: readonly ReferralState[] = [
  ReferralState.WAITLISTED,
  ReferralState.EXPIRED,
  ReferralState.WITHDRAWN,
  ReferralState.CONSENT_REVOKED,
];

/**
 * Referrals of the region and below submitted in [$2, $3): how many per state, and for those that got an offer or
 * a placement, how long after submission (median and 90th percentile, in seconds).
 */
const REFERRAL_STATISTICS_SQL = `
WITH refs AS (
  SELECT f.state, f.submitted_at,
         (SELECT min(o.offered_at) FROM offer o WHERE o.referral_id = f.id) AS offered_at,
         (SELECT min(e.occurred_at) FROM referral_event e WHERE e.referral_id = f.id AND e.to_state = $4)
           AS placed_at
    FROM referral f JOIN region g ON g.id = f.region_id
   WHERE g.path @> ARRAY[$1::uuid] AND f.submitted_at >= $2 AND f.submitted_at < $3
)
SELECT (SELECT coalesce(json_object_agg(state, n), '{}') FROM (SELECT state, count(*)::int AS n FROM refs GROUP BY state) s)
         AS by_state,
       count(*)::int AS submitted,
       count(offered_at)::int AS offered,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM offered_at - submitted_at)) AS offer_p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM offered_at - submitted_at)) AS offer_p90,
       count(placed_at)::int AS placed,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM placed_at - submitted_at)) AS placed_p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM placed_at - submitted_at)) AS placed_p90
  FROM refs`;

/** Offers made in [$2, $3) to shelters of the region and below: outcomes and answer times per shelter. */
const SHELTER_RESPONSES_SQL = `
SELECT s.id, s.name,
       (count(*) FILTER (WHERE o.status = '${OfferStatus.ACCEPTED}'))::int AS accepted,
       (count(*) FILTER (WHERE o.status = '${OfferStatus.DECLINED}'))::int AS declined,
       (count(*) FILTER (WHERE o.status = '${OfferStatus.TIMED_OUT}'))::int AS timed_out,
       (count(*) FILTER (WHERE o.status = '${OfferStatus.OPEN}'))::int AS open,
       (count(*) FILTER (WHERE o.status = '${OfferStatus.CANCELLED}'))::int AS cancelled,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.responded_at - o.offered_at))
         FILTER (WHERE o.status = ANY ($4::text[])) AS response_p50
  FROM offer o
  JOIN shelter s ON s.id = o.shelter_id
  JOIN region g ON g.id = s.region_id
 WHERE g.path @> ARRAY[$1::uuid] AND o.offered_at >= $2 AND o.offered_at < $3
 GROUP BY s.id, s.name
 ORDER BY s.name, s.id`;

/**
 * Unmet referrals of the region and below submitted in [$2, $3), and what stood between each and a bed: the reasons
 * kept when it was last waitlisted (`blocked_by`: those of shelters that would have fitted but for one reason, else
 * every reason; see blockingReasons). Language, gender and trafficking type ($6, DETAILED_REASONS) are told apart
 * by what the needs asked for ("language: es", or "en or ti": the shelter spoke none of them); a detail shared by
 * fewer than $5 referrals folds into its reason's catch-all (detail null), so a rare language cannot point at one
 * survivor. Each referral counts once per group.
 */
const UNMET_NEED_SQL = `
WITH submitted AS (
  SELECT f.id, f.state, f.needs, coalesce(f.blocked_by, '{}') AS blocked_by
    FROM referral f JOIN region g ON g.id = f.region_id
   WHERE g.path @> ARRAY[$1::uuid] AND f.submitted_at >= $2 AND f.submitted_at < $3
),
unmet AS (SELECT * FROM submitted WHERE state = ANY ($4::referral_state[])),
pairs AS (
  SELECT DISTINCT u.id, x.reason, x.detail
    FROM unmet u
   CROSS JOIN LATERAL (
     SELECT k AS reason, NULL::text AS detail FROM unnest(u.blocked_by) k WHERE NOT k = ANY ($6::text[])
     UNION ALL
     SELECT 'LANGUAGE', (SELECT string_agg(l, ' or ' ORDER BY l) FROM jsonb_array_elements_text(u.needs -> 'languages') l)
      WHERE 'LANGUAGE' = ANY (u.blocked_by)
     UNION ALL
     SELECT 'GENDER', u.needs ->> 'gender' WHERE 'GENDER' = ANY (u.blocked_by)
     UNION ALL
     SELECT 'TRAFFICKING_TYPE', t FROM jsonb_array_elements_text(u.needs -> 'traffickingTypes') t
      WHERE 'TRAFFICKING_TYPE' = ANY (u.blocked_by)
   ) x
),
folded AS (
  SELECT id, reason, CASE WHEN count(*) OVER (PARTITION BY reason, detail) >= $5 THEN detail END AS detail FROM pairs
)
SELECT (SELECT coalesce(json_object_agg(state, n), '{}') FROM (SELECT state, count(*)::int AS n FROM submitted GROUP BY state) s)
         AS by_state,
       (SELECT coalesce(json_agg(r), '[]') FROM (
          SELECT reason, detail, count(DISTINCT id)::int AS n FROM folded GROUP BY reason, detail
        ) r) AS reasons`;

interface StatisticsRow {
  by_state: Partial<Record<ReferralState, number>>;
  submitted: number;
  offered: number;
  offer_p50: number | null;
  offer_p90: number | null;
  placed: number;
  placed_p50: number | null;
  placed_p90: number | null;
}

interface ShelterRow {
  id: string;
  name: string;
  accepted: number;
  declined: number;
  timed_out: number;
  open: number;
  cancelled: number;
  response_p50: number | null;
}

interface UnmetRow {
  by_state: Partial<Record<ReferralState, number>>;
  reasons: { reason: ExclusionReason; detail: string | null; n: number }[];
}

const seconds = (value: number | null): number | null => (value === null ? null : Math.round(value));

/**
 * The referrals of a period by state, suppressed as one table with its total. Every other count that is a sum of
 * states (placed, waitlisted, closed without placement) is made from these cells, so no report can undo
 * another's suppression.
 */
function stateCells(byState: Partial<Record<ReferralState, number>>, k: number) {
  const states = Object.values(ReferralState);
  const values = states.map((s) => byState[s] ?? 0);
  const { cells, total } = cellsWithTotal(values, k);
  const of = (wanted: readonly ReferralState[]) => {
    const picked = states.flatMap((s, i) => (wanted.includes(s) ? [i] : []));
    return picked.length === 1
      ? cells[picked[0]]
      : sumOf(
          picked.map((i) => cells[i]),
          picked.map((i) => values[i]),
          k,
        );
  };
  return { byState: states.map((state, i) => ({ state, referrals: cells[i] })), total, of };
}

/**
 * Statistics about referrals for coordinators (their regions and below) and admins. Nothing here names or
 * describes one survivor: counts below SMALL_CELL_K read "fewer than k", and a median or rate is given only for
 * groups of at least k.
 */
@Injectable()
export class ReferralStatisticsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  private get k(): number {
    return this.config.env.SMALL_CELL_K;
  }

  async referralStatistics(actor: Actor, regionId: string, period: Period): Promise<ReferralStatistics> {
    const region = await visibleRegion(this.db, actor, regionId);
    const { from, to } = checkPeriod(period, { wholeDays: true });
    const [[row], shelters] = await Promise.all([
      this.db.query<StatisticsRow[]>(REFERRAL_STATISTICS_SQL, [region.id, from, to, ReferralState.PLACED]),
      this.db.query<ShelterRow[]>(SHELTER_RESPONSES_SQL, [region.id, from, to, ANSWERED]),
    ]);
    const k = this.k;
    const states = stateCells(row.by_state, k);
    return {
      regionId: region.id,
      regionName: region.name,
      period: { from, to },
      suppressionThreshold: k,
      submitted: states.total,
      byState: states.byState,
      submissionToOffer: {
        referrals: cell(row.offered, k),
        medianSeconds: statistic(seconds(row.offer_p50), row.offered, k),
        p90Seconds: statistic(seconds(row.offer_p90), row.offered, k),
      },
      submissionToPlacement: {
        // a placed referral is PLACED or, after it, EXITED
        referrals: states.of([ReferralState.PLACED, ReferralState.EXITED]),
        medianSeconds: statistic(seconds(row.placed_p50), row.placed, k),
        p90Seconds: statistic(seconds(row.placed_p90), row.placed, k),
      },
      shelters: shelters.map((s) => this.shelterResponses(s)),
    };
  }

  private shelterResponses(s: ShelterRow): ShelterResponses {
    const k = this.k;
    // open and cancelled offers are not shown on their own, but they are part of the total
    const {
      cells: [accepted, declined, timedOut, open, cancelled],
      total: offers,
    } = cellsWithTotal([s.accepted, s.declined, s.timed_out, s.open, s.cancelled], k);
    const answered = s.accepted + s.declined;
    const ended = answered + s.timed_out;
    return {
      shelterId: s.id,
      shelterName: s.name,
      offers,
      accepted,
      declined,
      timedOut,
      medianResponseSeconds: statistic(seconds(s.response_p50), answered, k),
      // a rate beside withheld counts would give them away (rate × ended)
      acceptanceRate: [accepted, declined, timedOut, open, cancelled].some((c) => c.value === null)
        ? null
        : statistic(ended === 0 ? null : Math.round((s.accepted / ended) * 1000) / 1000, ended, k),
    };
  }

  async unmetNeed(actor: Actor, regionId: string, period: Period): Promise<UnmetNeed> {
    const region = await visibleRegion(this.db, actor, regionId);
    const { from, to } = checkPeriod(period, { wholeDays: true });
    const k = this.k;
    const [row] = await this.db.query<UnmetRow[]>(UNMET_NEED_SQL, [
      region.id,
      from,
      to,
      UNMET_STATES,
      k,
      DETAILED_REASONS,
    ]);
    const states = stateCells(row.by_state, k);
    // shown counts most first; withheld ones after them in a fixed order, so the order hints at nothing
    const rank = (n: number) => (n >= k ? n : -1);
    const reasons = row.reasons
      .sort(
        (a, b) =>
          rank(b.n) - rank(a.n) || a.reason.localeCompare(b.reason) || (a.detail ?? '').localeCompare(b.detail ?? ''),
      )
      .map((r) => ({
        reason: r.reason,
        detail: r.detail,
        label: unmetNeedLabel(r.reason, r.detail),
        referrals: cell(r.n, k),
      }));
    return {
      regionId: region.id,
      regionName: region.name,
      period: { from, to },
      suppressionThreshold: k,
      referrals: states.of(UNMET_STATES),
      waitlisted: states.of([ReferralState.WAITLISTED]),
      closedWithoutPlacement: states.of(UNMET_STATES.filter((s) => s !== ReferralState.WAITLISTED)),
      reasons,
    };
  }
}
