// Admins: organisations, regions, users (create, deactivate with confirmation, reactivate) and the security audit
// trail. Everything this file creates is its own (unique names), so other spec files never see it change.
import { randomUUID } from 'node:crypto';
import {
  demoLogin,
  expect,
  expectAccessible,
  expectAccessibleDialog,
  gql,
  signedInPage,
  signIn,
  test,
} from './fixtures';

const ADMIN = demoLogin('ADMIN');
const unique = () => randomUUID().slice(0, 8);

test('organisations: create one, rename it; every admin screen is accessible', async ({ browser }) => {
  test.slow(); // four screens' accessibility passes
  const page = await signedInPage(browser, ADMIN);
  await expect(page).toHaveURL(/\/app\/admin$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeFocused();
  const name = `Spec Provider ${unique()}`;
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Kind').selectOption({ label: 'Shelter provider' });
  await page.getByRole('button', { name: 'Add organisation' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${name} was added.` })).toBeAttached();
  const table = page.getByRole('table', { name: 'Every organisation in the network' });
  await expect(table.getByRole('rowheader', { name, exact: true })).toBeVisible();
  await expectAccessible(page, 'organisations');

  await table.getByRole('button', { name: `Rename ${name}` }).click();
  const renamed = `${name} Renamed`;
  await page.getByLabel(`New name for ${name}`).fill(renamed);
  await expectAccessible(page, 'organisations, renaming');
  await table.getByRole('button', { name: 'Save' }).click();
  await expect(table.getByRole('rowheader', { name: renamed, exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'Regions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Regions' })).toBeFocused();
  const region = `Spec Region ${unique()}`;
  await page.getByLabel('Name').fill(region);
  await page.getByLabel('Code').fill(`SPEC-${unique().toUpperCase()}`);
  await page.getByRole('button', { name: 'Add region' }).click();
  await expect(
    page.getByRole('table', { name: /^Regions, each under/ }).getByRole('rowheader', { name: region }),
  ).toBeVisible();
  await expectAccessible(page, 'regions');

  await page.getByRole('link', { name: 'Security audit trail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Security audit trail' })).toBeFocused();
  await page.getByLabel('Show').selectOption({ label: 'Organisation renamed' });
  await expect(
    page
      .getByRole('table', { name: /^Security events/ })
      .getByRole('rowheader', { name: 'Organisation renamed' })
      .first(),
  ).toBeVisible();
  await expectAccessible(page, 'audit trail');
  await page.context().close();
});

test('users: create one, deactivate with confirmation → they cannot sign in; the audit trail shows it; a fresh sign-in finds them', async ({
  browser,
}) => {
  test.slow(); // the users screen and its dialog in every language, theme and width
  const page = await signedInPage(browser, ADMIN);
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeFocused();
  await expectAccessible(page, 'users');

  const email = `spec.advocate.${unique()}@example.org`;
  const password = `spec-password-${unique()}`;
  const form = page.getByRole('region', { name: 'Add a user' });
  await form.getByLabel('Name').fill('Spec Advocate');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('First password').fill(password);
  await form.getByLabel('Role').selectOption({ label: 'Hotline advocate' });
  await form.getByLabel('Organisation').selectOption({ index: 1 });
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${email} was added.` })).toBeAttached();

  const login = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;
  expect((await gql(login, { email, password })).data?.login?.token).toBeTruthy();

  // the confirmation is accessible in both languages; cancelling changes nothing and gives focus back
  const deactivate = page.getByRole('button', { name: `Deactivate ${email}` });
  await expectAccessibleDialog(page, 'deactivation confirmation open', async () => {
    await page.getByRole('button', { name: new RegExp(`^(Deactivate|Desactivar) ${email}$`) }).click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
  });
  await deactivate.click();
  const dialog = page.getByRole('alertdialog', { name: `Deactivate ${email}?` });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(deactivate).toBeFocused();

  await deactivate.click();
  await dialog.getByRole('button', { name: 'Deactivate', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: `Reactivate ${email}` })).toBeVisible();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: email }) });
  await expect(row.getByText('Deactivated')).toBeVisible();
  const refused = await gql(login, { email, password });
  expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');

  await page.getByRole('link', { name: 'Security audit trail' }).click();
  await page.getByLabel('Show').selectOption({ label: 'User account deactivated' });
  const trail = page.getByRole('table', { name: /^Security events/ });
  await expect(
    trail
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'User account deactivated' }) })
      .filter({ has: page.getByRole('cell', { name: email }) }),
  ).toBeVisible();
  await page.context().close();

  // another admin session (a new context) finds the user through the list
  const fresh = await signedInPage(browser, ADMIN);
  await fresh.getByRole('link', { name: 'Users' }).click();
  await expect(fresh.getByRole('rowheader', { name: email })).toBeVisible();
  await fresh.getByRole('button', { name: `Reactivate ${email}` }).click();
  await expect(fresh.getByRole('button', { name: `Deactivate ${email}` })).toBeVisible();
  expect((await gql(login, { email, password })).data?.login?.token).toBeTruthy();
  await fresh.context().close();
});

