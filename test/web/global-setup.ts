import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestEnv, freePort, spawnApi, spawnNode } from '../support/app';

const ROOT = path.resolve(__dirname, '../..');

/**
 * A database of the browser tests' own (cloned from the migrated template) with the demo network, and the real
 * worker and API from dist/ (the web app in dist/web). Tests reach the API at WEB_BASE_URL.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const testEnv = await createTestEnv({ LOG_LEVEL: process.env.WEB_LOG_LEVEL ?? 'warn' });
  const seed = spawnSync(process.execPath, [path.join(ROOT, 'dist/apps/cli/src/main.js'), 'seed-demo'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...testEnv.env },
    encoding: 'utf8',
  });
  if (seed.status !== 0) throw new Error(`seed-demo failed: ${seed.stderr}`);
  // stale counts are looked for every second (not every 15 minutes), so a reminder can arrive while a test watches
  const worker = await spawnNode('dist/apps/worker/src/main.js', {
    ...testEnv.env,
    STALE_REMINDER_INTERVAL_MS: '1000',
  });
  const api = await spawnApi(testEnv, await freePort());
  process.env.WEB_BASE_URL = api.url;
  process.env.WEB_DATABASE_URL = testEnv.db.url;
  return async () => {
    await api.close();
    await worker.close();
    await testEnv.cleanup();
  };
}
