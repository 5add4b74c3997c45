// Regional coordinators: only their regions, capacity that matches the API and moves live, the shelters table,
// reports with small counts in words, a CSV export downloaded with the session's token, and "not found" for a
// region outside their scope. Other spec files change counts in the same API, so the screen is compared with
// what the API says at that moment (expect.poll), never with a number remembered from before.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { demoLogin, expect, expectAccessible, gql, signedInPage, test, tokenFor } from './fixtures';

const PASSWORD = demoLogin('ADMIN').password;
const JUNIPER = { email: 'coordinator.juniper@example.org', password: PASSWORD };
const STATE = { email: 'coordinator.state@example.org', password: PASSWORD };
const STAFF = demoLogin('SHELTER_STAFF');

interface Region {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
}

let regions: Region[] = [];
const byCode = (code: string): Region => {
  const found = regions.find((r) => r.code === code);
  if (!found) throw new Error(`no region ${code}`);
  return found;
};

test.beforeAll(async () => {
  const token = await tokenFor(STATE.email, STATE.password);
  regions = (await gql<{ regions: Region[] }>(`{ regions { id code name parentId } }`, {}, token)).data.regions;
});

const CAPACITY = `query ($id: ID!) {
  regionCapacity(regionId: $id) {
    byType { bedType capacity occupied held outOfService available }
    surge { capacity occupied held outOfService available }
  }
}`;

interface Counts {
  capacity: number;
  occupied: number;
  held: number;
  outOfService: number;
  available: number;
}

async function apiCapacity(token: string, regionId: string) {
  const answer = await gql<{ regionCapacity: { byType: (Counts & { bedType: string })[]; surge: Counts } }>(
    CAPACITY,
    { id: regionId },
    token,
  );
  return answer.data.regionCapacity;
}

/** The numbers of a row of the capacity tables, in column order (capacity, occupied, held, out of service, free). */
async function screenRow(page: Page, caption: RegExp, rowHeader: string): Promise<number[]> {
  const table = page.getByRole('table', { name: caption });
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: rowHeader, exact: true }) });
  const cells = await row.getByRole('cell').allTextContents();
  return cells.slice(0, 5).map((c) => Number(c.replace(/[^\d]/g, '')));
}

const asRow = (c: Counts) => [c.capacity, c.occupied, c.held, c.outOfService, c.available];

