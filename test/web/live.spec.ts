// Live updates when the socket drops: the app reconnects by itself and refetches what it shows, so a change made
// while it was away is on the screen without a reload (the server's 1012, "events may have been missed", or a
// network loss look the same to the app).
import type { Locator, WebSocketRoute } from '@playwright/test';
import { expect, signedInPage, test } from './fixtures';
import { adjust, newShelter, staffWorld, type StaffWorld } from './staff-support';

/**
 * Changes through the API, one at a time, until one shows live on the page (the first may come before the server
 * has registered the subscription); the occupied count shown at the end.
 */
async function changeUntilLive(w: StaffWorld, poolId: string, occupied: Locator, shownBefore: number): Promise<number> {
  let shown = shownBefore;
  await expect(async () => {
    await adjust(w, poolId, 1);
    shown += 1;
    await expect(occupied).toContainText(String(shown), { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  return shown;
}

test('a dropped socket reconnects and refetches: a change made meanwhile appears without a reload', async ({
  browser,
}) => {
  const w = await staffWorld();
  const shelter = await newShelter(w, { SINGLE: 5 });
  const sockets: WebSocketRoute[] = [];
  const page = await signedInPage(browser, w, { viewport: { width: 390, height: 844 } });
  await page.context().routeWebSocket(/\/graphql$/, (socket) => {
    sockets.push(socket);
    socket.connectToServer();
  });
  await page.goto('/app/staff');
  const pool = page.getByRole('region', { name: shelter.name }).getByRole('group', { name: 'Single bed', exact: true });
  await expect(pool.getByRole('group', { name: 'Occupied' })).toContainText('0');
  // live works: a change through the API arrives without a reload
  const occupied = pool.getByRole('group', { name: 'Occupied' });
  let shown = await changeUntilLive(w, shelter.pools.SINGLE, occupied, 0);
  const socketsBefore = sockets.length;
  expect(socketsBefore).toBeGreaterThan(0);

  // the server drops the socket; the change made before the app is back is an event it never hears
  await sockets[socketsBefore - 1].close({ code: 1012, reason: 'Live updates interrupted' });
  await adjust(w, shelter.pools.SINGLE, 1);
  await expect.poll(() => sockets.length, { timeout: 10_000 }).toBeGreaterThan(socketsBefore);
  shown += 1;
  await expect(occupied).toContainText(String(shown), { timeout: 5_000 });
  // and live updates go on over the new socket
  await changeUntilLive(w, shelter.pools.SINGLE, occupied, shown);
  await page.context().close();
});

test('a socket closed because its token ended (4401) renews the session and reconnects, and live updates go on', async ({
  browser,
}) => {
  const w = await staffWorld();
  const shelter = await newShelter(w, { SINGLE: 5 });
  const page = await signedInPage(browser, w, { viewport: { width: 390, height: 844 } });
  const sockets: WebSocketRoute[] = [];
  await page.context().routeWebSocket(/\/graphql$/, (socket) => {
    sockets.push(socket);
    socket.connectToServer();
  });
  const renewals: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && (r.postData() ?? '').includes('renewSession')) renewals.push(r.url());
  });
  await page.goto('/app/staff');
  const occupied = page
    .getByRole('region', { name: shelter.name })
    .getByRole('group', { name: 'Single bed', exact: true })
    .getByRole('group', { name: 'Occupied' });
  await expect(occupied).toContainText('0');
  // live works first (the socket opens once the page subscribes, which may take a moment on a busy machine)
  const shown = await changeUntilLive(w, shelter.pools.SINGLE, occupied, 0);
  const socketsBefore = sockets.length;
  expect(socketsBefore).toBeGreaterThan(0);
  const renewedBefore = renewals.length;

  // as the API does when a socket's token expires
  await sockets[socketsBefore - 1].close({ code: 4401, reason: 'Session ended: sign in again' });
  await expect.poll(() => renewals.length, { timeout: 10_000 }).toBeGreaterThan(renewedBefore);
  await expect.poll(() => sockets.length, { timeout: 10_000 }).toBeGreaterThan(socketsBefore);
  await changeUntilLive(w, shelter.pools.SINGLE, occupied, shown);
  // still signed in: the person was never asked for the password
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.context().close();
});
