import { REFERRAL_EVENT_PROSE_CODES } from '../../database/src/migrations/1765500000000-event-codes';
import { because, REFERRAL_EVENT_PROSE, ReferralEventReason } from './referral-event-reason';

describe('referral event reasons', () => {
  it('each code has prose of its own', () => {
    const prose = Object.values(REFERRAL_EVENT_PROSE);
    expect(new Set(prose).size).toBe(prose.length);
    expect(Object.keys(REFERRAL_EVENT_PROSE).sort()).toEqual(Object.values(ReferralEventReason).sort());
  });

  it("the migration's backfill knows every code by the prose the workflow writes (details after a colon)", () => {
    const backfill = (text: string) =>
      REFERRAL_EVENT_PROSE_CODES.find((p) => (p.prefix ? text.startsWith(`${p.prose}: `) : text === p.prose))?.code;
    for (const code of Object.values(ReferralEventReason)) {
      expect(backfill(because(code).prose) ?? backfill(`${because(code).prose}: x`)).toBe(code);
    }
    expect(backfill(because(ReferralEventReason.OFFER_DECLINED, 'NO_BED').prose)).toBe('OFFER_DECLINED');
    expect(backfill(because(ReferralEventReason.EXITED, 'FAMILY').prose)).toBe('EXITED');
    // the backfill tries prose in order: a reason that begins like another is listed before it or is exact
    expect(backfill(because(ReferralEventReason.HOLD_EXPIRED).prose)).toBe('HOLD_EXPIRED');
  });

  it('keeps the English clients read until now', () => {
    expect(because(ReferralEventReason.OFFER_DECLINED, 'NO_BED').prose).toBe('declined: NO_BED');
    expect(because(ReferralEventReason.EXITED, 'PERMANENT_HOUSING').prose).toBe('exit: PERMANENT_HOUSING');
    expect(because(ReferralEventReason.WITHDRAWN).prose).toBe('withdrawn by the agency');
  });
});
