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

/**
 * What each state means beyond its transitions, decided here for every state (a new state does not compile until
 * it is decided). Queries take the sets below as parameters; no state list is written inside SQL.
 */
interface StatePolicy {
  /**
   * A lapsed consent to share needs stops the workflow (→ EXPIRED): no shelter is committed yet. Once one has
   * accepted, the survivor is on the way and the placement goes on (nothing more is shared).
   */
  needsConsentToContinue: boolean;
  /** The shelter of the referral's current offer may read the de-identified needs (while that consent stands). */
  shelterSeesNeeds: boolean;
  /**
   * The shelter that accepted may read the identity, under a consent that names it: while the survivor is on the way
   * and while she lives there; not once she has left (the shelter no longer needs to read it here).
   */
  shelterSeesIdentity: boolean;
}

const POLICY: Readonly<Record<ReferralState, StatePolicy>> = {
  [S.SUBMITTED]: { needsConsentToContinue: false, shelterSeesNeeds: false, shelterSeesIdentity: false },
  [S.AWAITING_CONSENT]: { needsConsentToContinue: false, shelterSeesNeeds: false, shelterSeesIdentity: false },
  [S.MATCHING]: { needsConsentToContinue: true, shelterSeesNeeds: false, shelterSeesIdentity: false },
  [S.OFFERED]: { needsConsentToContinue: true, shelterSeesNeeds: true, shelterSeesIdentity: false },
  [S.ACCEPTED]: { needsConsentToContinue: false, shelterSeesNeeds: true, shelterSeesIdentity: true },
  [S.PLACED]: { needsConsentToContinue: false, shelterSeesNeeds: true, shelterSeesIdentity: true },
  [S.EXITED]: { needsConsentToContinue: false, shelterSeesNeeds: false, shelterSeesIdentity: false },
  [S.WAITLISTED]: { needsConsentToContinue: true, shelterSeesNeeds: false, shelterSeesIdentity: false },
  [S.EXPIRED]: { needsConsentToContinue: false, shelterSeesNeeds: false, shelterSeesIdentity: false },
  [S.WITHDRAWN]: { needsConsentToContinue: false, shelterSeesNeeds: false, shelterSeesIdentity: false },
  [S.CONSENT_REVOKED]: { needsConsentToContinue: false, shelterSeesNeeds: false, shelterSeesIdentity: false },
};

const statesWhere = (test: (state: ReferralState, policy: StatePolicy) => boolean): readonly ReferralState[] =>
  Object.values(S).filter((state) => test(state, POLICY[state]));

/** States in which the workflow is still running: withdrawal and revocation stop it from any of them. */
export const OPEN_STATES = statesWhere((state) => canTransition(state, S.WITHDRAWN));

/** Where a lapsed consent to share needs stops the workflow (ReferralWorkflowService.lapseConsent). */
export const NEEDS_CONSENT_STATES = statesWhere((_, p) => p.needsConsentToContinue);

/** Where the shelter holding the referral's current offer may read its needs profile (consent permitting). */
export const SHELTER_SEES_NEEDS_STATES = statesWhere((_, p) => p.shelterSeesNeeds);

/** Where the shelter that accepted may read the identity (under a consent that names it). */
export const SHELTER_SEES_IDENTITY_STATES = statesWhere((_, p) => p.shelterSeesIdentity);

/** The end of the road: no transition leads on. `closed_at` is set on entry and the purge clock starts. */
export const CLOSED_STATES = statesWhere((state) => TRANSITIONS[state].length === 0);
