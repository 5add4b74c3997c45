// Shelter staff and the referral workflow: an offer arrives live with its countdown and de-identified needs; decline
// needs a reason; accept with instructions reaches the advocate; arrivals (found again by a fresh session), intake,
// identity on an explicit Show, exit and no-show, each moving the counts. The demo advocate's referrals carry needs
// only this file's shelter fits.
import { type Page } from '@playwright/test';
import { demoLogin, expect, expectAccessible, signedInPage, signIn, test, tokenFor } from './fixtures';
import {
  advocateOffers,
  consentedReferral,
  eventCount,
  newShelter,
  poolState,
  rareEligibility,
  staffWorld,
  type StaffWorld,
  type TestShelter,
  expectAccessibleDialog,
} from './staff-support';

const PHONE = { width: 390, height: 844 };
let w: StaffWorld;
let shelter: TestShelter;
let advocateToken: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  w = await staffWorld();
  shelter = await newShelter(
    w,
    { ACCESSIBLE: 3 },
    { status: 'ACTIVE', eligibility: rareEligibility(), responseMinutes: 30, holdMinutes: 240 },
  );
  const advocate = demoLogin('HOTLINE_ADVOCATE');
  advocateToken = await tokenFor(advocate.email, advocate.password);
});

function offerCard(page: Page, reference: string) {
  return page.getByRole('article', { name: new RegExp(`^(Offer|Oferta) ${reference}`) });
}

function arrivalCard(page: Page, reference: string) {
  return page.getByRole('article', { name: new RegExp(`^(Referral|Derivación) ${reference}$`) });
}

test('an offer arrives live with its deadline and needs; decline needs a reason', async ({ browser }) => {
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await page.getByRole('link', { name: 'Offers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Offers' })).toBeVisible();
  await expect(page.getByText('No offers are waiting for an answer.')).toBeVisible();
  const referral = await consentedReferral(w, advocateToken);
  const card = offerCard(page, referral.referenceCode);
  await expect(card).toBeVisible({ timeout: 15_000 });
  await expect(card.getByRole('timer')).toContainText(/Answer by .* left\)/);
  await expect(card).toContainText('71 years old, Non-binary');
  await expect(card).toContainText('Quechua');
  // never the survivor's identity
  await expect(card).not.toContainText('Ana Spec-Person');
  expect((await poolState(w, shelter.id, shelter.pools.ACCESSIBLE)).held).toBe(1);
  await expectAccessible(page, 'Offers with an offer');
  // answers are never queued: offline, the screen says so and the buttons wait for the connection
  await page.context().setOffline(true);
  await expect(page.getByText('Answering an offer needs a connection', { exact: false })).toBeVisible();
  await expect(card.getByRole('button', { name: `Accept (${referral.referenceCode})` })).toBeDisabled();
  await expect(card.getByRole('button', { name: `Decline (${referral.referenceCode})` })).toBeDisabled();
  await page.context().setOffline(false);

  const dialog = page.getByRole('dialog', { name: `Decline offer ${referral.referenceCode}` });
  await expectAccessibleDialog(page, 'Offers, decline dialog with a missing reason', async () => {
    await card
      .getByRole('button', { name: new RegExp(`^(Decline|Rechazar) \\(${referral.referenceCode}\\)$`) })
      .click();
    const open = page.getByRole('dialog');
    await open.getByRole('button', { name: /^(Decline offer|Rechazar la oferta)$/ }).click();
    await expect(open.getByRole('combobox')).toHaveAttribute('aria-invalid', 'true');
  });
  await card.getByRole('button', { name: `Decline (${referral.referenceCode})` }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Decline offer' }).click();
  await expect(dialog.getByText('Choose a reason to decline.')).toBeVisible();
  await expect(dialog.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Reason')).toBeFocused();
  await dialog.getByLabel('Reason').selectOption({ label: 'No bed available' });
  await dialog.getByRole('button', { name: 'Decline offer' }).click();
  await expect(card).toHaveCount(0);
  await expect.poll(async () => (await advocateOffers(referral.id, advocateToken))[0]?.status).toBe('DECLINED');
  expect((await poolState(w, shelter.id, shelter.pools.ACCESSIBLE)).held).toBe(0);
  await page.context().close();
});

