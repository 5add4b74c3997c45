import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import type { Client as WsClient } from 'graphql-ws';
import type { Fixtures } from './fixtures';
import type { GqlResult } from './gql';
import type { World } from './world';

/** The callers every access test reasons about; `anonymous` sends no token. */
export const ROLES = ['anonymous', 'staffA', 'staffB', 'advocate', 'coordinator', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];
export type SignedInRole = Exclude<RoleName, 'anonymous'>;
export const SIGNED_IN: SignedInRole[] = ['staffA', 'staffB', 'advocate', 'coordinator', 'admin'];

export function tokenFor(w: World, role: RoleName): string | undefined {
  return role === 'anonymous' ? undefined : w.tokens[role];
}

/** A well-formed id that names nothing. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

let sequence = 0;
/** A value no other call in this process returns, for unique names, codes and emails. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}${sequence}${randomUUID().slice(0, 6)}`.toUpperCase();
}
export function uniqueEmail(prefix = 'user'): string {
  return `${unique(prefix).toLowerCase()}@example.org`;
}

// ── operation documents, one per SDL operation ────────────────────────────────────────────────────────────────────

export const DOC = {
  me: `query { me { id role organisationId active } }`,
  regions: `query { regions { id code name parentId } }`,
  organisations: `query { organisations { id name kind } }`,
  users: `query($org: ID) { users(organisationId: $org) { id email role organisationId active } }`,
  shelters: `query($first: Int!, $after: String, $regionId: ID, $mine: Boolean) {
    shelters(first: $first, after: $after, regionId: $regionId, mine: $mine) {
      edges { cursor node { id name organisationId regionId locationConfidential address intakePhone } }
      pageInfo { endCursor hasNextPage }
    }
  }`,
  shelter: `query($id: ID!) {
    shelter(id: $id) { id name organisationId locationConfidential address intakePhone pools { id capacity available } }
  }`,
  searchBeds: `query($needs: NeedsInput!, $first: Int! = 10) {
    searchBeds(needs: $needs, first: $first) {
      matches {
        rank poolId bedType available distanceKm stale acceptingIntakesNow languageViaInterpretation servicesMissing
        availabilityVerifiedAt
        shelter { id name city regionId services holdMinutes responseMinutes approximateLocation { latitude longitude } }
      }
      examinedShelters excludedShelters exclusions { reason shelters }
    }
  }`,
  login: `mutation($email: String!, $password: String!) {
    login(email: $email, password: $password) { token expiresAt user { id role } }
  }`,
  createRegion: `mutation($input: CreateRegionInput!) { createRegion(input: $input) { id code name parentId } }`,
  updateRegion: `mutation($id: ID!, $input: UpdateRegionInput!) {
    updateRegion(id: $id, input: $input) { id code name parentId }
  }`,
  createOrganisation: `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id name kind } }`,
  renameOrganisation: `mutation($id: ID!, $input: RenameOrganisationInput!) {
    renameOrganisation(id: $id, input: $input) { id name kind }
  }`,
  createUser: `mutation($input: CreateUserInput!) {
    createUser(input: $input) { id email displayName role organisationId active regions { id } }
  }`,
  updateUser: `mutation($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { id displayName regions { id } }
  }`,
  deactivateUser: `mutation($id: ID!) { deactivateUser(id: $id) { id active } }`,
  reactivateUser: `mutation($id: ID!) { reactivateUser(id: $id) { id active } }`,
  createShelter: `mutation($input: CreateShelterInput!) {
    createShelter(input: $input) { id name organisationId regionId address intakePhone eligibility { minAge maxAge } }
  }`,
  updateShelter: `mutation($id: ID!, $input: UpdateShelterInput!) {
    updateShelter(id: $id, input: $input) { id name city intakeOpens intakeCloses timeZone }
  }`,
  setEligibility: `mutation($shelterId: ID!, $eligibility: EligibilityInput!) {
    setEligibility(shelterId: $shelterId, eligibility: $eligibility) { id eligibility { minAge maxAge languages } }
  }`,
  upsertBedPool: `mutation($input: UpsertBedPoolInput!) {
    upsertBedPool(input: $input) { id shelterId bedType capacity occupied available version }
  }`,
  adjustBeds: `mutation($input: AdjustBedsInput!) {
    adjustBeds(input: $input) { id occupied outOfService available version }
  }`,
  setBedCounts: `mutation($input: SetBedCountsInput!) {
    setBedCounts(input: $input) { id capacity occupied outOfService available version }
  }`,
  confirmAvailability: `mutation($shelterId: ID!) { confirmAvailability(shelterId: $shelterId) { shelterId availabilityVerifiedAt } }`,
  bedAvailabilityChanged: `subscription($regionId: ID!) {
    bedAvailabilityChanged(regionId: $regionId) {
      shelterId regionId poolId bedType capacity occupied held outOfService available version availabilityVerifiedAt
    }
  }`,
} as const;

/** Every Query and Mutation field of the committed SDL, to prove a table covers them all. */
export function sdlOperations(): { queries: string[]; mutations: string[]; subscriptions: string[] } {
  const sdl = readFileSync(path.resolve(__dirname, '../../apps/api/schema.gql'), 'utf8');
  const schema = buildSchema(sdl);
  const names = (t: { getFields(): Record<string, unknown> } | null | undefined) =>
    Object.keys(t?.getFields() ?? {}).sort();
  return {
    queries: names(schema.getQueryType()),
    mutations: names(schema.getMutationType()),
    subscriptions: names(schema.getSubscriptionType()),
  };
}

