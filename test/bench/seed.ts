import * as argon2 from 'argon2';
import { Client } from 'pg';

/** The bounding box shelters and survivors are placed in: about the size of a US state. */
export const BOX = { minLat: 29, maxLat: 34, minLng: -104, maxLng: -94 };
/** Counties form a 10 × 5 grid of 1° cells over the box; a shelter's county is the cell it lies in. */
export const GRID = { columns: 10, rows: 5 };
export const BED_TYPES_PER_SHELTER = 4;
export const ADVOCATE_EMAIL = 'bench.advocate@example.org';
export const PASSWORD = 'correct horse battery staple';

export interface SeededNetwork {
  shelters: number;
  pools: number;
  regions: number;
  /** County ids in grid order: index row × columns + column. */
  countyIds: string[];
  seconds: number;
}

/**
 * Seeds a network with set-based SQL (no row-by-row inserts): one state region with 50 counties, `shelters`
 * shelters spread uniformly over the box with mixed eligibility, 4 pools each (SINGLE, FAMILY_UNIT, ACCESSIBLE,
 * EMERGENCY_OVERFLOW; about 30% of them full) and one hotline advocate. `setseed` makes it repeatable.
 */
export async function seedNetwork(databaseUrl: string, shelters: number): Promise<SeededNetwork> {
  const started = performance.now();
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query('SELECT setseed(0.4242)');
    await db.query(`
      INSERT INTO region (id, code, name, parent_id, path)
      SELECT g.id, 'BX', 'Benchland', NULL, ARRAY[g.id] FROM (SELECT gen_random_uuid() AS id) g`);
    await db.query(
      `INSERT INTO region (id, code, name, parent_id, path)
       SELECT g.id, 'BX-' || lpad(g.i::text, 2, '0'), 'County ' || g.i, s.id, ARRAY[s.id, g.id]
         FROM (SELECT i, gen_random_uuid() AS id FROM generate_series(0, $1::int - 1) i) g
         JOIN region s ON s.code = 'BX'`,
      [GRID.columns * GRID.rows],
    );
    await db.query(`
      INSERT INTO organisation (name, kind)
      SELECT 'Bench Provider ' || i, 'SHELTER_PROVIDER' FROM generate_series(1, 20) i`);
    const {
      rows: [agency],
    } = await db.query<{ id: string }>(
      `INSERT INTO organisation (name, kind) VALUES ('Bench Hotline', 'REFERRAL_AGENCY') RETURNING id`,
    );
    await db.query(
      `INSERT INTO app_user (email, display_name, password_hash, role, organisation_id)
       VALUES ($1, 'Bench Advocate', $2, 'HOTLINE_ADVOCATE', $3)`,
      [ADVOCATE_EMAIL, hash, agency.id],
    );

    // Every random draw is a column of the MATERIALIZED CTE, so each CASE sees one value per shelter.
    await db.query(
      `WITH counties AS (SELECT array_agg(id ORDER BY code) AS ids FROM region WHERE code LIKE 'BX-%'),
            providers AS (SELECT array_agg(id ORDER BY name) AS ids FROM organisation WHERE kind = 'SHELTER_PROVIDER'),
            g AS MATERIALIZED (
              SELECT i,
                     $2::float8 + random() * ($3::float8 - $2::float8) AS lat,
                     $4::float8 + random() * ($5::float8 - $4::float8) AS lng,
                     random() AS r_gender, random() AS r_age, random() AS r_children, random() AS r_max_children,
                     random() AS r_child_ages, random() AS r_tt, random() AS r_lang, random() AS r_wheelchair,
                     random() AS r_pets, random() AS r_substance, random() AS r_lgbtq, random() AS r_le,
                     random() AS r_immigration, random() AS r_records, random() AS r_id, random() AS r_programming,
                     random() AS r_curfew, random() AS r_stay, random() AS r_status, random() AS r_intake,
                     random() AS r_verified, random() AS r_hold
                FROM generate_series(1, $1::int) i
            )
       INSERT INTO shelter (
         organisation_id, region_id, name, city, public_location, location_confidential, address, intake_phone,
         services, intake_always_open, intake_days, intake_opens, intake_closes, time_zone, hold_minutes,
         response_minutes, status, availability_verified_at,
         elig_genders, elig_min_age, elig_max_age, elig_unaccompanied_minors, elig_accepts_children,
         elig_max_children, elig_child_min_age, elig_child_max_age, elig_trafficking_types, elig_languages,
         elig_wheelchair_accessible, elig_pets_allowed, elig_substance_use_policy, elig_lgbtq_affirming,
         elig_requires_law_enforcement, elig_immigration_policy, elig_accepts_trafficking_records,
         elig_requires_id_documents, elig_programming, elig_curfew, elig_max_stay_days)
       SELECT
         providers.ids[1 + g.i % array_length(providers.ids, 1)],
         counties.ids[1 + least(floor(g.lat - $2::float8)::int, $7::int - 1) * $6::int
                        + least(floor(g.lng - $4::float8)::int, $6::int - 1)],
         'Bench Shelter ' || g.i,
         'City ' || (g.i % 250),
         ST_SetSRID(ST_MakePoint(round(g.lng::numeric, 2)::float8, round(g.lat::numeric, 2)::float8), 4326)::geography,
         true,
         g.i || ' Confidential Road',
         '+1 555 ' || lpad((g.i % 10000)::text, 4, '0'),
         -- a random subset of services; the outer reference makes Postgres draw it again for every shelter
         ARRAY(SELECT s FROM unnest(ARRAY['CASE_MANAGEMENT', 'TRAUMA_THERAPY', 'MENTAL_HEALTH', 'LEGAL_AID',
                                          'IMMIGRATION_LEGAL', 'MEDICAL', 'SUBSTANCE_USE_TREATMENT', 'CHILDCARE',
                                          'INTERPRETATION', 'JOB_TRAINING', 'EDUCATION']) s
                WHERE random() < 0.4 + 0 * g.i),
         g.r_intake < 0.75,
         '{1,2,3,4,5}',
         CASE WHEN g.r_intake < 0.75 THEN NULL ELSE '08:00'::time END,
         CASE WHEN g.r_intake < 0.75 THEN NULL ELSE '18:00'::time END,
         'America/Chicago',
         60 + floor(g.r_hold * 180)::int,
         10 + floor(g.r_hold * 50)::int,
         (CASE WHEN g.r_status < 0.05 THEN 'PAUSED' ELSE 'ACTIVE' END)::shelter_status,
         now() - make_interval(mins => floor(g.r_verified * 36 * 60)::int),
         CASE WHEN g.r_gender < 0.35 THEN '{WOMAN,TRANSGENDER_WOMAN}'
              WHEN g.r_gender < 0.45 THEN '{WOMAN}'
              WHEN g.r_gender < 0.57 THEN '{MAN,TRANSGENDER_MAN}'
              WHEN g.r_gender < 0.60 THEN '{MAN}'
              WHEN g.r_gender < 0.90 THEN '{WOMAN,TRANSGENDER_WOMAN,NON_BINARY,TRANSGENDER_MAN}'
              ELSE '{WOMAN,MAN,TRANSGENDER_WOMAN,TRANSGENDER_MAN,NON_BINARY}' END::text[],
         CASE WHEN g.r_age < 0.94 THEN 18 ELSE 12 END,
         CASE WHEN g.r_age < 0.88 THEN 120 WHEN g.r_age < 0.94 THEN 24 ELSE 17 END,
         g.r_age >= 0.94,
         g.r_children < 0.45,
         CASE WHEN g.r_children < 0.45 THEN 2 + floor(g.r_max_children * 4)::int ELSE 0 END,
         0,
         CASE WHEN g.r_children < 0.45 AND g.r_child_ages < 0.3 THEN 12 ELSE 17 END,
         CASE WHEN g.r_tt < 0.75 THEN '{SEX,LABOUR}' WHEN g.r_tt < 0.92 THEN '{SEX}' ELSE '{LABOUR}' END::text[],
         CASE WHEN g.r_lang < 0.35 THEN '{en}'
              WHEN g.r_lang < 0.75 THEN '{en,es}'
              WHEN g.r_lang < 0.83 THEN '{es}'
              WHEN g.r_lang < 0.89 THEN '{en,vi}'
              WHEN g.r_lang < 0.94 THEN '{en,zh}'
              ELSE '{en,es,ar}' END::text[],
         g.r_wheelchair < 0.30,
         g.r_pets < 0.30,
         CASE WHEN g.r_substance < 0.30 THEN 'ABSTINENCE_REQUIRED'
              WHEN g.r_substance < 0.80 THEN 'HARM_REDUCTION'
              ELSE 'TREATMENT_ON_SITE' END,
         g.r_lgbtq < 0.65,
         g.r_le < 0.10,
         CASE WHEN g.r_immigration < 0.80 THEN 'OPEN_TO_ALL'
              WHEN g.r_immigration < 0.93 THEN 'LAWFUL_STATUS_REQUIRED'
              ELSE 'CITIZENS_ONLY' END,
         g.r_records < 0.85,
         g.r_id < 0.20,
         CASE WHEN g.r_programming < 0.25 THEN 'MANDATORY' ELSE 'VOLUNTARY' END,
         CASE WHEN g.r_curfew < 0.40 THEN '22:00'::time END,
         CASE WHEN g.r_stay < 0.50 THEN NULL WHEN g.r_stay < 0.75 THEN 90 WHEN g.r_stay < 0.90 THEN 180 ELSE 30 END
       FROM g, counties, providers`,
      [shelters, BOX.minLat, BOX.maxLat, BOX.minLng, BOX.maxLng, GRID.columns, GRID.rows],
    );

    // Four pools per shelter; about 30% full, the rest partly occupied.
    await db.query(`
      INSERT INTO bed_pool (shelter_id, bed_type, capacity, occupied)
      SELECT s.id, t.bed_type, c.capacity,
             CASE WHEN c.r_full < 0.30 THEN c.capacity ELSE floor(c.r_occupied * c.capacity)::int END
        FROM shelter s
       CROSS JOIN unnest('{SINGLE,FAMILY_UNIT,ACCESSIBLE,EMERGENCY_OVERFLOW}'::bed_type[]) AS t(bed_type)
       CROSS JOIN LATERAL (
         SELECT 1 + floor(random() * 12)::int AS capacity, random() AS r_full, random() AS r_occupied
          WHERE s.id IS NOT NULL AND t.bed_type IS NOT NULL
       ) c`);
    await db.query('COMMIT');
    await db.query('ANALYZE');

    const { rows } = await db.query<{ shelters: string; pools: string; regions: string; county_ids: string[] }>(`
      SELECT (SELECT count(*) FROM shelter) AS shelters, (SELECT count(*) FROM bed_pool) AS pools,
             (SELECT count(*) FROM region) AS regions,
             (SELECT array_agg(id ORDER BY code) FROM region WHERE code LIKE 'BX-%') AS county_ids`);
    return {
      shelters: Number(rows[0].shelters),
      pools: Number(rows[0].pools),
      regions: Number(rows[0].regions),
      countyIds: rows[0].county_ids,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}
