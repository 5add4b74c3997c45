import { pbkdf2Sync, createHash, createHmac, randomBytes } from 'node:crypto';

/** What the application's role may do with a table; a column list after UPDATE limits it to those columns. */
type Right = 'SELECT' | 'INSERT' | 'DELETE' | 'UPDATE' | `UPDATE (${string})`;

/**
 * Every table of the schema and what the application may do with it, nothing more: `migrate` grants exactly this
 * to the role DATABASE_URL names (after revoking everything) and refuses to finish while a table is missing here,
 * so a new table gets its rights by decision. The histories are append-only: the security trail and the identity
 * reads may be inserted and read, never changed; the referral and capacity histories may only have their free text
 * cleared by the purge (their triggers check what changes, the grants which columns may).
 */
export const APPLICATION_PRIVILEGES: Readonly<Record<string, readonly Right[]>> = {
  app_user: ['SELECT', 'INSERT', 'UPDATE'],
  audit_event: ['SELECT', 'INSERT'],
  bed_hold: ['SELECT', 'INSERT', 'UPDATE'],
  bed_pool: ['SELECT', 'INSERT', 'UPDATE'],
  capacity_event: ['SELECT', 'INSERT', 'UPDATE (reason)'],
  consent: ['SELECT', 'INSERT', 'UPDATE'],
  identity_access: ['SELECT', 'INSERT'],
  // claimed in a change's transaction, its answer kept, purged after IDEMPOTENCY_KEY_DAYS
  idempotency_key: ['SELECT', 'INSERT', 'UPDATE (response)', 'DELETE'],
  // the owner's record of applied migrations
  migrations: [],
  notification: ['SELECT', 'INSERT', 'UPDATE'],
  offer: ['SELECT', 'INSERT', 'UPDATE'],
  organisation: ['SELECT', 'INSERT', 'UPDATE'],
  outbox: ['SELECT', 'INSERT', 'UPDATE'],
  referral: ['SELECT', 'INSERT', 'UPDATE'],
  referral_event: ['SELECT', 'INSERT', 'UPDATE (note)'],
  // a sign-in's refresh tokens (keyed hashes): rotated, ended, and purged a few days after their family ended
  refresh_session: [
    'SELECT',
    'INSERT',
    'UPDATE (last_used_at, revoked_at, revoked_reason, replaced_by, replaced_at)',
    'DELETE',
  ],
  region: ['SELECT', 'INSERT', 'UPDATE'],
  shelter: ['SELECT', 'INSERT', 'UPDATE'],
  // PostGIS's table of coordinate systems
  spatial_ref_sys: ['SELECT'],
  // a coordinator's regions are replaced as a whole
  user_region: ['SELECT', 'INSERT', 'DELETE'],
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Role attributes the application's role must not have (over `r`, a pg_roles row). */
const PRIVILEGED = 'r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolbypassrls OR r.rolreplication';

export class DatabaseRoleError extends Error {}

/** Anything that runs SQL with parameters: a TypeORM DataSource or QueryRunner, a pg client. */
interface Sql {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/** The user and password a postgres:// URL names. */
export function roleOf(url: string): { role: string; password: string | null } {
  const parsed = new URL(url);
  const role = decodeURIComponent(parsed.username);
  if (!IDENTIFIER.test(role)) {
    throw new DatabaseRoleError(
      'DATABASE_URL must name the application role as its user (lower-case letters, digits and _)',
    );
  }
  return { role, password: parsed.password ? decodeURIComponent(parsed.password) : null };
}

/**
 * Makes `role` the application's role in this database, run by the owner after migrating: creates it when missing
 * (LOGIN, nothing else), sets its password when the URL carries one (sent as a SCRAM verifier, never in clear),
 * refuses a role that is a superuser or owns the database, then grants APPLICATION_PRIVILEGES and nothing else.
 */
export async function grantApplicationRole(db: Sql, url: string): Promise<void> {
  const { role: name, password } = roleOf(url);
  const role = `"${name}"`;
  const [me] = await db.query<{ user: string }[]>(`SELECT current_user AS user`);
  if (me.user === name) {
    throw new DatabaseRoleError(
      `DATABASE_URL and DATABASE_OWNER_URL name the same role (${name}): the application needs a role of its own`,
    );
  }
  await db.query(
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${name}') THEN
         CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
       END IF;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created at that moment by another migrate
     END $$`,
  );
  const [found] = await db.query<{ privileged: boolean; owner: boolean; member: boolean }[]>(
    `SELECT ${PRIVILEGED} AS privileged, d.datdba = r.oid AS owner,
            EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid) AS member
       FROM pg_roles r, pg_database d WHERE r.rolname = $1 AND d.datname = current_database()`,
    [name],
  );
  if (found.privileged || found.owner || found.member) {
    throw new DatabaseRoleError(
      `the application's role ${name} is a superuser, may create roles or databases or replicate, owns the ` +
        'database, or is a member of another role (whose rights it would inherit): give the application a role of ' +
        'its own (migrate creates one when the role named does not exist)',
    );
  }
  if (password !== null) {
    // an owner without the right to set passwords (a managed database's) leaves that to whoever has it
    const [may] = await db.query<{ ok: boolean }[]>(
      `SELECT rolsuper OR rolcreaterole AS ok FROM pg_roles WHERE rolname = current_user`,
    );
    if (may.ok) await db.query(`ALTER ROLE ${role} PASSWORD '${scramVerifier(password)}'`);
  }

  const tables = await db.query<{ name: string }[]>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const unlisted = tables.map((t) => t.name).filter((name) => !(name in APPLICATION_PRIVILEGES));
  if (unlisted.length > 0) {
    throw new DatabaseRoleError(
      `no application privileges decided for ${unlisted.join(', ')}: add them to APPLICATION_PRIVILEGES`,
    );
  }
  // whatever it held before, and whatever everyone holds (the role is one of everyone)
  for (const grantee of [role, 'PUBLIC']) {
    await db.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${grantee}`);
    await db.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${grantee}`);
    await db.query(`REVOKE CREATE ON SCHEMA public FROM ${grantee}`);
  }
  await db.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  for (const table of tables) {
    const rights = APPLICATION_PRIVILEGES[table.name];
    if (rights.length > 0) await db.query(`GRANT ${rights.join(', ')} ON TABLE ${table.name} TO ${role}`);
  }
  // the id sequences of the tables it inserts into
  const sequences = await db.query<{ name: string }[]>(
    `SELECT s.relname AS name
       FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
       JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = s.relnamespace
      WHERE s.relkind = 'S' AND n.nspname = 'public' AND t.relname = ANY($1)`,
    [Object.keys(APPLICATION_PRIVILEGES).filter((name) => APPLICATION_PRIVILEGES[name].includes('INSERT'))],
  );
  for (const sequence of sequences) await db.query(`GRANT USAGE ON SEQUENCE ${sequence.name} TO ${role}`);
}

