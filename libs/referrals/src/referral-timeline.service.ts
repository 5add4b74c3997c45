import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, Role } from '@shelterlink/common';
import { ReferralEventReason } from './referral-event-reason';
import { OfferStatus } from './offer-vocabulary';

/**
 * The nested parts of a referral its agency may read: consents, the event log, and the offers (with the
 * shelter's public name and, after acceptance, the intake instructions the shelter chose to give).
 * Every query is scoped to the caller's agency again, so a nested field cannot reach another agency's data.
 */
@Injectable()
export class ReferralTimelineService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private scoped(actor: Actor): string | null {
    return actor.role === Role.HOTLINE_ADVOCATE ? actor.organisationId : null;
  }

  async consents(actor: Actor, referralId: string) {
    const rows = await this.db.query<
      {
        id: string;
        scopes: string[];
        method: string;
        recipient_shelter_id: string | null;
        recorded_at: Date;
        expires_at: Date;
        revoked_at: Date | null;
      }[]
    >(
      `SELECT c.* FROM consent c JOIN referral r ON r.id = c.referral_id
        WHERE c.referral_id = $1 AND r.agency_id = $2 ORDER BY c.recorded_at, c.id`,
      [referralId, this.scoped(actor)],
    );
    return rows.map((c) => ({
      id: c.id,
      scopes: c.scopes,
      method: c.method,
      recipientShelterId: c.recipient_shelter_id,
      recordedAt: c.recorded_at,
      expiresAt: c.expires_at,
      revokedAt: c.revoked_at,
    }));
  }

  async events(actor: Actor, referralId: string) {
    const rows = await this.db.query<
      {
        from_state: string;
        to_state: string;
        reason: string;
        reason_code: ReferralEventReason;
        note: string | null;
        occurred_at: Date;
      }[]
    >(
      `SELECT e.from_state, e.to_state, e.reason, e.reason_code, e.note, e.occurred_at
         FROM referral_event e JOIN referral r ON r.id = e.referral_id
        WHERE e.referral_id = $1 AND r.agency_id = $2 ORDER BY e.id`,
      [referralId, this.scoped(actor)],
    );
    return rows.map((e) => ({
      fromState: e.from_state,
      toState: e.to_state,
      reason: e.reason,
      reasonCode: e.reason_code,
      note: e.note,
      occurredAt: e.occurred_at,
    }));
  }

  async offers(actor: Actor, referralId: string) {
    const rows = await this.db.query<
      {
        id: string;
        shelter_id: string;
        shelter_name: string;
        status: OfferStatus;
        offered_at: Date;
        respond_by: Date;
        intake_instructions: string | null;
        hold_expires_at: Date | null;
        closed_at: Date | null;
        closed_reason: string | null;
      }[]
    >(
      `SELECT o.id, o.shelter_id, s.name AS shelter_name, o.status, o.offered_at, o.respond_by, o.intake_instructions,
              CASE WHEN h.status = 'ACTIVE' THEN h.expires_at END AS hold_expires_at, o.closed_at, o.closed_reason
         FROM offer o JOIN shelter s ON s.id = o.shelter_id JOIN referral r ON r.id = o.referral_id
         JOIN bed_hold h ON h.id = o.bed_hold_id
        WHERE o.referral_id = $1 AND r.agency_id = $2 ORDER BY o.attempt`,
      [referralId, this.scoped(actor)],
    );
    return rows.map((o) => ({
      id: o.id,
      shelterId: o.shelter_id,
      shelterName: o.shelter_name,
      status: o.status,
      offeredAt: o.offered_at,
      respondBy: o.respond_by,
      intakeInstructions: o.status === OfferStatus.ACCEPTED ? o.intake_instructions : null,
      holdExpiresAt: o.hold_expires_at,
      closedAt: o.closed_at,
      closedReason: o.closed_reason,
    }));
  }
}
