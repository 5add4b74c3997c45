// Shelter staff on a phone: My beds (± then Save, live, stale and "Counts are still right"), the offline queue
// (offline then reload, a lost answer, two tabs), conflicts, and Correct counts. The staff member, organisation and
// shelters are this file's own, so the counts are moved by nobody else.
import { type Page } from '@playwright/test';
import { demoLogin, expect, expectAccessible, gql, settled, signedInPage, signIn, test, tokenFor } from './fixtures';
import {
  adjust,
  eventCount,
  newShelter,
  poolState,
  sql,
  staffWorld,
  type StaffWorld,
  type TestShelter,
} from './staff-support';

const PHONE = { width: 390, height: 844 };
let w: StaffWorld;

test.beforeAll(async () => {
  w = await staffWorld();
});

function shelterRegion(page: Page, shelter: TestShelter) {
  return page.getByRole('region', { name: shelter.name });
}

function poolGroup(page: Page, shelter: TestShelter, bedLabel = 'Single bed') {
  return shelterRegion(page, shelter).getByRole('group', { name: bedLabel, exact: true });
}

async function openMyBeds(page: Page, shelter: TestShelter): Promise<void> {
  await page.goto('/app/staff');
  await expect(page.getByRole('heading', { level: 1, name: 'My beds' })).toBeVisible();
  await expect(shelterRegion(page, shelter)).toBeVisible();
}

