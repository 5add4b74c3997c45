import { Queue } from 'bullmq';
import { parse } from 'csv-parse/sync';
import { Gender } from '@shelterlink/shelters';
import { collect, gql, wsClient } from '../support/gql';
import { consent, NEEDS, submit } from '../support/referrals';
import { DOC, lastWeek } from '../support/operations';
import { createWorld, World } from '../support/world';
import {
  cleanUpAfterTest,
  eventually,
  referralsQueue,
  shutDown,
  startReadyWorker,
  waitForDbState,
  Worker,
  WORKFLOW_ENV,
} from '../referrals/harness';

/**
 * What coordinators read must say what really happened, worked out by hand on a small county (A):
 * - "Youth Haven" is paused: its free beds count apart (`availableAtPausedShelters`), never as available, in
 *   `regionCapacity`, the capacity CSV and the public directory alike;
 * - a wheelchair user waitlisted there was blocked by the one accessible pool being full ("Access House" fails on
 *   that alone), not by the paused youth shelter nearby (which fails on two rules: age and paused) nor by the
 *   world's ordinary shelters (no accessible building, no accessible bed): the unmet-need report says so.
 *
 * County A, near the survivor: Harbor House North (world: 10 single beds, not accessible), Harbor Open Door
 * (world: no pools), Youth Haven (paused, ages 14–20, accessible, 3 of 3 accessible beds free), Access House
 * (adults, accessible, 2 accessible beds, both occupied).
 */
