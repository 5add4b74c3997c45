// The staff browser tests' own world: an organisation, a staff member and shelters of their own (made through the
// API as the demo admin and the new staff member), so the counts the tests move are theirs alone.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { demoLogin, gql, tokenFor } from './fixtures';

export const STAFF_PASSWORD = 'staff-spec-password-2026';

export interface StaffWorld {
  organisationId: string;
  email: string;
  password: string;
  token: string;
  regionId: string;
}

function must<T>(result: { data: T; errors?: unknown[] }, what: string): T {
  if (result.errors?.length || !result.data) throw new Error(`${what}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export async function staffWorld(): Promise<StaffWorld> {
  const admin = demoLogin('ADMIN');
  const adminToken = await tokenFor(admin.email, admin.password);
  const tag = randomUUID().slice(0, 8);
  const org = must(
    await gql<{ createOrganisation: { id: string } }>(
      `mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { kind: 'SHELTER_PROVIDER', name: `Staff Spec Homes ${tag}` } },
      adminToken,
    ),
    'createOrganisation',
  ).createOrganisation;
  const email = `staff.spec.${tag}@example.org`;
  must(
    await gql(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      {
        input: {
          email,
          displayName: `Robin Staffer ${tag}`,
          password: STAFF_PASSWORD,
          role: 'SHELTER_STAFF',
          organisationId: org.id,
        },
      },
      adminToken,
    ),
    'createUser',
  );
  const token = await tokenFor(email, STAFF_PASSWORD);
  const regions = must(
    await gql<{ regions: { id: string; name: string }[] }>(`{ regions { id name } }`, {}, token),
    'regions',
  );
  const regionId = regions.regions.find((r) => r.name === 'Juniper County')!.id;
  return { organisationId: org.id, email, password: STAFF_PASSWORD, token, regionId };
}

export interface TestShelter {
  id: string;
  name: string;
  pools: Record<string, string>;
}

/** A shelter of the world's organisation with pools of these capacities (bed type → capacity). */
export async function newShelter(
  w: StaffWorld,
  pools: Record<string, number>,
  input: Record<string, unknown> = {},
): Promise<TestShelter> {
  const name = `Spec House ${randomUUID().slice(0, 6)}`;
  const shelter = must(
    await gql<{ createShelter: { id: string } }>(
      `mutation ($input: CreateShelterInput!) { createShelter(input: $input) { id } }`,
      {
        input: {
          name,
          regionId: w.regionId,
          city: 'Juniper City',
          location: { latitude: 30.46, longitude: -97.61 },
          locationConfidential: true,
          intakeAlwaysOpen: true,
          timeZone: 'America/Chicago',
          intakeInstructions: 'Call the intake line when you are ten minutes away.',
          ...input,
        },
      },
      w.token,
    ),
    'createShelter',
  ).createShelter;
  const ids: Record<string, string> = {};
  for (const [bedType, capacity] of Object.entries(pools)) {
    const pool = must(
      await gql<{ upsertBedPool: { id: string } }>(
        `mutation ($input: UpsertBedPoolInput!) { upsertBedPool(input: $input) { id } }`,
        { input: { shelterId: shelter.id, bedType, capacity } },
        w.token,
      ),
      'upsertBedPool',
    ).upsertBedPool;
    ids[bedType] = pool.id;
  }
  return { id: shelter.id, name, pools: ids };
}

export interface PoolState {
  capacity: number;
  occupied: number;
  held: number;
  outOfService: number;
  available: number;
  version: number;
}

export async function poolState(w: StaffWorld, shelterId: string, poolId: string): Promise<PoolState> {
  const data = must(
    await gql<{ shelter: { pools: (PoolState & { id: string })[] } }>(
      `query ($id: ID!) { shelter(id: $id) { pools { id capacity occupied held outOfService available version } } }`,
      { id: shelterId },
      w.token,
    ),
    'shelter',
  );
  return data.shelter.pools.find((p) => p.id === poolId)!;
}

/** How many staff changes of a kind the pool has seen (to prove a change was applied exactly once). */
export async function eventCount(w: StaffWorld, poolId: string, kind: string): Promise<number> {
  const data = must(
    await gql<{ bedPoolEvents: { edges: { node: { kind: string } }[] } }>(
      `query ($poolId: ID!) { bedPoolEvents(poolId: $poolId, first: 100) { edges { node { kind } } } }`,
      { poolId },
      w.token,
    ),
    'bedPoolEvents',
  );
  return data.bedPoolEvents.edges.filter((e) => e.node.kind === kind).length;
}

export async function adjust(
  w: StaffWorld,
  poolId: string,
  occupiedDelta: number,
  outOfServiceDelta = 0,
): Promise<void> {
  must(
    await gql(
      `mutation ($input: AdjustBedsInput!) { adjustBeds(input: $input) { id } }`,
      { input: { poolId, occupiedDelta, outOfServiceDelta } },
      w.token,
    ),
    'adjustBeds',
  );
}

/** A direct SQL statement on the tests' database (to make counts stale, as a day without updates would). */
export async function sql(statement: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: process.env.WEB_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement, params);
  } finally {
    await client.end();
  }
}
