import { Queue } from 'bullmq';
import type { INestApplication } from '@nestjs/common';
import { NotificationsService } from '@shelterlink/monitoring';
import { collect, errorCode, gql, wsClient } from '../support/gql';
import { createWorld, World } from '../support/world';
import { eventually, referralsQueue, shutDown, startReadyWorker, Worker, WORKFLOW_ENV } from '../referrals/harness';

const LIST = `query($unread: Boolean) {
  notifications(unreadOnly: $unread) { id shelterId kind aboutVerifiedAt message readAt }
}`;
const MARK = `mutation($id: ID!) { markNotificationRead(id: $id) { id readAt } }`;
const WATCH = `subscription { notificationReceived { shelterId kind aboutVerifiedAt message } }`;
const MINUTE = 60_000;

/**
 * The repeatable stale-count job, with the real worker running it every 300 ms and a stale window of an hour:
 * shelter A's counts are 90 minutes old (stale), B's 10 minutes (fresh), A's public shelter is stale but paused.
 */
describe('stale-count reminders', () => {
  let w: World;
  let queue: Queue;
  let worker: Worker;
  const staleCount = () => w.fx.count('notification', `kind = 'STALE_COUNTS'`).then((n) => n);

  beforeAll(async () => {
    w = await createWorld({ ...WORKFLOW_ENV, STALE_AFTER_MINUTES: '60', STALE_REMINDER_INTERVAL_MS: '300' });
    const verifiedAgo = (id: string, minutes: number) =>
      w.fx.pg.query(`UPDATE shelter SET availability_verified_at = now() - make_interval(mins => $2) WHERE id = $1`, [
        id,
        minutes,
      ]);
    await verifiedAgo(w.shelters.a, 90);
    await verifiedAgo(w.shelters.b, 10);
    await verifiedAgo(w.shelters.aPublic, 300);
    await w.fx.pg.query(`UPDATE shelter SET status = 'PAUSED' WHERE id = $1`, [w.shelters.aPublic]);
    queue = referralsQueue(w);
  });
  afterAll(() => shutDown(w, queue, worker));

  it('the job reminds exactly the stale active shelters, live to their own staff, once per window', async () => {
    const staffA = wsClient(w.api.url, w.tokens.staffA);
    const staffB = wsClient(w.api.url, w.tokens.staffB);
    const watchA = collect(staffA, WATCH, {});
    const watchB = collect(staffB, WATCH, {});
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the subscriptions reach Redis
    worker = await startReadyWorker(w, queue);

    const event = await watchA.next(1);
    expect(event.data.notificationReceived).toMatchObject({ shelterId: w.shelters.a, kind: 'STALE_COUNTS' });
    expect(event.data.notificationReceived.message).toMatch(/were last verified .*please confirm or update them/);
    // what the app words the reminder from, in its own language: the kind, the shelter and when it was verified
    const verified = await w.fx.one<{ at: Date }>(`SELECT availability_verified_at AS at FROM shelter WHERE id = $1`, [
      w.shelters.a,
    ]);
    expect(new Date(event.data.notificationReceived.aboutVerifiedAt)).toEqual(verified.at);
    // several more runs of the job (every 300 ms) in the same window remind no one again
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await staleCount()).toBe(1);
    expect(watchA.events).toHaveLength(1);
    expect(watchB.events).toHaveLength(0);
    const listA = await gql(w.api.url, LIST, {}, w.tokens.staffA);
    expect(listA.data.notifications.map((n: { shelterId: string }) => n.shelterId)).toEqual([w.shelters.a]);
    expect(listA.data.notifications[0]).toMatchObject({ kind: 'STALE_COUNTS', aboutVerifiedAt: expect.any(String) });
    const listB = await gql(w.api.url, LIST, {}, w.tokens.staffB);
    expect(listB.data.notifications).toEqual([]);
    await staffA.dispose();
    await staffB.dispose();
  });

  it('a further window reminds again; a shelter that went stale since is reminded for the first time', async () => {
    const app = (w.api as { app?: INestApplication }).app!;
    const service = app.get(NotificationsService);
    // an hour later: A is in its second stale window, B (then 70 minutes old) in its first
    const created = await service.remindStale(new Date(Date.now() + 60 * MINUTE));
    expect(created.map((n) => n.shelterId).sort()).toEqual([w.shelters.a, w.shelters.b].sort());
    expect(await service.remindStale(new Date(Date.now() + 61 * MINUTE))).toEqual([]);
    await eventually('the worker to have made no other reminder', async () => (await staleCount()) === 3);
  });

  it('staff mark their own notifications read; another provider does not find them; other roles are refused', async () => {
    const [first] = (await gql(w.api.url, LIST, {}, w.tokens.staffA)).data.notifications;
    expect(errorCode(await gql(w.api.url, MARK, { id: first.id }, w.tokens.staffB))).toBe('NOT_FOUND');
    const marked = await gql(w.api.url, MARK, { id: first.id }, w.tokens.staffA);
    expect(marked.data.markNotificationRead.readAt).toEqual(expect.any(String));
    const unread = await gql(w.api.url, LIST, { unread: true }, w.tokens.staffA);
    expect(unread.data.notifications.map((n: { id: string }) => n.id)).not.toContain(first.id);
    for (const token of [w.tokens.advocate, w.tokens.coordinator, w.tokens.admin]) {
      expect(errorCode(await gql(w.api.url, LIST, {}, token))).toBe('FORBIDDEN');
      expect(errorCode(await gql(w.api.url, MARK, { id: first.id }, token))).toBe('FORBIDDEN');
    }
    expect(errorCode(await gql(w.api.url, MARK, { id: 'not-an-id' }, w.tokens.staffA))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(w.api.url, `query { notifications(first: 500) { id } }`, {}, w.tokens.staffA))).toBe(
      'BAD_USER_INPUT',
    );
  });
});
