import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { assertRole } from '@shelterlink/accounts';
import {
  Actor,
  badInput,
  checkPageSize,
  decodeCursor,
  DomainError,
  encodeCursor,
  notFound,
  Role,
} from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { queryRows } from '@shelterlink/database';
import { CapacityEventKind, minutesUntilIntake, NeedsProfile, SqlParams } from '@shelterlink/shelters';
import { Identity, SealedIdentity } from './identity-cipher';
import { IdentityVault } from './identity-vault';
import {
  CURRENT_STAGES,
  DeclineReason,
  ExitDestination,
  OfferClosedReason,
  OfferStage,
  OfferStatus,
} from './offer-vocabulary';
import { ACTIVE_CONSENT, lockShelterOffer, OfferRow } from './referral-access';
import { because, ReferralEventReason } from './referral-event-reason';
import { ReferralState as S, SHELTER_SEES_IDENTITY_STATES, SHELTER_SEES_NEEDS_STATES } from './referral-state';
import { ReferralWorkflowService } from './referral-workflow.service';
import { ConsentScope } from './referrals.service';
import { WorkflowRunner } from './workflow-runner';

/** An offer as shelter staff see it: where it stands, and the de-identified needs while they may read them. */
export interface OfferView extends OfferRow {
  reference_code: string;
  referral_state: S;
  stage: OfferStage;
  /** While the bed is held: the answer deadline (open) or "arrive by" (accepted). */
  hold_expires_at: Date | null;
  intake_confirmed_at: Date | null;
  exit_destination: ExitDestination | null;
  needs: NeedsProfile | null;
  /** The list order: the stage, then a time within it (see `offerView`). */
  stage_rank: number;
  sort_key: number;
}

export interface OfferPage {
  items: OfferView[];
  cursorOf: (offer: OfferView) => string;
  endCursor: string | null;
  hasNextPage: boolean;
}

const STAGE_ORDER: readonly OfferStage[] = [...CURRENT_STAGES, OfferStage.CLOSED];

/**
 * Offers (`o`) with their referral (`r`), shelter (`s`) and bed hold (`h`), the stage each is at, and the needs
 * profile only while this offer is current, the referral in a state that lets a shelter see needs and a consent to
 * share them stands: a declined, timed-out or withdrawn offer shows that it existed, not who needed what.
 * The list order is the stage (open, awaiting arrival, resident, closed), then the answer deadline, the end of the
 * hold, the intake, or (closed) the most recently closed first.
 */
function offerView(p: SqlParams): string {
  const stage = `CASE WHEN o.closed_at IS NOT NULL THEN '${OfferStage.CLOSED}'
                      WHEN o.status = '${OfferStatus.OPEN}' THEN '${OfferStage.OPEN}'
                      WHEN h.status = 'CONVERTED' THEN '${OfferStage.RESIDENT}'
                      ELSE '${OfferStage.AWAITING_ARRIVAL}' END`;
  return `
  SELECT v.*, array_position(${p.add(STAGE_ORDER, 'text[]')}, v.stage) - 1 AS stage_rank,
         coalesce(extract(epoch FROM CASE v.stage WHEN '${OfferStage.OPEN}' THEN v.respond_by
                                                  WHEN '${OfferStage.AWAITING_ARRIVAL}' THEN v.hold_expires_at
                                                  WHEN '${OfferStage.RESIDENT}' THEN v.intake_confirmed_at END), 0)::float8
           - coalesce(extract(epoch FROM v.closed_at), 0)::float8 AS sort_key
    FROM (
      SELECT o.*, r.reference_code, r.state AS referral_state, s.organisation_id, ${stage} AS stage,
             CASE WHEN h.status = 'ACTIVE' THEN h.expires_at END AS hold_expires_at,
             CASE WHEN h.status = 'CONVERTED' THEN h.ended_at END AS intake_confirmed_at,
             CASE WHEN o.closed_reason = '${OfferClosedReason.EXITED}' THEN r.exit_destination END AS exit_destination,
             CASE WHEN o.closed_at IS NULL AND r.state = ANY (${p.add(SHELTER_SEES_NEEDS_STATES, 'referral_state[]')})
                   AND EXISTS (SELECT 1 FROM consent c WHERE c.referral_id = r.id
                                  AND ${ACTIVE_CONSENT(ConsentScope.SHARE_NEEDS_WITH_CANDIDATE_SHELTERS)})
                  THEN r.needs END AS needs
        FROM offer o
        JOIN shelter s ON s.id = o.shelter_id
        JOIN referral r ON r.id = o.referral_id
        JOIN bed_hold h ON h.id = o.bed_hold_id) v`;
}

