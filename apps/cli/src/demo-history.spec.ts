import { seededRandom } from '@shelterlink/common';
import { canTransition, ReferralState } from '@shelterlink/referrals';
import { demoReferrals, HISTORY_DAYS, poolHistory } from './demo-history';

const NOW = new Date('2026-11-28T12:00:00Z');

describe('demo history', () => {
  it("a pool's events chain, stay within what is in service, and end at today's counts", () => {
    const random = seededRandom(7);
    for (const pool of [
      { capacity: 12, occupied: 9, outOfService: 1 },
      { capacity: 1, occupied: 0, outOfService: 0 },
      { capacity: 4, occupied: 4, outOfService: 0 },
    ]) {
      const events = poolHistory(pool, NOW, random);
      expect(events[0].before).toBeNull();
      expect(events[0].at.getTime()).toBe(NOW.getTime() - HISTORY_DAYS * 86_400_000);
      for (let i = 1; i < events.length; i += 1) {
        expect(events[i].before).toEqual(events[i - 1].after);
        expect(events[i].at.getTime()).toBeGreaterThan(events[i - 1].at.getTime());
      }
      for (const e of events) {
        const [capacity, occupied, held, outOfService] = e.after;
        expect(occupied + held + outOfService).toBeLessThanOrEqual(capacity);
        expect(occupied).toBeGreaterThanOrEqual(0);
      }
      expect(events.at(-1)!.after).toEqual([pool.capacity, pool.occupied, 0, pool.outOfService]);
      expect(events.at(-1)!.at.getTime()).toBeLessThan(NOW.getTime());
    }
  });

  it('referrals are closed, in the past, through allowed transitions in time order, and the same every time', () => {
    const referrals = demoReferrals(NOW, 60);
    expect(demoReferrals(NOW, 60)).toEqual(referrals);
    const outcomes = new Set(referrals.map((r) => r.outcome));
    expect(outcomes).toEqual(new Set(['EXITED', 'EXPIRED', 'WITHDRAWN']));
    for (const r of referrals) {
      let state = ReferralState.SUBMITTED;
      let at = r.submittedAt.getTime();
      for (const [from, to, when] of r.events) {
        expect(from).toBe(state);
        expect(canTransition(from as ReferralState, to as ReferralState)).toBe(true);
        expect(when.getTime()).toBeGreaterThanOrEqual(at);
        state = to as ReferralState;
        at = when.getTime();
      }
      expect(state).toBe(r.outcome);
      expect(r.closedAt.getTime()).toBe(at);
      expect(at).toBeLessThan(NOW.getTime());
      expect(r.submittedAt.getTime()).toBeGreaterThan(NOW.getTime() - HISTORY_DAYS * 86_400_000);
      // waitlisted ones say why; placed ones had an accepted offer
      if (r.outcome === 'EXITED') expect(r.offers.at(-1)?.status).toBe('ACCEPTED');
      else expect(r.exclusions).not.toBeNull();
    }
  });
});
