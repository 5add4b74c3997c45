import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  assertTransition,
  canTransition,
  CLOSED_STATES,
  NEEDS_CONSENT_STATES,
  OPEN_STATES,
  ReferralState as S,
  SHELTER_SEES_IDENTITY_STATES,
  SHELTER_SEES_NEEDS_STATES,
  TRANSITIONS,
} from './referral-state';

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

describe('state sets, defined once beside the transitions', () => {
  it('say which states let a shelter see needs or identity, which are open, closed, or need consent to go on', () => {
    expect(SHELTER_SEES_NEEDS_STATES).toEqual([S.OFFERED, S.ACCEPTED, S.PLACED]);
    expect(SHELTER_SEES_IDENTITY_STATES).toEqual([S.ACCEPTED, S.PLACED]);
    expect(CLOSED_STATES).toEqual([S.EXITED, S.EXPIRED, S.WITHDRAWN, S.CONSENT_REVOKED]);
    expect(OPEN_STATES).toEqual([S.AWAITING_CONSENT, S.MATCHING, S.OFFERED, S.ACCEPTED, S.WAITLISTED]);
    expect(NEEDS_CONSENT_STATES).toEqual([S.MATCHING, S.OFFERED, S.WAITLISTED]);
  });

  it('no library writes a referral state into SQL text: sets and states are passed as parameters', () => {
    const libs = path.resolve(__dirname, '../..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) {
          if (name !== 'migrations' && name !== 'node_modules') walk(full);
        } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) files.push(full);
      }
    };
    walk(libs);
    // where the vocabulary itself is defined (offer statuses and event reasons share some words with the states)
    const vocabulary = ['referral-state.ts', 'offer-vocabulary.ts', 'referral-event-reason.ts'];
    const quoted = new RegExp(`'(${Object.values(S).join('|')})'`);
    const offending = files
      .filter((file) => !vocabulary.includes(path.basename(file)))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ at: `${path.relative(libs, file)}:${i + 1}`, line: line.trim() }))
          .filter(({ line }) => quoted.test(line)),
      );
    expect(offending).toEqual([]);
  });
});
