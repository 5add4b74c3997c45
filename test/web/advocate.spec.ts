// The hotline advocate's screens (WEB.md, "Advocate"): needs and preview, submit and consent, the referral's
// timeline, the agency's list. This file makes a network of its own beside the demo: a referral agency with its own
// advocate, and a provider whose two confidential shelters stand in a town far from every other shelter, so the
// preview, the matching and the offer are this file's alone.
import type { Browser, Locator, Page } from '@playwright/test';
import { Client } from 'pg';
import {
  chooseLanguage,
  demoLogin,
  expect,
  expectAccessible,
  gql,
  signIn,
  signedInPage,
  sweepThemesAndWidths,
  test,
  tokenFor,
} from './fixtures';

const PASSWORD = 'advocate-spec-password-2026';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
// a town of our own, far from the demo's: only our shelters are within the radius
const TOWN = `Zephyr Bluff ${run}`;
const LAT = 44 + Math.round(Math.random() * 300) / 100;
const LON = -112 + Math.round(Math.random() * 300) / 100;

interface World {
  advocate: { email: string; password: string };
  staff: { email: string; password: string; token: string };
  fits: { id: string; name: string; address: string; phone: string };
  excluded: { id: string; name: string; address: string; phone: string };
  regionName: string;
}
let world: World;

