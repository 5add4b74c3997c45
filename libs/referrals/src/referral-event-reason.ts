/**
 * Why a referral moved, as a code a client can name in its own language (`referral_event.reason_code`), one per
 * reason the workflow writes. The prose beside it (`reason`) is the server's English, kept for API compatibility.
 */
export enum ReferralEventReason {
  SUBMITTED = 'SUBMITTED',
  CONSENT_RECORDED = 'CONSENT_RECORDED',
  OFFERED = 'OFFERED',
  WAITLISTED = 'WAITLISTED',
  BED_BECAME_FREE = 'BED_BECAME_FREE',
  OFFER_ACCEPTED = 'OFFER_ACCEPTED',
  OFFER_DECLINED = 'OFFER_DECLINED',
  OFFER_TIMED_OUT = 'OFFER_TIMED_OUT',
  INTAKE_CONFIRMED = 'INTAKE_CONFIRMED',
  NO_SHOW_RECORDED = 'NO_SHOW_RECORDED',
  HOLD_EXPIRED = 'HOLD_EXPIRED',
  EXITED = 'EXITED',
  WITHDRAWN = 'WITHDRAWN',
  CONSENT_REVOKED = 'CONSENT_REVOKED',
  CONSENT_WINDOW_EXPIRED = 'CONSENT_WINDOW_EXPIRED',
  CONSENT_LAPSED = 'CONSENT_LAPSED',
  WAITLIST_EXPIRED = 'WAITLIST_EXPIRED',
}

/** The English each code has always been written with (a decline adds its reason, an exit its destination). */
export const REFERRAL_EVENT_PROSE: Readonly<Record<ReferralEventReason, string>> = {
  SUBMITTED: 'submitted',
  CONSENT_RECORDED: 'consent to share needs',
  OFFERED: 'bed held and offered',
  WAITLISTED: 'no fitting bed free; coordinators alerted',
  BED_BECAME_FREE: 'a fitting bed became free',
  OFFER_ACCEPTED: 'offer accepted',
  OFFER_DECLINED: 'declined',
  OFFER_TIMED_OUT: 'the shelter did not answer in time',
  INTAKE_CONFIRMED: 'intake confirmed',
  NO_SHOW_RECORDED: 'no-show',
  HOLD_EXPIRED: 'no-show: the hold expired before intake',
  EXITED: 'exit',
  WITHDRAWN: 'withdrawn by the agency',
  CONSENT_REVOKED: 'consent revoked',
  CONSENT_WINDOW_EXPIRED: 'no consent within the window',
  CONSENT_LAPSED: 'the consent to share needs lapsed',
  WAITLIST_EXPIRED: 'waited longer than its urgency allows',
};

/** A referral event's reason: its code and its prose. */
export interface EventReason {
  code: ReferralEventReason;
  prose: string;
}

/** The reason `code`, with a code-like detail after it in the prose (a decline reason, an exit destination). */
export function because(code: ReferralEventReason, detail?: string): EventReason {
  const prose = REFERRAL_EVENT_PROSE[code];
  return { code, prose: detail ? `${prose}: ${detail}` : prose };
}
