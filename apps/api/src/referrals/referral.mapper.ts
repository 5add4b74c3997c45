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

export function toOfferModel(
  o: Partial<OfferView> & Pick<OfferView, 'id' | 'referral_id' | 'shelter_id' | 'status'>,
): OfferModel {
  return {
    id: o.id,
    referralId: o.referral_id,
    referenceCode: o.reference_code ?? '',
    shelterId: o.shelter_id,
    status: o.status as OfferModel['status'],
    offeredAt: o.offered_at!,
    respondBy: o.respond_by!,
    respondedAt: o.responded_at ?? null,
    declineReason: (o.decline_reason as OfferModel['declineReason']) ?? null,
    intakeInstructions: o.intake_instructions ?? null,
    needs: o.needs ?? null,
  };
}