async function must<T>(result: Promise<{ data: T; errors?: unknown[] }>): Promise<T> {
  const answer = await result;
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

test.beforeAll(async () => {
  const adminLogin = demoLogin('ADMIN');
  const admin = await tokenFor(adminLogin.email, adminLogin.password);
  const createOrg = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`;
  const createUser = `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`;
  const agency = await must(
    gql(createOrg, { input: { kind: 'REFERRAL_AGENCY', name: `Advocate spec agency ${run}` } }, admin),
  );
  const provider = await must(
    gql(createOrg, { input: { kind: 'SHELTER_PROVIDER', name: `Advocate spec provider ${run}` } }, admin),
  );
  const advocate = { email: `advocate.${run}@example.org`, password: PASSWORD };
  const staff = { email: `staff.${run}@example.org`, password: PASSWORD };
  await must(
    gql(
      createUser,
      {
        input: {
          ...advocate,
          displayName: 'Alex Advocate',
          role: 'HOTLINE_ADVOCATE',
          organisationId: agency.createOrganisation.id,
        },
      },
      admin,
    ),
  );
  await must(
    gql(
      createUser,
      {
        input: {
          ...staff,
          displayName: 'Sky Staff',
          role: 'SHELTER_STAFF',
          organisationId: provider.createOrganisation.id,
        },
      },
      admin,
    ),
  );
  const staffToken = await tokenFor(staff.email, staff.password);
  const { regions } = await must(
    gql<{ regions: { id: string; code: string; name: string }[] }>(`{ regions { id code name } }`, {}, staffToken),
  );
  const region = regions.find((r) => r.code === 'LS-JUN') ?? regions[0];
  const createShelter = `mutation($input: CreateShelterInput!) { createShelter(input: $input) { id name } }`;
  const upsertPool = `mutation($input: UpsertBedPoolInput!) { upsertBedPool(input: $input) { id } }`;
  const eligibility = (genders: string[]) => ({
    genders,
    minAge: 18,
    maxAge: 99,
    acceptsUnaccompaniedMinors: false,
    acceptsChildren: false,
    maxChildren: 0,
    childMinAge: 0,
    childMaxAge: 0,
    traffickingTypes: ['SEX', 'LABOUR'],
    languages: ['en'],
    wheelchairAccessible: false,
    petsAllowed: false,
    substanceUsePolicy: 'HARM_REDUCTION',
    lgbtqAffirming: true,
    requiresLawEnforcementCooperation: false,
    immigrationPolicy: 'OPEN_TO_ALL',
    acceptsTraffickingRelatedRecords: true,
    requiresIdDocuments: false,
    programming: 'VOLUNTARY',
    curfew: null,
    maxStayDays: null,
  });
  const shelters: World['fits'][] = [];
  for (const [i, genders] of [
    [0, ['WOMAN', 'TRANSGENDER_WOMAN']],
    [1, ['MAN']],
  ] as const) {
    const s = {
      name: `${i === 0 ? 'Quiet Harbour' : 'North Gate'} House ${run}`,
      address: `${4100 + i} Hidden Orchard Lane ${run}`,
      phone: `+1 555 01${run.slice(-2)}${i}`,
    };
    const created = await must(
      gql(
        createShelter,
        {
          input: {
            name: s.name,
            city: TOWN,
            regionId: region.id,
            location: { latitude: LAT + i * 0.02, longitude: LON },
            locationConfidential: true,
            address: s.address,
            intakePhone: s.phone,
            intakeInstructions: `Call the intake line ${s.phone} when you are close`,
            intakeAlwaysOpen: true,
            responseMinutes: 120,
            holdMinutes: 240,
            services: ['CASE_MANAGEMENT', 'TRAUMA_THERAPY'],
            timeZone: 'America/Chicago',
            eligibility: eligibility([...genders]),
          },
        },
        staffToken,
      ),
    );
    await must(
      gql(upsertPool, { input: { shelterId: created.createShelter.id, bedType: 'SINGLE', capacity: 12 } }, staffToken),
    );
    shelters.push({ id: created.createShelter.id, ...s });
  }
  world = {
    advocate,
    staff: { ...staff, token: staffToken },
    fits: shelters[0],
    excluded: shelters[1],
    regionName: region.name,
  };
});

// ── helpers ──

async function asAdvocate(browser: Browser): Promise<Page> {
  return signedInPage(browser, world.advocate);
}

const form = (page: Page) => page.getByRole('form', { name: 'What the survivor needs' });

/** The five required answers, typed and chosen as a person does. */
async function fillRequired(page: Page, age = '31'): Promise<void> {
  await page.getByLabel(/^Age \(years\)/).fill(age);
  await page.getByLabel(/^Gender/).selectOption({ label: 'Woman' });
  await page.getByRole('checkbox', { name: 'Sex trafficking' }).check();
  await page.getByRole('radio', { name: 'Tonight' }).check();
  await page.getByLabel(/^Where the survivor is now/).selectOption({ label: `${TOWN}, ${world.regionName}` });
}

async function openDetails(page: Page): Promise<void> {
  await page.getByText('More details (optional)').click();
}

const matches = (page: Page) =>
  page.getByRole('list', { name: 'Shelters that fit, in the order they will be offered' });
/** One heading per match ("1. Name"); each match's reasons are a list of their own. */
const matchHeadings = (page: Page) => matches(page).getByRole('heading', { level: 3 });

/** What a shelter's staff have open, read through the API (beside their screen). */
async function openOffers(): Promise<{ referenceCode: string; needs: unknown }[]> {
  const data = await must(
    gql<{ offers: { edges: { node: { referenceCode: string; needs: unknown } }[] } }>(
      `query($shelterId: ID) { offers(shelterId: $shelterId, stages: [OPEN]) { edges { node { referenceCode needs { age } } } } }`,
      { shelterId: world.fits.id },
      world.staff.token,
    ),
  );
  return data.offers.edges.map((e) => e.node);
}

async function confidentialContacts(): Promise<string[]> {
  const db = new Client({ connectionString: process.env.WEB_DATABASE_URL });
  await db.connect();
  try {
    const rows = await db.query<{ address: string | null; intake_phone: string | null }>(
      `SELECT address, intake_phone FROM shelter WHERE location_confidential`,
    );
    return rows.rows.flatMap((r) => [r.address, r.intake_phone]).filter((v): v is string => !!v && v.length > 3);
  } finally {
    await db.end();
  }
}

/** Submit the form and record consent through the dialog; ends on the timeline, consent recorded. */
async function submitAndConsent(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Submit referral' }).click();
  const dialog = page.getByRole('dialog', { name: "Record the survivor's consent" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Record consent' }).click();
  await expect(dialog).toBeHidden();
  return referenceCode(page);
}

/** The reference code, from the timeline's heading ("Referral ABC123"). */
async function referenceCode(page: Page): Promise<string> {
  const heading = page.getByRole('heading', { level: 1, name: /^Referral / });
  await expect(heading).toBeVisible();
  const code = /^Referral (\S+)$/.exec((await heading.textContent()) ?? '')?.[1];
  expect(code).toBeTruthy();
  return code!;
}

/**
 * expectAccessible for a modal dialog: the header's language switch sits behind the modal, so the dialog is closed,
 * the language switched, and the dialog opened again in the same state; themes and widths as the fixture does.
 */
async function expectDialogAccessible(
  page: Page,
  state: string,
  dialog: (language: 'en' | 'es') => Locator,
  open: () => Promise<void>,
  close: (language: 'en' | 'es') => Promise<void>,
): Promise<void> {
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  const found: string[] = [];
  for (const language of ['es', 'en'] as const) {
    await close(language === 'es' ? 'en' : 'es');
    await chooseLanguage(page, language);
    await open();
    await expect(dialog(language)).toBeVisible();
    await sweepThemesAndWidths(page, language, found);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(original);
  expect(found, `axe violations on ${state}`).toEqual([]);
}

async function tabTo(page: Page, target: Locator, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the control');
}

/** Everything browser storage holds for this origin, as text. */
async function storageDump(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const out: unknown[] = [{ ...localStorage }, { ...sessionStorage }];
    const dbs = await indexedDB.databases();
    for (const info of dbs) {
      if (!info.name) continue;
      out.push(info.name);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error(String(request.error)));
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result as unknown[]);
          request.onerror = () => reject(new Error(String(request.error)));
        });
        out.push(store, all);
      }
      db.close();
    }
    return JSON.stringify(out);
  });
}

// ── the flows ──

test('the needs form: required answers first, a missing one marked invalid and described', async ({ browser }) => {
  const page = await asAdvocate(browser);
  await expect(page).toHaveURL(/\/app\/advocate$/);
  await expect(page.getByRole('heading', { level: 1, name: 'New referral' })).toBeFocused();
  await expectAccessible(page, 'needs form, empty');

  // a required answer missing: the field says so and is marked invalid
  await page.getByRole('button', { name: 'Preview matches' }).click();
  await expect(page.getByRole('alert')).toContainText('5 answers need your attention');
  const age = page.getByLabel(/^Age \(years\)/);
  await expect(age).toHaveAttribute('aria-invalid', 'true');
  await expect(age).toHaveAccessibleDescription('Answer this to go on.');
  await expect(age).toBeFocused();
  await expectAccessible(page, 'needs form with field errors');
  await page.context().close();
});

test('needs → preview with reasons and exclusions; no confidential address or phone anywhere in the page', async ({
  browser,
}) => {
  test.slow(); // several screens through axe in two languages, two themes and two widths
  const page = await asAdvocate(browser);
  await fillRequired(page);
  await openDetails(page);
  await page.getByLabel('Only shelters within (km)').fill('15');
  await page.getByRole('button', { name: 'Preview matches' }).click();
  await expect(matchHeadings(page)).toHaveCount(1);
  const first = matches(page).getByRole('listitem').first();
  await expect(first.getByRole('heading', { name: `1. ${world.fits.name}` })).toBeVisible();
  await expect(first).toContainText(new RegExp(`${TOWN}, \\d+ km away`));
  await expect(first).toContainText('Has a fitting bed: Single bed');
  await expect(first).toContainText('Taking arrivals now');
  await expect(first).toContainText('Staff speak a language the survivor speaks');
  await expect(page.getByText('ShelterLink makes the offer itself: this is the order it will try.')).toBeVisible();
  const exclusions = page.getByRole('table', { name: /Why shelters were left out/ });
  await expect(exclusions).toContainText('2 looked at, 1 left out');
  await expect(exclusions.getByRole('row', { name: "Doesn't serve this gender 1 1" })).toBeVisible();
  await expectAccessible(page, 'needs form with a preview');

  // the debounced preview follows the form: asking for a service the shelter lacks says so
  await page.getByRole('checkbox', { name: 'Legal help', exact: true }).check();
  await expect(first).toContainText('Does not offer: Legal help');

  const text = await page.locator('body').innerText();
  const html = await page.content();
  const secrets = await confidentialContacts();
  expect(secrets).toEqual(expect.arrayContaining([world.fits.address, world.fits.phone, world.excluded.address]));
  for (const secret of secrets) {
    expect(text, 'a confidential address or phone on the page').not.toContain(secret);
    expect(html, 'a confidential address or phone in the document').not.toContain(secret);
  }
  // an answer taken back: the preview no longer describes the form, so it goes
  await page.getByLabel(/^Age \(years\)/).fill('');
  await expect(matches(page)).toBeHidden();
  await expect(page.getByText('Answer the needed questions to see which shelters fit.')).toBeVisible();
  await page.context().close();
});

test('the whole flow by keyboard only, from needs to submitted and consented', async ({ browser }) => {
  const page = await asAdvocate(browser);
  const keys = page.keyboard;
  await tabTo(page, page.getByLabel(/^Age \(years\)/));
  await keys.type('27');
  await keys.press('Tab');
  await expect(page.getByLabel(/^Gender/)).toBeFocused();
  await keys.press('ArrowDown'); // "Woman", the first choice
  await expect(page.getByLabel(/^Gender/)).toHaveValue('WOMAN');
  await keys.press('Tab');
  await expect(page.getByRole('checkbox', { name: 'Sex trafficking' })).toBeFocused();
  await keys.press('Space');
  await keys.press('Tab');
  await keys.press('Space'); // labour trafficking too
  await keys.press('Tab');
  await expect(page.getByRole('radio', { name: 'Tonight' })).toBeFocused();
  await keys.press('Space');
  await expect(page.getByRole('radio', { name: 'Tonight' })).toBeChecked();
  const place = page.getByLabel(/^Where the survivor is now/);
  await tabTo(page, place);
  for (let i = 0; i < 200 && !(await place.inputValue()).includes(TOWN.toLowerCase()); i++)
    await keys.press('ArrowDown');
  await expect(place).toHaveValue(new RegExp(TOWN.toLowerCase()));
  // the optional details open with Enter on their summary
  await tabTo(page, page.getByText('More details (optional)'));
  await keys.press('Enter');
  const radius = page.getByLabel('Only shelters within (km)');
  await tabTo(page, radius);
  await keys.type('15');
  await expect(matches(page).getByRole('heading', { name: `1. ${world.fits.name}` })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Submit referral' }));
  await keys.press('Enter');
  const dialog = page.getByRole('dialog', { name: "Record the survivor's consent" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('checkbox', { name: /Share needs, without identity/ })).toBeChecked();
  await expect(dialog.getByRole('radio', { name: 'Spoken, on the hotline' })).toBeChecked();
  await tabTo(page, dialog.getByRole('button', { name: 'Record consent' }), 30);
  await keys.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Offered to a shelter', { exact: true })).toBeVisible({ timeout: 10_000 });
  await page.context().close();
});

test('submit without identity → consent → offered, all live on the timeline; revoke consent → the shelter loses the offer', async ({
  browser,
}) => {
  test.slow(); // several screens through axe in two languages, two themes and two widths
  const page = await asAdvocate(browser);
  // the offered shelter's staff, on another device, watching their offers
  const staffPage = await signedInPage(browser, world.staff);
  await staffPage.goto('/app/staff/offers');
  await expect(staffPage.getByRole('heading', { level: 1, name: 'Offers' })).toBeVisible();
  await fillRequired(page, '44');
  await openDetails(page);
  await page.getByLabel('Only shelters within (km)').fill('15');
  await expect(matchHeadings(page)).toHaveCount(1);
  await expect(page.getByText('Identity (optional: never a condition of service)')).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toBeHidden(); // collapsed
  await page.getByRole('button', { name: 'Submit referral' }).click();

  const dialog = page.getByRole('dialog', { name: "Record the survivor's consent" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Read these words to the survivor');
  await expect(dialog).toContainText('not your name or how to reach you');
  await expect(dialog.getByLabel('Consent lasts')).toHaveValue('30');
  await expect(dialog).toContainText(/Ends on/);
  await expectDialogAccessible(
    page,
    'consent dialog open',
    (lng) =>
      page.getByRole('dialog', {
        name:
          lng === 'en' ? "Record the survivor's consent" : 'Registrar el consentimiento de la persona sobreviviente',
      }),
    () => page.getByRole('button', { name: /^(Record consent|Registrar consentimiento)$/ }).click(),
    async (lng) => {
      await page.getByRole('button', { name: lng === 'en' ? 'Not now' : 'Ahora no' }).click();
      await expect(page.getByRole('dialog')).toBeHidden();
    },
  );
  // "Not now": the timeline waits for consent, with the window's countdown, and the dialog opens again from there
  await dialog.getByRole('button', { name: 'Not now' }).click();
  await expect(dialog).toBeHidden();
  const code = await referenceCode(page);
  await expect(page.getByRole('timer')).toContainText('left to record consent');
  await expect(page.getByRole('region', { name: 'Where it stands' })).toContainText('Waiting for consent');
  await expectAccessible(page, 'timeline, waiting for consent');
  const reopen = page.getByRole('button', { name: 'Record consent' });
  await reopen.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Record consent' }).click();
  await expect(dialog).toBeHidden();
  await expect(reopen).toBeHidden();

  // the worker matches and offers; the timeline follows live (no reload)
  const state = page.getByRole('region', { name: 'Where it stands' });
  await expect(state).toContainText('Offered to a shelter', { timeout: 10_000 });
  await expect(state).toContainText(`${world.fits.name} answers the offer by`);
  const offers = page.getByRole('region', { name: 'Offers, in order' });
  await expect(offers.getByRole('listitem')).toHaveCount(1);
  await expect(offers).toContainText(`${world.fits.name} · Waiting for an answer · answer by`);
  await expect.poll(async () => (await openOffers()).map((o) => o.referenceCode)).toContain(code);
  const staffOffer = staffPage.getByRole('heading', { name: new RegExp(`^Offer ${code}`) });
  await expect(staffOffer).toBeVisible({ timeout: 2_000 });
  await expectAccessible(page, 'timeline, offered');

  // revoke: takes effect at once, and the shelter's staff no longer have the offer
  const consents = page.getByRole('region', { name: 'Consents' });
  await consents.getByRole('button', { name: /^Revoke consent/ }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Revoke this consent?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Revoke consent' }).click();
  await expect(confirm).toBeHidden();
  await expect(state).toContainText('Consent taken back');
  await expect(offers).toContainText('Survivor took back consent');
  await expect.poll(async () => (await openOffers()).map((o) => o.referenceCode)).not.toContain(code);
  await expect(staffOffer).toBeHidden({ timeout: 2_000 });
  await staffPage.context().close();
  await page.context().close();
});

test('a shelter accepting shows the intake instructions first, live; withdraw asks to confirm with a reason', async ({
  browser,
}) => {
  test.slow(); // several screens through axe in two languages, two themes and two widths
  const page = await asAdvocate(browser);
  await fillRequired(page, '52');
  await openDetails(page);
  await page.getByLabel('Only shelters within (km)').fill('15');
  await expect(matchHeadings(page)).toHaveCount(1);
  const code = await submitAndConsent(page);
  const state = page.getByRole('region', { name: 'Where it stands' });
  await expect(state).toContainText('Offered to a shelter', { timeout: 10_000 });
  const { offers } = await must(
    gql<{ offers: { edges: { node: { id: string; referenceCode: string } }[] } }>(
      `query($shelterId: ID) { offers(shelterId: $shelterId, stages: [OPEN]) { edges { node { id referenceCode } } } }`,
      { shelterId: world.fits.id },
      world.staff.token,
    ),
  );
  const offerId = offers.edges.find((e) => e.node.referenceCode === code)!.node.id;
  await must(
    gql(
      `mutation($offerId: ID!, $input: RespondToOfferInput!) { respondToOffer(offerId: $offerId, input: $input) { id } }`,
      { offerId, input: { accept: true, intakeInstructions: 'Meet at the library steps, blue door' } },
      world.staff.token,
    ),
  );
  const intake = page.getByRole('region', { name: `How to reach intake at ${world.fits.name}` });
  await expect(intake).toContainText('Meet at the library steps, blue door', { timeout: 2_000 });
  await expect(state).toContainText('Accepted by a shelter');
  await expect(state).toContainText(`The survivor goes to ${world.fits.name}, arriving by`);
  await expectAccessible(page, 'timeline, accepted');

  await page.getByRole('button', { name: 'Withdraw referral' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Withdraw this referral?' });
  await confirm.getByRole('button', { name: 'Withdraw referral' }).click();
  await expect(confirm.getByLabel('Why')).toHaveAttribute('aria-invalid', 'true');
  await expect(confirm.getByLabel('Why')).toHaveAccessibleDescription('Choose why you are withdrawing it.');
  await expectDialogAccessible(
    page,
    'withdraw dialog with an error',
    (lng) =>
      page.getByRole('alertdialog', { name: lng === 'en' ? 'Withdraw this referral?' : '¿Retirar esta derivación?' }),
    async () => {
      await page.getByRole('button', { name: /^(Withdraw referral|Retirar derivación)$/ }).click();
      await page
        .getByRole('alertdialog')
        .getByRole('button', { name: /^(Withdraw referral|Retirar derivación)$/ })
        .click();
      await expect(page.getByRole('alertdialog').getByRole('combobox')).toHaveAttribute('aria-invalid', 'true');
    },
    async (lng) => {
      await page.getByRole('button', { name: lng === 'en' ? 'Keep referral' : 'Mantener derivación' }).click();
      await expect(page.getByRole('alertdialog')).toBeHidden();
    },
  );
  await confirm.getByLabel('Why').selectOption({ label: 'The survivor found a place elsewhere' });
  await confirm.getByRole('button', { name: 'Withdraw referral' }).click();
  await expect(confirm).toBeHidden();
  await expect(state).toContainText('Withdrawn');
  await expect(state).toContainText('This referral is closed');
  await page.context().close();
});

test('a session that expires mid-form renews in place and keeps the form', async ({ browser }) => {
  const page = await asAdvocate(browser);
  await fillRequired(page, '38');
  await openDetails(page);
  await page.getByLabel('Only shelters within (km)').fill('15');
  await expect(matchHeadings(page)).toHaveCount(1);

  const renewals: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && (r.postData() ?? '').includes('renewSession')) renewals.push(r.url());
  });
  // the next preview and the submission are each answered once as if the access token had ended
  const expireOnce = async (operation: string) => {
    let done = false;
    await page.route('**/graphql', async (route) => {
      if (!done && (route.request().postData() ?? '').includes(operation)) {
        done = true;
        await route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ errors: [{ message: 'Session ended', extensions: { code: 'UNAUTHENTICATED' } }] }),
        });
      } else await route.fallback();
    });
  };
  await expireOnce('AdvocatePreview');
  await page.getByRole('button', { name: 'Preview matches' }).click();
  await expect.poll(() => renewals.length).toBeGreaterThanOrEqual(1);
  await expect(matches(page).getByRole('heading', { name: `1. ${world.fits.name}` })).toBeVisible();
  await expect(page.getByLabel(/^Age \(years\)/)).toHaveValue('38');
  await expect(page.getByLabel(/^Gender/)).toHaveValue('WOMAN');
  await expect(page.getByRole('checkbox', { name: 'Sex trafficking' })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'Tonight' })).toBeChecked();
  await expect(page.getByLabel('Only shelters within (km)')).toHaveValue('15');
  await expect(page).toHaveURL(/\/app\/advocate$/);

  await page.unrouteAll();
  await expireOnce('AdvocateSubmitReferral');
  const before = renewals.length;
  await submitAndConsent(page);
  await expect.poll(() => renewals.length).toBeGreaterThan(before);
  await expect(page.getByRole('region', { name: 'Where it stands' })).toContainText(
    /Looking for a bed|Offered to a shelter/,
  );
  await page.context().close();
});

test('browser storage and URLs hold no needs or identity; lists never request the identity field; a fresh session finds the referral through the list', async ({
  browser,
}) => {
  test.slow(); // several screens through axe in two languages, two themes and two widths
  const page = await asAdvocate(browser);
  const urls: string[] = [];
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  const identity = {
    name: `Marisol Quintero ${run}`,
    phone: `+1 555 77${run.slice(-3)}`,
    notes: `prefers-evenings-${run}`,
  };
  await fillRequired(page, '29');
  await openDetails(page);
  await page.getByLabel('Only shelters within (km)').fill('15');
  await page.getByText('Identity (optional: never a condition of service)').click();
  await page.getByLabel('Name', { exact: true }).fill(identity.name);
  await page.getByLabel('Phone', { exact: true }).fill(identity.phone);
  await page.getByLabel('Notes', { exact: true }).fill(identity.notes);
  await expect(matchHeadings(page)).toHaveCount(1);
  const code = await submitAndConsent(page);

  const dump = await storageDump(page);
  for (const value of [identity.name, identity.phone, identity.notes, TOWN, '"age"', 'WOMAN', 'SEX', 'TONIGHT'])
    expect(dump, `browser storage holds ${value}`).not.toContain(value);
  for (const url of [...urls, page.url()])
    for (const value of [
      identity.name,
      encodeURIComponent(identity.name),
      'age=',
      'WOMAN',
      TOWN,
      encodeURIComponent(TOWN),
    ])
      expect(url).not.toContain(value);

  // a new context: another device, signed in afresh, finds it through the list (nothing kept from before)
  const fresh = await asAdvocate(browser);
  const bodies: string[] = [];
  fresh.on('request', (r) => {
    if (r.url().endsWith('/graphql') && r.method() === 'POST') bodies.push(r.postData() ?? '');
  });
  await fresh.getByRole('link', { name: "My agency's referrals" }).click();
  await expect(fresh.getByRole('heading', { level: 1, name: "My agency's referrals" })).toBeVisible();
  const open = fresh.getByRole('table', { name: /open referrals?, most urgent first/ });
  await expect(open.getByRole('link', { name: `Referral ${code}` })).toBeVisible();
  await expectAccessible(fresh, 'agency referrals');
  await open.getByRole('link', { name: `Referral ${code}` }).click();
  await expect(fresh.getByRole('heading', { level: 1, name: `Referral ${code}` })).toBeVisible();
  await expect(fresh.getByRole('region', { name: 'Where it stands' })).toContainText(
    /Looking for a bed|Offered to a shelter/,
  );
  await expect(fresh.getByRole('region', { name: 'History' })).toContainText('Waiting for consent');
  await expectAccessible(fresh, 'timeline');
  expect(bodies.length).toBeGreaterThan(0);
  for (const body of bodies)
    expect(body, 'a request for the identity').not.toMatch(/(?<![A-Za-z])identity(?![A-Za-z])/);
  expect(await fresh.locator('body').innerText()).not.toContain(identity.name);
  await fresh.context().close();
  await page.context().close();
});

test('signing in through the app lands the advocate on the needs form', async ({ page }) => {
  await signIn(page, world.advocate.email, world.advocate.password);
  await expect(page).toHaveURL(/\/app\/advocate$/);
  await expect(form(page)).toBeVisible();
});
