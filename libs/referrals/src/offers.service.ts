import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { assertRole } from '@shelterlink/accounts';
import { Actor, DomainError, Role } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { queryRows } from '@shelterlink/database';
import { CapacityEventKind, NeedsProfile } from '@shelterlink/shelters';
import { ACTIVE_CONSENT, lockShelterOffer, OfferRow } from './referral-access';
import { ReferralState as S } from './referral-state';
import { ReferralWorkflowService } from './referral-workflow.service';
import { ConsentScope } from './referrals.service';
import { WorkflowRunner } from './workflow-runner';

export enum DeclineReason {
  NO_BED_AVAILABLE = 'NO_BED_AVAILABLE',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  SAFETY_CONCERN = 'SAFETY_CONCERN',
  CANNOT_MEET_NEEDS = 'CANNOT_MEET_NEEDS',
  STAFFING = 'STAFFING',
  OTHER = 'OTHER',
}

export enum ExitDestination {
  PERMANENT_HOUSING = 'PERMANENT_HOUSING',
  TRANSITIONAL_PROGRAMME = 'TRANSITIONAL_PROGRAMME',
  FAMILY_OR_FRIENDS = 'FAMILY_OR_FRIENDS',
  OTHER_SHELTER = 'OTHER_SHELTER',
  HOSPITAL_OR_TREATMENT = 'HOSPITAL_OR_TREATMENT',
  RETURNED_TO_SITUATION = 'RETURNED_TO_SITUATION',
  UNKNOWN = 'UNKNOWN',
}

/** An offer as shelter staff see it: the de-identified needs only while consent to share them stands. */
export interface OfferView extends OfferRow {
  reference_code: string;
  referral_state: S;
  needs: NeedsProfile | null;
}

/**
 * Offers with the referral's needs profile only while a consent to share it stands and the referral is
 * still live: after withdrawal or revocation the shelter sees that an offer existed, not who needed what.
 */
const OFFER_VIEW = `
  SELECT o.*, r.reference_code, r.state AS referral_state,
         CASE WHEN r.state IN ('OFFERED', 'ACCEPTED', 'PLACED') AND EXISTS (
                SELECT 1 FROM consent c WHERE c.referral_id = r.id
                   AND ${ACTIVE_CONSENT(ConsentScope.SHARE_NEEDS_WITH_CANDIDATE_SHELTERS)})
              THEN r.needs END AS needs
    FROM offer o JOIN shelter s ON s.id = o.shelter_id JOIN referral r ON r.id = o.referral_id`;

const notAnswerable = (why: string) => new DomainError('INVALID_TRANSITION', why);