// ── valid inputs, to be spoiled one field at a time ─────────────────────────────────────────────────────────────────

export function eligibility(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    genders: ['WOMAN', 'TRANSGENDER_WOMAN'],
    minAge: 18,
    maxAge: 120,
    acceptsUnaccompaniedMinors: false,
    acceptsChildren: false,
    maxChildren: 0,
    childMinAge: 0,
    childMaxAge: 17,
    traffickingTypes: ['SEX', 'LABOUR'],
    languages: ['en', 'es'],
    wheelchairAccessible: false,
    petsAllowed: false,
    substanceUsePolicy: 'HARM_REDUCTION',
    lgbtqAffirming: true,
    requiresLawEnforcementCooperation: false,
    immigrationPolicy: 'OPEN_TO_ALL',
    acceptsTraffickingRelatedRecords: true,
    requiresIdDocuments: false,
    programming: 'VOLUNTARY',
    curfew: null,
    maxStayDays: null,
    ...overrides,
  };
}

export function shelterInput(w: World, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `Shelter ${unique('S')}`,
    regionId: w.regions.countyA,
    city: 'Alderton',
    location: { latitude: 30.27, longitude: -97.74 },
    address: '7 Quiet Lane',
    intakePhone: '+1 555 0199',
    ...overrides,
  };
}

export function needs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { age: 30, gender: 'WOMAN', traffickingTypes: ['SEX'], urgency: 'TONIGHT', ...overrides };
}

// ── assertions on the error contract ───────────────────────────────────────────────────────────────────────────────

/** No error may carry a stack trace or internal detail. */
export function expectNoInternals(result: GqlResult): void {
  const json = JSON.stringify(result.errors ?? []);
  expect(json).not.toContain('stacktrace');
  expect(json).not.toMatch(/\n\s+at /);
  expect(json).not.toMatch(/QueryFailedError|violates|duplicate key|TypeError|Cannot read properties/);
}

/**
 * The first error's code (one of `code`) and, when given, the field it names (the full path, or a path ending in
 * it). On failure the diff shows the received code, field and message next to what was expected.
 */
export function expectError(result: GqlResult, code: string | string[], field?: string): void {
  expectNoInternals(result);
  const error = result.errors?.[0];
  const codes = Array.isArray(code) ? code : [code];
  const got = { code: error?.extensions?.code, field: error?.extensions?.field, message: error?.message };
  const fieldOk =
    field === undefined || got.field === field || (typeof got.field === 'string' && got.field.endsWith(`.${field}`));
  expect(got).toEqual({
    code: got.code !== undefined && codes.includes(got.code) ? got.code : codes.join(' | '),
    field: fieldOk ? got.field : field,
    message: got.message ?? 'an error was expected',
  });
}

// ── state fingerprints, to prove that a refused operation wrote nothing ─────────────────────────────────────────────

const TABLES = ['region', 'organisation', 'app_user', 'user_region', 'shelter', 'bed_pool', 'capacity_event'];

/** A digest of every row of every table the API writes; equal before and after means nothing was written. */
export async function dbFingerprint(fx: Fixtures): Promise<Record<string, string>> {
  const entries = await Promise.all(
    TABLES.map(async (table) => {
      const row = await fx.one<{ n: string; digest: string }>(
        `SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} t`,
      );
      return [table, `${row.n}:${row.digest}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}

// ── WebSocket ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** Runs a query or mutation over graphql-ws and resolves with its single result (or the socket's error). */
export function wsExecute(
  client: WsClient,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GqlResult & { socketError?: unknown }> {
  return new Promise((resolve) => {
    let result: GqlResult | undefined;
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          result = value as GqlResult;
        },
        // graphql-ws sends operation errors found before execution (validation, limits) as an `error` message
        error: (error) => resolve(Array.isArray(error) ? { errors: error } : { socketError: error }),
        complete: () => resolve(result ?? {}),
      },
    );
  });
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