test('a bad input names its field: an email already in use is marked invalid and described', async ({ browser }) => {
  const page = await signedInPage(browser, ADMIN);
  await page.goto('/app/admin/users');
  const form = page.getByRole('region', { name: 'Add a user' });
  await form.getByLabel('Name').fill('Spec Same Email');
  await form.getByLabel('Email').fill(ADMIN.email);
  await form.getByLabel('First password').fill(`spec-password-${unique()}`);
  await form.getByLabel('Role').selectOption({ label: 'Hotline advocate' });
  await form.getByLabel('Organisation').selectOption({ index: 1 });
  await form.getByRole('button', { name: 'Add user' }).click();
  const field = form.getByLabel('Email');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(/already exists/);
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'users, a field in error');
  await page.context().close();
});

test('a coordinator is created with a region; their regions, then their role, change in place, and they sign in to the new role', async ({
  browser,
}) => {
  const page = await signedInPage(browser, ADMIN);
  await page.goto('/app/admin/users');
  const email = `spec.coordinator.${unique()}@example.org`;
  const password = `spec-password-${unique()}`;
  const form = page.getByRole('region', { name: 'Add a user' });
  await form.getByLabel('Name').fill('Spec Coordinator');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('First password').fill(password);
  await form.getByLabel('Role').selectOption({ label: 'Regional coordinator' });
  await form.getByLabel('Organisation').selectOption({ index: 1 });
  await form.getByRole('group', { name: 'Regions' }).getByRole('checkbox', { name: 'Juniper County' }).check();
  await form.getByRole('button', { name: 'Add user' }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: email }) });
  await expect(row.getByRole('cell').nth(3)).toHaveText(/^Juniper County/);

  await row.getByRole('button', { name: `Change role ${email}` }).click();
  const editor = page.getByRole('form', { name: `Role and access of ${email}` });
  await expect(editor.getByRole('heading', { name: `Role and access of ${email}` })).toBeFocused();
  await expect(editor).toHaveAccessibleDescription(/signs them out everywhere/);
  await expect(editor.getByLabel('Role')).toHaveValue('REGIONAL_COORDINATOR');
  const regions = editor.getByRole('group', { name: `Regions of ${email}` });
  await expect(regions.getByRole('checkbox', { name: 'Juniper County' })).toBeChecked();
  await regions.getByRole('checkbox', { name: 'Cedar Hollow County' }).check();
  await expectAccessible(page, 'users, changing role and access');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `The role and access of ${email} were saved.` }),
  ).toBeAttached();
  // focus returns to the button that opened the editor
  await expect(row.getByRole('button', { name: `Change role ${email}` })).toBeFocused();
  await expect(row.getByRole('cell').nth(3)).toContainText('Cedar Hollow County');
  await expect(row.getByRole('cell').nth(3)).toContainText('Juniper County');
  await page.context().close();

  // the coordinator at work on their own device
  const theirs = await signedInPage(browser, { email, password });
  await expect(theirs.getByRole('heading', { level: 1, name: 'Capacity' })).toBeVisible();

  // another day, another admin session finds them in the list and makes them a hotline advocate
  const fresh = await signedInPage(browser, ADMIN);
  await fresh.getByRole('link', { name: 'Users' }).click();
  const again = fresh.getByRole('row').filter({ has: fresh.getByRole('rowheader', { name: email }) });
  await again.getByRole('button', { name: `Change role ${email}` }).click();
  const move = fresh.getByRole('form', { name: `Role and access of ${email}` });
  await move.getByLabel('Role').selectOption({ label: 'Hotline advocate' });
  await expect(move.getByRole('group', { name: `Regions of ${email}` })).toHaveCount(0);
  await move.getByRole('button', { name: 'Save' }).click();
  // an agency is needed: the browser asks for one, nothing is saved
  expect(
    await move.getByLabel('Organisation').evaluate((select) => (select as HTMLSelectElement).validity.valueMissing),
  ).toBe(true);
  await expect(again.getByRole('cell').nth(1)).toHaveText('Regional coordinator');
  await move.getByLabel('Organisation').selectOption({ index: 1 });
  await move.getByRole('button', { name: 'Save' }).click();
  await expect(again.getByRole('cell').nth(1)).toHaveText('Hotline advocate');
  await expect(again.getByRole('cell').nth(3)).toHaveText('');
  // the trail says it in words: roles by their names, organisations by name, never codes or ids
  await fresh.getByRole('link', { name: 'Security audit trail' }).click();
  await fresh.getByLabel('Show').selectOption({ label: 'User account changed' });
  const change = fresh
    .getByRole('table', { name: /^Security events/ })
    .getByRole('row')
    .filter({ has: fresh.getByRole('cell', { name: email }) })
    .filter({ hasText: 'Role now: Hotline advocate' })
    .first();
  await expect(change).toContainText('Role before: Regional coordinator');
  await expect(change).toContainText('Changed: Role, Organisation, Regions');
  await expect(change).toContainText('Organisation before: ');
  await expect(change).not.toContainText(/HOTLINE_ADVOCATE|REGIONAL_COORDINATOR|organisationFrom/);
  await expectAccessible(fresh, 'the audit trail with an access change');
  await fresh.context().close();

  // their open page is signed out (their sign-ins ended); signing in again opens the advocate's work
  await theirs.reload();
  await expect(theirs.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await signIn(theirs, email, password);
  await expect(theirs.getByRole('link', { name: 'New referral' })).toBeVisible();
  await expect(theirs.getByRole('link', { name: 'Capacity' })).toHaveCount(0);
  await theirs.context().close();
});