test('My beds: own shelters only; +1 occupied and Save in two taps moves the count and version once, live elsewhere; "−" is disabled at 0', async ({
  browser,
}) => {
  const shelter = await newShelter(w, { SINGLE: 4, FAMILY_UNIT: 2 });
  const poolId = shelter.pools.SINGLE;
  const before = await poolState(w, shelter.id, poolId);
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await expect(page).toHaveURL(/\/app\/staff$/);
  await expect(shelterRegion(page, shelter)).toBeVisible();
  // the demo network's shelters are not this organisation's
  await expect(page.getByRole('heading', { name: 'Lantern House Juniper' })).toHaveCount(0);
  const pool = poolGroup(page, shelter);
  await expect(pool.getByRole('group', { name: 'Occupied' })).toContainText('0');
  await expect(pool.getByRole('group', { name: 'Held for referrals' })).toHaveCount(0);
  await expect(pool.getByText('Held for referrals')).toBeVisible();
  await expect(pool.getByRole('button', { name: 'Remove one occupied bed (Single bed)' })).toBeDisabled();
  await expect(pool.getByRole('button', { name: 'Remove one out-of-service bed (Single bed)' })).toBeDisabled();
  await expectAccessible(page, 'My beds');

  // another device of the same shelter, watching
  const other = await signedInPage(browser, w, { viewport: PHONE });
  await expect(poolGroup(other, shelter).getByRole('group', { name: 'Occupied' })).toContainText('0');
  // and the state's coordinator, on the region's capacity
  const coordinatorLogin = demoLogin('REGIONAL_COORDINATOR');
  const coordinatorToken = await tokenFor(coordinatorLogin.email, coordinatorLogin.password);
  const coordinator = await signedInPage(browser, coordinatorLogin);
  await coordinator.goto(`/app/coordinator?region=${w.regionId}`);
  const singleOccupied = coordinator
    .getByRole('table', { name: 'Regular beds by type in Juniper County' })
    .getByRole('row', { name: /^Single bed/ })
    .getByRole('cell')
    .nth(1);
  const regionOccupied = async () => {
    const answer = await gql<{ regionCapacity: { byType: { bedType: string; occupied: number }[] } }>(
      `query ($id: ID!) { regionCapacity(regionId: $id) { byType { bedType occupied } } }`,
      { id: w.regionId },
      coordinatorToken,
    );
    return answer.data.regionCapacity.byType.find((b) => b.bedType === 'SINGLE')?.occupied ?? 0;
  };
  await expect(singleOccupied).toHaveText(String(await regionOccupied()));

  // two taps from home: + then Save
  await pool.getByRole('button', { name: 'Add one occupied bed (Single bed)' }).click();
  await pool.getByRole('button', { name: 'Save (Single bed)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeAttached();
  await expect.poll(async () => (await poolState(w, shelter.id, poolId)).occupied).toBe(1);
  const after = await poolState(w, shelter.id, poolId);
  expect(after.version).toBe(before.version + 1);
  expect(after.available).toBe(3);
  expect(await eventCount(w, poolId, 'ADJUSTED')).toBe(1);
  await expect(pool.getByText('3', { exact: true })).toBeVisible();
  await expect(pool.getByRole('button', { name: 'Remove one occupied bed (Single bed)' })).toBeEnabled();
  // live on the other device and on the coordinator's screen, within 2 s (other files' changes may move the
  // region's total too: the screen follows the API's count)
  await expect(poolGroup(other, shelter).getByRole('group', { name: 'Occupied' })).toContainText('1', {
    timeout: 2_000,
  });
  await expect
    .poll(async () => (await singleOccupied.textContent()) === String(await regionOccupied()), { timeout: 2_000 })
    .toBe(true);
  await coordinator.context().close();
  // and a change made elsewhere (the API) reaches this page live too
  await adjust(w, poolId, 0, 1);
  await expect(pool.getByRole('group', { name: 'Out of service' })).toContainText('1', { timeout: 2_000 });
  expect(await eventCount(w, poolId, 'ADJUSTED')).toBe(2);
  await other.context().close();
  await page.context().close();
});

test('a change the server refuses shows the current counts and keeps the change for a person to decide', async ({
  browser,
}) => {
  const shelter = await newShelter(w, { SINGLE: 1 });
  const poolId = shelter.pools.SINGLE;
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await openMyBeds(page, shelter);
  const pool = poolGroup(page, shelter);
  await pool.getByRole('button', { name: 'Add one occupied bed (Single bed)' }).click();
  // the last bed is taken elsewhere before this change is saved
  await adjust(w, poolId, 1);
  await expect(pool.getByRole('group', { name: 'Occupied' })).toContainText('2');
  await pool.getByRole('button', { name: 'Save (Single bed)' }).click();
  const card = pool.getByRole('alert');
  await expect(card).toContainText('This change was not saved.');
  await expect(card).toContainText(
    'Counts now: 1 occupied, 0 held for referrals, 0 out of service, 1 capacity, 0 available.',
  );
  await expect(card).toContainText('Your change (Single bed): +1 occupied, 0 out of service.');
  await expect(card.getByRole('button', { name: 'Send again' })).toBeVisible();
  expect((await poolState(w, shelter.id, poolId)).occupied).toBe(1);
  await expectAccessible(page, 'My beds with a refused change');
  // the person may take the change back into the steppers (the input is kept), and queue it again
  await card.getByRole('button', { name: 'Change it' }).click();
  await expect(pool.getByRole('alert')).toHaveCount(0);
  await expect(pool.getByRole('group', { name: 'Occupied' })).toContainText('2');
  await pool.getByRole('button', { name: 'Save (Single bed)' }).click();
  await expect(card).toContainText('This change was not saved.');
  // or free a bed elsewhere, then send again
  await adjust(w, poolId, -1);
  await card.getByRole('button', { name: 'Send again' }).click();
  await expect(pool.getByRole('alert')).toHaveCount(0);
  await expect.poll(async () => (await poolState(w, shelter.id, poolId)).occupied).toBe(1);
  expect(await eventCount(w, poolId, 'ADJUSTED')).toBe(3);
  await page.context().close();
});

test('"Counts are still right" is one tap and clears STALE', async ({ browser }) => {
  const shelter = await newShelter(w, { SINGLE: 3 });
  await sql(`UPDATE shelter SET availability_verified_at = now() - interval '30 hours' WHERE id = $1`, [shelter.id]);
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await openMyBeds(page, shelter);
  const region = shelterRegion(page, shelter);
  await expect(region.getByText('STALE', { exact: true })).toBeVisible();
  await expect(region.getByText('verified yesterday')).toBeVisible();
  await region.getByRole('button', { name: `Counts are still right (${shelter.name})` }).click();
  await expect(region.getByText('STALE', { exact: true })).toHaveCount(0);
  await expect(region.getByText(/verified (now|this minute|0 minutes ago)/)).toBeVisible();
  await page.context().close();
});

test('offline: a change is kept on the device, survives a reload, and is applied once when back online', async ({
  browser,
}) => {
  const shelter = await newShelter(w, { SINGLE: 5 });
  const poolId = shelter.pools.SINGLE;
  const before = await poolState(w, shelter.id, poolId);
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await openMyBeds(page, shelter);
  const pool = poolGroup(page, shelter);
  // catalogs load on demand: fetch the Spanish ones while online, so the accessibility check can switch offline
  await page.getByLabel('Language').selectOption('es');
  await expect(page.getByRole('heading', { level: 1, name: 'Mis camas' })).toBeVisible();
  await page.getByLabel('Idioma').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'My beds' })).toBeVisible();
  await page.context().setOffline(true);
  await expect(page.getByRole('note').filter({ hasText: 'You are offline' })).toBeVisible();
  await pool.getByRole('button', { name: 'Add one occupied bed (Single bed)' }).click();
  await pool.getByRole('button', { name: 'Add one occupied bed (Single bed)' }).click();
  await pool.getByRole('button', { name: 'Save (Single bed)' }).click();
  await expect(pool.getByText('Waiting to send: +2 occupied, 0 out of service (1 change).')).toBeVisible();
  // what the device keeps: ids, counts, times and codes, nothing about a survivor
  const kept = await page.evaluate(
    () =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const open = indexedDB.open('shelterlink-staff');
        open.onerror = () => reject(new Error('no queue database'));
        open.onsuccess = () => {
          const all = open.result.transaction('bed-queue').objectStore('bed-queue').getAll();
          all.onsuccess = () => resolve(all.result as Record<string, unknown>[]);
        };
      }),
  );
  expect(kept).toHaveLength(1);
  expect(kept[0]).toMatchObject({ poolId, occupiedDelta: 2, outOfServiceDelta: 0, organisationId: w.organisationId });
  for (const key of Object.keys(kept[0]))
    expect([
      'id',
      'organisationId',
      'poolId',
      'occupiedDelta',
      'outOfServiceDelta',
      'idempotencyKey',
      'madeAt',
      'createdAt',
      'state',
      'attempts',
      'sendMadeAt',
      'errorCode',
      'current',
    ]).toContain(key);
  await expectAccessible(page, 'My beds offline with a change waiting to send');

  // back online but the API's answers to bed changes are lost: the change stays queued, across a reload
  let blocked = true;
  await page.route('**/graphql', async (route) => {
    if (blocked && route.request().postData()?.includes('adjustBeds')) await route.abort();
    else await route.continue();
  });
  await page.context().setOffline(false);
  await page.reload();
  await expect(poolGroup(page, shelter).getByText('Waiting to send: +2 occupied')).toBeVisible();
  expect((await poolState(w, shelter.id, poolId)).occupied).toBe(0);
  // the connection works again: the queue is sent, once
  blocked = false;
  await page.context().setOffline(true);
  await page.context().setOffline(false);
  await expect(poolGroup(page, shelter).getByText(/Waiting to send/)).toHaveCount(0, { timeout: 10_000 });
  const after = await poolState(w, shelter.id, poolId);
  expect(after.occupied).toBe(2);
  expect(after.version).toBe(before.version + 1);
  expect(await eventCount(w, poolId, 'ADJUSTED')).toBe(1);
  await page.context().close();
});