/** What shelter staff do with the offers made to their organisation's shelters. */
@Injectable()
export class OffersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runner: WorkflowRunner,
    private readonly workflow: ReferralWorkflowService,
    private readonly config: AppConfig,
  ) {}

  /** Open offers to the caller's shelters (optionally one shelter), soonest deadline first. */
  async open(actor: Actor, shelterId?: string | null): Promise<OfferView[]> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.db.query<OfferView[]>(
      `${OFFER_VIEW} WHERE s.organisation_id = $1 AND o.status = 'OPEN' AND r.state = 'OFFERED'
          AND ($2::uuid IS NULL OR s.id = $2)
        ORDER BY o.respond_by, o.id`,
      [actor.organisationId, shelterId ?? null],
    );
  }

  async accept(actor: Actor, offerId: string, intakeInstructions?: string | null): Promise<OfferView> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.runner.run(async (step) => {
      const offer = await lockShelterOffer(step.tx, actor, offerId);
      this.assertOpen(offer);
      const [shelter] = await step.tx.query<{ hold_minutes: number; intake_instructions: string | null }[]>(
        `SELECT hold_minutes, intake_instructions FROM shelter WHERE id = $1`,
        [offer.shelter_id],
      );
      const holdUntil = new Date(Date.now() + shelter.hold_minutes * this.config.env.WORKFLOW_MINUTE_MS);
      await step.tx.query(
        `UPDATE offer SET status = 'ACCEPTED', responded_at = now(), responded_by = $2, intake_instructions = $3
          WHERE id = $1`,
        [offerId, actor.userId, intakeInstructions ?? shelter.intake_instructions],
      );
      // the bed stays held for the shelter's hold time; if the survivor has not arrived by then: no-show
      await step.tx.query(`UPDATE bed_hold SET expires_at = $2 WHERE id = $1`, [offer.bed_hold_id, holdUntil]);
      await step.transition(offer.referral_id, S.OFFERED, S.ACCEPTED, actor.userId, 'offer accepted');
      await step.enqueue('hold.expiry', { holdId: offer.bed_hold_id }, holdUntil);
      return this.reload(step.tx, offerId);
    });
  }

  async decline(actor: Actor, offerId: string, reason: DeclineReason, note?: string | null): Promise<OfferView> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.runner.run(async (step) => {
      const offer = await lockShelterOffer(step.tx, actor, offerId);
      this.assertOpen(offer);
      await step.tx.query(
        `UPDATE offer SET status = 'DECLINED', responded_at = now(), responded_by = $2, decline_reason = $3,
                decline_note = $4 WHERE id = $1`,
        [offerId, actor.userId, reason, note ?? null],
      );
      await step.releaseHold(offer.referral_id, 'offer declined');
      await this.workflow.rematch(
        step,
        offer.referral_id,
        S.OFFERED,
        actor.userId,
        `declined: ${reason}`,
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
      if (!(await this.isCurrentAcceptedOffer(step, offer))) {
        throw notAnswerable('Only the accepted offer awaiting intake can be confirmed');
      }
      const [hold] = await queryRows<{ bed_pool_id: string }>(
        step.tx,
        `UPDATE bed_hold SET status = 'CONVERTED', ended_at = now(), end_reason = 'intake'
          WHERE id = $1 AND status = 'ACTIVE' RETURNING bed_pool_id`,
        [offer.bed_hold_id],
      );
      if (!hold) throw notAnswerable('The bed is no longer held');
      await step.changePool(hold.bed_pool_id, { held: -1, occupied: 1 }, CapacityEventKind.INTAKE, actor.userId);
      await step.transition(offer.referral_id, S.ACCEPTED, S.PLACED, actor.userId, 'intake confirmed');
      return this.reload(step.tx, offerId);
    });
  }

  async recordNoShow(actor: Actor, offerId: string): Promise<OfferView> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.runner.run(async (step) => {
      const offer = await lockShelterOffer(step.tx, actor, offerId);
      if (!(await this.isCurrentAcceptedOffer(step, offer))) {
        throw notAnswerable('Only the accepted offer awaiting intake can be a no-show');
      }
      await step.tx.query(`UPDATE offer SET status = 'CANCELLED' WHERE id = $1`, [offerId]);
      await step.releaseHold(offer.referral_id, 'no-show recorded by the shelter');
      await this.workflow.rematch(step, offer.referral_id, S.ACCEPTED, actor.userId, 'no-show', offer.match_attempt);
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
      if (offer.status !== 'ACCEPTED' || offer.referral_state !== S.PLACED || !hold) {
        throw notAnswerable('Only a placed referral can exit');
      }
      await step.changePool(hold.bed_pool_id, { held: 0, occupied: -1 }, CapacityEventKind.EXIT, actor.userId);
      await step.transition(offer.referral_id, S.PLACED, S.EXITED, actor.userId, `exit: ${destination}`, {
        exit_destination: destination,
      });
      return this.reload(step.tx, offerId);
    });
  }

  /** The referral's current offer, accepted, with its bed still held: what intake or a no-show applies to. */
  private async isCurrentAcceptedOffer(
    step: { tx: DataSource['manager'] },
    offer: OfferRow & { referral_state: S; match_attempt: number },
  ): Promise<boolean> {
    if (offer.status !== 'ACCEPTED' || offer.referral_state !== S.ACCEPTED || offer.attempt !== offer.match_attempt) {
      return false;
    }
    const [hold] = await step.tx.query<unknown[]>(`SELECT 1 FROM bed_hold WHERE id = $1 AND status = 'ACTIVE'`, [
      offer.bed_hold_id,
    ]);
    return Boolean(hold);
  }

  private assertOpen(offer: OfferRow & { referral_state: S }): void {
    if (offer.status !== 'OPEN' || offer.referral_state !== S.OFFERED) {
      throw notAnswerable(`This offer is ${offer.status === 'OPEN' ? 'no longer open' : offer.status}`);
    }
    if (offer.respond_by.getTime() <= Date.now()) throw notAnswerable('This offer has expired');
  }

  private async reload(tx: DataSource['manager'], offerId: string): Promise<OfferView> {
    const [row] = await tx.query<OfferView[]>(`${OFFER_VIEW} WHERE o.id = $1`, [offerId]);
    return row;
  }
}
