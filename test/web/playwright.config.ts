import { defineConfig } from '@playwright/test';

// The browser tests: Debian's Chromium against the real API, worker, Postgres and Redis (global-setup.ts starts
// them on a database of their own with the demo network). Run alone with `npm run test:web`.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  // one API and worker for the run; files run side by side, each on people and shelters of its own
  workers: 2,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  projects: [
    // the README's screenshots first, on the demo data as a new user sees it (before other files add to it)
    { name: 'screenshots', testMatch: 'screenshots.spec.ts' },
    { name: 'flows', testIgnore: 'screenshots.spec.ts', dependencies: ['screenshots'] },
  ],
  reporter: [['list'], ['json', { outputFile: '../../.tmp/playwright-results.json' }]],
  outputDir: '../../.tmp/playwright',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    baseURL: process.env.WEB_BASE_URL,
    trace: 'retain-on-failure',
    locale: 'en-US',
    timezoneId: 'America/Chicago',
  },
});