test('capacity: only their regions, the numbers of regionCapacity, live when a count changes', async ({ browser }) => {
  const page = await signedInPage(browser, JUNIPER);
  const token = await tokenFor(JUNIPER.email, JUNIPER.password);
  const juniper = byCode('LS-JUN');
  await expect(page).toHaveURL(/\/app\/coordinator$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Capacity' })).toBeFocused();

  // the picker holds Juniper County (and what lies below it) only
  const picker = page.getByLabel('Region', { exact: true });
  await expect(picker.getByRole('option')).not.toHaveCount(0);
  const options = await picker.getByRole('option').allTextContents();
  const below = regions.filter((r) => r.parentId === juniper.id).map((r) => r.name);
  expect(options.map((o) => o.trim()).sort()).toEqual([juniper.name, ...below].sort());

  // every bed type's row and the surge row match the API
  const caption = /^Regular beds by type in Juniper County/;
  await expect(page.getByRole('table', { name: caption })).toBeVisible();
  await expect
    .poll(async () => {
      const api = await apiCapacity(token, juniper.id);
      const rows = [];
      for (const type of api.byType) {
        const label =
          type.bedType === 'SINGLE' ? 'Single bed' : type.bedType === 'ACCESSIBLE' ? 'Accessible bed' : null;
        if (label) rows.push({ screen: await screenRow(page, caption, label), api: asRow(type) });
      }
      rows.push({ screen: await screenRow(page, /^Surge beds in/, 'Emergency overflow bed'), api: asRow(api.surge) });
      return rows.every((r) => JSON.stringify(r.screen) === JSON.stringify(r.api));
    })
    .toBe(true);
  await expect(page.getByRole('heading', { name: 'Paused shelters' })).toBeVisible();
  await expect(page.getByText('Safe Harbor Respite Rooms')).toBeVisible();
  await expectAccessible(page, 'capacity');

  // staff of Safe Harbor change a count at one of its Juniper shelters: the coordinator's screen moves within 2 s
  const staffToken = await tokenFor(STAFF.email, STAFF.password);
  const mine = await gql<{
    shelters: {
      edges: { node: { name: string; regionId: string; pools: ({ id: string; bedType: string } & Counts)[] } }[];
    };
  }>(
    `{ shelters(mine: true, first: 50) { edges { node { name regionId pools { id bedType capacity occupied held outOfService available } } } } }`,
    {},
    staffToken,
  );
  const riverside = mine.data.shelters.edges.map((e) => e.node).find((s) => s.name === 'Safe Harbor Riverside')!;
  const pool = riverside.pools.find((p) => p.bedType === 'SINGLE')!;
  const delta = pool.available > 0 ? 1 : -1;
  const adjust = `mutation ($input: AdjustBedsInput!) { adjustBeds(input: $input) { id occupied } }`;
  const before = (await screenRow(page, caption, 'Single bed'))[1];
  const changed = await gql(adjust, { input: { poolId: pool.id, occupiedDelta: delta } }, staffToken);
  expect(changed.errors).toBeUndefined();
  try {
    await expect
      .poll(
        async () => {
          const api = (await apiCapacity(token, juniper.id)).byType.find((t) => t.bedType === 'SINGLE')!;
          const shown = await screenRow(page, caption, 'Single bed');
          return shown[1] !== before && shown[1] === api.occupied;
        },
        { timeout: 2_000, intervals: [100] },
      )
      .toBe(true);
  } finally {
    await gql(adjust, { input: { poolId: pool.id, occupiedDelta: -delta } }, staffToken);
  }
  await page.context().close();
});

test('a state coordinator picks any county of the state; the Juniper coordinator sees no other', async ({
  browser,
}) => {
  const page = await signedInPage(browser, STATE);
  const state = byCode('LS');
  await expect(page.getByLabel('Region', { exact: true }).getByRole('option')).not.toHaveCount(0);
  const counties = regions.filter((r) => r.parentId === state.id).map((r) => r.name);
  const options = (await page.getByLabel('Region', { exact: true }).getByRole('option').allTextContents()).map((o) =>
    o.trim(),
  );
  expect(options).toContain(state.name);
  for (const county of counties) expect(options).toContain(county);
  await page
    .getByLabel('Region', { exact: true })
    .selectOption({ label: options.find((o) => o === 'Cedar Hollow County')! });
  await expect(page).toHaveURL(new RegExp(`region=${byCode('LS-CED').id}`));
  await expect(page.getByRole('table', { name: /^Regular beds by type in Cedar Hollow County/ })).toBeVisible();
  await page.context().close();
});

test("another region's id in the URL shows not found, with none of its numbers", async ({ browser }) => {
  const page = await signedInPage(browser, JUNIPER);
  const cedar = byCode('LS-CED');
  for (const path of [
    `/app/coordinator?region=${cedar.id}`,
    `/app/coordinator/regions/${cedar.id}`,
    `/app/coordinator/shelters?region=${cedar.id}`,
    `/app/coordinator/reports?region=${cedar.id}`,
    `/app/coordinator/exports?region=${cedar.id}`,
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
    await expect(page.getByText('Cedar Hollow')).toHaveCount(0);
  }
  // the Juniper County id of the same form works
  await page.goto(`/app/coordinator/regions/${byCode('LS-JUN').id}`);
  await expect(page.getByRole('table', { name: /^Regular beds by type in Juniper County/ })).toBeVisible();
  await page.context().close();
});

test('shelters: a sortable table with aria-sort, stale counts first by default', async ({ browser }) => {
  test.slow(); // two full accessibility passes over the whole state's table
  const page = await signedInPage(browser, STATE);
  await page.goto(`/app/coordinator/shelters?region=${byCode('LS').id}`);
  const table = page.getByRole('table', { name: /^Shelters and their beds/ });
  await expect(table).toBeVisible();
  const verified = table.getByRole('columnheader', { name: 'Counts verified' });
  await expect(verified).toHaveAttribute('aria-sort', 'ascending');
  // stale rows first: once a fresh row appears, no stale row follows
  const cells = await table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => (r.querySelectorAll('td')[2]?.textContent ?? '').includes('STALE')));
  expect(cells.length).toBeGreaterThan(5);
  expect(cells.indexOf(false) === -1 || !cells.slice(cells.indexOf(false)).includes(true)).toBe(true);
  await expectAccessible(page, 'shelters, stale first');

  const name = table.getByRole('columnheader', { name: 'Shelter' });
  await name.getByRole('button').click();
  await expect(name).toHaveAttribute('aria-sort', 'ascending');
  await expect(verified).not.toHaveAttribute('aria-sort');
  const names = await table.getByRole('rowheader').allTextContents();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
  await name.getByRole('button').click();
  await expect(name).toHaveAttribute('aria-sort', 'descending');
  const reversed = await table.getByRole('rowheader').allTextContents();
  expect(reversed).toEqual([...names].reverse());
  await expectAccessible(page, 'shelters sorted by name');
  await page.context().close();
});

