// What the browser tests share: signing in through the app, GraphQL calls for setting up and for comparing with the
// screen, and the accessibility check every screen and state goes through.
import { expect, type Browser, type Page } from '@playwright/test';
import type { AxeResults, RunOptions } from 'axe-core';
import { readFileSync } from 'node:fs';
import { gql as apiGql, login } from '../support/gql';
import path from 'node:path';

// the demo's logins, from the build the tests run against (its TypeScript needs decorators Playwright cannot compile)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEMO_LOGINS } = require(path.resolve(__dirname, '../../dist/apps/cli/src/demo-data.js')) as {
  DEMO_LOGINS: { role: string; email: string; password: string }[];
};

export { expect, test } from '@playwright/test';
export type { Page } from '@playwright/test';

export type DemoRole = 'ADMIN' | 'SHELTER_STAFF' | 'HOTLINE_ADVOCATE' | 'REGIONAL_COORDINATOR';

export function demoLogin(role: DemoRole): { email: string; password: string } {
  const found = DEMO_LOGINS.find((l) => l.role === role);
  if (!found) throw new Error(`no demo login for ${role}`);
  return { email: found.email, password: found.password };
}

export function baseUrl(): string {
  const url = process.env.WEB_BASE_URL;
  if (!url) throw new Error('WEB_BASE_URL is not set: run the browser tests through test/web/playwright.config.ts');
  return url;
}

/** A GraphQL request from the test itself (setting up, or reading what the screen should show). */
export async function gql<T = any>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ data: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  return (await apiGql<T>(baseUrl(), query, variables, token)) as { data: T };
}

export function tokenFor(email: string, password: string): Promise<string> {
  return login(baseUrl(), email, password);
}

/** Sign in through the app's own form, as a person does. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/app/signin');
  await page.getByLabel(/^(Email|Correo electrónico)$/).fill(email);
  await page.getByLabel(/^(Password|Contraseña)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|Iniciar sesión)$/ }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/** A browser context of its own (another person, another device), signed in. */
export async function signedInPage(
  browser: Browser,
  login: { email: string; password: string },
  options: { viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, login.email, login.password);
  return page;
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// axe-core itself, put into the page once per document and run there (the app has no frames): a wrapper that runs
// it per frame and assembles the report in a page of its own took about six times as long per check
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe on what the page shows now; the violations, described briefly. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(c: Document, o: RunOptions): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map(
      (v) => `${v.id} (${v.impact ?? ''}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  }, AXE_TAGS);
}

export async function chooseLanguage(page: Page, language: 'en' | 'es'): Promise<void> {
  await page.getByLabel(/^(Language|Idioma)$/).selectOption(language);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

/** axe in light and dark at 320 px and 1280 px wide, on what the page shows now; violations added to `found`. */
export async function sweepThemesAndWidths(page: Page, language: 'en' | 'es', found: string[]): Promise<void> {
  const height = (page.viewportSize() ?? { height: 900 }).height;
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [320, 1280]) {
      await page.setViewportSize({ width, height });
      for (const v of await axeViolations(page)) found.push(`[${language} ${colorScheme} ${width}px] ${v}`);
    }
  }
}

/**
 * The sweep in both languages: `inLanguage` runs after each switch (and may open a dialog; `leaveLanguage` closes
 * it again before the next switch, since the header is inert behind a modal). Leaves the page in English, light,
 * at the size it had.
 */
async function sweep(
  page: Page,
  state: string,
  inLanguage: (language: 'en' | 'es') => Promise<void>,
  leaveLanguage: () => Promise<void>,
): Promise<void> {
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  const found: string[] = [];
  for (const language of ['en', 'es'] as const) {
    await chooseLanguage(page, language);
    await inLanguage(language);
    await sweepThemesAndWidths(page, language, found);
    await leaveLanguage();
  }
  await chooseLanguage(page, 'en');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(original);
  expect(found, `axe violations on ${state}`).toEqual([]);
}

/**
 * Zero axe violations in the state the page is in, in English and Spanish, light and dark, at 320 px and 1280 px
 * wide. The state is kept (no reload): language and theme change through the header and the device's setting.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  await sweep(
    page,
    state,
    async () => undefined,
    async () => undefined,
  );
}

/**
 * The same for a modal dialog: `open` opens it in each language (the header's language switch is inert behind it);
 * Escape closes it before the next switch.
 */
export async function expectAccessibleDialog(
  page: Page,
  state: string,
  open: (language: 'en' | 'es') => Promise<void>,
): Promise<void> {
  await sweep(page, state, open, async () => {
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog').or(page.getByRole('alertdialog'))).toHaveCount(0);
  });
}

/** Wait until the app has answered every GraphQL request in flight (no fixed sleeps). */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
}
