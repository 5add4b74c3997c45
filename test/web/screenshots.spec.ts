// The README's screenshots, one per role, taken from the running app on the demo data: every run takes them
// (into .tmp/screenshots); `SCREENSHOTS=update npm run test:web -- screenshots` writes them to
// apps/web/screenshots/, where the README shows them.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { demoLogin, expect, settled, signedInPage, test, type DemoRole } from './fixtures';

const ROOT = path.resolve(__dirname, '../..');
const SHOTS: { role: DemoRole; file: string; viewport: { width: number; height: number } }[] = [
  { role: 'SHELTER_STAFF', file: 'staff-my-beds.png', viewport: { width: 390, height: 844 } },
  { role: 'HOTLINE_ADVOCATE', file: 'advocate-new-referral.png', viewport: { width: 1280, height: 860 } },
  { role: 'REGIONAL_COORDINATOR', file: 'coordinator-capacity.png', viewport: { width: 1280, height: 860 } },
  { role: 'ADMIN', file: 'admin-organisations.png', viewport: { width: 1280, height: 860 } },
];

for (const shot of SHOTS) {
  test(`screenshot: ${shot.role} home`, async ({ browser }) => {
    const page = await signedInPage(browser, demoLogin(shot.role), { viewport: shot.viewport });
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await settled(page);
    const dirs = [path.join(ROOT, '.tmp/screenshots')];
    if (process.env.SCREENSHOTS === 'update') dirs.push(path.join(ROOT, 'apps/web/screenshots'));
    for (const dir of dirs) {
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: path.join(dir, shot.file) });
    }
    await page.context().close();
  });
}
