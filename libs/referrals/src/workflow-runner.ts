import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { queryRows } from '@shelterlink/database';
import { JobName, JobPayloads, OutboxService, PUB_SUB, Topics } from '@shelterlink/queue';
import { BedPoolsService, CapacityEventKind, PoolChange } from '@shelterlink/shelters';
import { OfferClosedReason, OfferStage, OfferStatus } from './offer-vocabulary';
import { EventReason, ReferralEventReason } from './referral-event-reason';
import { assertTransition, CLOSED_STATES, invalidTransition, ReferralState } from './referral-state';

/** Live events carry ids and states only; subscribers read the rest through scoped queries. */
export interface ReferralUpdate {
  referralId: string;
  state: ReferralState;
  /** Why it moved (absent in announcements from an API process older than the code). */
  reasonCode?: ReferralEventReason;
  occurredAt: string;
}
export interface OfferNotice {
  offerId: string;
  shelterId: string;
  referralId: string;
  respondBy: string;
}
/** For the shelter's staff: one of its offers moved to another stage (read it with the `offer` query). */
export interface OfferUpdate {
  offerId: string;
  shelterId: string;
  stage: OfferStage;
  status: OfferStatus;
  occurredAt: string;
}

/** For the coordinators of the referral's region and the regions above it: no survivor data, no referral id. */
export interface WaitlistAlert {
  regionPath: string[];
  urgency: string;
  exclusions: Record<string, number>;
  /** What stood between the referral and a bed (see blockingReasons). */
  blockedBy: string[];
  waitlistedAt: string;
}

/** One workflow step: a transaction, and what must happen once it has committed. */
export class Step {
  readonly outbox: string[] = [];
  readonly pools: PoolChange[] = [];
  readonly updates: ReferralUpdate[] = [];
  readonly offers: OfferNotice[] = [];
  readonly offerUpdates: OfferUpdate[] = [];
  readonly alerts: WaitlistAlert[] = [];

  constructor(
    readonly tx: EntityManager,
    private readonly runner: WorkflowRunner,
  ) {}

