import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Regions, organisations, users, shelters (with eligibility), bed pools and capacity events.
 * Pool counts are guarded here, so no code path can make a count negative or exceed capacity.
 */
export class Foundation1764320000000 implements MigrationInterface {
  name = 'Foundation1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS postgis`);
    await q.query(`CREATE TYPE organisation_kind AS ENUM ('SHELTER_PROVIDER', 'REFERRAL_AGENCY', 'COORDINATING_BODY')`);
    await q.query(
      `CREATE TYPE user_role AS ENUM ('SHELTER_STAFF', 'HOTLINE_ADVOCATE', 'REGIONAL_COORDINATOR', 'ADMIN')`,
    );
    await q.query(`CREATE TYPE shelter_status AS ENUM ('ACTIVE', 'PAUSED')`);
    await q.query(`CREATE TYPE bed_type AS ENUM ('SINGLE', 'FAMILY_UNIT', 'ACCESSIBLE', 'CRIB', 'EMERGENCY_OVERFLOW')`);

    await q.query(`
      CREATE TABLE region (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        parent_id uuid REFERENCES region(id),
        -- ancestors from the root down to this region itself, kept by the service on every move
        path uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (path[array_length(path, 1)] = id)
      )`);
    await q.query(`CREATE INDEX region_parent_idx ON region (parent_id)`);
    await q.query(`CREATE INDEX region_path_idx ON region USING gin (path)`);