test('offline: every staff screen still opens (its code came while online); a screen whose code could not come says so and can be tried again', async ({
  browser,
}) => {
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await expect(page.getByRole('heading', { level: 1, name: 'My beds' })).toBeVisible();
  await settled(page);
  await page.context().setOffline(true);
  for (const [link, heading] of [
    ['Offers', 'Offers'],
    ['Arrivals and residents', 'Arrivals and residents'],
    ['Reminders', 'Reminders'],
    ['Shelter settings', 'Shelter settings'],
  ]) {
    await page.getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }
  await page.context().setOffline(false);
  await page.context().close();

  // a device whose connection failed before the Offers screen's code arrived
  const context = await browser.newContext({ viewport: PHONE });
  const cut = await context.newPage();
  await signIn(cut, w.email, w.password);
  const offersCode = /\/app\/assets\/offers-[^/]+\.js$/;
  await cut.route(offersCode, (route) => route.abort('internetdisconnected'));
  await cut.reload();
  await expect(cut.getByRole('heading', { level: 1, name: 'My beds' })).toBeVisible();
  await context.setOffline(true);
  await cut.getByRole('link', { name: 'Offers' }).click();
  const failed = cut.getByRole('heading', { level: 1, name: 'This screen could not be shown' });
  await expect(failed).toBeVisible();
  await expect(cut.getByRole('alert')).toContainText('could not be downloaded');
  await expect(cut.getByRole('alert')).toContainText('Bed-count changes you saved are kept on this device');
  await expectAccessible(cut, 'a screen that could not be shown');
  // Try again while still offline keeps the person in the app; My beds still opens
  await cut.getByRole('button', { name: 'Try again' }).click();
  await expect(failed).toBeVisible();
  await cut.getByRole('link', { name: 'My beds' }).click();
  await expect(cut.getByRole('heading', { level: 1, name: 'My beds' })).toBeVisible();
  // the connection is back: the screen opens, without a reload
  await cut.unroute(offersCode);
  await context.setOffline(false);
  await cut.getByRole('link', { name: 'Offers' }).click();
  await expect(cut.getByRole('heading', { level: 1, name: 'Offers' })).toBeVisible();
  await context.close();
});