test('the answer countdown is heard at 5 minutes and at 1 minute left, never on every tick', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  // the page's own clock, so half an hour can pass in a moment (the server's deadline stays where it is)
  await page.clock.install();
  await signIn(page, w.email, w.password);
  await page.getByRole('link', { name: 'Offers' }).click();
  const referral = await consentedReferral(w, advocateToken);
  const card = offerCard(page, referral.referenceCode);
  await expect(card).toBeVisible({ timeout: 15_000 });
  // everything the polite live region says from now on
  await page.evaluate(() => {
    const region = document.querySelector('[role="status"][aria-live="polite"]');
    const heard: string[] = [];
    Object.assign(window, { heard });
    new MutationObserver(() => {
      if (region?.textContent) heard.push(region.textContent);
    }).observe(region!, { childList: true, subtree: true, characterData: true });
  });
  const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard);

  // 30 minutes to answer; 24 minutes on, the clock has moved every second and nothing was said
  await page.clock.fastForward('24:00');
  await expect(card.getByRole('timer')).toContainText(/\(5:\d\d left\)/);
  await page.clock.runFor(2_000);
  expect(await heard()).toEqual([]);
  await page.clock.fastForward('01:00');
  const five = `Offer ${referral.referenceCode}: 5 minutes left to answer.`;
  await expect.poll(heard).toEqual([five]);
  await page.clock.fastForward('04:00');
  await expect.poll(heard).toEqual([five, `Offer ${referral.referenceCode}: 1 minute left to answer.`]);
  await expect(card.getByRole('timer')).toContainText(/\(0:\d\d left\)/);

  // answered before the server's deadline: declined, the bed is free again
  await card.getByRole('button', { name: `Decline (${referral.referenceCode})` }).click();
  const dialog = page.getByRole('dialog', { name: `Decline offer ${referral.referenceCode}` });
  await dialog.getByLabel('Reason').selectOption({ label: 'No bed available' });
  await dialog.getByRole('button', { name: 'Decline offer' }).click();
  await expect(card).toHaveCount(0);
  await expect.poll(async () => (await advocateOffers(referral.id, advocateToken))[0]?.status).toBe('DECLINED');
  await context.close();
});

