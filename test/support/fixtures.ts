import { Pool } from 'pg';
import { passwords } from '@shelterlink/accounts';
import { Eligibility, eligibilityRow, Gender, TraffickingType } from '@shelterlink/shelters';

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

export interface ShelterFixture {
  name?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
  status?: 'ACTIVE' | 'PAUSED';
  locationConfidential?: boolean;
  address?: string | null;
  intakePhone?: string | null;
  /** The shelter's default intake instructions (default: call the intake line); null for none. */
  intakeInstructions?: string | null;
  services?: string[];
  intakeAlwaysOpen?: boolean;
  intakeDays?: number[];
  intakeOpens?: string | null;
  intakeCloses?: string | null;
  timeZone?: string;
  verifiedMinutesAgo?: number;
  /** Eligibility fields to set, e.g. { genders: [Gender.MAN], minAge: 21 } (stored through ELIGIBILITY_COLUMNS). */
  elig?: Partial<Eligibility>;
}

/** Builds test data straight in Postgres, so each test exercises only the API call it is about. */
export class Fixtures {
  readonly pg: Pool;

  constructor(databaseUrl: string) {
    this.pg = new Pool({ connectionString: databaseUrl, max: 4 });
  }

  async close(): Promise<void> {
    await this.pg.end();
  }

  async one<T = any>(sql: string, params: unknown[] = []): Promise<T> {
    const { rows } = await this.pg.query(sql, params);
    return rows[0] as T;
  }

  async all<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    const { rows } = await this.pg.query(sql, params);
    return rows as T[];
  }

  async region(code: string, name = code, parentId: string | null = null): Promise<string> {
    const row = await this.one<{ id: string }>(
      `INSERT INTO region (id, code, name, parent_id, path)
       SELECT g.id, $1, $2, $3::uuid, COALESCE((SELECT path FROM region WHERE id = $3::uuid), '{}') || g.id
         FROM (SELECT gen_random_uuid() AS id) g RETURNING id`,
      [code, name, parentId],
    );
    return row.id;
  }

  async organisation(
    name: string,
    kind: 'SHELTER_PROVIDER' | 'REFERRAL_AGENCY' | 'COORDINATING_BODY',
  ): Promise<string> {
    return (
      await this.one<{ id: string }>(`INSERT INTO organisation (name, kind) VALUES ($1, $2) RETURNING id`, [name, kind])
    ).id;
  }

  async user(
    email: string,
    role: 'SHELTER_STAFF' | 'HOTLINE_ADVOCATE' | 'REGIONAL_COORDINATOR' | 'ADMIN',
    organisationId: string | null,
    regionIds: string[] = [],
  ): Promise<string> {
    passwordHash ??= passwords.hash(PASSWORD);
    const { id } = await this.one<{ id: string }>(
      `INSERT INTO app_user (email, display_name, password_hash, role, organisation_id)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [email, email.split('@')[0], await passwordHash, role, organisationId],
    );
    for (const regionId of regionIds) {
      await this.pg.query(`INSERT INTO user_region (user_id, region_id) VALUES ($1, $2)`, [id, regionId]);
    }
    return id;
  }

  async shelter(organisationId: string, regionId: string, f: ShelterFixture = {}): Promise<string> {
    const columns: Record<string, unknown> = {
      organisation_id: organisationId,
      region_id: regionId,
      name: f.name ?? 'Test Shelter',
      city: f.city ?? 'Testville',
      location_confidential: f.locationConfidential ?? true,
      address: f.address === undefined ? '1 Secret Lane' : f.address,
      intake_phone: f.intakePhone === undefined ? '+1 555 0100' : f.intakePhone,
      intake_instructions:
        f.intakeInstructions === undefined ? 'Call the intake line on +1 555 0100' : f.intakeInstructions,
      services: f.services ?? [],
      intake_always_open: f.intakeAlwaysOpen ?? true,
      intake_days: f.intakeDays ?? [1, 2, 3, 4, 5],
      intake_opens: f.intakeOpens ?? null,
      intake_closes: f.intakeCloses ?? null,
      time_zone: f.timeZone ?? 'America/Chicago',
      status: f.status ?? 'ACTIVE',
      ...eligibilityRow({
        genders: [Gender.WOMAN, Gender.TRANSGENDER_WOMAN],
        traffickingTypes: [TraffickingType.SEX, TraffickingType.LABOUR],
        languages: ['en'],
        ...f.elig,
      }),
    };
    const names = Object.keys(columns);
    const params = Object.values(columns);
    params.push(f.longitude ?? -97.74, f.latitude ?? 30.27, f.verifiedMinutesAgo ?? 0);
    const n = params.length;
    const { id } = await this.one<{ id: string }>(
      `INSERT INTO shelter (${names.join(', ')}, public_location, availability_verified_at)
       VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')},
               ST_SetSRID(ST_MakePoint($${n - 2}, $${n - 1}), 4326)::geography,
               now() - make_interval(mins => $${n}))
       RETURNING id`,
      params,
    );
    return id;
  }

  async pool(
    shelterId: string,
    bedType: string,
    capacity: number,
    counts: { occupied?: number; held?: number; outOfService?: number } = {},
  ): Promise<string> {
    const { id } = await this.one<{ id: string }>(
      `INSERT INTO bed_pool (shelter_id, bed_type, capacity, occupied, held, out_of_service)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [shelterId, bedType, capacity, counts.occupied ?? 0, counts.held ?? 0, counts.outOfService ?? 0],
    );
    return id;
  }

  async poolRow(id: string) {
    return this.one<{
      capacity: number;
      occupied: number;
      held: number;
      out_of_service: number;
      available: number;
      version: number;
    }>(`SELECT capacity, occupied, held, out_of_service, available, version FROM bed_pool WHERE id = $1`, [id]);
  }

  async count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
    const row = await this.one<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params);
    return Number(row.n);
  }
}