  /** `seconds` from now by the database's clock: every deadline is set, and judged, by that one clock. */
  async at(seconds: number): Promise<Date> {
    const [row] = await this.tx.query<{ at: Date }[]>(`SELECT clock_timestamp() + make_interval(secs => $1) AS at`, [
      seconds,
    ]);
    return row.at;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], runAt?: Date): Promise<void> {
    this.outbox.push(await this.runner.outbox.enqueue(this.tx, name, payload, runAt));
  }

  /**
   * Moves a referral from `from` to `to`: checked against the transition table, applied only if the row is
   * still in `from`, and written to the referral's event log. `reason`: its code and the system's own words;
   * `note`, what a person typed (the purge clears it).
   */
  async transition(
    referralId: string,
    from: ReferralState,
    to: ReferralState,
    actorId: string | null,
    reason: EventReason,
    set: Record<string, unknown> = {},
    note: string | null = null,
  ): Promise<void> {
    assertTransition(from, to);
    const columns = Object.keys(set);
    const assignments = columns.map((c, i) => `, ${c} = $${i + 4}`).join('');
    const rows = await queryRows(
      this.tx,
      `UPDATE referral SET state = $3, updated_at = clock_timestamp()${CLOSED_STATES.includes(to) ? ', closed_at = clock_timestamp()' : ''}${assignments}
        WHERE id = $1 AND state = $2 RETURNING id`,
      [referralId, from, to, ...columns.map((c) => set[c])],
    );
    if (rows.length === 0) throw invalidTransition(from, to);
    await this.tx.query(
      `INSERT INTO referral_event (referral_id, actor_user_id, from_state, to_state, reason, reason_code, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [referralId, actorId, from, to, reason.prose, reason.code, note],
    );
    this.updates.push({ referralId, state: to, reasonCode: reason.code, occurredAt: new Date().toISOString() });
  }

  /** Staff of the offer's shelter hear that it moved to `stage` (after the commit). */
  announceOffer(offer: { id: string; shelter_id: string; status: OfferStatus }, stage: OfferStage): void {
    this.offerUpdates.push({
      offerId: offer.id,
      shelterId: offer.shelter_id,
      stage,
      status: offer.status,
      occurredAt: new Date().toISOString(),
    });
  }

  /** Changes a pool's held/occupied counts; null when `onlyIfFree` and no bed is free. */
  async changePool(
    poolId: string,
    deltas: { held: number; occupied: number },
    kind: CapacityEventKind,
    actorId: string | null,
    onlyIfFree = false,
  ): Promise<boolean> {
    const change = await this.runner.pools.workflowChange(this.tx, poolId, deltas, kind, actorId, onlyIfFree);
    if (!change) return false;
    this.outbox.push(...change.outbox);
    this.pools.push(change);
    return true;
  }

  /** Releases the referral's active hold, if any (its bed becomes free again). */
  async releaseHold(referralId: string, reason: string): Promise<void> {
    const [hold] = await queryRows<{ bed_pool_id: string }>(
      this.tx,
      `UPDATE bed_hold SET status = 'RELEASED', ended_at = clock_timestamp(), end_reason = $2
        WHERE referral_id = $1 AND status = 'ACTIVE' RETURNING bed_pool_id`,
      [referralId, reason],
    );
    if (hold) await this.changePool(hold.bed_pool_id, { held: -1, occupied: 0 }, CapacityEventKind.HOLD_RELEASED, null);
  }

  /**
   * Ends an offer: the one given, or the referral's current one (open, awaiting arrival or resident; there is at
   * most one). An open offer takes `status` (default CANCELLED); an answered one keeps its answer unless `status`
   * is given. The shelter's staff are told.
   */
  async closeOffer(
    which: { offerId: string } | { referralId: string },
    reason: OfferClosedReason,
    status?: OfferStatus,
  ): Promise<void> {
    const [column, id] = 'offerId' in which ? ['id', which.offerId] : ['referral_id', which.referralId];
    const closed = await queryRows<{ id: string; shelter_id: string; status: OfferStatus }>(
      this.tx,
      `UPDATE offer SET closed_at = clock_timestamp(), closed_reason = $2,
              status = coalesce($3, CASE WHEN status = $4 THEN $5 ELSE status END)
        WHERE ${column} = $1 AND closed_at IS NULL RETURNING id, shelter_id, status`,
      [id, reason, status ?? null, OfferStatus.OPEN, OfferStatus.CANCELLED],
    );
    for (const offer of closed) this.announceOffer(offer, OfferStage.CLOSED);
  }
}

@Injectable()
export class WorkflowRunner {
  private readonly logger = new Logger(WorkflowRunner.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    readonly outbox: OutboxService,
    readonly pools: BedPoolsService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly config: AppConfig,
  ) {}

  /**
   * Runs a step in one transaction; after the commit, publishes its live events (so caches forget old counts
   * first), then relays its jobs.
   */
  async run<T>(work: (step: Step) => Promise<T>): Promise<T> {
    let step!: Step;
    const result = await this.db.transaction(async (tx) => {
      step = new Step(tx, this);
      return work(step);
    });
    try {
      await Promise.all([
        ...step.pools.map((change) => this.pools.publish(change)),
        ...step.updates.map((u) => this.pubSub.publish(Topics.referralUpdated(this.config, u.referralId), u)),
        ...step.offers.map((o) => this.pubSub.publish(Topics.offerReceived(this.config, o.shelterId), o)),
        ...step.offerUpdates.map((o) => this.pubSub.publish(Topics.offerUpdated(this.config, o.shelterId), o)),
        ...step.alerts.flatMap((a) =>
          a.regionPath.map((regionId) => this.pubSub.publish(Topics.waitlistAlert(this.config, regionId), a)),
        ),
      ]);
    } catch (error) {
      this.logger.warn({ err: { type: (error as Error)?.name } }, 'live referral events not published');
    }
    await this.outbox.relay(step.outbox);
    return result;
  }
}
