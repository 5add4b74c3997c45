import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { consent, NEEDS, submit } from '../support/referrals';
import { createWorld, World } from '../support/world';
import {
  accept,
  cleanUpAfterTest,
  eventually,
  openOffer,
  referralsQueue,
  shutDown,
  startReadyWorker,
  waitForDbState,
  Worker,
  WORKFLOW_ENV,
} from './harness';

/**
 * One clock: a worker whose own clock is wrong (15 s behind, or ahead) sets every deadline by the database's clock,
 * as the API and the sweeper judge them. A shelter "minute" is 300 ms here, so 20 minutes to answer are 6 s.
 */
const SKEW_MS = 15_000;

/** A preload for the worker process that moves its clock (`Date`, `Date.now()`) by CLOCK_SKEW_MS. */
function skewedClockPreload(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'shelterlink-clock-')), 'skew.js');
  writeFileSync(
    file,
    `const skew = Number(process.env.CLOCK_SKEW_MS);
const Real = Date;
const now = () => Real.now() + skew;
class Skewed extends Real {
  constructor(...args) { if (args.length === 0) super(now()); else super(...args); }
  static now() { return now(); }
}
globalThis.Date = Skewed;
`,
  );
  return file;
}

describe.each([
  ['behind', -SKEW_MS],
  ['ahead of', SKEW_MS],
])("a worker whose clock is 15 s %s the database's", (_label, skew) => {
  let w: World;
  let queue: Queue;
  let worker: Worker;
  const dbNow = async () => (await w.fx.one<{ now: Date }>(`SELECT clock_timestamp() AS now`)).now.getTime();

  beforeAll(async () => {
    w = await createWorld({ ...WORKFLOW_ENV });
    queue = referralsQueue(w);
    worker = await startReadyWorker(w, queue, {
      NODE_OPTIONS: `--require ${skewedClockPreload()}`,
      CLOCK_SKEW_MS: String(skew),
    });
  });
  beforeEach(async () => {
    await w.fx.pg.query(`UPDATE shelter SET response_minutes = 20, hold_minutes = 600, status = 'ACTIVE'`);
  });
  afterEach(() => cleanUpAfterTest(w, queue));
  afterAll(() => shutDown(w, queue, worker));

  it("an offer gets the shelter's whole response time by the database's clock, and staff can accept it", async () => {
    const r = await submit(w, NEEDS);
    await consent(w, r.id);
    await waitForDbState(w, r.id, 'OFFERED');
    const offer = (await openOffer(w, r.id))!;
    const row = await w.fx.one<{ offered_at: Date; respond_by: Date; expires_at: Date }>(
      `SELECT o.offered_at, o.respond_by, h.expires_at FROM offer o JOIN bed_hold h ON h.id = o.bed_hold_id
        WHERE o.id = $1`,
      [offer.id],
    );
    // 20 shelter minutes = 6 s from when the offer was made, by the database's clock
    const given = row.respond_by.getTime() - row.offered_at.getTime();
    expect(given).toBeGreaterThan(5_900);
    expect(given).toBeLessThan(6_100);
    expect(row.expires_at.getTime()).toBe(row.respond_by.getTime());
    expect(row.respond_by.getTime()).toBeGreaterThan(await dbNow());
    const answered = await accept(w, w.tokens.staffA, offer.id);
    expect(answered.errors).toBeUndefined();
    expect(answered.data.respondToOffer.status).toBe('ACCEPTED');
  });

  it('an offer nobody answers times out when its time is up by the database, not before', async () => {
    const r = await submit(w, NEEDS);
    await consent(w, r.id);
    await waitForDbState(w, r.id, 'OFFERED');
    const offer = (await openOffer(w, r.id))!;
    const { respond_by: respondBy } = await w.fx.one<{ respond_by: Date }>(
      `SELECT respond_by FROM offer WHERE id = $1`,
      [offer.id],
    );
    const closed = await eventually(
      'the offer to time out',
      async () => {
        const o = await w.fx.one<{ status: string; closed_at: Date | null }>(
          `SELECT status, closed_at FROM offer WHERE id = $1`,
          [offer.id],
        );
        return o.status === 'OPEN' ? undefined : o;
      },
      20_000,
    );
    expect(closed.status).toBe('TIMED_OUT');
    expect(closed.closed_at!.getTime()).toBeGreaterThanOrEqual(respondBy.getTime());
  });

  it('a waitlisted referral is kept for its whole waiting time by the database, and the consent window too', async () => {
    await w.fx.pg.query(`UPDATE shelter SET status = 'PAUSED'`);
    const r = await submit(w, NEEDS);
    const { consent_deadline: consentDeadline, submitted_at: submittedAt } = await w.fx.one<{
      consent_deadline: Date;
      submitted_at: Date;
    }>(`SELECT consent_deadline, submitted_at FROM referral WHERE id = $1`, [r.id]);
    expect(consentDeadline.getTime() - submittedAt.getTime()).toBeGreaterThan(2_900);
    expect(consentDeadline.getTime() - submittedAt.getTime()).toBeLessThan(3_100);
    await consent(w, r.id);
    await waitForDbState(w, r.id, 'WAITLISTED');
    const { waitlist_deadline: deadline, updated_at: waitlistedAt } = await w.fx.one<{
      waitlist_deadline: Date;
      updated_at: Date;
    }>(`SELECT waitlist_deadline, updated_at FROM referral WHERE id = $1`, [r.id]);
    // WAITLIST_TONIGHT_SECONDS is 60 here
    expect(deadline.getTime() - waitlistedAt.getTime()).toBeGreaterThan(59_000);
    expect(deadline.getTime() - waitlistedAt.getTime()).toBeLessThan(61_000);
  });
});
