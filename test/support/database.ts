import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** The application's role, as `migrate` made it on the template (test/run.sh): the API and the worker use it. */
export const APP_ROLE = 'shelterlink_app';
/** Its password here (migrate sets it): trust auth ignores it, a cluster that asks for passwords gets it. */
const APP_PASSWORD = 'local-only-app-password';
const TEMPLATE = process.env.TEST_TEMPLATE_DB ?? 'shelterlink_test_tpl';

export interface TestDatabase {
  name: string;
  /** The owner's connection: the tests' own hands (fixtures, checks), and `migrate`'s. */
  url: string;
  /** The application's connection (its limited role), for the API and the worker. */
  appUrl: string;
  drop(): Promise<void>;
}

/** A database of this test file's own, cloned from the migrated template (see test/run.sh). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `shelterlink_t_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
        break;
      } catch (error) {
        // two files cloning the template at the same instant: wait and retry
        if (attempt >= 20 || !String((error as Error).message).includes('being accessed')) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    appUrl: `postgres://${APP_ROLE}:${APP_PASSWORD}@127.0.0.1:5432/${name}`,
    drop: async () => {
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        // let connections that are closing finish; forcing them would fail their last query mid-flight
        for (let attempt = 0; attempt < 30; attempt++) {
          const { rows } = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
          if (rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
