import { assertTransition, canTransition, OPEN_STATES, ReferralState as S, TRANSITIONS } from './referral-state';

describe('referral transitions', () => {
  it('follows the workflow of PRODUCT.md', () => {
    const path = [S.SUBMITTED, S.AWAITING_CONSENT, S.MATCHING, S.OFFERED, S.ACCEPTED, S.PLACED, S.EXITED];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i])).toBe(true);
    expect(canTransition(S.OFFERED, S.MATCHING)).toBe(true); // declined or timed out
    expect(canTransition(S.ACCEPTED, S.MATCHING)).toBe(true); // no-show
    expect(canTransition(S.MATCHING, S.WAITLISTED)).toBe(true);
    expect(canTransition(S.WAITLISTED, S.MATCHING)).toBe(true);
    expect(canTransition(S.AWAITING_CONSENT, S.EXPIRED)).toBe(true);
  });

  it('lets withdrawal and revocation stop every open state, and nothing else', () => {
    for (const state of Object.values(S)) {
      const open = OPEN_STATES.includes(state);
      expect(canTransition(state, S.WITHDRAWN)).toBe(open);
      expect(canTransition(state, S.CONSENT_REVOKED)).toBe(open);
    }
  });

  it('refuses skipping steps and leaving a closed state, with a stable code', () => {
    expect(() => assertTransition(S.AWAITING_CONSENT, S.OFFERED)).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
    expect(() => assertTransition(S.PLACED, S.PLACED)).toThrow(expect.objectContaining({ code: 'INVALID_TRANSITION' }));
    for (const closed of [S.EXITED, S.EXPIRED, S.WITHDRAWN, S.CONSENT_REVOKED]) expect(TRANSITIONS[closed]).toEqual([]);
  });
});
