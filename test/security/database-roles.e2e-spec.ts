import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { APP_ROLE } from '../support/database';
import { gql } from '../support/gql';
import { DOC } from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * The application connects as a role with only the rights it needs; migrations run as the owner. The API's own
 * connections are that role's; as that role, the histories cannot be changed or emptied, triggers cannot be turned
 * off, nothing can be created; the API refuses to start as a superuser or owner; `migrate` refuses to run without
 * the owner, or to leave a table whose rights nobody decided.
 */
const ROOT = path.resolve(__dirname, '../..');
const node = (script: string, env: Record<string, string>, args: string[] = []) =>
  spawnSync(process.execPath, [path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
const INSUFFICIENT_PRIVILEGE = '42501';

describe('database roles', () => {
  let w: World;
  let app: Client;
  beforeAll(async () => {
    w = await createWorld();
    app = new Client({ connectionString: w.env.db.appUrl });
    await app.connect();
  });
  afterAll(async () => {
    await app?.end();
    await w?.close();
  });

  /** What the application's role gets for `sql`: 'ok' or the SQLSTATE. */
  const asApp = async (sql: string) => {
    try {
      await app.query(sql);
      return 'ok';
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it("the API's connections are the application role's, not the owner's", async () => {
    const r = await gql(w.api.url, DOC.regions, {}, w.tokens.admin);
    expect(r.errors).toBeUndefined();
    const { rows } = await w.fx.pg.query<{ usename: string }>(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = $1 AND application_name = 'shelterlink'`,
      [w.env.db.name],
    );
    expect(rows.map((row) => row.usename)).toEqual([APP_ROLE]);
  });

  it('the security trail: insert and read, never update, delete or empty (the privilege, before any trigger)', async () => {
    expect(await asApp(`INSERT INTO audit_event (kind, detail) VALUES ('LOGIN_FAILED', '{}')`)).toBe('ok');
    expect(await asApp(`SELECT count(*) FROM audit_event`)).toBe('ok');
    for (const sql of [
      `UPDATE audit_event SET kind = 'NOTHING'`,
      `DELETE FROM audit_event`,
      `TRUNCATE audit_event`,
      `UPDATE identity_access SET user_id = NULL`,
      `DELETE FROM identity_access`,
    ]) {
      expect({ sql, result: await asApp(sql) }).toEqual({ sql, result: INSUFFICIENT_PRIVILEGE });
    }
  });

  it('the histories: only their free text may be cleared, nothing deleted', async () => {
    expect(await asApp(`UPDATE referral_event SET note = NULL WHERE false`)).toBe('ok');
    expect(await asApp(`UPDATE capacity_event SET reason = NULL WHERE false`)).toBe('ok');
    for (const sql of [
      `UPDATE referral_event SET to_state = to_state WHERE false`,
      `UPDATE capacity_event SET occupied_after = 0 WHERE false`,
      `DELETE FROM referral_event WHERE false`,
      `DELETE FROM capacity_event WHERE false`,
      `DELETE FROM referral WHERE false`,
      `DELETE FROM shelter WHERE false`,
    ]) {
      expect({ sql, result: await asApp(sql) }).toEqual({ sql, result: INSUFFICIENT_PRIVILEGE });
    }
  });

  it('no owner powers: no trigger turned off, no replica mode, no new table, no migrations record', async () => {
    for (const sql of [
      `ALTER TABLE audit_event DISABLE TRIGGER ALL`,
      `DROP TABLE audit_event`,
      `SET session_replication_role = replica`,
      `CREATE TABLE stash (x text)`,
      `SELECT * FROM migrations`,
    ]) {
      expect({ sql, result: await asApp(sql) }).toEqual({ sql, result: INSUFFICIENT_PRIVILEGE });
    }
  });

  it.each([
    ['the API', 'dist/apps/api/src/main.js'],
    ['the worker', 'dist/apps/worker/src/main.js'],
  ])('%s refuses to start connected as the owner (a superuser here)', (_label, script) => {
    const result = node(script, { ...w.env.env, DATABASE_URL: w.env.db.url, PORT: '0' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/database role postgres is a superuser.*DATABASE_URL must name the application/s);
  });

  it('migrate refuses to run without the owner, or with the application role as the owner', () => {
    const { DATABASE_OWNER_URL: _owner, ...withoutOwner } = w.env.env;
    const missing = node('dist/apps/cli/src/main.js', withoutOwner, ['migrate']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/DATABASE_OWNER_URL: is required by migrate/);
    const same = node('dist/apps/cli/src/main.js', { ...w.env.env, DATABASE_OWNER_URL: w.env.db.appUrl }, ['migrate']);
    expect(same.status).toBe(1);
    expect(same.stderr).toMatch(/name the same role/);
  });

  it('migrate refuses a table whose rights nobody decided, and grants nothing on it; a password is sent hashed', async () => {
    await w.fx.pg.query(`CREATE TABLE undecided (x text)`);
    try {
      const result = node('dist/apps/cli/src/main.js', w.env.env, ['migrate']);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/no application privileges decided for undecided/);
      expect(await asApp(`SELECT * FROM undecided`)).toBe(INSUFFICIENT_PRIVILEGE);
    } finally {
      await w.fx.pg.query(`DROP TABLE undecided`);
    }
    // a role of its own, so that the shared application role keeps its (trust-auth) setup
    const role = `shelterlink_pw_${w.env.db.name.slice(-10)}`;
    const url = `postgres://${role}:k2b8c0ffee@127.0.0.1:5432/${w.env.db.name}`;
    try {
      const result = node('dist/apps/cli/src/main.js', { ...w.env.env, DATABASE_URL: url }, ['migrate']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const { rows } = await w.fx.pg.query<{ rolpassword: string; rolsuper: boolean }>(
        `SELECT rolpassword, rolsuper FROM pg_authid WHERE rolname = $1`,
        [role],
      );
      expect(rows[0].rolsuper).toBe(false);
      expect(rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
      expect(rows[0].rolpassword).not.toContain('k2b8c0ffee');
    } finally {
      await w.fx.pg.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await w.fx.pg.query(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  it('a role that inherits rights from another (here pg_write_all_data) is refused by migrate, the API and the worker', async () => {
    const role = `shelterlink_member_${w.env.db.name.slice(-10)}`;
    const url = `postgres://${role}@127.0.0.1:5432/${w.env.db.name}`;
    await w.fx.pg.query(`CREATE ROLE ${role} LOGIN`);
    try {
      await w.fx.pg.query(`GRANT pg_write_all_data TO ${role}`);
      const migrate = node('dist/apps/cli/src/main.js', { ...w.env.env, DATABASE_URL: url }, ['migrate']);
      expect(migrate.status).toBe(1);
      expect(migrate.stderr).toMatch(/is a member of another role/);
      for (const script of ['dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js']) {
        const started = node(script, { ...w.env.env, DATABASE_URL: url, PORT: '0' });
        expect(started.status).toBe(1);
        expect(started.stderr).toMatch(/is a member of another role, whose rights it inherits/);
      }
    } finally {
      await w.fx.pg.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await w.fx.pg.query(`DROP ROLE IF EXISTS ${role}`);
    }
  });
});
