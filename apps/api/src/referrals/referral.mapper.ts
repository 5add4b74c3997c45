import { OfferView, ReferralRow } from '@shelterlink/referrals';
import { NeedsModel, OfferModel, ReferralModel } from './referral.models';

export function toReferralModel(r: ReferralRow): ReferralModel {
  return {
    id: r.id,
    referenceCode: r.reference_code,
    state: r.state,
    urgency: r.urgency as ReferralModel['urgency'],
    regionId: r.region_id,
    needs: r.needs as NeedsModel,
    hasIdentity: r.identity !== null,
    exitDestination: r.exit_destination as ReferralModel['exitDestination'],
    previousReferralId: r.previous_referral_id,
    consentDeadline: r.consent_deadline,
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

export function toOfferModel(o: OfferView): OfferModel {
  return {
    id: o.id,
    referralId: o.referral_id,
    referenceCode: o.reference_code,
    shelterId: o.shelter_id,
    stage: o.stage,
    status: o.status,
    offeredAt: o.offered_at,
    respondBy: o.respond_by,
    holdExpiresAt: o.hold_expires_at,
    respondedAt: o.responded_at,
    declineReason: o.decline_reason as OfferModel['declineReason'],
    intakeInstructions: o.intake_instructions,
    intakeConfirmedAt: o.intake_confirmed_at,
    closedAt: o.closed_at,
    closedReason: o.closed_reason,
    exitDestination: o.exit_destination,
    needs: o.needs,
  };
}