/**
 * What the application's own connection must not be: a superuser, a role that may create roles or databases or
 * bypass row security, or the owner of any table (an owner may drop its triggers, and with them the append-only
 * rule). Null when the role is fit; else why not.
 */
export async function privilegedConnection(db: Sql): Promise<string | null> {
  const [row] = await db.query<{ role: string; privileged: boolean; owns: boolean; member: boolean }[]>(
    `SELECT r.rolname AS role, ${PRIVILEGED} AS privileged,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relowner = r.oid) AS owns,
            EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid) AS member
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  if (row.privileged) {
    return `the database role ${row.role} is a superuser or may create roles or databases or replicate`;
  }
  if (row.owns) return `the database role ${row.role} owns the schema's tables`;
  if (row.member) return `the database role ${row.role} is a member of another role, whose rights it inherits`;
  return null;
}

/**
 * A SCRAM-SHA-256 verifier (RFC 5803) for `password`, as Postgres stores it: ALTER ROLE … PASSWORD takes it as is,
 * so the password itself never reaches the server or its logs. Postgres applies SASLprep to passwords, which
 * changes no printable ASCII password (what `openssl rand -hex` makes): others are refused.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  if (!/^[\x21-\x7e]+$/.test(password)) {
    throw new DatabaseRoleError('the database password must be printable ASCII without spaces');
  }
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