export interface ListOffers {
  shelterId?: string | null;
  /** Default: the stages staff act on (open, awaiting arrival, resident). */
  stages?: readonly OfferStage[] | null;
  first: number;
  after?: string | null;
}

const notAnswerable = (why: string) => new DomainError('INVALID_TRANSITION', why);

/** What shelter staff do with the offers made to their organisation's shelters, through the whole life of each. */
@Injectable()
export class OffersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runner: WorkflowRunner,
    private readonly workflow: ReferralWorkflowService,
    private readonly vault: IdentityVault,
    private readonly config: AppConfig,
  ) {}

  /**
   * Offers to the caller's shelters (optionally one shelter) at the given stages, in list order, paged: open
   * offers by deadline, arrivals by the end of their hold, residents by intake, closed ones newest first.
   */
  async list(actor: Actor, args: ListOffers): Promise<OfferPage> {
    assertRole(actor, Role.SHELTER_STAFF);
    const first = checkPageSize(args.first);
    const stages = args.stages?.length ? [...new Set(args.stages)] : CURRENT_STAGES;
    const p = new SqlParams();
    const view = offerView(p);
    const where = [
      `v.organisation_id = ${p.add(actor.organisationId, 'uuid')}`,
      `v.stage = ANY (${p.add(stages, 'text[]')})`,
    ];
    if (args.shelterId) {
      // another organisation's shelter is not found, as everywhere else
      const [own] = await this.db.query<unknown[]>(`SELECT 1 FROM shelter WHERE id = $1 AND organisation_id = $2`, [
        args.shelterId,
        actor.organisationId,
      ]);
      if (!own) throw notFound('Shelter');
      where.push(`v.shelter_id = ${p.add(args.shelterId, 'uuid')}`);
    }
    // current and closed offers have their own indexes: read only the side asked for
    if (!stages.includes(OfferStage.CLOSED)) where.push(`v.closed_at IS NULL`);
    else if (stages.length === 1) where.push(`v.closed_at IS NOT NULL`);
    let after = '';
    if (args.after) {
      const [rank, key, id] = decodeCursor(args.after, 3);
      const validRank = typeof rank === 'number' && Number.isInteger(rank) && rank >= 0 && rank < STAGE_ORDER.length;
      if (!validRank || typeof key !== 'number' || !Number.isFinite(key) || typeof id !== 'string' || !isUUID(id)) {
        throw badInput('after', 'is not a valid cursor');
      }
      after = `WHERE (w.stage_rank, w.sort_key, w.id) > (${p.add(rank, 'int')}, ${p.add(key, 'float8')}, ${p.add(id, 'uuid')})`;
    }
    const sql = `SELECT * FROM (${view} WHERE ${where.join(' AND ')}) w ${after}
                  ORDER BY w.stage_rank, w.sort_key, w.id LIMIT ${p.add(first + 1, 'int')}`;
    const rows = await this.db.query<OfferView[]>(sql, p.values);
    const items = rows.slice(0, first);
    const cursorOf = (o: OfferView) => encodeCursor([o.stage_rank, o.sort_key, o.id]);
    const last = items.at(-1);
    return { items, cursorOf, hasNextPage: rows.length > first, endCursor: last ? cursorOf(last) : null };
  }

  /** One offer to the caller's shelters; any other is not found. */
  async get(actor: Actor, offerId: string): Promise<OfferView> {
    assertRole(actor, Role.SHELTER_STAFF);
    const p = new SqlParams();
    const [row] = await this.db.query<OfferView[]>(
      `${offerView(p)} WHERE v.id = ${p.add(offerId, 'uuid')} AND v.organisation_id = ${p.add(actor.organisationId, 'uuid')}`,
      p.values,
    );
    if (!row) throw notFound('Offer');
    return row;
  }

  /**
   * The survivor's identity, for the shelter that accepted this offer under a consent naming that shelter, while
   * the referral is in a state that allows it. Null otherwise; every read is audited.
   */
  async identity(actor: Actor, offerId: string): Promise<Identity | null> {
    if (actor.role !== Role.SHELTER_STAFF) return null;
    const [row] = await this.db.query<{ referral_id: string; identity: SealedIdentity | null }[]>(
      `SELECT r.id AS referral_id, r.identity
         FROM offer o JOIN shelter s ON s.id = o.shelter_id JOIN referral r ON r.id = o.referral_id
        WHERE o.id = $1 AND s.organisation_id = $2 AND o.status = $3 AND r.state = ANY ($4::referral_state[])
          AND EXISTS (SELECT 1 FROM consent c WHERE c.referral_id = r.id AND c.recipient_shelter_id = o.shelter_id
                         AND ${ACTIVE_CONSENT(ConsentScope.SHARE_IDENTITY_WITH_RECIPIENT)})`,
      [offerId, actor.organisationId, OfferStatus.ACCEPTED, SHELTER_SEES_IDENTITY_STATES],
    );
    return row ? this.vault.open(actor, row.referral_id, row.identity) : null;
  }

  /**
   * Accepts before the deadline. The agency receives `intakeInstructions`, or the shelter's default ones; an
   * acceptance that would leave the agency with none is refused, since nobody could then reach intake.
   */
  async accept(actor: Actor, offerId: string, intakeInstructions?: string | null): Promise<OfferView> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.runner.run(async (step) => {
      const offer = await lockShelterOffer(step.tx, actor, offerId);
      await this.assertOpen(step.tx, offer);
      const [shelter] = await step.tx.query<
        {
          hold_minutes: number;
          intake_instructions: string | null;
          intake_always_open: boolean;
          intake_days: number[];
          intake_opens: string | null;
          intake_closes: string | null;
          time_zone: string;
        }[]
      >(
        `SELECT hold_minutes, intake_instructions, intake_always_open, intake_days, intake_opens, intake_closes, time_zone
           FROM shelter WHERE id = $1`,
        [offer.shelter_id],
      );
      const instructions = intakeInstructions ?? shelter.intake_instructions;
      if (!instructions) {
        throw badInput(
          'intakeInstructions',
          "the agency needs to know how to reach intake: give instructions, or set the shelter's default ones",
        );
      }
      // the moment of the answer, by the database's clock: the response time and the hold both run from it
      const answeredAt = await step.at(0);
      await step.tx.query(
        `UPDATE offer SET status = $4, responded_at = $5, responded_by = $2, intake_instructions = $3 WHERE id = $1`,
        [offerId, actor.userId, instructions, OfferStatus.ACCEPTED, answeredAt],
      );
      // The bed stays held for the shelter's hold time from the acceptance, or, when its intake is closed now (a
      // planned move accepted at night), from when intake next opens; one clock, the database's. If the survivor has
      // not arrived by then: no-show.
      const untilIntakeMinutes =
        minutesUntilIntake(
          {
            alwaysOpen: shelter.intake_always_open,
            days: shelter.intake_days,
            opens: shelter.intake_opens,
            closes: shelter.intake_closes,
            timeZone: shelter.time_zone,
          },
          answeredAt,
        ) ?? 0;
      const holdSeconds = untilIntakeMinutes * 60 + (shelter.hold_minutes * this.config.env.WORKFLOW_MINUTE_MS) / 1000;
      const [{ expires_at: holdUntil }] = await queryRows<{ expires_at: Date }>(
        step.tx,
        `UPDATE bed_hold SET expires_at = $3::timestamptz + make_interval(secs => $2) WHERE id = $1 RETURNING expires_at`,
        [offer.bed_hold_id, holdSeconds, answeredAt],
      );
      await step.transition(
        offer.referral_id,
        S.OFFERED,
        S.ACCEPTED,
        actor.userId,
        because(ReferralEventReason.OFFER_ACCEPTED),
      );
      await step.enqueue('hold.expiry', { holdId: offer.bed_hold_id }, holdUntil);
      step.announceOffer({ ...offer, status: OfferStatus.ACCEPTED }, OfferStage.AWAITING_ARRIVAL);
      return this.reload(step.tx, offerId);
    });
  }

  /** `note`: the staff's own words, kept until the purge. */
  async decline(actor: Actor, offerId: string, reason: DeclineReason, note?: string | null): Promise<OfferView> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.runner.run(async (step) => {
      const offer = await lockShelterOffer(step.tx, actor, offerId);
      await this.assertOpen(step.tx, offer);
      await step.tx.query(
        `UPDATE offer SET responded_at = clock_timestamp(), responded_by = $2, decline_reason = $3, decline_note = $4 WHERE id = $1`,
        [offerId, actor.userId, reason, note ?? null],
      );
      await step.closeOffer({ offerId }, OfferClosedReason.DECLINED, OfferStatus.DECLINED);
      await step.releaseHold(offer.referral_id, 'offer declined');
      await this.workflow.rematch(
        step,
        offer.referral_id,
        S.OFFERED,
        actor.userId,
        because(ReferralEventReason.OFFER_DECLINED, reason),
        offer.match_attempt,
      );
      return this.reload(step.tx, offerId);
    });
  }

  /** The survivor arrived: the held bed becomes an occupied bed, in one statement. */
  async confirmIntake(actor: Actor, offerId: string): Promise<OfferView> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.runner.run(async (step) => {
      const offer = await lockShelterOffer(step.tx, actor, offerId);
      if (!(await this.isCurrentAcceptedOffer(step.tx, offer))) {
        throw notAnswerable('Only the accepted offer awaiting intake can be confirmed');
      }
      const [hold] = await queryRows<{ bed_pool_id: string }>(
        step.tx,
        `UPDATE bed_hold SET status = 'CONVERTED', ended_at = clock_timestamp(), end_reason = 'intake'
          WHERE id = $1 AND status = 'ACTIVE' RETURNING bed_pool_id`,
        [offer.bed_hold_id],
      );
      if (!hold) throw notAnswerable('The bed is no longer held');
      await step.changePool(hold.bed_pool_id, { held: -1, occupied: 1 }, CapacityEventKind.INTAKE, actor.userId);
      await step.transition(
        offer.referral_id,
        S.ACCEPTED,
        S.PLACED,
        actor.userId,
        because(ReferralEventReason.INTAKE_CONFIRMED),
      );
      step.announceOffer(offer, OfferStage.RESIDENT);
      return this.reload(step.tx, offerId);
    });
  }

  async recordNoShow(actor: Actor, offerId: string): Promise<OfferView> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.runner.run(async (step) => {
      const offer = await lockShelterOffer(step.tx, actor, offerId);
      if (!(await this.isCurrentAcceptedOffer(step.tx, offer))) {
        throw notAnswerable('Only the accepted offer awaiting intake can be a no-show');
      }
      await step.closeOffer({ offerId }, OfferClosedReason.NO_SHOW, OfferStatus.CANCELLED);
      await step.releaseHold(offer.referral_id, 'no-show recorded by the shelter');
      await this.workflow.rematch(
        step,
        offer.referral_id,
        S.ACCEPTED,
        actor.userId,
        because(ReferralEventReason.NO_SHOW_RECORDED),
        offer.match_attempt,
      );
      return this.reload(step.tx, offerId);
    });
  }

  /** The resident left: the bed is free again and the destination recorded. */
  async recordExit(actor: Actor, offerId: string, destination: ExitDestination): Promise<OfferView> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.runner.run(async (step) => {
      const offer = await lockShelterOffer(step.tx, actor, offerId);
      // the offer whose hold became the occupied bed: an earlier offer to this shelter is not the placement
      const [hold] = await step.tx.query<{ bed_pool_id: string }[]>(
        `SELECT bed_pool_id FROM bed_hold WHERE id = $1 AND status = 'CONVERTED'`,
        [offer.bed_hold_id],
      );
      if (offer.status !== OfferStatus.ACCEPTED || offer.referral_state !== S.PLACED || !hold) {
        throw notAnswerable('Only a placed referral can exit');
      }
      await step.changePool(hold.bed_pool_id, { held: 0, occupied: -1 }, CapacityEventKind.EXIT, actor.userId);
      await step.transition(
        offer.referral_id,
        S.PLACED,
        S.EXITED,
        actor.userId,
        because(ReferralEventReason.EXITED, destination),
        {
          exit_destination: destination,
        },
      );
      await step.closeOffer({ offerId }, OfferClosedReason.EXITED);
      return this.reload(step.tx, offerId);
    });
  }

  /** The referral's current offer, accepted, with its bed still held: what intake or a no-show applies to. */
  private async isCurrentAcceptedOffer(
    tx: EntityManager,
    offer: OfferRow & { referral_state: S; match_attempt: number },
  ): Promise<boolean> {
    if (
      offer.status !== OfferStatus.ACCEPTED ||
      offer.referral_state !== S.ACCEPTED ||
      offer.attempt !== offer.match_attempt
    ) {
      return false;
    }
    const [hold] = await tx.query<unknown[]>(`SELECT 1 FROM bed_hold WHERE id = $1 AND status = 'ACTIVE'`, [
      offer.bed_hold_id,
    ]);
    return Boolean(hold);
  }

  /** Open, and its deadline not passed by the database's clock (read after the lock was granted). */
  private async assertOpen(tx: EntityManager, offer: OfferRow & { referral_state: S }): Promise<void> {
    if (offer.status !== OfferStatus.OPEN || offer.referral_state !== S.OFFERED) {
      throw notAnswerable(`This offer is ${offer.status === OfferStatus.OPEN ? 'no longer open' : offer.status}`);
    }
    const [{ expired }] = await tx.query<{ expired: boolean }[]>(
      `SELECT $1::timestamptz <= clock_timestamp() AS expired`,
      [offer.respond_by],
    );
    if (expired) throw notAnswerable('This offer has expired');
  }

  private async reload(tx: EntityManager, offerId: string): Promise<OfferView> {
    const p = new SqlParams();
    const [row] = await tx.query<OfferView[]>(`${offerView(p)} WHERE v.id = ${p.add(offerId, 'uuid')}`, p.values);
    return row;
  }
}