test('a lost answer is retried with the same key and applied once', async ({ browser }) => {
  const shelter = await newShelter(w, { SINGLE: 5 });
  const poolId = shelter.pools.SINGLE;
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await openMyBeds(page, shelter);
  const keys: string[] = [];
  let lost = 0;
  await page.route('**/graphql', async (route) => {
    const body = route.request().postData() ?? '';
    if (!body.includes('adjustBeds')) return route.continue();
    keys.push((JSON.parse(body) as { variables: { idempotencyKey: string } }).variables.idempotencyKey);
    if (lost > 0) return route.continue();
    lost += 1;
    // the request reaches the server and is applied; its answer never reaches the page
    await route.fetch();
    await route.abort();
  });
  const pool = poolGroup(page, shelter);
  await pool.getByRole('button', { name: 'Add one occupied bed (Single bed)' }).click();
  await pool.getByRole('button', { name: 'Save (Single bed)' }).click();
  await expect.poll(() => keys.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  await expect(pool.getByText(/Waiting to send/)).toHaveCount(0);
  expect(new Set(keys).size).toBe(1);
  expect((await poolState(w, shelter.id, poolId)).occupied).toBe(1);
  expect(await eventCount(w, poolId, 'ADJUSTED')).toBe(1);
  await page.context().close();
});

test('two tabs with a queue waiting send it once', async ({ browser }) => {
  const shelter = await newShelter(w, { SINGLE: 5 });
  const poolId = shelter.pools.SINGLE;
  const first = await signedInPage(browser, w, { viewport: PHONE });
  await openMyBeds(first, shelter);
  const second = await first.context().newPage();
  await openMyBeds(second, shelter);
  const sent: string[] = [];
  first.context().on('requestfinished', (request) => {
    const body = request.postData() ?? '';
    if (body.includes('adjustBeds')) sent.push(body);
  });
  await first.context().setOffline(true);
  for (let i = 0; i < 3; i += 1) {
    await poolGroup(first, shelter).getByRole('button', { name: 'Add one occupied bed (Single bed)' }).click();
    await poolGroup(first, shelter).getByRole('button', { name: 'Save (Single bed)' }).click();
  }
  // the other tab shows the same queue
  await expect(
    poolGroup(second, shelter).getByText('Waiting to send: +3 occupied, 0 out of service (3 changes).'),
  ).toBeVisible();
  await first.context().setOffline(false);
  for (const page of [first, second])
    await expect(poolGroup(page, shelter).getByText(/Waiting to send/)).toHaveCount(0, { timeout: 10_000 });
  expect((await poolState(w, shelter.id, poolId)).occupied).toBe(3);
  expect(await eventCount(w, poolId, 'ADJUSTED')).toBe(3);
  // each change went out once from one of the two tabs (none was sent by both)
  expect(sent).toHaveLength(3);
  await first.context().close();
});

test('sign-out with changes waiting warns first', async ({ browser }) => {
  const shelter = await newShelter(w, { SINGLE: 2 });
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await openMyBeds(page, shelter);
  await page.context().setOffline(true);
  await poolGroup(page, shelter).getByRole('button', { name: 'Add one occupied bed (Single bed)' }).click();
  await poolGroup(page, shelter).getByRole('button', { name: 'Save (Single bed)' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('alertdialog', { name: 'Changes are still waiting to be sent' })).toBeVisible();
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await page.context().setOffline(false);
  await expect(poolGroup(page, shelter).getByText(/Waiting to send/)).toHaveCount(0, { timeout: 10_000 });
  expect((await poolState(w, shelter.id, shelter.pools.SINGLE)).occupied).toBe(1);
  await page.context().close();
});

test('Correct counts: absolute numbers with the version read; a conflict shows the current counts and lets the person choose', async ({
  browser,
}) => {
  const shelter = await newShelter(w, { SINGLE: 6 });
  const poolId = shelter.pools.SINGLE;
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await openMyBeds(page, shelter);
  await poolGroup(page, shelter).getByRole('link', { name: 'Correct counts (Single bed)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Correct counts: Single bed' })).toBeFocused();
  // held beds are the workflow's: shown, not a field
  await expect(page.getByLabel('Held for referrals')).toHaveCount(0);
  await expectAccessible(page, 'Correct counts');
  await page.getByLabel('Occupied').fill('3');
  // a colleague changes the pool meanwhile
  await adjust(w, poolId, 0, 1);
  await page.getByRole('button', { name: 'Save counts' }).click();
  const conflict = page.getByRole('alert');
  await expect(conflict).toContainText('Someone changed these counts');
  await expect(conflict).toContainText(
    'Counts now: 0 occupied, 0 held for referrals, 1 out of service, 6 capacity, 5 available.',
  );
  await expect(page.getByLabel('Occupied')).toHaveValue('3');
  await expectAccessible(page, 'Correct counts with a version conflict');
  await page.getByRole('button', { name: 'Use the current counts' }).click();
  await expect(page.getByLabel('Out of service')).toHaveValue('1');
  await expect(page.getByLabel('Occupied')).toHaveValue('0');
  await page.getByLabel('Occupied').fill('2');
  await page.getByRole('button', { name: 'Save counts' }).click();
  await expect(page.getByRole('main').getByText('Counts saved for Single bed.')).toBeVisible();
  const after = await poolState(w, shelter.id, poolId);
  expect(after).toMatchObject({ occupied: 2, outOfService: 1, capacity: 6 });
  expect(await eventCount(w, poolId, 'COUNTS_SET')).toBe(1);
  // another conflict, and this time the person keeps their numbers
  await page.getByLabel('Occupied').fill('4');
  await adjust(w, poolId, 1);
  await page.getByRole('button', { name: 'Save counts' }).click();
  await expect(page.getByRole('alert')).toContainText('Counts now: 3 occupied');
  await page.getByRole('button', { name: 'Save my numbers anyway' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await poolState(w, shelter.id, poolId)).toMatchObject({ occupied: 4, outOfService: 1, capacity: 6 });
  expect(await eventCount(w, poolId, 'COUNTS_SET')).toBe(2);
  await page.context().close();
});

test('Reminders: a stale-count reminder in words, marked read', async ({ browser }) => {
  const shelter = await newShelter(w, { SINGLE: 2 });
  await sql(
    `INSERT INTO notification (organisation_id, shelter_id, kind, message, about_verified_at, stale_window)
     VALUES ($1, $2, 'STALE_COUNTS', 'server words', now() - interval '2 days', 2)`,
    [w.organisationId, shelter.id],
  );
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await page.getByRole('link', { name: 'Reminders' }).click();
  const reminder = page.getByRole('article', { name: new RegExp(`Check the counts at ${shelter.name}`) });
  await expect(reminder).toContainText('NEW');
  await expect(reminder).toContainText('last confirmed 2 days ago');
  await expect(reminder).not.toContainText('server words');
  await expectAccessible(page, 'Reminders');
  await reminder.getByRole('button', { name: `Mark as read (${shelter.name})` }).click();
  await expect(reminder).not.toContainText('NEW');
  await reminder.getByRole('link', { name: 'Go to My beds' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My beds' })).toBeVisible();
  await page.context().close();
});

test('Reminders: a reminder arrives live while the page is open, and is announced', async ({ browser }) => {
  const own = await staffWorld();
  // (only shelters taking referrals are reminded)
  const shelter = await newShelter(own, { SINGLE: 2 }, { status: 'ACTIVE' });
  const page = await signedInPage(browser, own, { viewport: PHONE });
  await page.getByRole('link', { name: 'Reminders' }).click();
  await expect(page.getByText('No reminders.')).toBeVisible();
  // two days without a confirmation: the worker's next look for stale counts (every second here) reminds the staff
  await sql(`UPDATE shelter SET availability_verified_at = now() - interval '2 days' WHERE id = $1`, [shelter.id]);
  const reminder = page.getByRole('article', { name: new RegExp(`Check the counts at ${shelter.name}`) });
  await expect(reminder).toBeVisible({ timeout: 10_000 });
  await expect(reminder).toContainText('NEW');
  await expect(page.getByRole('status').filter({ hasText: 'A new reminder arrived.' })).toBeAttached();
  await page.context().close();
});

test('Shelter settings: hold and response minutes, pause and default instructions are saved', async ({ browser }) => {
  // an organisation of its own with one shelter: the page shows every shelter of the organisation
  const own = await staffWorld();
  const shelter = await newShelter(own, { SINGLE: 2 });
  const page = await signedInPage(browser, own, { viewport: PHONE });
  await page.getByRole('link', { name: 'Shelter settings' }).click();
  const region = page.getByRole('region', { name: shelter.name });
  const intake = region.getByRole('region', { name: 'Intake and referrals' });
  await expect(intake.getByLabel('Pause referrals (no new offers while paused)')).toBeChecked();
  await intake.getByLabel('Hold a bed for (minutes)').fill('90');
  await intake.getByLabel('Time to answer an offer (minutes)').fill('20');
  await intake.getByLabel('Default intake instructions').fill('Ring the blue door bell at the back.');
  await intake.getByRole('button', { name: 'Save (Intake and referrals)' }).click();
  await expect(intake.getByText('Settings saved.')).toBeVisible();
  const data = await gql<{ shelter: { holdMinutes: number; responseMinutes: number; intakeInstructions: string } }>(
    `query ($id: ID!) { shelter(id: $id) { holdMinutes responseMinutes intakeInstructions } }`,
    { id: shelter.id },
    own.token,
  );
  expect(data.data.shelter).toEqual({
    holdMinutes: 90,
    responseMinutes: 20,
    intakeInstructions: 'Ring the blue door bell at the back.',
  });
  // a value the API refuses marks its field
  await intake.getByLabel('Hold a bed for (minutes)').fill('1');
  await intake.getByRole('button', { name: 'Save (Intake and referrals)' }).click();
  await expect(intake.getByRole('alert')).toBeVisible();
  await expect(intake.getByLabel('Hold a bed for (minutes)')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'Shelter settings with an invalid field');
  await page.context().close();
});

test('Shelter settings: who you can take and the webhook address are saved, and found again by a fresh sign-in; bad values mark their field', async ({
  browser,
}) => {
  const own = await staffWorld();
  const shelter = await newShelter(own, { SINGLE: 2 });
  const page = await signedInPage(browser, own, { viewport: PHONE });
  await page.getByRole('link', { name: 'Shelter settings' }).click();
  const region = page.getByRole('region', { name: shelter.name });
  const who = region.getByRole('region', { name: 'Who you can take' });
  await who.getByRole('group', { name: 'Genders' }).getByRole('checkbox', { name: 'Non-binary' }).check();
  await who.getByRole('group', { name: 'Trafficking' }).getByRole('checkbox', { name: 'Labour trafficking' }).check();
  await who.getByLabel('Languages your staff speak').fill('en, es, qu');
  await who.getByRole('checkbox', { name: 'Pets allowed' }).check();
  // a minimum above the maximum is refused, its field marked, nothing saved
  await who.getByLabel('Maximum age').fill('20');
  await who.getByLabel('Minimum age').fill('30');
  await who.getByRole('button', { name: 'Save (Who you can take)' }).click();
  await expect(who.getByRole('alert')).toBeVisible();
  await expect(who.getByLabel('Maximum age')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'Shelter settings, an eligibility field in error');
  await who.getByLabel('Minimum age').fill('18');
  await who.getByLabel('Maximum age').fill('64');
  await who.getByRole('button', { name: 'Save (Who you can take)' }).click();
  await expect(who.getByText('Settings saved.')).toBeVisible();

  const hook = region.getByRole('region', { name: 'Notifications to your own system' });
  const address = hook.getByLabel('Webhook address (URL)');
  await address.fill('https://someone:secret@intake.example.org/shelterlink');
  await hook.getByRole('button', { name: 'Save (Notifications to your own system)' }).click();
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await address.fill('https://intake.example.org/shelterlink');
  await hook.getByRole('button', { name: 'Save (Notifications to your own system)' }).click();
  await expect(hook.getByText('Settings saved.')).toBeVisible();
  // the signing secret: shown on request, the same the API gives; a new one replaces it
  const secretOf = async () =>
    (
      await gql<{ shelterWebhook: { signingSecret: string } }>(
        `query ($id: ID!) { shelterWebhook(shelterId: $id) { signingSecret } }`,
        { id: shelter.id },
        own.token,
      )
    ).data.shelterWebhook.signingSecret;
  const first = await secretOf();
  await expect(hook.getByText(first)).toHaveCount(0);
  await hook.getByRole('button', { name: 'Show the secret (Notifications to your own system)' }).click();
  await expect(hook.getByText(first)).toBeVisible();
  await expectAccessible(page, 'Shelter settings, the webhook secret shown');
  await hook.getByRole('button', { name: 'Make a new secret (Notifications to your own system)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'A new secret was made' })).toBeAttached();
  await expect.poll(secretOf).not.toBe(first);
  await expect(hook.getByText(await secretOf())).toBeVisible();
  await hook.getByRole('button', { name: 'Hide the secret (Notifications to your own system)' }).click();
  await expect(hook.getByText(await secretOf())).toHaveCount(0);
  await page.context().close();

  // the next shift, on another phone, finds what was saved
  const next = await signedInPage(browser, own, { viewport: PHONE });
  await next.getByRole('link', { name: 'Shelter settings' }).click();
  const again = next.getByRole('region', { name: shelter.name });
  const whoAgain = again.getByRole('region', { name: 'Who you can take' });
  await expect(whoAgain.getByRole('checkbox', { name: 'Non-binary' })).toBeChecked();
  await expect(whoAgain.getByRole('checkbox', { name: 'Labour trafficking' })).toBeChecked();
  await expect(whoAgain.getByRole('checkbox', { name: 'Pets allowed' })).toBeChecked();
  await expect(whoAgain.getByLabel('Minimum age')).toHaveValue('18');
  await expect(whoAgain.getByLabel('Maximum age')).toHaveValue('64');
  await expect(whoAgain.getByLabel('Languages your staff speak')).toHaveValue('en, es, qu');
  await expect(
    again.getByRole('region', { name: 'Notifications to your own system' }).getByLabel('Webhook address (URL)'),
  ).toHaveValue('https://intake.example.org/shelterlink');
  const saved = await gql<{
    shelter: {
      eligibility: { genders: string[]; traffickingTypes: string[]; languages: string[]; petsAllowed: boolean };
    };
  }>(
    `query ($id: ID!) { shelter(id: $id) { eligibility { genders traffickingTypes languages petsAllowed } } }`,
    { id: shelter.id },
    own.token,
  );
  expect(saved.data.shelter.eligibility).toMatchObject({ languages: ['en', 'es', 'qu'], petsAllowed: true });
  expect(saved.data.shelter.eligibility.genders).toContain('NON_BINARY');
  expect(saved.data.shelter.eligibility.traffickingTypes).toContain('LABOUR');
  await next.context().close();
});
