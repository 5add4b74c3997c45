import { EntityManager } from 'typeorm';
import { Actor, notFound } from '@shelterlink/common';
import { OfferClosedReason, OfferStatus } from './offer-vocabulary';
import { ReferralState } from './referral-state';

export interface ReferralRow {
  id: string;
  reference_code: string;
  agency_id: string;
  created_by: string;
  region_id: string;
  state: ReferralState;
  urgency: string;
  needs: unknown;
  identity: unknown;
  match_attempt: number;
  consent_deadline: Date | null;
  waitlist_deadline: Date | null;
  exit_destination: string | null;
  previous_referral_id: string | null;
  blocked_by: string[] | null;
  submitted_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  purged_at: Date | null;
}

/** The caller's agency's referral, locked for the transaction; any other referral is not found. */
export async function lockAgencyReferral(tx: EntityManager, actor: Actor, id: string): Promise<ReferralRow> {
  const [row] = await tx.query<ReferralRow[]>(`SELECT * FROM referral WHERE id = $1 AND agency_id = $2 FOR UPDATE`, [
    id,
    actor.organisationId,
  ]);
  if (!row) throw notFound('Referral');
  return row;
}

export interface OfferRow {
  id: string;
  referral_id: string;
  shelter_id: string;
  bed_hold_id: string;
  status: OfferStatus;
  attempt: number;
  offered_at: Date;
  respond_by: Date;
  responded_at: Date | null;
  decline_reason: string | null;
  intake_instructions: string | null;
  closed_at: Date | null;
  closed_reason: OfferClosedReason | null;
}

/** An offer to one of the caller's organisation's shelters, locked with its referral; others are not found. */
export async function lockShelterOffer(
  tx: EntityManager,
  actor: Actor,
  offerId: string,
): Promise<OfferRow & { referral_state: ReferralState; match_attempt: number }> {
  const [row] = await tx.query<(OfferRow & { referral_state: ReferralState; match_attempt: number })[]>(
    `SELECT o.*, r.state AS referral_state, r.match_attempt
       FROM offer o JOIN shelter s ON s.id = o.shelter_id JOIN referral r ON r.id = o.referral_id
      WHERE o.id = $1 AND s.organisation_id = $2
      FOR UPDATE OF o, r`,
    [offerId, actor.organisationId],
  );
  if (!row) throw notFound('Offer');
  return row;
}

/** A consent with this scope that is recorded, not revoked and not expired. */
export const ACTIVE_CONSENT = (scope: string, alias = 'c') =>
  `${alias}.revoked_at IS NULL AND ${alias}.expires_at > now() AND '${scope}' = ANY(${alias}.scopes)`;

/**
 * The referral `alias` is in a state that needs a consent to share needs to go on (`states`, a placeholder for
 * NEEDS_CONSENT_STATES) and has none active any more: its workflow must stop (ReferralWorkflowService.lapseConsent).
 */
export const NEEDS_CONSENT_LAPSED = (alias: string, states: string) =>
  `${alias}.state = ANY (${states}::referral_state[])
   AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.referral_id = ${alias}.id
                      AND ${ACTIVE_CONSENT('SHARE_NEEDS_WITH_CANDIDATE_SHELTERS')})`;
