import * as argon2 from 'argon2';
import { Client } from 'pg';

/** Where the survivors are, and the centre of the shelters' grid. */
export const ORIGIN = { latitude: 30.27, longitude: -97.74 };
export const WF_ADVOCATE_EMAIL = 'wf.bench.advocate@example.org';
export const WF_STAFF_EMAIL = 'wf.bench.staff@example.org';
export const WF_PASSWORD = 'correct horse battery staple';

export interface WorkflowNetwork {
  /** The county the referrals are submitted in. */
  countyId: string;
  shelterIds: string[];
  pools: number;
  /** Free SINGLE beds over all pools. */
  beds: number;
  seconds: number;
}

/**
 * Seeds the referral workflow benchmark with set-based SQL: a state with one county, one shelter provider
 * with one SHELTER_STAFF user, one referral agency with one HOTLINE_ADVOCATE, and `shelters` shelters on a
 * 0.01° grid (about 1 km, the precision of public locations) around ORIGIN, all within one 25 km distance band.
 * Every shelter fits the benchmark's needs (women, SEX and LABOUR trafficking, English, intake 24/7, ACTIVE,
 * the column defaults for everything else), with one SINGLE pool of `capacity` beds, response 30 and hold 120
 * minutes.
 */
export async function seedWorkflowNetwork(databaseUrl: string, shelters: number, capacity: number) {
  const started = performance.now();
  const hash = await argon2.hash(WF_PASSWORD, {
    type: argon2.argon2id,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN');
    const {
      rows: [county],
    } = await db.query<{ id: string }>(`
      WITH state AS (
        INSERT INTO region (id, code, name, parent_id, path)
        SELECT g.id, 'WF', 'Workflow State', NULL, ARRAY[g.id] FROM (SELECT gen_random_uuid() AS id) g
        RETURNING id
      )
      INSERT INTO region (id, code, name, parent_id, path)
      SELECT g.id, 'WF-01', 'Workflow County', state.id, ARRAY[state.id, g.id]
        FROM state, (SELECT gen_random_uuid() AS id) g
      RETURNING id`);
    await db.query(
      `WITH provider AS (
         INSERT INTO organisation (name, kind) VALUES ('Workflow Bench Provider', 'SHELTER_PROVIDER') RETURNING id
       ), agency AS (
         INSERT INTO organisation (name, kind) VALUES ('Workflow Bench Hotline', 'REFERRAL_AGENCY') RETURNING id
       )
       INSERT INTO app_user (email, display_name, password_hash, role, organisation_id)
       SELECT $1, 'Workflow Bench Staff', $3, 'SHELTER_STAFF'::user_role, provider.id FROM provider
       UNION ALL
       SELECT $2, 'Workflow Bench Advocate', $3, 'HOTLINE_ADVOCATE'::user_role, agency.id FROM agency`,
      [WF_STAFF_EMAIL, WF_ADVOCATE_EMAIL, hash],
    );
    // a side × side grid centred on ORIGIN, 0.01° apart: shelter i at row i / side, column i % side
    const { rows: shelterRows } = await db.query<{ id: string }>(
      `WITH grid AS (
         SELECT i, ceil(sqrt($1::int))::int AS side FROM generate_series(0, $1::int - 1) i
       )
       INSERT INTO shelter (organisation_id, region_id, name, city, public_location, address, intake_phone,
                            intake_always_open, hold_minutes, response_minutes, status, availability_verified_at,
                            elig_genders, elig_trafficking_types, elig_languages)
       SELECT o.id, $2, 'Workflow Shelter ' || g.i, 'Austin',
              ST_SetSRID(ST_MakePoint(round(($4::float8 + 0.01 * (g.i % g.side - g.side / 2))::numeric, 2)::float8,
                                      round(($3::float8 + 0.01 * (g.i / g.side - g.side / 2))::numeric, 2)::float8),
                         4326)::geography,
              g.i || ' Confidential Road', '+1 555 0100', true, 120, 30, 'ACTIVE', now(),
              '{WOMAN}', '{SEX,LABOUR}', '{en}'
         FROM grid g, organisation o
        WHERE o.name = 'Workflow Bench Provider'
       RETURNING id`,
      [shelters, county.id, ORIGIN.latitude, ORIGIN.longitude],
    );
    const { rowCount: pools } = await db.query(
      `INSERT INTO bed_pool (shelter_id, bed_type, capacity) SELECT id, 'SINGLE', $1 FROM shelter`,
      [capacity],
    );
    await db.query('COMMIT');
    await db.query('ANALYZE');
    const {
      rows: [{ beds }],
    } = await db.query<{ beds: string }>(`SELECT coalesce(sum(available), 0) AS beds FROM bed_pool`);
    return {
      countyId: county.id,
      shelterIds: shelterRows.map((r) => r.id),
      pools: pools ?? 0,
      beds: Number(beds),
      seconds: (performance.now() - started) / 1000,
    } satisfies WorkflowNetwork;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}

/** Frees every bed again (occupied and held to 0) without touching the workflow tables: a fresh phase. */
export async function resetPools(databaseUrl: string): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`UPDATE bed_pool SET occupied = 0, held = 0, version = version + 1, updated_at = now()`);
    await db.query(`UPDATE bed_hold SET status = 'RELEASED', ended_at = now(), end_reason = 'bench reset'
                      WHERE status = 'ACTIVE'`);
    await db.query('VACUUM ANALYZE bed_pool');
    const {
      rows: [{ beds }],
    } = await db.query<{ beds: string }>(`SELECT coalesce(sum(available), 0) AS beds FROM bed_pool`);
    return Number(beds);
  } finally {
    await db.end();
  }
}
