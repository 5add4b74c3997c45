import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import {
  BedSearchResult,
  BedSearchService,
  blockingReasons,
  CapacityEventKind,
  evaluate,
  NeedsProfile,
  Urgency,
} from '@shelterlink/shelters';
import { OfferClosedReason, OfferStage, OfferStatus, TURNED_DOWN } from './offer-vocabulary';
import { NEEDS_CONSENT_LAPSED } from './referral-access';
import { because, EventReason, ReferralEventReason } from './referral-event-reason';
import { NEEDS_CONSENT_STATES, ReferralState as S } from './referral-state';
import { Step, WorkflowRunner } from './workflow-runner';

interface Locked {
  state: S;
  match_attempt: number;
}

const URGENCY_ORDER = `CASE urgency WHEN 'TONIGHT' THEN 0 WHEN 'WITHIN_72_HOURS' THEN 1 ELSE 2 END`;

/**
 * The worker's steps. Each is idempotent: it locks the referral (or offer, or hold), re-checks the state in
 * Postgres, and does nothing when the job is stale or ran before. A step that changes a pool, the referral
 * and the jobs that follow does so in one transaction (see WorkflowRunner); a failed step leaves nothing
 * half done and is retried.
 */
@Injectable()
export class ReferralWorkflowService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runner: WorkflowRunner,
    private readonly search: BedSearchService,
    private readonly config: AppConfig,
  ) {}

  private async dbNow(): Promise<Date> {
    const [row] = await this.db.query<{ now: Date }[]>(`SELECT clock_timestamp() AS now`);
    return row.now;
  }

  /** A shelter's minutes, in seconds (WORKFLOW_MINUTE_MS shortens a minute in tests). */
  private minutes(n: number): number {
    return (n * this.config.env.WORKFLOW_MINUTE_MS) / 1000;
  }

  /**
   * Holds a bed at the best candidate and offers it; with no candidate, waitlists. The search runs first,
   * outside the transaction; the hold is a guarded UPDATE (a bed must still be free), so when another referral
   * took the last bed meanwhile, the next candidate is tried.
   */
  async match(referralId: string, attempt: number): Promise<'offered' | 'waitlisted' | 'stale'> {
    // the search judges intake hours and staleness by the database's clock, as every deadline is
    const [ref] = await this.db.query<(Locked & { needs: NeedsProfile; now: Date })[]>(
      `SELECT state, match_attempt, needs, clock_timestamp() AS now FROM referral WHERE id = $1`,
      [referralId],
    );
    if (!ref || ref.state !== S.MATCHING || ref.match_attempt !== attempt) return 'stale';
    if (await this.lapseConsent(referralId)) return 'stale';
    const skippedIds = await this.declinedShelters(referralId);
    const found = await this.search.search(ref.needs, 10, ref.now, skippedIds);

    const first = await this.offerOrWaitlist(referralId, attempt, ref.needs, found, false);
    if (first !== 'none') return first;
    // every candidate was taken meanwhile, or none fitted: a bed freed while the search ran would wake nobody
    // (the referral is not yet waitlisted), so search once more before waitlisting
    const again = await this.search.search(ref.needs, 10, await this.dbNow(), skippedIds);
    const outcome = await this.offerOrWaitlist(referralId, attempt, ref.needs, again, true);
    if (outcome !== 'waitlisted') return outcome as 'offered' | 'stale';
    // A bed freed after that search but before the waitlisting committed woke nobody: its capacity check ran
    // while this referral was not yet waitlisted. Any such bed is free now, so one search after the commit
    // closes the gap.
    if (!(await this.search.search(ref.needs, 1, await this.dbNow(), skippedIds)).matches.length) return 'waitlisted';
    await this.runner.run(async (step) => {
      if (await this.lockIn(step, referralId, S.WAITLISTED, attempt))
        await this.rematch(step, referralId, S.WAITLISTED, null, because(ReferralEventReason.BED_BECAME_FREE), attempt);
    });
    return 'waitlisted';
  }

  /**
   * The survivor's consent to share needs lapsed (its `expiresAt` passed) before any shelter accepted: the
   * workflow stops as on a revocation (open offer cancelled, hold released), ending EXPIRED. True if it did.
   */
  async lapseConsent(referralId: string): Promise<boolean> {
    return this.runner.run(async (step) => {
      const [ref] = await step.tx.query<{ state: S }[]>(
        `SELECT state FROM referral f WHERE f.id = $1 AND ${NEEDS_CONSENT_LAPSED('f', '$2')} FOR UPDATE`,
        [referralId, NEEDS_CONSENT_STATES],
      );
      if (!ref) return false;
      await step.closeOffer({ referralId }, OfferClosedReason.CONSENT_LAPSED);
      await step.releaseHold(referralId, 'consent lapsed');
      await step.transition(referralId, ref.state, S.EXPIRED, null, because(ReferralEventReason.CONSENT_LAPSED));
      return true;
    });
  }

  /** Shelters that declined this referral or let it time out: it is not offered to them again. */
  private async declinedShelters(referralId: string): Promise<string[]> {
    const rows = await this.db.query<{ shelter_id: string }[]>(
      `SELECT DISTINCT shelter_id FROM offer WHERE referral_id = $1 AND status = ANY ($2::text[])`,
      [referralId, TURNED_DOWN],
    );
    return rows.map((r) => r.shelter_id);
  }

  /**
   * One transaction: hold a bed at the first candidate that still has one and offer it; with none, waitlist
   * (only when `waitlist`, else report 'none'). Uses only the transaction's connection: holding a lock while
   * waiting for a second pooled connection could exhaust the pool.
   */
  private offerOrWaitlist(
    referralId: string,
    attempt: number,
    needs: NeedsProfile,
    found: BedSearchResult,
    waitlist: boolean,
  ): Promise<'offered' | 'waitlisted' | 'stale' | 'none'> {
    return this.runner.run(async (step) => {
      if (!(await this.lockIn(step, referralId, S.MATCHING, attempt))) return 'stale';
      for (const match of found.matches) {
        if (!(await step.changePool(match.pool.id, { held: 1, occupied: 0 }, CapacityEventKind.HOLD, null, true)))
          continue;
        const respondBy = await step.at(this.minutes(match.candidate.responseMinutes));
        const [hold] = await step.tx.query<{ id: string }[]>(
          `INSERT INTO bed_hold (referral_id, bed_pool_id, shelter_id, expires_at) VALUES ($1, $2, $3, $4) RETURNING id`,
          [referralId, match.pool.id, match.candidate.id, respondBy],
        );
        const [offer] = await step.tx.query<{ id: string; shelter_id: string; status: OfferStatus }[]>(
          `INSERT INTO offer (referral_id, shelter_id, bed_hold_id, attempt, respond_by) VALUES ($1, $2, $3, $4, $5)
           RETURNING id, shelter_id, status`,
          [referralId, match.candidate.id, hold.id, attempt, respondBy],
        );
        step.announceOffer(offer, OfferStage.OPEN);
        await step.transition(referralId, S.MATCHING, S.OFFERED, null, because(ReferralEventReason.OFFERED));
        await step.enqueue('offer.response-timeout', { offerId: offer.id }, respondBy);
        step.offers.push({
          offerId: offer.id,
          shelterId: match.candidate.id,
          referralId,
          respondBy: respondBy.toISOString(),
        });
        return 'offered';
      }
      if (!waitlist) return 'none';
      const deadline = await step.at(this.waitlistSeconds(needs.urgency));
      const [region] = await step.tx.query<{ path: string[] }[]>(
        `SELECT g.path FROM referral f JOIN region g ON g.id = f.region_id WHERE f.id = $1`,
        [referralId],
      );
      const blockedBy = blockingReasons(found);
      step.alerts.push({
        regionPath: region.path,
        urgency: needs.urgency,
        exclusions: Object.fromEntries(found.exclusions),
        blockedBy,
        waitlistedAt: new Date().toISOString(),
      });
      await step.transition(referralId, S.MATCHING, S.WAITLISTED, null, because(ReferralEventReason.WAITLISTED), {
        waitlist_deadline: deadline,
        last_exclusions: JSON.stringify(Object.fromEntries(found.exclusions)),
        blocked_by: blockedBy,
      });
      await step.enqueue('referral.waitlist-expiry', { referralId, attempt }, deadline);
      return 'waitlisted';
    });
  }

  async expireConsentWindow(referralId: string): Promise<void> {
    await this.runner.run(async (step) => {
      const [ref] = await step.tx.query<{ due: boolean }[]>(
        `SELECT consent_deadline <= clock_timestamp() AS due FROM referral WHERE id = $1 AND state = $2 FOR UPDATE`,
        [referralId, S.AWAITING_CONSENT],
      );
      if (ref?.due)
        await step.transition(
          referralId,
          S.AWAITING_CONSENT,
          S.EXPIRED,
          null,
          because(ReferralEventReason.CONSENT_WINDOW_EXPIRED),
        );
    });
  }

  async expireWaitlist(referralId: string, attempt: number): Promise<void> {
    await this.runner.run(async (step) => {
      const [ref] = await step.tx.query<{ due: boolean }[]>(
        `SELECT waitlist_deadline <= clock_timestamp() AS due FROM referral
          WHERE id = $1 AND state = $3 AND match_attempt = $2 FOR UPDATE`,
        [referralId, attempt, S.WAITLISTED],
      );
      if (ref?.due)
        await step.transition(referralId, S.WAITLISTED, S.EXPIRED, null, because(ReferralEventReason.WAITLIST_EXPIRED));
    });
  }

  /** The shelter did not answer in time: release the hold and try the next shelter. */
  async timeOutOffer(offerId: string): Promise<void> {
    await this.runner.run(async (step) => {
      const [offer] = await step.tx.query<{ referral_id: string; due: boolean; attempt: number }[]>(
        `SELECT referral_id, respond_by <= clock_timestamp() AS due, attempt FROM offer WHERE id = $1 AND status = $2 FOR UPDATE`,
        [offerId, OfferStatus.OPEN],
      );
      if (!offer?.due || !(await this.lockIn(step, offer.referral_id, S.OFFERED))) return;
      await step.closeOffer({ offerId }, OfferClosedReason.TIMED_OUT, OfferStatus.TIMED_OUT);
      await step.releaseHold(offer.referral_id, 'offer timed out');
      await this.rematch(
        step,
        offer.referral_id,
        S.OFFERED,
        null,
        because(ReferralEventReason.OFFER_TIMED_OUT),
        offer.attempt,
      );
    });
  }

  /** Accepted, but the hold ran out before intake: the no-show path. */
  async expireHold(holdId: string): Promise<void> {
    await this.runner.run(async (step) => {
      const [hold] = await step.tx.query<{ referral_id: string; due: boolean }[]>(
        `SELECT referral_id, expires_at <= clock_timestamp() AS due FROM bed_hold WHERE id = $1 AND status = 'ACTIVE' FOR UPDATE`,
        [holdId],
      );
      if (!hold?.due) return;
      const ref = await this.lockIn(step, hold.referral_id, S.ACCEPTED);
      if (!ref) return;
      await step.closeOffer({ referralId: hold.referral_id }, OfferClosedReason.NO_SHOW, OfferStatus.CANCELLED);
      await step.releaseHold(hold.referral_id, 'no-show: the hold expired before intake');
      await this.rematch(
        step,
        hold.referral_id,
        S.ACCEPTED,
        null,
        because(ReferralEventReason.HOLD_EXPIRED),
        ref.match_attempt,
      );
    });
  }

  /**
   * Beds became free in a pool: waitlisted referrals that this shelter could serve go back to matching,
   * most urgent and oldest first, as many as there are free beds.
   */
  async capacityChanged(poolId: string): Promise<number> {
    const [pool] = await this.db.query<{ shelter_id: string; available: number }[]>(
      `SELECT shelter_id, available FROM bed_pool WHERE id = $1`,
      [poolId],
    );
    if (!pool || pool.available < 1) return 0;
    const shelter = await this.search.candidate(pool.shelter_id);
    if (!shelter) return 0;
    // as in matching, a shelter that declined a referral or let it time out is not offered it again
    const waiting = await this.db.query<{ id: string; needs: NeedsProfile }[]>(
      `SELECT f.id, f.needs FROM referral f
        WHERE f.state = $2
          AND NOT EXISTS (SELECT 1 FROM offer o WHERE o.referral_id = f.id AND o.shelter_id = $1
                             AND o.status = ANY ($3::text[]))
        ORDER BY ${URGENCY_ORDER}, f.submitted_at LIMIT 500`,
      [pool.shelter_id, S.WAITLISTED, TURNED_DOWN],
    );
    const fitting = waiting.filter((r) => evaluate(r.needs, shelter).pool !== null).slice(0, pool.available);
    for (const referral of fitting) {
      await this.runner.run(async (step) => {
        const ref = await this.lockIn(step, referral.id, S.WAITLISTED);
        if (ref)
          await this.rematch(
            step,
            referral.id,
            S.WAITLISTED,
            null,
            because(ReferralEventReason.BED_BECAME_FREE),
            ref.match_attempt,
          );
      });
    }
    return fitting.length;
  }

  /** Back to matching with the next attempt number (so the next match job has its own id). */
  async rematch(step: Step, referralId: string, from: S, actorId: string | null, reason: EventReason, attempt: number) {
    const next = attempt + 1;
    await step.transition(referralId, from, S.MATCHING, actorId, reason, { match_attempt: next });
    await step.enqueue('referral.match', { referralId, attempt: next });
  }

  /** Locks the referral; returns it only when it is in `state` (and at `attempt`, when given). */
  private async lockIn(step: Step, referralId: string, state: S, attempt?: number): Promise<Locked | null> {
    const [ref] = await step.tx.query<Locked[]>(`SELECT state, match_attempt FROM referral WHERE id = $1 FOR UPDATE`, [
      referralId,
    ]);
    if (!ref || ref.state !== state || (attempt !== undefined && ref.match_attempt !== attempt)) return null;
    return ref;
  }

  private waitlistSeconds(urgency: Urgency): number {
    const env = this.config.env;
    switch (urgency) {
      case Urgency.TONIGHT:
        return env.WAITLIST_TONIGHT_SECONDS;
      case Urgency.WITHIN_72_HOURS:
        return env.WAITLIST_72_HOURS_SECONDS;
      case Urgency.PLANNED:
        return env.WAITLIST_PLANNED_SECONDS;
    }
  }
}
