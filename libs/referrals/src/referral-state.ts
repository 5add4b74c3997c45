import { DomainError } from '@shelterlink/common';

export enum ReferralState {
  SUBMITTED = 'SUBMITTED',
  AWAITING_CONSENT = 'AWAITING_CONSENT',
  MATCHING = 'MATCHING',
  OFFERED = 'OFFERED',
  ACCEPTED = 'ACCEPTED',
  PLACED = 'PLACED',
  EXITED = 'EXITED',
  WAITLISTED = 'WAITLISTED',
  EXPIRED = 'EXPIRED',
  WITHDRAWN = 'WITHDRAWN',
  CONSENT_REVOKED = 'CONSENT_REVOKED',
}

const S = ReferralState;

/** States in which the workflow is still running: withdrawal and revocation stop it from any of them. */
export const OPEN_STATES: readonly ReferralState[] = [
  S.AWAITING_CONSENT,
  S.MATCHING,
  S.OFFERED,
  S.ACCEPTED,
  S.WAITLISTED,
];

/**
 * Where a lapsed consent to share needs stops the workflow (→ EXPIRED): a shelter was not yet committed. Once a
 * shelter has accepted, the survivor is on the way and the placement goes on (nothing more is shared).
 */
export const NEEDS_CONSENT_STATES: readonly ReferralState[] = [S.MATCHING, S.OFFERED, S.WAITLISTED];

/**
 * Every allowed transition, in one place. `applyTransition` checks this table and enforces it again with
 * `UPDATE … WHERE state = <from>`, so two racing steps cannot both move the same referral.
 */
export const TRANSITIONS: Readonly<Record<ReferralState, readonly ReferralState[]>> = {
  [S.SUBMITTED]: [S.AWAITING_CONSENT],
  [S.AWAITING_CONSENT]: [S.MATCHING, S.EXPIRED, S.WITHDRAWN, S.CONSENT_REVOKED],
  [S.MATCHING]: [S.OFFERED, S.WAITLISTED, S.EXPIRED, S.WITHDRAWN, S.CONSENT_REVOKED],
  [S.OFFERED]: [S.ACCEPTED, S.MATCHING, S.EXPIRED, S.WITHDRAWN, S.CONSENT_REVOKED],
  [S.ACCEPTED]: [S.PLACED, S.MATCHING, S.WITHDRAWN, S.CONSENT_REVOKED],
  [S.WAITLISTED]: [S.MATCHING, S.EXPIRED, S.WITHDRAWN, S.CONSENT_REVOKED],
  [S.PLACED]: [S.EXITED],
  [S.EXITED]: [],
  [S.EXPIRED]: [],
  [S.WITHDRAWN]: [],
  [S.CONSENT_REVOKED]: [],
};

export function canTransition(from: ReferralState, to: ReferralState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function invalidTransition(from: ReferralState, to: ReferralState): DomainError {
  return new DomainError('INVALID_TRANSITION', `A referral that is ${from} cannot become ${to}`, { state: from });
}

export function assertTransition(from: ReferralState, to: ReferralState): void {
  if (!canTransition(from, to)) throw invalidTransition(from, to);
}

export function isClosed(state: ReferralState): boolean {
  return TRANSITIONS[state].length === 0 || state === S.PLACED;
}