test('accept with instructions: the advocate receives them; a fresh session finds the arrival; Show identity; intake and exit move the counts', async ({
  browser,
}) => {
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await page.getByRole('link', { name: 'Offers' }).click();
  const referral = await consentedReferral(w, advocateToken, { identityFor: shelter.id });
  const card = offerCard(page, referral.referenceCode);
  await expect(card).toBeVisible({ timeout: 15_000 });
  // the advocate follows the referral's timeline meanwhile
  const advocate = await signedInPage(browser, demoLogin('HOTLINE_ADVOCATE'));
  await advocate.goto(`/app/advocate/referrals/${referral.id}`);
  await expect(advocate.getByRole('heading', { level: 1 })).toContainText(referral.referenceCode);
  await card.getByRole('button', { name: `Accept (${referral.referenceCode})` }).click();
  const dialog = page.getByRole('dialog', { name: `Accept offer ${referral.referenceCode}` });
  const instructions = dialog.getByLabel('Intake instructions for the referring agency');
  // pre-filled with the shelter's default
  await expect(instructions).toHaveValue('Call the intake line when you are ten minutes away.');
  await instructions.fill('Meet at the side door of the Juniper City library; call 555-0142 on arrival.');
  await dialog.getByRole('button', { name: 'Accept and send instructions' }).click();
  await expect(card).toHaveCount(0);
  // live on the advocate's screen
  await expect(
    advocate.getByText('Meet at the side door of the Juniper City library; call 555-0142 on arrival.'),
  ).toBeVisible({ timeout: 2_000 });
  await expect
    .poll(async () => (await advocateOffers(referral.id, advocateToken))[0]?.intakeInstructions)
    .toBe('Meet at the side door of the Juniper City library; call 555-0142 on arrival.');
  await advocate.context().close();
  await page.context().close();

  // another device, signed in afresh, finds the arrival through the screens
  const fresh = await signedInPage(browser, w, { viewport: PHONE });
  await fresh.getByRole('link', { name: 'Arrivals and residents' }).click();
  const arrival = arrivalCard(fresh, referral.referenceCode);
  await expect(arrival).toBeVisible();
  await expect(arrival).toContainText(/Arrive by: .*America\/Chicago/);
  await expect(arrival).not.toContainText('Ana Spec-Person');
  await expectAccessible(fresh, 'Arrivals with someone on the way');
  await arrival.getByRole('button', { name: `Show identity (${referral.referenceCode})` }).click();
  await expect(arrival).toContainText('Ana Spec-Person');
  await arrival.getByRole('button', { name: `Hide identity (${referral.referenceCode})` }).click();
  await expect(arrival).not.toContainText('Ana Spec-Person');

  const pool = shelter.pools.ACCESSIBLE;
  expect(await poolState(w, shelter.id, pool)).toMatchObject({ held: 1, occupied: 0 });
  await arrival.getByRole('button', { name: `Confirm arrival (${referral.referenceCode})` }).click();
  const resident = fresh
    .getByRole('region', { name: 'Residents' })
    .getByRole('article', { name: `Referral ${referral.referenceCode}` });
  await expect(resident).toBeVisible();
  expect(await poolState(w, shelter.id, pool)).toMatchObject({ held: 0, occupied: 1 });
  expect(await eventCount(w, pool, 'INTAKE')).toBe(1);

  await resident.getByRole('button', { name: `Record exit (${referral.referenceCode})` }).click();
  const exit = fresh.getByRole('dialog', { name: `Record exit for ${referral.referenceCode}` });
  await exit.getByLabel('Where did the resident go?').selectOption({ label: 'Transitional housing programme' });
  await exit.getByRole('button', { name: 'Record exit' }).click();
  await expect(resident).toHaveCount(0);
  expect(await poolState(w, shelter.id, pool)).toMatchObject({ held: 0, occupied: 0 });
  expect(await eventCount(w, pool, 'EXIT')).toBe(1);
  await fresh.context().close();
});

test('a no-show frees the held bed', async ({ browser }) => {
  const page = await signedInPage(browser, w, { viewport: PHONE });
  await page.getByRole('link', { name: 'Offers' }).click();
  const referral = await consentedReferral(w, advocateToken);
  const card = offerCard(page, referral.referenceCode);
  await expect(card).toBeVisible({ timeout: 15_000 });
  await card.getByRole('button', { name: `Accept (${referral.referenceCode})` }).click();
  await page
    .getByRole('dialog', { name: `Accept offer ${referral.referenceCode}` })
    .getByRole('button', { name: 'Accept and send instructions' })
    .click();
  await expect(card).toHaveCount(0);
  await page.getByRole('link', { name: 'Arrivals and residents' }).click();
  const arrival = arrivalCard(page, referral.referenceCode);
  const released = await eventCount(w, shelter.pools.ACCESSIBLE, 'HOLD_RELEASED');
  await expectAccessibleDialog(page, 'Arrivals, no-show confirmation open', async () => {
    await arrival
      .getByRole('button', { name: new RegExp(`^(Did not arrive|No llegó) \\(${referral.referenceCode}\\)$`) })
      .click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
  });
  await arrival.getByRole('button', { name: `Did not arrive (${referral.referenceCode})` }).click();
  const confirm = page.getByRole('alertdialog', { name: `Did ${referral.referenceCode} not arrive?` });
  await confirm.getByRole('button', { name: 'Yes, record that they did not arrive' }).click();
  await expect(arrival).toHaveCount(0);
  expect(await eventCount(w, shelter.pools.ACCESSIBLE, 'HOLD_RELEASED')).toBe(released + 1);
  await expect.poll(async () => (await advocateOffers(referral.id, advocateToken))[0]?.closedReason).toBe('NO_SHOW');
  await page.context().close();
});