test('waitlist alerts: a referral waitlisted in the region appears live with what blocked it, never who', async ({
  browser,
}) => {
  const page = await signedInPage(browser, JUNIPER);
  await page.getByRole('link', { name: 'Waitlist alerts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Waitlist alerts' })).toBeFocused();
  await expect(page.getByText(/never who they are/)).toBeVisible();
  await expect(page.getByText('No referral has gone on the waitlist since you opened this page.')).toBeVisible();
  await expectAccessible(page, 'waitlist alerts, none yet');

  // an agency and an advocate of this file's own submit a referral no shelter may take (the whole state excluded)
  const admin = await tokenFor(demoLogin('ADMIN').email, demoLogin('ADMIN').password);
  const agency = await gql<{ createOrganisation: { id: string } }>(
    `mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
    { input: { name: `Coordinator Spec Agency ${Date.now()}`, kind: 'REFERRAL_AGENCY' } },
    admin,
  );
  const advocate = { email: `coordinator.spec.${Date.now()}@example.org`, password: 'coordinator-spec-password' };
  const created = await gql(
    `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`,
    {
      input: {
        ...advocate,
        displayName: 'Coordinator Spec Advocate',
        role: 'HOTLINE_ADVOCATE',
        organisationId: agency.data.createOrganisation.id,
      },
    },
    admin,
  );
  expect(created.errors).toBeUndefined();
  const advocateToken = await tokenFor(advocate.email, advocate.password);
  const referral = await gql<{ submitReferral: { id: string; referenceCode: string } }>(
    `mutation ($input: SubmitReferralInput!) { submitReferral(input: $input) { id referenceCode } }`,
    {
      input: {
        regionId: byCode('LS-JUN').id,
        needs: {
          age: 34,
          gender: 'WOMAN',
          traffickingTypes: ['LABOUR'],
          urgency: 'PLANNED',
          location: { latitude: 30.46, longitude: -97.61 },
          excludedRegionIds: [byCode('LS').id],
        },
      },
    },
    advocateToken,
  );
  expect(referral.errors).toBeUndefined();
  const consent = await gql(
    `mutation ($id: ID!, $input: RecordConsentInput!) { recordConsent(referralId: $id, input: $input) { state } }`,
    {
      id: referral.data.submitReferral.id,
      input: {
        scopes: ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'],
        method: 'VERBAL_HOTLINE',
        expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      },
    },
    advocateToken,
  );
  expect(consent.errors).toBeUndefined();

  // matching runs as a job; its alert reaches the open page by itself
  const alert = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: /^Planned \(within a week\): waitlisted at/ }) });
  await expect(alert).toBeVisible({ timeout: 15_000 });
  await expect(alert).toContainText('In an area the survivor must avoid');
  await expect(page.getByRole('main')).not.toContainText(referral.data.submitReferral.referenceCode);
  await expectAccessible(page, 'waitlist alerts, one alert');
  // the survivor's referral is closed again, so it waits for nobody
  await gql(
    `mutation ($id: ID!) { withdrawReferral(referralId: $id) { id } }`,
    { id: referral.data.submitReferral.id },
    advocateToken,
  );
  await page.context().close();
});

const DAY_MS = 86_400_000;
/** The reports' default period: the last 14 whole UTC days, today included. */
function defaultPeriod() {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return { from: new Date(today - 13 * DAY_MS).toISOString(), to: new Date(today + DAY_MS).toISOString() };
}

test('reports: small counts read "fewer than 5" or "withheld" in words; the occupancy chart has its table', async ({
  browser,
}) => {
  test.slow(); // two accessibility passes over a long page of tables
  const page = await signedInPage(browser, STATE);
  const token = await tokenFor(STATE.email, STATE.password);
  // a region of the state whose statistics withhold a small count (the demo's history has some in every county)
  const statisticsOf = async (regionId: string) =>
    (
      await gql<{ referralStatistics: { byState: { referrals: { value: number | null } }[] } }>(
        `query ($id: ID!, $period: PeriodInput!) { referralStatistics(regionId: $id, period: $period) { byState { referrals { value } } } }`,
        { id: regionId, period: defaultPeriod() },
        token,
      )
    ).data.referralStatistics.byState;
  let found: Region | undefined;
  for (const region of regions)
    if ((await statisticsOf(region.id)).some((s) => s.referrals.value === null)) {
      found = region;
      break;
    }
  if (!found) throw new Error('no region of the demo withholds a small count');
  const state = found;
  await page.goto(`/app/coordinator/reports?region=${state.id}`);
  const byState = page.getByRole('table', { name: /^Referrals submitted in these days/ });
  await expect(byState).toBeVisible();

  // every count the API withholds reads in words on the screen, and no cell is blank
  await expect
    .poll(async () => {
      const withheld = (await statisticsOf(state.id)).filter((s) => s.referrals.value === null).length;
      const cells = (await byState.getByRole('cell').allTextContents()).map((c) => c.trim());
      const inWords = cells.filter((c) => /^(fewer than \d+|withheld)$/.test(c)).length;
      return {
        blank: cells.filter((c) => c === '').length,
        withheld: withheld > 0,
        inWordsAtLeast: inWords >= withheld,
      };
    })
    .toEqual({ blank: 0, withheld: true, inWordsAtLeast: true });
  await expect(byState.getByRole('cell', { name: /^(fewer than 5|withheld)$/ }).first()).toBeVisible();

  await expect(page.getByRole('img', { name: 'Occupied regular beds and capacity, day by day' })).toBeVisible();
  const occupancy = page.getByRole('table', { name: 'Regular beds at the end of each day' });
  await expect(occupancy.getByRole('row')).toHaveCount(15);
  const reasons = page.getByRole('table', { name: 'What stood between referrals and a bed' });
  await expect(reasons).toBeVisible();
  // what the referrals asked for reads in words ("Spanish", "Man"), never as a code ("es", "MAN")
  const asked = await reasons.getByRole('rowheader').allTextContents();
  expect(asked.filter((h) => /: ([A-Z_]+|[a-z]{2})$/.test(h.trim()))).toEqual([]);
  await expectAccessible(page, 'reports');

  // a reversed period is refused in words, on both dates
  await page.getByLabel('First day').fill('2026-12-05');
  await page.getByLabel('Last day').fill('2026-12-01');
  await page.getByRole('button', { name: 'Show these days' }).click();
  await expect(page.getByRole('alert')).toHaveText(/first day on or before the last day/);
  await expect(page.getByLabel('First day')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Last day')).toHaveAccessibleDescription(/first day on or before the last day/);
  await expectAccessible(page, 'reports, a reversed period');
  await page.context().close();
});

test('exports: the capacity CSV is downloaded with the token and has the right header, Juniper rows only', async ({
  browser,
}) => {
  const page = await signedInPage(browser, JUNIPER);
  await page.getByRole('link', { name: 'Exports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Exports' })).toBeFocused();
  await expectAccessible(page, 'exports');
  const requests: (string | null)[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/exports/')) requests.push(r.headers().authorization ?? null);
  });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download capacity.csv for Juniper County' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('capacity.csv');
  const text = await readFile(await download.path(), 'utf8');
  const [header, ...rows] = text
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  expect(header).toBe(
    'region_code,region_name,shelter_id,shelter_name,city,shelter_status,bed_type,surge,capacity,occupied,held,out_of_service,available,available_at_paused_shelter,verified_at,stale',
  );
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.startsWith('LS-JUN,')).toBe(true);
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.every((a) => a?.startsWith('Bearer '))).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'capacity.csv downloaded.' })).toBeAttached();
  await page.context().close();
});
