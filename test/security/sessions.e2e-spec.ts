import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import WebSocket from 'ws';
import { TEST_JWT_SECRET } from '../support/app';
import { PASSWORD } from '../support/fixtures';
import { collect, gql, login, wsClient } from '../support/gql';
import { DOC, wsExecute } from '../support/operations';
import { eventually } from '../referrals/harness';
import { createWorld, World } from '../support/world';

/**
 * Sessions end when they should, on HTTP and on every open socket at once: a new password, new regions for a
 * coordinator, a deactivation; a token's expiry closes its socket (4401) instead of letting events stop silently;
 * one user may hold only a few sockets (4429); and a frame larger than 1 MiB closes the socket before it is read.
 */
const WATCH = `subscription($id: ID!) { regionCapacityChanged(regionId: $id) { regionId } }`;
const closeCode = (sub: { error: unknown }) => (sub.error as { code?: number } | undefined)?.code;

describe('sessions that end', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ WS_MAX_SOCKETS_PER_USER: '3', WS_MAX_OPERATIONS_PER_SOCKET: '3' });
  });
  afterAll(() => w.close());

  async function watchCounty(token: string) {
    const client = wsClient(w.api.url, token);
    const sub = collect(client, WATCH, { id: w.regions.countyA });
    // a change in the county proves the subscription is live
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { client, sub };
  }

  it('a new password ends every session: old tokens refused, open sockets closed (4401)', async () => {
    const token = await login(w.api.url, 'staff.b@example.org', PASSWORD);
    const client = wsClient(w.api.url, token);
    const sub = collect(client, DOC.offerUpdated, { shelterId: w.shelters.b });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const changed = await gql(
      w.api.url,
      `mutation($id: ID!) { updateUser(id: $id, input: { password: "a brand new passphrase 2026" }) { id } }`,
      { id: w.users.staffB },
      w.tokens.admin,
    );
    expect(changed.errors).toBeUndefined();
    expect((await gql(w.api.url, `{ me { id } }`, {}, token)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await eventually('the socket to close', async () => closeCode(sub) === 4401, 5000);
    const fresh = await login(w.api.url, 'staff.b@example.org', 'a brand new passphrase 2026');
    expect((await gql(w.api.url, `{ me { id } }`, {}, fresh)).data.me.id).toBe(w.users.staffB);
    await client.dispose();
  });

  it("new regions for a coordinator: his subscription to the county he lost ends, and a new sign-in can't reopen it", async () => {
    await w.fx.user('coord.moves@example.org', 'REGIONAL_COORDINATOR', w.orgs.coordination, [w.regions.countyA]);
    const token = await login(w.api.url, 'coord.moves@example.org', PASSWORD);
    const id = (await gql(w.api.url, `{ me { id } }`, {}, token)).data.me.id;
    const { client, sub } = await watchCounty(token);
    await gql(
      w.api.url,
      `mutation($id: ID!, $r: [ID!]) { updateUser(id: $id, input: { regionIds: $r }) { id } }`,
      { id, r: [w.regions.countyB] },
      w.tokens.admin,
    );
    await eventually('the socket to close', async () => closeCode(sub) === 4401, 5000);
    // what the county does now reaches nobody on that socket
    await gql(w.api.url, DOC.adjustBeds, { input: { poolId: w.pools.a, occupiedDelta: 1 } }, w.tokens.staffA);
    await gql(w.api.url, DOC.adjustBeds, { input: { poolId: w.pools.a, occupiedDelta: -1 } }, w.tokens.staffA);
    expect(sub.events.filter((e) => e.data)).toEqual([]);
    await client.dispose();
    const again = await watchCounty(await login(w.api.url, 'coord.moves@example.org', PASSWORD));
    expect((await again.sub.next(1, 5000)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await again.client.dispose();
  });

  it('deactivation closes the open sockets at once (4401)', async () => {
    await w.fx.user('coord.leaves@example.org', 'REGIONAL_COORDINATOR', w.orgs.coordination, [w.regions.countyA]);
    const token = await login(w.api.url, 'coord.leaves@example.org', PASSWORD);
    const id = (await gql(w.api.url, `{ me { id } }`, {}, token)).data.me.id;
    const { client, sub } = await watchCounty(token);
    await gql(w.api.url, DOC.deactivateUser, { id }, w.tokens.admin);
    await eventually('the socket to close', async () => closeCode(sub) === 4401, 5000);
    await client.dispose();
  });

  it('a token that expires closes its socket (4401), so the client knows to sign in again', async () => {
    const jwt = new JwtService({ secret: createSecretKey(Buffer.from(TEST_JWT_SECRET)) as unknown as string });
    const shortLived = jwt.sign({ sub: w.users.coordinator, ver: 1 }, { expiresIn: 2, algorithm: 'HS256' });
    const { client, sub } = await watchCounty(shortLived);
    expect(closeCode(sub)).toBeUndefined();
    await eventually('the socket to close at expiry', async () => closeCode(sub) === 4401, 6000);
    await client.dispose();
  });

  it('one socket runs at most WS_MAX_OPERATIONS_PER_SOCKET operations at once (here 3): the next is RATE_LIMITED', async () => {
    const client = wsClient(w.api.url, w.tokens.coordinator);
    try {
      // finished operations make room: more queries than the limit, one after another, all run
      for (let i = 0; i < 5; i++) expect((await wsExecute(client, `{ me { id } }`)).errors).toBeUndefined();
      const subs = [1, 2, 3].map(() => collect(client, WATCH, { id: w.regions.countyA }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const fourth = collect(client, WATCH, { id: w.regions.countyA });
      expect((await fourth.next(1, 5000)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      // one ends: there is room again, on the same socket
      subs[0].dispose();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = collect(client, WATCH, { id: w.regions.countyA });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(again.error).toBeUndefined();
      expect(again.events).toEqual([]);
      for (const sub of [...subs, again]) sub.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('one user holds at most WS_MAX_SOCKETS_PER_USER sockets (here 3): the next is closed (4429)', async () => {
    const open = await Promise.all([1, 2, 3].map(() => watchCounty(w.tokens.coordinator)));
    expect(open.map(({ sub }) => closeCode(sub))).toEqual([undefined, undefined, undefined]);
    const fourth = await watchCounty(w.tokens.coordinator);
    await eventually('the fourth socket to close', async () => closeCode(fourth.sub) === 4429, 5000);
    // another user is not affected
    const other = await watchCounty(w.tokens.admin);
    expect(closeCode(other.sub)).toBeUndefined();
    for (const s of [...open, fourth, other]) await s.client.dispose();
    // sockets given back are free again
    const later = await watchCounty(w.tokens.coordinator);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closeCode(later.sub)).toBeUndefined();
    await later.client.dispose();
  });

  it.each([
    ['anonymous', undefined],
    ['signed in', 'coordinator'],
  ] as const)('%s: a frame over 1 MiB closes the socket before it is read (1009)', async (_label, who) => {
    const socket = new WebSocket(`${w.api.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    if (who) {
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: w.tokens[who] } }));
      await new Promise((resolve) => socket.once('message', resolve));
    }
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });
});
