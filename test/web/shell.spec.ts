// The app's frame, for every role: signing in and out, where each role lands, pages of another role, deep links,
// and the API's own paths beside the app.
import { baseUrl, demoLogin, expect, expectAccessible, signIn, test } from './fixtures';

test('/ redirects to the app, and the API keeps its own paths', async ({ request }) => {
  const root = await request.get(`${baseUrl()}/`, { maxRedirects: 0 });
  expect(root.status()).toBe(302);
  expect(root.headers().location).toBe('/app/');
  const live = await request.get(`${baseUrl()}/health/live`);
  expect(live.ok()).toBe(true);
  const graphql = await request.post(`${baseUrl()}/graphql`, { data: { query: '{ __typename }' } });
  expect(graphql.ok()).toBe(true);
  const exports = await request.get(`${baseUrl()}/exports/capacity.csv`);
  expect(exports.status()).toBe(401);
});

test('index.html is revalidated on every load, hashed assets are cached for good, deep links get the app', async ({
  request,
}) => {
  const index = await request.get(`${baseUrl()}/app/`);
  expect(index.headers()['cache-control']).toBe('no-cache');
  expect(index.headers()['content-security-policy']).toContain("default-src 'self'");
  const html = await index.text();
  const asset = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(asset).toBeDefined();
  const script = await request.get(`${baseUrl()}${asset}`);
  expect(script.headers()['cache-control']).toContain('immutable');
  const deep = await request.get(`${baseUrl()}/app/staff/offers`);
  expect(deep.status()).toBe(200);
  expect(await deep.text()).toContain('<div id="root">');
});

test('sign-in: each role lands on its home; a wrong password says so in words; the form is accessible', async ({
  page,
}) => {
  await page.goto('/app/');
  await expect(page).toHaveURL(/\/app\/signin/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await expectAccessible(page, 'sign-in');
  const staff = demoLogin('SHELTER_STAFF');
  await page.getByLabel('Email').fill(staff.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/email or password/i);
  await expectAccessible(page, 'sign-in with an error');
  for (const [role, home] of [
    ['SHELTER_STAFF', /\/app\/staff$/],
    ['HOTLINE_ADVOCATE', /\/app\/advocate$/],
    ['REGIONAL_COORDINATOR', /\/app\/coordinator$/],
    ['ADMIN', /\/app\/admin$/],
  ] as const) {
    const context = await page.context().browser()!.newContext();
    const other = await context.newPage();
    const login = demoLogin(role);
    await signIn(other, login.email, login.password);
    await expect(other).toHaveURL(home);
    await context.close();
  }
});

test("another role's page shows 'not allowed' and requests none of its data", async ({ page }) => {
  const advocate = demoLogin('HOTLINE_ADVOCATE');
  await signIn(page, advocate.email, advocate.password);
  const requests: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && r.method() === 'POST') requests.push(r.postData() ?? '');
  });
  await page.goto('/app/staff');
  await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
  // the page load renews the session (the refresh cookie); nothing else is asked for
  expect(requests.every((body) => body.includes('renewSession'))).toBe(true);
  await expectAccessible(page, 'not allowed');
});

test('a deep link reloads under /app/ and comes back signed in; an unknown page says not found', async ({ page }) => {
  const coordinator = demoLogin('REGIONAL_COORDINATOR');
  await signIn(page, coordinator.email, coordinator.password);
  await page.goto('/app/coordinator');
  await page.reload();
  await expect(page).toHaveURL(/\/app\/coordinator$/);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.goto('/app/no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
});

test('signing out offline: signed out at once, and the sign-out reaches the server before anyone can be signed in again', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const staff = demoLogin('SHELTER_STAFF');
  await signIn(page, staff.email, staff.password);
  await expect(page.getByRole('heading', { level: 1, name: 'My beds' })).toBeVisible();
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Sign out' }).click();
  // still in the app (no "no internet" page), signed out
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('You have signed out.')).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // the connection is back; the next person opens the app on this device: the sign-in form, not the last person's work
  await context.setOffline(false);
  await page.goto('/app/');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'My beds' })).toHaveCount(0);
  // the server ended that sign-in: its cookie renews nothing, and nothing is owed any more
  const renewed = await page.evaluate(async () => {
    const response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { renewSession { token } }' }),
    });
    return (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  });
  expect(renewed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(await page.evaluate(() => localStorage.getItem('shelterlink:sign-out-owed'))).toBeNull();
  await context.close();
});

test('after sign-out, Back shows nothing and the session cannot be renewed', async ({ page }) => {
  const staff = demoLogin('SHELTER_STAFF');
  await signIn(page, staff.email, staff.password);
  await expect(page).toHaveURL(/\/app\/staff$/);
  await page.getByRole('link', { name: 'Offers' }).click();
  await expect(page).toHaveURL(/\/app\/staff\/offers$/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('You have signed out.')).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/app\/(staff|signin)/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('the language switch changes the page and <html lang>; the choice stays after a reload', async ({ page }) => {
  await page.goto('/app/signin');
  await page.getByLabel('Language').selectOption('es');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeVisible();
  await page.getByLabel('Idioma').selectOption('en');
});