    await q.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind organisation_kind NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX organisation_name_uq ON organisation (lower(name))`);

    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        role user_role NOT NULL,
        organisation_id uuid REFERENCES organisation(id),
        active boolean NOT NULL DEFAULT true,
        deactivated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (email = lower(email)),
        CHECK (role = 'ADMIN' OR organisation_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_uq ON app_user (email)`);
    await q.query(`CREATE INDEX app_user_organisation_idx ON app_user (organisation_id)`);
    await q.query(`
      CREATE TABLE user_region (
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        region_id uuid NOT NULL REFERENCES region(id),
        PRIMARY KEY (user_id, region_id)
      )`);

    await q.query(`
      CREATE TABLE shelter (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        region_id uuid NOT NULL REFERENCES region(id),
        name text NOT NULL,
        city text NOT NULL,
        -- coarsened (about 1 km) public point used for distance; never the street address
        public_location geography(Point, 4326) NOT NULL,
        location_confidential boolean NOT NULL DEFAULT true,
        address text,
        intake_phone text,
        services text[] NOT NULL DEFAULT '{}',
        intake_always_open boolean NOT NULL DEFAULT true,
        intake_days smallint[] NOT NULL DEFAULT '{1,2,3,4,5}',
        intake_opens time,
        intake_closes time,
        time_zone text NOT NULL DEFAULT 'America/Chicago',
        hold_minutes integer NOT NULL DEFAULT 120 CHECK (hold_minutes BETWEEN 5 AND 2880),
        response_minutes integer NOT NULL DEFAULT 30 CHECK (response_minutes BETWEEN 1 AND 1440),
        status shelter_status NOT NULL DEFAULT 'ACTIVE',
        availability_verified_at timestamptz NOT NULL DEFAULT now(),
        elig_genders text[] NOT NULL DEFAULT '{WOMAN}',
        elig_min_age smallint NOT NULL DEFAULT 18 CHECK (elig_min_age BETWEEN 0 AND 120),
        elig_max_age smallint NOT NULL DEFAULT 120 CHECK (elig_max_age BETWEEN 0 AND 120),
        elig_unaccompanied_minors boolean NOT NULL DEFAULT false,
        elig_accepts_children boolean NOT NULL DEFAULT false,
        elig_max_children smallint NOT NULL DEFAULT 0 CHECK (elig_max_children BETWEEN 0 AND 20),
        elig_child_min_age smallint NOT NULL DEFAULT 0 CHECK (elig_child_min_age BETWEEN 0 AND 17),
        elig_child_max_age smallint NOT NULL DEFAULT 17 CHECK (elig_child_max_age BETWEEN 0 AND 17),
        elig_trafficking_types text[] NOT NULL DEFAULT '{SEX,LABOUR}',
        elig_languages text[] NOT NULL DEFAULT '{en}',
        elig_wheelchair_accessible boolean NOT NULL DEFAULT false,
        elig_pets_allowed boolean NOT NULL DEFAULT false,
        elig_substance_use_policy text NOT NULL DEFAULT 'HARM_REDUCTION',
        elig_lgbtq_affirming boolean NOT NULL DEFAULT false,
        elig_requires_law_enforcement boolean NOT NULL DEFAULT false,
        elig_immigration_policy text NOT NULL DEFAULT 'OPEN_TO_ALL',
        elig_accepts_trafficking_records boolean NOT NULL DEFAULT true,
        elig_requires_id_documents boolean NOT NULL DEFAULT false,
        elig_programming text NOT NULL DEFAULT 'VOLUNTARY',
        elig_curfew time,
        elig_max_stay_days integer CHECK (elig_max_stay_days > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (elig_min_age <= elig_max_age),
        CHECK (elig_child_min_age <= elig_child_max_age),
        CHECK (intake_always_open OR (intake_opens IS NOT NULL AND intake_closes IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX shelter_location_gist ON shelter USING gist (public_location)`);
    await q.query(`CREATE INDEX shelter_organisation_idx ON shelter (organisation_id)`);
    await q.query(`CREATE INDEX shelter_region_idx ON shelter (region_id)`);
    await q.query(`CREATE INDEX shelter_name_idx ON shelter (name, id)`);

    await q.query(`
      CREATE TABLE bed_pool (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shelter_id uuid NOT NULL REFERENCES shelter(id),
        bed_type bed_type NOT NULL,
        capacity integer NOT NULL CHECK (capacity BETWEEN 0 AND 10000),
        occupied integer NOT NULL DEFAULT 0 CHECK (occupied >= 0),
        held integer NOT NULL DEFAULT 0 CHECK (held >= 0),
        out_of_service integer NOT NULL DEFAULT 0 CHECK (out_of_service >= 0),
        available integer GENERATED ALWAYS AS (capacity - occupied - held - out_of_service) STORED,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT bed_pool_within_capacity CHECK (occupied + held + out_of_service <= capacity),
        UNIQUE (shelter_id, bed_type)
      )`);
    await q.query(`CREATE INDEX bed_pool_open_idx ON bed_pool (shelter_id) WHERE available > 0`);

    await q.query(`
      CREATE TABLE capacity_event (
        id bigserial PRIMARY KEY,
        bed_pool_id uuid NOT NULL REFERENCES bed_pool(id),
        shelter_id uuid NOT NULL REFERENCES shelter(id),
        actor_user_id uuid REFERENCES app_user(id),
        kind text NOT NULL,
        reason text,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        capacity_before integer, occupied_before integer, held_before integer, out_of_service_before integer,
        capacity_after integer NOT NULL, occupied_after integer NOT NULL, held_after integer NOT NULL,
        out_of_service_after integer NOT NULL
      )`);
    await q.query(`CREATE INDEX capacity_event_pool_idx ON capacity_event (bed_pool_id, occurred_at)`);
    await q.query(`CREATE INDEX capacity_event_shelter_idx ON capacity_event (shelter_id, occurred_at)`);
    // append-only: history is never rewritten
    await q.query(`
      CREATE FUNCTION capacity_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'capacity_event is append-only'; END $$`);
    await q.query(`
      CREATE TRIGGER capacity_event_no_update BEFORE UPDATE OR DELETE ON capacity_event
      FOR EACH ROW EXECUTE FUNCTION capacity_event_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE capacity_event, bed_pool, shelter, user_region, app_user, organisation, region`);
    await q.query(`DROP FUNCTION capacity_event_append_only`);
    await q.query(`DROP TYPE bed_type, shelter_status, user_role, organisation_kind`);
  }
}
