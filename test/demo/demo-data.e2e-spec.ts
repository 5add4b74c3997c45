import { DataSource } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { dataSourceOptions } from '@shelterlink/database';
import { DEMO_LOGINS, seedDemo } from '../../apps/cli/src/demo-data';
import { createTestEnv, RunningApi, startApi, TestEnv } from '../support/app';
import { gql, login } from '../support/gql';
import { WRITTEN_TABLES } from '../support/operations';

describe('demo data', () => {
  let env: TestEnv;
  let db: DataSource;
  let api: RunningApi | undefined;
  let firstRun: string;
  let secondRun: string;
  let countsAfterFirst: Record<string, number>;

  const rows = <T = any>(sql: string, params: unknown[] = []) => db.query<T[]>(sql, params);
  const count = async (sql: string, params: unknown[] = []) => Number((await rows<{ n: string }>(sql, params))[0].n);
  const tableCounts = async () =>
    Object.fromEntries(
      await Promise.all(WRITTEN_TABLES.map(async (t) => [t, await count(`SELECT count(*) AS n FROM ${t}`)])),
    );

  beforeAll(async () => {
    env = await createTestEnv();
    db = new DataSource(dataSourceOptions(new AppConfig({ ...process.env, DATABASE_URL: env.db.url })));
    await db.initialize();
    firstRun = await seedDemo(db);
    countsAfterFirst = await tableCounts();
    secondRun = await seedDemo(db);
  });

  afterAll(async () => {
    await api?.close();
    await db?.destroy();
    await env?.cleanup();
  });

  it('loads once and is a no-op the second time', async () => {
    expect(firstRun).toMatch(/40 shelters/);
    expect(secondRun).toMatch(/already loaded/);
    expect(await tableCounts()).toEqual(countsAfterFirst);
  });

  it('has a state with at least five counties, each path running from the state to the county', async () => {
    const [state] = await rows(`SELECT id, path FROM region WHERE parent_id IS NULL`);
    expect(state.path).toEqual([state.id]);
    const counties = await rows(`SELECT id, path FROM region WHERE parent_id = $1`, [state.id]);
    expect(counties.length).toBeGreaterThanOrEqual(5);
    for (const c of counties) expect(c.path).toEqual([state.id, c.id]);
  });

  it('has about 40 shelters owned by shelter providers, referral agencies and a coordinating body', async () => {
    const shelters = await count(`SELECT count(*) AS n FROM shelter`);
    expect(shelters).toBeGreaterThanOrEqual(35);
    expect(shelters).toBeLessThanOrEqual(45);
    const kinds = await rows<{ kind: string; n: string }>(
      `SELECT kind, count(*) AS n FROM organisation GROUP BY kind ORDER BY kind`,
    );
    expect(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))).toEqual({
      COORDINATING_BODY: 1,
      REFERRAL_AGENCY: 2,
      SHELTER_PROVIDER: expect.any(Number),
    });
    expect(
      await count(`SELECT count(*) AS n FROM organisation o WHERE kind = 'SHELTER_PROVIDER'
                     AND NOT EXISTS (SELECT 1 FROM shelter s WHERE s.organisation_id = o.id)`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM shelter s JOIN organisation o ON o.id = s.organisation_id
                    WHERE o.kind <> 'SHELTER_PROVIDER'`),
    ).toBe(0);
  });

  it('has a user in every role, every demo login, and coordinators assigned to regions', async () => {
    const roles = await rows<{ role: string }>(`SELECT DISTINCT role::text AS role FROM app_user ORDER BY 1`);
    expect(roles.map((r) => r.role)).toEqual(['ADMIN', 'HOTLINE_ADVOCATE', 'REGIONAL_COORDINATOR', 'SHELTER_STAFF']);
    for (const l of DEMO_LOGINS) {
      const [user] = await rows(`SELECT role, active FROM app_user WHERE email = $1`, [l.email]);
      expect(user).toEqual({ role: l.role, active: true });
    }
    expect(
      await count(`SELECT count(*) AS n FROM app_user u WHERE role = 'REGIONAL_COORDINATOR'
                     AND NOT EXISTS (SELECT 1 FROM user_region ur WHERE ur.user_id = u.id)`),
    ).toBe(0);
    const [stateCoordinator] = await rows(
      `SELECT r.parent_id FROM app_user u JOIN user_region ur ON ur.user_id = u.id JOIN region r ON r.id = ur.region_id
        WHERE u.email = $1`,
      [DEMO_LOGINS.find((l) => l.role === 'REGIONAL_COORDINATOR')!.email],
    );
    expect(stateCoordinator.parent_id).toBeNull();
  });

  it('keeps every pool consistent, with one POOL_CREATED event by the shelter’s own staff', async () => {
    expect(
      await count(
        `SELECT count(*) AS n FROM shelter s WHERE NOT EXISTS (SELECT 1 FROM bed_pool p WHERE p.shelter_id = s.id)`,
      ),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM bed_pool
                    WHERE capacity <> occupied + held + out_of_service + available
                       OR least(capacity, occupied, held, out_of_service, available) < 0 OR held <> 0`),
    ).toBe(0);
    // each pool: created by its own provider's staff, then a chain of changes ending at today's counts
    expect(
      await count(`SELECT count(*) AS n FROM bed_pool p
                    WHERE (SELECT count(*) FROM capacity_event e
                            JOIN app_user u ON u.id = e.actor_user_id
                            JOIN shelter s ON s.id = e.shelter_id
                           WHERE e.bed_pool_id = p.id AND e.shelter_id = p.shelter_id AND e.kind = 'POOL_CREATED'
                             AND u.organisation_id = s.organisation_id AND u.role = 'SHELTER_STAFF'
                             AND e.capacity_before IS NULL) <> 1`),
    ).toBe(0);
    expect(
      await count(`WITH chain AS (
                     SELECT e.bed_pool_id, e.occurred_at,
                            (e.capacity_before, e.occupied_before, e.held_before, e.out_of_service_before) AS before,
                            lag((e.capacity_after, e.occupied_after, e.held_after, e.out_of_service_after))
                              OVER (PARTITION BY e.bed_pool_id ORDER BY e.occurred_at, e.id) AS previous
                       FROM capacity_event e)
                   SELECT count(*) AS n FROM chain WHERE previous IS NOT NULL AND before IS DISTINCT FROM previous`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM bed_pool p
                    WHERE (SELECT (e.capacity_after, e.occupied_after, e.held_after, e.out_of_service_after)
                             FROM capacity_event e WHERE e.bed_pool_id = p.id ORDER BY e.occurred_at DESC, e.id DESC
                            LIMIT 1) IS DISTINCT FROM (p.capacity, p.occupied, p.held, p.out_of_service)`),
    ).toBe(0);
    // some shelters are full, most have a bed
    const free = await rows<{ available: string }>(
      `SELECT sum(available) AS available FROM bed_pool GROUP BY shelter_id`,
    );
    expect(free.filter((f) => Number(f.available) === 0).length).toBeGreaterThanOrEqual(1);
    expect(free.filter((f) => Number(f.available) > 0).length).toBeGreaterThan(free.length / 2);
  });

  it('gives every shelter default intake instructions, so a one-click acceptance tells the agency how to arrive', async () => {
    expect(await count(`SELECT count(*) AS n FROM shelter WHERE intake_instructions IS NULL`)).toBe(0);
    // a confidential shelter's default never gives its address away
    expect(
      await count(`SELECT count(*) AS n FROM shelter
                    WHERE location_confidential AND strpos(intake_instructions, address) > 0`),
    ).toBe(0);
  });

  it('places shelters on the coarse public grid inside the bounding box, with fresh and stale counts', async () => {
    const points = await rows<{ lat: number; lon: number }>(
      `SELECT ST_Y(public_location::geometry) AS lat, ST_X(public_location::geometry) AS lon FROM shelter`,
    );
    for (const p of points) {
      expect(p.lat).toBeGreaterThanOrEqual(30);
      expect(p.lat).toBeLessThanOrEqual(31.5);
      expect(p.lon).toBeGreaterThanOrEqual(-98.5);
      expect(p.lon).toBeLessThanOrEqual(-96.5);
      expect(Math.abs(p.lat * 100 - Math.round(p.lat * 100))).toBeLessThan(1e-6);
      expect(Math.abs(p.lon * 100 - Math.round(p.lon * 100))).toBeLessThan(1e-6);
    }
    const stale = await count(
      `SELECT count(*) AS n FROM shelter WHERE availability_verified_at < now() - interval '24 hours'`,
    );
    expect(stale).toBeGreaterThanOrEqual(1);
    expect(stale).toBeLessThan(points.length / 2);
    expect(await count(`SELECT count(*) AS n FROM shelter, unnest(elig_languages) l WHERE l !~ '^[a-z]{2}$'`)).toBe(0);
  });

  it('lets every demo login sign in, and the advocate finds a bed near Juniper City', async () => {
    api = await startApi(env);
    const tokens: Record<string, string> = {};
    for (const l of DEMO_LOGINS) {
      tokens[l.role] = await login(api.url, l.email, l.password);
      const me = await gql(api.url, `{ me { email role } }`, {}, tokens[l.role]);
      expect(me.data.me).toEqual({ email: l.email, role: l.role });
    }
    const search = await gql(
      api.url,
      `{ searchBeds(
           needs: { age: 30, gender: WOMAN, traffickingTypes: [SEX], urgency: TONIGHT,
                    location: { latitude: 30.5, longitude: -97.5 }, radiusKm: 100 },
           first: 5) {
           matches { rank available shelter { name } }
           examinedShelters
         } }`,
      {},
      tokens.HOTLINE_ADVOCATE,
    );
    expect(search.errors).toBeUndefined();
    expect(search.data.searchBeds.examinedShelters).toBeGreaterThan(0);
    expect(search.data.searchBeds.matches.length).toBeGreaterThanOrEqual(1);
    expect(search.data.searchBeds.matches[0]).toMatchObject({ rank: 1, available: expect.any(Number) });
    expect(search.data.searchBeds.matches[0].available).toBeGreaterThan(0);
  });

  it('has two weeks of closed referrals without identities, consistent with the workflow', async () => {
    expect(firstRun).toMatch(/60 closed referrals/);
    expect(await count(`SELECT count(*) AS n FROM referral`)).toBe(60);
    expect(await count(`SELECT count(*) AS n FROM referral WHERE identity IS NOT NULL`)).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM referral WHERE state NOT IN ('EXITED', 'EXPIRED', 'WITHDRAWN')
                      OR closed_at IS NULL OR closed_at > now() OR submitted_at < now() - interval '14 days'`),
    ).toBe(0);
    // every state change is an allowed one, in order, ending in the referral's state
    const events = await rows<{ referral_id: string; from_state: string; to_state: string; state: string }>(
      `SELECT e.referral_id, e.from_state, e.to_state, f.state FROM referral_event e
         JOIN referral f ON f.id = e.referral_id ORDER BY e.referral_id, e.occurred_at, e.id`,
    );
    const { canTransition } = await import('@shelterlink/referrals');
    const last = new Map<string, string>();
    for (const e of events) {
      expect(last.get(e.referral_id) ?? 'SUBMITTED').toBe(e.from_state);
      expect(canTransition(e.from_state as never, e.to_state as never)).toBe(true);
      last.set(e.referral_id, e.to_state);
    }
    for (const e of events) expect(last.get(e.referral_id)).toBe(e.state);
    // no hold is left active (today's pool counts hold none), and every offer is answered
    expect(await count(`SELECT count(*) AS n FROM bed_hold WHERE status = 'ACTIVE'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM offer WHERE status NOT IN ('ACCEPTED', 'DECLINED')`)).toBe(0);
    // unmet ones carry the exclusions of their matching run; placed ones an accepted offer
    expect(await count(`SELECT count(*) AS n FROM referral WHERE state <> 'EXITED' AND last_exclusions IS NULL`)).toBe(
      0,
    );
    // … and what blocked them: some of those reasons, never one that excluded no shelter
    expect(
      await count(`SELECT count(*) AS n FROM referral WHERE state <> 'EXITED'
                    AND (cardinality(blocked_by) IS NULL OR cardinality(blocked_by) = 0
                         OR EXISTS (SELECT 1 FROM unnest(blocked_by) b WHERE NOT last_exclusions ? b))`),
    ).toBe(0);
    // every offer of the history has ended, as the workflow leaves it: staff see it among their closed offers
    expect(
      await count(`SELECT count(*) AS n FROM offer o JOIN referral f ON f.id = o.referral_id
                    WHERE o.closed_at IS NULL OR o.closed_reason <> CASE o.status WHEN 'ACCEPTED' THEN 'EXITED'
                                                                                  ELSE 'DECLINED' END
                       OR (o.status = 'ACCEPTED' AND o.closed_at <> f.closed_at)`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM referral f WHERE state = 'EXITED'
                    AND NOT EXISTS (SELECT 1 FROM offer o WHERE o.referral_id = f.id AND o.status = 'ACCEPTED')`),
    ).toBe(0);
  });
});