describe('paused beds apart, and what blocked a waitlisted referral', () => {
  let w: World;
  let queue: Queue;
  let worker: Worker;
  let youth: string;

  beforeAll(async () => {
    w = await createWorld({ ...WORKFLOW_ENV, SMALL_CELL_K: '2' });
    youth = await w.fx.shelter(w.orgs.providerA, w.regions.countyA, {
      name: 'Youth Haven',
      status: 'PAUSED',
      elig: { genders: Object.values(Gender), minAge: 14, maxAge: 20, wheelchairAccessible: true },
    });
    await w.fx.pool(youth, 'ACCESSIBLE', 3);
    const access = await w.fx.shelter(w.orgs.providerB, w.regions.countyA, {
      name: 'Access House',
      elig: { wheelchairAccessible: true },
    });
    await w.fx.pool(access, 'ACCESSIBLE', 2, { occupied: 2 });
    queue = referralsQueue(w);
    worker = await startReadyWorker(w, queue);
  });
  afterEach(() => cleanUpAfterTest(w, queue));
  afterAll(() => shutDown(w, queue, worker));

  it('regionCapacity: the paused shelter’s 3 free accessible beds are apart, not available', async () => {
    const r = await gql(
      w.api.url,
      `query($id: ID!) { regionCapacity(regionId: $id) {
         byType { bedType available availableAtPausedShelters } beds { available availableAtPausedShelters }
         pausedShelters } }`,
      { id: w.regions.countyA },
      w.tokens.coordinator,
    );
    expect(r.errors).toBeUndefined();
    const accessible = r.data.regionCapacity.byType.find((t: { bedType: string }) => t.bedType === 'ACCESSIBLE');
    expect(accessible).toEqual({ bedType: 'ACCESSIBLE', available: 0, availableAtPausedShelters: 3 });
    // Harbor House North's 10 single beds are the only ones anybody can be placed in
    expect(r.data.regionCapacity.beds).toEqual({ available: 10, availableAtPausedShelters: 3 });
    expect(r.data.regionCapacity.pausedShelters).toBe(1);
  });

  it('the capacity CSV and the public directory show the paused shelter with nothing available', async () => {
    const get = async (path: string) =>
      (
        await fetch(`${w.api.url}/exports/${path}`, { headers: { authorization: `Bearer ${w.tokens.coordinator}` } })
      ).text();
    const rows: Record<string, string>[] = parse(await get(`capacity.csv?regionId=${w.regions.countyA}`), {
      columns: true,
    });
    expect(rows.find((row) => row.shelter_name === 'Youth Haven')).toMatchObject({
      shelter_status: 'PAUSED',
      available: '0',
      available_at_paused_shelter: '3',
    });
    expect(rows.find((row) => row.shelter_name === 'Harbor House North')).toMatchObject({
      available: '10',
      available_at_paused_shelter: '0',
    });
    const directory = JSON.parse(await get(`directory.hsds.json?regionId=${w.regions.countyA}`));
    const service = directory.contents.find((s: { id: string }) => s.id === youth);
    expect(service.capacities).toEqual([expect.objectContaining({ available: 0, maximum: 3 })]);
  });

  it('unmet need names the full accessible pool, not the paused youth shelter; with no near miss, every reason', async () => {
    const socket = wsClient(w.api.url, w.tokens.coordinator);
    const alerts = collect(socket, `subscription($r: ID!) { waitlistAlert(regionId: $r) { blockedBy } }`, {
      r: w.regions.countyA,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const wheelchair = { ...NEEDS, wheelchairUser: true };
    const waitlisted: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await submit(w, wheelchair);
      await consent(w, r.id);
      waitlisted.push(r.id);
    }
    // a man using a wheelchair: every shelter fails him on two rules or more, so no reason stands alone
    const man = await submit(w, { ...wheelchair, gender: 'MAN' });
    await consent(w, man.id);
    for (const id of [...waitlisted, man.id]) await waitForDbState(w, id, 'WAITLISTED');

    // what the matching recorded: every reason counted, and what blocked
    const kept = await w.fx.pg.query<{ id: string; last_exclusions: Record<string, number>; blocked_by: string[] }>(
      `SELECT id, last_exclusions, blocked_by FROM referral WHERE id = ANY ($1::uuid[])`,
      [[...waitlisted, man.id]],
    );
    for (const row of kept.rows.filter((k) => k.id !== man.id)) {
      expect(Object.keys(row.last_exclusions).sort()).toEqual([
        'AGE',
        'NOT_WHEELCHAIR_ACCESSIBLE',
        'NO_ACCESSIBLE_BED',
        'NO_AVAILABLE_BED',
        'PAUSED',
      ]);
      expect(row.blocked_by).toEqual(['NO_AVAILABLE_BED']);
    }
    const forMan = kept.rows.find((k) => k.id === man.id)!;
    expect(forMan.blocked_by).toEqual(Object.keys(forMan.last_exclusions).sort());
    expect(forMan.blocked_by).toEqual(
      expect.arrayContaining(['AGE', 'GENDER', 'NO_AVAILABLE_BED', 'NOT_WHEELCHAIR_ACCESSIBLE', 'PAUSED']),
    );

    const need = await gql(
      w.api.url,
      DOC.unmetNeed,
      { id: w.regions.countyA, period: lastWeek() },
      w.tokens.coordinator,
    );
    expect(need.errors).toBeUndefined();
    const counted = Object.fromEntries(
      need.data.unmetNeed.reasons.map((r: { label: string; referrals: { value: number | null } }) => [
        r.label,
        r.referrals.value,
      ]),
    );
    // three wheelchair users and the man needed a free bed; only the man's other reasons appear, each once (< k)
    expect(counted['needs a free bed']).toBe(4);
    expect(counted['needs a shelter serving their age']).toBeNull();
    expect(counted['needs a shelter that was not paused']).toBeNull();
    expect(need.data.unmetNeed.referrals.value).toBe(4);

    // coordinators were alerted with the same reasons, live
    await alerts.next(4, 5000);
    const blocked = alerts.events.map((e) => e.data.waitlistAlert.blockedBy);
    expect(blocked.filter((b) => b.join() === 'NO_AVAILABLE_BED')).toHaveLength(3);
    alerts.dispose();
    await socket.dispose();
  });

  it('pausing and resuming is heard live, and a resumed shelter takes a waitlisted referral it fits', async () => {
    const socket = wsClient(w.api.url, w.tokens.coordinator);
    const live = collect(
      socket,
      `subscription($r: ID!) { regionCapacityChanged(regionId: $r) { beds { available availableAtPausedShelters } } }`,
      { r: w.regions.countyA },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    // a 19-year-old wheelchair user: only Youth Haven would serve her, and it is paused
    const r = await submit(w, { ...NEEDS, age: 19, wheelchairUser: true });
    await consent(w, r.id);
    await waitForDbState(w, r.id, 'WAITLISTED');
    const setStatus = (status: string) =>
      gql(
        w.api.url,
        `mutation($id: ID!, $s: ShelterStatus!) { updateShelter(id: $id, input: { status: $s }) { status } }`,
        { id: youth, s: status },
        w.tokens.staffA,
      );
    expect((await setStatus('ACTIVE')).data.updateShelter).toEqual({ status: 'ACTIVE' });
    const resumed = await live.next(1, 5000);
    expect(resumed.data.regionCapacityChanged.beds.availableAtPausedShelters).toBe(0);
    await waitForDbState(w, r.id, 'OFFERED');
    const offer = await w.fx.one(`SELECT shelter_id FROM offer WHERE referral_id = $1 AND closed_at IS NULL`, [r.id]);
    expect(offer).toEqual({ shelter_id: youth });
    // paused again (the hold of this referral's offer keeps one of its beds): its two other free beds count apart
    await gql(w.api.url, DOC.withdrawReferral, { referralId: r.id }, w.tokens.advocate);
    expect((await setStatus('PAUSED')).data.updateShelter).toEqual({ status: 'PAUSED' });
    await eventually('the pause to be heard', async () =>
      live.events.some((e) => e.data?.regionCapacityChanged.beds.availableAtPausedShelters === 3),
    );
    live.dispose();
    await socket.dispose();
  });
});
