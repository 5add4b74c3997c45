import { ChildProcess } from 'node:child_process';
import { freePort, RunningApi, spawnApi } from '../support/app';
import { collect, gql, login, wsClient } from '../support/gql';
import { createWorld, World } from '../support/world';

const SUBSCRIBE = `subscription($regionId: ID!) {
  bedAvailabilityChanged(regionId: $regionId) { shelterId poolId bedType capacity occupied available version availabilityVerifiedAt }
}`;
const ADJUST = `mutation($input: AdjustBedsInput!) { adjustBeds(input: $input) { version } }`;

describe('bedAvailabilityChanged across two API processes', () => {
  let w: World;
  let second: RunningApi & { child: ChildProcess };

  beforeAll(async () => {
    w = await createWorld();
    // a second, separate API process on the same database and Redis
    second = await spawnApi(w.env, await freePort());
  });
  afterAll(async () => {
    await second.close();
    await w.close();
  });

  it('an update made through one process reaches a subscriber of the other, and back', async () => {
    // the county's coordinator: one who sees the breakdown (visibility.e2e-spec covers who does not)
    const token = await login(second.url, 'coordinator@example.org', 'correct horse battery staple');
    const onSecond = wsClient(second.url, token);
    const onFirst = wsClient(w.api.url, w.tokens.admin);
    const countyWatcher = collect(onSecond, SUBSCRIBE, { regionId: w.regions.countyA });
    const stateWatcher = collect(onFirst, SUBSCRIBE, { regionId: w.regions.state });
    const otherCounty = collect(onFirst, SUBSCRIBE, { regionId: w.regions.countyB });
    await new Promise((r) => setTimeout(r, 500)); // let both subscriptions reach Redis

    // change made through the first (in-jest) process
    const first = await gql(w.api.url, ADJUST, { input: { poolId: w.pools.a, occupiedDelta: 3 } }, w.tokens.staffA);
    expect(first.errors).toBeUndefined();
    const event = await countyWatcher.next(1);
    expect(event.data.bedAvailabilityChanged).toMatchObject({
      shelterId: w.shelters.a,
      poolId: w.pools.a,
      bedType: 'SINGLE',
      capacity: 10,
      occupied: 3,
      available: 7,
      version: 2,
    });
    expect(typeof event.data.bedAvailabilityChanged.availabilityVerifiedAt).toBe('string');
    // the state-wide subscriber (an ancestor region) hears the county's change too
    expect((await stateWatcher.next(1)).data.bedAvailabilityChanged.version).toBe(2);

    // change made through the second (child) process reaches the first
    const staffOnSecond = await login(second.url, 'staff.a@example.org', 'correct horse battery staple');
    await gql(second.url, ADJUST, { input: { poolId: w.pools.a, occupiedDelta: -1 } }, staffOnSecond);
    expect((await stateWatcher.next(2)).data.bedAvailabilityChanged).toMatchObject({ occupied: 2, version: 3 });
    expect((await countyWatcher.next(2)).data.bedAvailabilityChanged.version).toBe(3);

    // nothing about county A reaches a county B subscriber
    expect(otherCounty.events).toHaveLength(0);
    for (const s of [countyWatcher, stateWatcher, otherCounty]) s.dispose();
    await onFirst.dispose();
    await onSecond.dispose();
  });

  it('refuses a socket without a valid token', async () => {
    const anonymous = wsClient(w.api.url);
    const sub = collect(anonymous, SUBSCRIBE, { regionId: w.regions.countyA });
    await expect(sub.next(1, 3000)).rejects.toThrow(/subscription ended/);
    expect(sub.events).toHaveLength(0);
    await anonymous.dispose();

    const forged = wsClient(w.api.url, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA');
    const sub2 = collect(forged, SUBSCRIBE, { regionId: w.regions.countyA });
    await expect(sub2.next(1, 3000)).rejects.toThrow(/subscription ended/);
    await forged.dispose();
  });

  it('a coordinator cannot watch a region outside their scope: NOT_FOUND', async () => {
    const client = wsClient(w.api.url, w.tokens.coordinator);
    const sub = collect(client, SUBSCRIBE, { regionId: w.regions.countyB });
    const result = await sub.next(1, 3000).catch(() => undefined);
    const errors = (result?.errors ?? (sub.error as any[])) as { extensions?: { code?: string } }[];
    expect(errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await client.dispose();
  });
});
