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
          // paused: the referral workflow (other files' referrals) never holds beds here, so counts are the test's
          status: 'PAUSED',
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

/** Eligibility no demo shelter offers all of: the referrals of the offer tests match this file's shelter alone. */
export function rareEligibility(): Record<string, unknown> {
  return {
    // narrow on purpose: other files' referrals (adult women, mostly) never fit, so they never hold these beds
    genders: ['NON_BINARY'],
    minAge: 65,
    maxAge: 120,
    acceptsUnaccompaniedMinors: false,
    acceptsChildren: false,
    maxChildren: 0,
    childMinAge: 0,
    childMaxAge: 17,
    traffickingTypes: ['SEX', 'LABOUR'],
    languages: ['qu'],
    wheelchairAccessible: true,
    petsAllowed: true,
    substanceUsePolicy: 'HARM_REDUCTION',
    lgbtqAffirming: true,
    requiresLawEnforcementCooperation: false,
    immigrationPolicy: 'OPEN_TO_ALL',
    acceptsTraffickingRelatedRecords: true,
    requiresIdDocuments: false,
    programming: 'VOLUNTARY',
    curfew: null,
    maxStayDays: null,
  };
}

/** Needs only a shelter with rareEligibility() fits. */
export function rareNeeds(): Record<string, unknown> {
  return {
    age: 71,
    gender: 'NON_BINARY',
    traffickingTypes: ['LABOUR'],
    urgency: 'TONIGHT',
    languages: ['qu'],
    hasPets: true,
    wheelchairUser: true,
    location: { latitude: 30.46, longitude: -97.61 },
  };
}

/** A referral by the demo advocate, consented (so the worker matches and offers it); its id and reference. */
export async function consentedReferral(
  w: StaffWorld,
  advocateToken: string,
  options: { identityFor?: string } = {},
): Promise<{ id: string; referenceCode: string }> {
  const referral = must(
    await gql<{ submitReferral: { id: string; referenceCode: string } }>(
      `mutation ($input: SubmitReferralInput!) { submitReferral(input: $input) { id referenceCode } }`,
      {
        input: {
          regionId: w.regionId,
          needs: rareNeeds(),
          ...(options.identityFor ? { identity: { name: 'Ana Spec-Person', phone: '+1 555 0100' } } : {}),
        },
      },
      advocateToken,
    ),
    'submitReferral',
  ).submitReferral;
  must(
    await gql(
      `mutation ($referralId: ID!, $input: RecordConsentInput!) { recordConsent(referralId: $referralId, input: $input) { id } }`,
      {
        referralId: referral.id,
        input: {
          scopes: options.identityFor
            ? ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS', 'SHARE_IDENTITY_WITH_RECIPIENT']
            : ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'],
          ...(options.identityFor ? { recipientShelterId: options.identityFor } : {}),
          method: 'VERBAL_HOTLINE',
          expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
      },
      advocateToken,
    ),
    'recordConsent',
  );
  return referral;
}

export interface AdvocateOffer {
  shelterId: string;
  status: string;
  intakeInstructions: string | null;
  closedReason: string | null;
}

/** The referral's offers as the advocate sees them. */
export async function advocateOffers(referralId: string, advocateToken: string): Promise<AdvocateOffer[]> {
  const data = must(
    await gql<{ referral: { offers: AdvocateOffer[] } }>(
      `query ($id: ID!) { referral(id: $id) { offers { shelterId status intakeInstructions closedReason } } }`,
      { id: referralId },
      advocateToken,
    ),
    'referral',
  );
  return data.referral.offers;
}

export { expectAccessibleDialog } from './fixtures';
