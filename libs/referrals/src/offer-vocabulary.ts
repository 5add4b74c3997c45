/** The words of an offer's life: the shelter's answer, where the offer stands for staff, and how it ended. */

/** The shelter's answer (CANCELLED: the workflow took the offer back: withdrawal, revocation, a no-show). */
export enum OfferStatus {
  OPEN = 'OPEN',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  TIMED_OUT = 'TIMED_OUT',
  CANCELLED = 'CANCELLED',
}

/** Where an offer stands for the shelter's staff: what they act on next. */
export enum OfferStage {
  /** Waiting for the shelter's answer (respond by `respondBy`). */
  OPEN = 'OPEN',
  /** Accepted; the bed is held until `holdExpiresAt` for the survivor to arrive (intake or no-show). */
  AWAITING_ARRIVAL = 'AWAITING_ARRIVAL',
  /** Intake confirmed: the survivor lives here until the exit is recorded. */
  RESIDENT = 'RESIDENT',
  /** Over: see `closedReason`. */
  CLOSED = 'CLOSED',
}

/** The stages staff act on, in the order a list shows them. */
export const CURRENT_STAGES: readonly OfferStage[] = [
  OfferStage.OPEN,
  OfferStage.AWAITING_ARRIVAL,
  OfferStage.RESIDENT,
];

/** Why an offer ended. */
export enum OfferClosedReason {
  DECLINED = 'DECLINED',
  TIMED_OUT = 'TIMED_OUT',
  WITHDRAWN = 'WITHDRAWN',
  CONSENT_REVOKED = 'CONSENT_REVOKED',
  /** The consent to share needs ran out before the shelter answered. */
  CONSENT_LAPSED = 'CONSENT_LAPSED',
  /** Accepted, but the survivor did not arrive before the hold ended (or staff recorded a no-show). */
  NO_SHOW = 'NO_SHOW',
  EXITED = 'EXITED',
}

/** A shelter that answered a referral so is not offered it again. */
export const TURNED_DOWN: readonly OfferStatus[] = [OfferStatus.DECLINED, OfferStatus.TIMED_OUT];

/** Answers the shelter gave itself (for response times). */
export const ANSWERED: readonly OfferStatus[] = [OfferStatus.ACCEPTED, OfferStatus.DECLINED];

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
