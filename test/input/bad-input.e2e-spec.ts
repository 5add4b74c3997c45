import type { Client as WsClient } from 'graphql-ws';
import { gql, GqlResult, wsClient } from '../support/gql';
import {
  addOffer,
  consentInput,
  daysFromNow,
  dbFingerprint,
  DOC,
  eligibility,
  expectError,
  expectNoInternals,
  needs,
  otherAgency,
  referralFixture,
  referralInput,
  RoleName,
  sdlOperations,
  shelterInput,
  tokenFor,
  UNKNOWN_ID,
  unique,
  uniqueEmail,
  wsExecute,
} from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * Every mutation's bad input, table-driven: each case names the code (and, for our own validation, the field at
 * fault) and proves that nothing at all was written. Then the query limits: page sizes, depth and complexity.
 */

/** What graphql-js itself answers for a wrong type, an unknown enum literal or a missing required value. */
const GRAPHQL_TYPE_ERROR = ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'];

interface Call {
  query: string;
  variables?: Record<string, unknown>;
}

interface BadCase {
  op: string;
  name: string;
  as: RoleName;
  build: (w: World) => Call | Promise<Call>;
  code: string | string[];
  /** For BAD_USER_INPUT from our validation: the field at fault. */
  field?: string;
}

const long = (n: number) => 'x'.repeat(n);

// ── builders of otherwise valid calls ───────────────────────────────────────────────────────────────────────────────

const login = (v: Record<string, unknown>): Call => ({
  query: DOC.login,
  variables: { email: 'advocate@example.org', password: 'correct horse battery staple', ...v },
});
const createRegion = (w: World, input: Record<string, unknown>): Call => ({
  query: DOC.createRegion,
  variables: { input: { code: unique('NEW-'), name: 'New Region', parentId: w.regions.state, ...input } },
});
async function updateRegion(w: World, input: Record<string, unknown>, id?: string): Promise<Call> {
  const region = id ?? (await w.fx.region(unique('UPD-'), 'Some County', w.regions.state));
  return { query: DOC.updateRegion, variables: { id: region, input } };
}
const createOrganisation = (input: Record<string, unknown>): Call => ({
  query: DOC.createOrganisation,
  variables: { input: { name: unique('Org '), kind: 'REFERRAL_AGENCY', ...input } },
});
async function renameOrganisation(w: World, name: string, id?: string): Promise<Call> {
  const org = id ?? (await w.fx.organisation(unique('Rename me '), 'REFERRAL_AGENCY'));
  return { query: DOC.renameOrganisation, variables: { id: org, input: { name } } };
}
const createUser = (w: World, input: Record<string, unknown>): Call => ({
  query: DOC.createUser,
  variables: {
    input: {
      email: uniqueEmail('bad'),
      displayName: 'Someone',
      password: 'a long enough password',
      role: 'HOTLINE_ADVOCATE',
      organisationId: w.orgs.agency,
      ...input,
    },
  },
});
async function updateUser(w: World, input: Record<string, unknown>, id?: string): Promise<Call> {
  const user = id ?? (await w.fx.user(uniqueEmail('target'), 'HOTLINE_ADVOCATE', w.orgs.agency));
  return { query: DOC.updateUser, variables: { id: user, input } };
}
const createShelter = (w: World, input: Record<string, unknown>): Call => ({
  query: DOC.createShelter,
  variables: { input: shelterInput(w, input) },
});
const createShelterElig = (w: World, e: Record<string, unknown>): Call =>
  createShelter(w, { eligibility: eligibility(e) });
/** A fresh shelter of provider A with intake 08:00–17:00 on weekdays. */
const freshShelter = (w: World, f: Parameters<World['fx']['shelter']>[2] = {}) =>
  w.fx.shelter(w.orgs.providerA, w.regions.countyA, {
    name: unique('Target '),
    intakeAlwaysOpen: false,
    intakeOpens: '08:00',
    intakeCloses: '17:00',
    ...f,
  });
async function updateShelter(w: World, input: Record<string, unknown>, id?: string): Promise<Call> {
  return { query: DOC.updateShelter, variables: { id: id ?? (await freshShelter(w)), input } };
}
const setEligibility = (shelterId: string, e: Record<string, unknown>): Call => ({
  query: DOC.setEligibility,
  variables: { shelterId, eligibility: eligibility(e) },
});
const upsertBedPool = (input: Record<string, unknown>): Call => ({
  query: DOC.upsertBedPool,
  variables: { input: { bedType: 'FAMILY_UNIT', capacity: 4, ...input } },
});
/** A fresh pool: capacity 10, 2 occupied, version 1. */
const freshPool = async (w: World) =>
  w.fx.pool(await freshShelter(w, { intakeAlwaysOpen: true }), 'SINGLE', 10, { occupied: 2 });
async function adjustBeds(w: World, input: Record<string, unknown>, poolId?: string): Promise<Call> {
  return { query: DOC.adjustBeds, variables: { input: { poolId: poolId ?? (await freshPool(w)), ...input } } };
}
async function setBedCounts(w: World, input: Record<string, unknown>, poolId?: string): Promise<Call> {
  return {
    query: DOC.setBedCounts,
    variables: {
      input: { poolId: poolId ?? (await freshPool(w)), expectedVersion: 1, occupied: 3, outOfService: 0, ...input },
    },
  };
}
const search = (n: Record<string, unknown>, first = 10): Call => ({
  query: DOC.searchBeds,
  variables: { needs: needs(n), first },
});
const shelters = (v: Record<string, unknown>): Call => ({ query: DOC.shelters, variables: { first: 20, ...v } });

// referrals: each builder makes its own referral (or offer) in the state the case needs
const submitReferral = (w: World, input: Record<string, unknown>): Call => ({
  query: DOC.submitReferral,
  variables: { input: referralInput(w, input) },
});
const submitNeeds = (w: World, n: Record<string, unknown>): Call => submitReferral(w, { needs: needs(n) });
const submitIdentity = (w: World, identity: Record<string, unknown>): Call =>
  submitReferral(w, { identity: { name: 'Someone', ...identity } });
async function recordConsent(w: World, input: Record<string, unknown>, referralId?: string): Promise<Call> {
  const id = referralId ?? (await referralFixture(w, 'AWAITING_CONSENT')).id;
  return { query: DOC.recordConsent, variables: { referralId: id, input: consentInput(input) } };
}
const revokeConsent = (consentId: string | null): Call => ({ query: DOC.revokeConsent, variables: { consentId } });
async function withdrawReferral(w: World, reason?: string, referralId?: string): Promise<Call> {
  const id = referralId ?? (await referralFixture(w, 'OFFERED', { offerTo: 'A' })).id;
  return { query: DOC.withdrawReferral, variables: { referralId: id, reason } };
}
async function respondToOffer(w: World, input: Record<string, unknown>, offerId?: string | null): Promise<Call> {
  const id = offerId === undefined ? (await referralFixture(w, 'OFFERED', { offerTo: 'A' })).offerId : offerId;
  return { query: DOC.respondToOffer, variables: { offerId: id, input: { accept: true, ...input } } };
}
const decline = (w: World, input: Record<string, unknown>) =>
  respondToOffer(w, { accept: false, declineReason: 'STAFFING', ...input });
const offerCall = (op: 'confirmIntake' | 'recordNoShow', offerId: string | null): Call => ({
  query: DOC[op],
  variables: { offerId },
});
const recordExit = (offerId: string | null, destination: unknown = 'PERMANENT_HOUSING'): Call => ({
  query: DOC.recordExit,
  variables: { offerId, destination },
});
/** An open offer to a fresh shelter of provider A that has no default intake instructions. */
const offerWithoutDefaultInstructions = async (w: World) =>
  (await referralFixture(w, 'OFFERED', { offerTo: 'A', offerShelter: { intakeInstructions: null } })).offerId;
const offers = (v: Record<string, unknown>): Call => ({ query: DOC.offers, variables: v });
const poolEvents = (v: Record<string, unknown>): Call => ({ query: DOC.bedPoolEvents, variables: v });
/** An `offers` cursor holding these values (a real one holds the stage rank, a sort key and the offer id). */
const offerCursor = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
/** The offer of the world's agency's referral in `state`, to a fresh shelter of provider A. */
const offerIn = async (w: World, state: Parameters<typeof referralFixture>[1], opts = {}) =>
  (await referralFixture(w, state, { offerTo: 'A', ...opts })).offerId;
/**
 * Provider A accepted, the survivor did not arrive (A's staff recorded the no-show through the API), and the
 * referral was then offered to and accepted by a shelter of provider B, and is now in `state` there. Returns A's
 * old offer: A's staff may no longer act on the survivor's placement through it.
 */
async function staleOfferAfterNoShow(w: World, state: 'ACCEPTED' | 'PLACED'): Promise<string> {
  const f = await referralFixture(w, 'ACCEPTED', { offerTo: 'A' });
  const noShow = await gql(w.api.url, DOC.recordNoShow, { offerId: f.offerId }, w.tokens.staffA);
  if (noShow.errors) throw new Error(`fixture recordNoShow failed: ${JSON.stringify(noShow.errors)}`);
  await addOffer(w, f.id, {
    owner: 'B',
    attempt: 2,
    status: 'ACCEPTED',
    hold: state === 'ACCEPTED' ? 'ACTIVE' : 'CONVERTED',
    resident: state === 'PLACED',
  });
  await w.fx.pg.query(`UPDATE referral SET state = $2 WHERE id = $1`, [f.id, state]);
  return f.offerId!;
}

// ── the table ───────────────────────────────────────────────────────────────────────────────────────────────────────

const B = 'BAD_USER_INPUT';

const CASES: BadCase[] = [
  // login
  { op: 'login', name: 'empty email', as: 'anonymous', build: () => login({ email: '' }), code: B, field: 'email' },
  {
    op: 'login',
    name: 'email of 255 characters',
    as: 'anonymous',
    build: () => login({ email: `${long(243)}@example.org` }),
    code: B,
    field: 'email',
  },
  {
    op: 'login',
    name: 'empty password',
    as: 'anonymous',
    build: () => login({ password: '' }),
    code: B,
    field: 'password',
  },
  {
    op: 'login',
    name: 'password of 257 characters',
    as: 'anonymous',
    build: () => login({ password: long(257) }),
    code: B,
    field: 'password',
  },
  {
    op: 'login',
    name: 'missing password argument',
    as: 'anonymous',
    build: () => ({ query: `mutation { login(email: "advocate@example.org") { token } }` }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'login',
    name: 'email of the wrong type (a number) via variables',
    as: 'anonymous',
    build: () => login({ email: 42 }),
    code: GRAPHQL_TYPE_ERROR,
  },
  // renewSession and signOut: the refresh cookie is their input (gql sends none)
  {
    op: 'renewSession',
    name: 'a token as an argument (it is a cookie)',
    as: 'anonymous',
    build: () => ({ query: `mutation { renewSession(token: "abc") { token } }` }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'renewSession',
    name: 'a bearer token but no refresh cookie',
    as: 'staffA',
    build: () => ({ query: DOC.renewSession }),
    code: 'UNAUTHENTICATED',
  },
  {
    op: 'signOut',
    name: 'everywhere: a string',
    as: 'staffA',
    build: () => ({ query: DOC.signOut, variables: { everywhere: 'yes' } }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'signOut',
    name: 'everywhere: null',
    as: 'staffA',
    build: () => ({ query: `mutation { signOut(everywhere: null) }` }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'signOut',
    name: 'everywhere without signing in',
    as: 'anonymous',
    build: () => ({ query: DOC.signOut, variables: { everywhere: true } }),
    code: 'UNAUTHENTICATED',
  },

  // createRegion
  {
    op: 'createRegion',
    name: 'empty code',
    as: 'admin',
    build: (w) => createRegion(w, { code: '' }),
    code: B,
    field: 'code',
  },
  {
    op: 'createRegion',
    name: 'lower-case code',
    as: 'admin',
    build: (w) => createRegion(w, { code: 'st-lower' }),
    code: B,
    field: 'code',
  },
  {
    op: 'createRegion',
    name: 'code with a space',
    as: 'admin',
    build: (w) => createRegion(w, { code: 'ST X' }),
    code: B,
    field: 'code',
  },
  {
    op: 'createRegion',
    name: 'code of 33 characters',
    as: 'admin',
    build: (w) => createRegion(w, { code: 'A'.repeat(33) }),
    code: B,
    field: 'code',
  },
  {
    op: 'createRegion',
    name: 'blank name',
    as: 'admin',
    build: (w) => createRegion(w, { name: '   ' }),
    code: B,
    field: 'name',
  },
  {
    op: 'createRegion',
    name: 'name of 121 characters',
    as: 'admin',
    build: (w) => createRegion(w, { name: long(121) }),
    code: B,
    field: 'name',
  },
  {
    op: 'createRegion',
    name: 'malformed parentId',
    as: 'admin',
    build: (w) => createRegion(w, { parentId: 'not-a-uuid' }),
    code: B,
    field: 'parentId',
  },
  {
    op: 'createRegion',
    name: 'unknown parentId',
    as: 'admin',
    build: (w) => createRegion(w, { parentId: UNKNOWN_ID }),
    code: B,
    field: 'parentId',
  },
  {
    op: 'createRegion',
    name: 'duplicate code',
    as: 'admin',
    build: (w) => createRegion(w, { code: 'ST-A' }),
    code: 'CONFLICT',
    field: 'code',
  },
  {
    op: 'createRegion',
    name: 'name missing from the input variable',
    as: 'admin',
    build: () => ({ query: DOC.createRegion, variables: { input: { code: 'NO-NAME' } } }),
    code: GRAPHQL_TYPE_ERROR,
  },

  // updateRegion
  {
    op: 'updateRegion',
    name: 'malformed id',
    as: 'admin',
    build: (w) => updateRegion(w, { name: 'X' }, 'not-a-uuid'),
    code: B,
    field: 'id',
  },
  {
    op: 'updateRegion',
    name: 'unknown id',
    as: 'admin',
    build: (w) => updateRegion(w, { name: 'X' }, UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'updateRegion',
    name: 'lower-case code',
    as: 'admin',
    build: (w) => updateRegion(w, { code: 'lower' }),
    code: B,
    field: 'code',
  },
  {
    op: 'updateRegion',
    name: 'empty name',
    as: 'admin',
    build: (w) => updateRegion(w, { name: '' }),
    code: B,
    field: 'name',
  },
  {
    op: 'updateRegion',
    name: 'name of 121 characters',
    as: 'admin',
    build: (w) => updateRegion(w, { name: long(121) }),
    code: B,
    field: 'name',
  },
  {
    op: 'updateRegion',
    name: 'parent is the region itself',
    as: 'admin',
    build: (w) => updateRegion(w, { parentId: w.regions.countyA }, w.regions.countyA),
    code: B,
    field: 'parentId',
  },
  {
    op: 'updateRegion',
    name: 'parent is one of its descendants',
    as: 'admin',
    build: (w) => updateRegion(w, { parentId: w.regions.countyA }, w.regions.state),
    code: B,
    field: 'parentId',
  },
  {
    op: 'updateRegion',
    name: 'unknown parentId',
    as: 'admin',
    build: (w) => updateRegion(w, { parentId: UNKNOWN_ID }),
    code: B,
    field: 'parentId',
  },
  {
    op: 'updateRegion',
    name: 'malformed parentId',
    as: 'admin',
    build: (w) => updateRegion(w, { parentId: 'not-a-uuid' }),
    code: B,
    field: 'parentId',
  },
  {
    op: 'updateRegion',
    name: "another region's code",
    as: 'admin',
    build: (w) => updateRegion(w, { code: 'ST-B' }),
    code: 'CONFLICT',
    field: 'code',
  },

  // createOrganisation
  {
    op: 'createOrganisation',
    name: 'empty name',
    as: 'admin',
    build: () => createOrganisation({ name: '' }),
    code: B,
    field: 'name',
  },
  {
    op: 'createOrganisation',
    name: 'blank name',
    as: 'admin',
    build: () => createOrganisation({ name: '  ' }),
    code: B,
    field: 'name',
  },
  {
    op: 'createOrganisation',
    name: 'name of 201 characters',
    as: 'admin',
    build: () => createOrganisation({ name: long(201) }),
    code: B,
    field: 'name',
  },
  {
    op: 'createOrganisation',
    name: 'unknown kind via variables',
    as: 'admin',
    build: () => createOrganisation({ kind: 'CHARITY' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'createOrganisation',
    name: 'duplicate name (any case)',
    as: 'admin',
    build: () => createOrganisation({ name: 'BEACON HOMES' }),
    code: 'CONFLICT',
    field: 'name',
  },

  // renameOrganisation
  {
    op: 'renameOrganisation',
    name: 'malformed id',
    as: 'admin',
    build: (w) => renameOrganisation(w, 'X', 'not-a-uuid'),
    code: B,
    field: 'id',
  },
  {
    op: 'renameOrganisation',
    name: 'unknown id',
    as: 'admin',
    build: (w) => renameOrganisation(w, 'X', UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'renameOrganisation',
    name: 'empty name',
    as: 'admin',
    build: (w) => renameOrganisation(w, ''),
    code: B,
    field: 'name',
  },
  {
    op: 'renameOrganisation',
    name: 'name of 201 characters',
    as: 'admin',
    build: (w) => renameOrganisation(w, long(201)),
    code: B,
    field: 'name',
  },
  {
    op: 'renameOrganisation',
    name: "another organisation's name",
    as: 'admin',
    build: (w) => renameOrganisation(w, 'harbor house'),
    code: 'CONFLICT',
    field: 'name',
  },

  // createUser
  {
    op: 'createUser',
    name: 'malformed email',
    as: 'admin',
    build: (w) => createUser(w, { email: 'not-an-email' }),
    code: B,
    field: 'email',
  },
  {
    op: 'createUser',
    name: 'email of 262 characters',
    as: 'admin',
    build: (w) => createUser(w, { email: `${long(64)}@${long(60)}.${long(60)}.${long(60)}.${long(10)}.org` }),
    code: B,
    field: 'email',
  },
  {
    op: 'createUser',
    name: 'empty displayName',
    as: 'admin',
    build: (w) => createUser(w, { displayName: '' }),
    code: B,
    field: 'displayName',
  },
  {
    op: 'createUser',
    name: 'displayName of 121 characters',
    as: 'admin',
    build: (w) => createUser(w, { displayName: long(121) }),
    code: B,
    field: 'displayName',
  },
  {
    op: 'createUser',
    name: 'password of 11 characters',
    as: 'admin',
    build: (w) => createUser(w, { password: 'eleven-char' }),
    code: B,
    field: 'password',
  },
  {
    op: 'createUser',
    name: 'password of 257 characters',
    as: 'admin',
    build: (w) => createUser(w, { password: long(257) }),
    code: B,
    field: 'password',
  },
  {
    op: 'createUser',
    name: 'unknown role via variables',
    as: 'admin',
    build: (w) => createUser(w, { role: 'ROOT' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'createUser',
    name: 'coordinator without regions',
    as: 'admin',
    build: (w) => createUser(w, { role: 'REGIONAL_COORDINATOR', organisationId: w.orgs.coordination }),
    code: B,
    field: 'regionIds',
  },
  {
    op: 'createUser',
    name: 'coordinator with an empty region list',
    as: 'admin',
    build: (w) => createUser(w, { role: 'REGIONAL_COORDINATOR', organisationId: w.orgs.coordination, regionIds: [] }),
    code: B,
    field: 'regionIds',
  },
  {
    op: 'createUser',
    name: 'coordinator with an unknown region',
    as: 'admin',
    build: (w) =>
      createUser(w, { role: 'REGIONAL_COORDINATOR', organisationId: w.orgs.coordination, regionIds: [UNKNOWN_ID] }),
    code: B,
    field: 'regionIds',
  },
  {
    op: 'createUser',
    name: 'malformed region id',
    as: 'admin',
    build: (w) =>
      createUser(w, { role: 'REGIONAL_COORDINATOR', organisationId: w.orgs.coordination, regionIds: ['not-a-uuid'] }),
    code: B,
    field: 'regionIds',
  },
  {
    op: 'createUser',
    name: 'advocate assigned regions',
    as: 'admin',
    build: (w) => createUser(w, { regionIds: [w.regions.countyA] }),
    code: B,
    field: 'regionIds',
  },
  {
    op: 'createUser',
    name: 'staff user in a REFERRAL_AGENCY organisation',
    as: 'admin',
    build: (w) => createUser(w, { role: 'SHELTER_STAFF', organisationId: w.orgs.agency }),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'createUser',
    name: 'advocate in a SHELTER_PROVIDER organisation',
    as: 'admin',
    build: (w) => createUser(w, { organisationId: w.orgs.providerA }),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'createUser',
    name: 'staff user without an organisation',
    as: 'admin',
    build: (w) => createUser(w, { role: 'SHELTER_STAFF', organisationId: null }),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'createUser',
    name: 'admin with an organisation',
    as: 'admin',
    build: (w) => createUser(w, { role: 'ADMIN', organisationId: w.orgs.agency }),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'createUser',
    name: 'unknown organisationId',
    as: 'admin',
    build: (w) => createUser(w, { organisationId: UNKNOWN_ID }),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'createUser',
    name: 'malformed organisationId',
    as: 'admin',
    build: (w) => createUser(w, { organisationId: 'not-a-uuid' }),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'createUser',
    name: 'duplicate email (other case, padded)',
    as: 'admin',
    build: (w) => createUser(w, { email: ' Advocate@Example.ORG ' }),
    code: 'CONFLICT',
    field: 'email',
  },

  // updateUser
  {
    op: 'updateUser',
    name: 'malformed id',
    as: 'admin',
    build: (w) => updateUser(w, { displayName: 'X' }, 'not-a-uuid'),
    code: B,
    field: 'id',
  },
  {
    op: 'updateUser',
    name: 'unknown id',
    as: 'admin',
    build: (w) => updateUser(w, { displayName: 'X' }, UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'updateUser',
    name: 'empty displayName',
    as: 'admin',
    build: (w) => updateUser(w, { displayName: ' ' }),
    code: B,
    field: 'displayName',
  },
  {
    op: 'updateUser',
    name: 'displayName of 121 characters',
    as: 'admin',
    build: (w) => updateUser(w, { displayName: long(121) }),
    code: B,
    field: 'displayName',
  },
  {
    op: 'updateUser',
    name: 'password of 11 characters',
    as: 'admin',
    build: (w) => updateUser(w, { password: 'eleven-char' }),
    code: B,
    field: 'password',
  },
  {
    op: 'updateUser',
    name: 'coordinator left without regions',
    as: 'admin',
    build: (w) => updateUser(w, { regionIds: [] }, w.users.coordinator),
    code: B,
    field: 'regionIds',
  },
  {
    op: 'updateUser',
    name: 'coordinator given an unknown region',
    as: 'admin',
    build: (w) => updateUser(w, { regionIds: [w.regions.countyA, UNKNOWN_ID] }, w.users.coordinator),
    code: B,
    field: 'regionIds',
  },
  {
    op: 'updateUser',
    name: 'advocate given regions',
    as: 'admin',
    build: (w) => updateUser(w, { regionIds: [w.regions.countyA] }),
    code: B,
    field: 'regionIds',
  },
  {
    op: 'updateUser',
    name: 'displayName null',
    as: 'admin',
    build: (w) => updateUser(w, { displayName: null }),
    code: B,
    field: 'displayName',
  },
  {
    op: 'updateUser',
    name: 'password null',
    as: 'admin',
    build: (w) => updateUser(w, { password: null }),
    code: B,
    field: 'password',
  },
  {
    op: 'updateUser',
    name: 'regionIds null',
    as: 'admin',
    build: (w) => updateUser(w, { regionIds: null }, w.users.coordinator),
    code: B,
    field: 'regionIds',
  },

  {
    op: 'updateUser',
    name: 'role not a role',
    as: 'admin',
    build: (w) => updateUser(w, { role: 'SUPERUSER' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'updateUser',
    name: 'role null',
    as: 'admin',
    build: (w) => updateUser(w, { role: null }),
    code: B,
    field: 'role',
  },
  {
    op: 'updateUser',
    name: 'advocate made staff of their referral agency',
    as: 'admin',
    build: (w) => updateUser(w, { role: 'SHELTER_STAFF' }),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'updateUser',
    name: 'staff moved to an unknown organisation',
    as: 'admin',
    build: (w) => updateUser(w, { organisationId: UNKNOWN_ID }, w.users.staffA),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'updateUser',
    name: 'malformed organisationId',
    as: 'admin',
    build: (w) => updateUser(w, { organisationId: 'not-a-uuid' }, w.users.staffA),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'updateUser',
    name: 'staff left without an organisation',
    as: 'admin',
    build: (w) => updateUser(w, { organisationId: null }, w.users.staffA),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'updateUser',
    name: 'made an admin but kept in an organisation',
    as: 'admin',
    build: (w) => updateUser(w, { role: 'ADMIN' }),
    code: B,
    field: 'organisationId',
  },
  {
    op: 'updateUser',
    name: 'made a coordinator without regions',
    as: 'admin',
    build: (w) => updateUser(w, { role: 'REGIONAL_COORDINATOR', organisationId: w.orgs.coordination }),
    code: B,
    field: 'regionIds',
  },
  {
    op: 'updateUser',
    name: 'the admin changes their own role',
    as: 'admin',
    build: (w) => updateUser(w, { role: 'HOTLINE_ADVOCATE', organisationId: w.orgs.agency }, w.users.admin),
    code: B,
    field: 'role',
  },

  // deactivateUser / reactivateUser
  {
    op: 'deactivateUser',
    name: 'malformed id',
    as: 'admin',
    build: () => ({ query: DOC.deactivateUser, variables: { id: 'not-a-uuid' } }),
    code: B,
    field: 'id',
  },
  {
    op: 'deactivateUser',
    name: 'unknown id',
    as: 'admin',
    build: () => ({ query: DOC.deactivateUser, variables: { id: UNKNOWN_ID } }),
    code: 'NOT_FOUND',
  },
  {
    op: 'deactivateUser',
    name: 'the admin themself',
    as: 'admin',
    build: (w) => ({ query: DOC.deactivateUser, variables: { id: w.users.admin } }),
    code: B,
    field: 'id',
  },
  {
    op: 'reactivateUser',
    name: 'malformed id',
    as: 'admin',
    build: () => ({ query: DOC.reactivateUser, variables: { id: 'not-a-uuid' } }),
    code: B,
    field: 'id',
  },
  {
    op: 'reactivateUser',
    name: 'unknown id',
    as: 'admin',
    build: () => ({ query: DOC.reactivateUser, variables: { id: UNKNOWN_ID } }),
    code: 'NOT_FOUND',
  },

  // createShelter
  {
    op: 'createShelter',
    name: 'empty name',
    as: 'staffA',
    build: (w) => createShelter(w, { name: '' }),
    code: B,
    field: 'name',
  },
  {
    op: 'createShelter',
    name: 'name of 201 characters',
    as: 'staffA',
    build: (w) => createShelter(w, { name: long(201) }),
    code: B,
    field: 'name',
  },
  {
    op: 'createShelter',
    name: 'blank city',
    as: 'staffA',
    build: (w) => createShelter(w, { city: '  ' }),
    code: B,
    field: 'city',
  },
  {
    op: 'createShelter',
    name: 'city of 121 characters',
    as: 'staffA',
    build: (w) => createShelter(w, { city: long(121) }),
    code: B,
    field: 'city',
  },
  {
    op: 'createShelter',
    name: 'malformed regionId',
    as: 'staffA',
    build: (w) => createShelter(w, { regionId: 'not-a-uuid' }),
    code: B,
    field: 'regionId',
  },
  {
    op: 'createShelter',
    name: 'unknown regionId',
    as: 'staffA',
    build: (w) => createShelter(w, { regionId: UNKNOWN_ID }),
    code: B,
    field: 'regionId',
  },
  {
    op: 'createShelter',
    name: 'latitude 91',
    as: 'staffA',
    build: (w) => createShelter(w, { location: { latitude: 91, longitude: -97 } }),
    code: B,
    field: 'location.latitude',
  },
  {
    op: 'createShelter',
    name: 'latitude -91',
    as: 'staffA',
    build: (w) => createShelter(w, { location: { latitude: -91, longitude: -97 } }),
    code: B,
    field: 'location.latitude',
  },
  {
    op: 'createShelter',
    name: 'longitude 181',
    as: 'staffA',
    build: (w) => createShelter(w, { location: { latitude: 30, longitude: 181 } }),
    code: B,
    field: 'location.longitude',
  },
  {
    op: 'createShelter',
    name: 'longitude -181',
    as: 'staffA',
    build: (w) => createShelter(w, { location: { latitude: 30, longitude: -181 } }),
    code: B,
    field: 'location.longitude',
  },
  {
    op: 'createShelter',
    name: 'address of 301 characters',
    as: 'staffA',
    build: (w) => createShelter(w, { address: long(301) }),
    code: B,
    field: 'address',
  },
  {
    op: 'createShelter',
    name: 'intakePhone that is not a phone number',
    as: 'staffA',
    build: (w) => createShelter(w, { intakePhone: 'call us maybe' }),
    code: B,
    field: 'intakePhone',
  },
  {
    op: 'createShelter',
    name: "intakeOpens '25:00'",
    as: 'staffA',
    build: (w) => createShelter(w, { intakeAlwaysOpen: false, intakeOpens: '25:00', intakeCloses: '17:00' }),
    code: B,
    field: 'intakeOpens',
  },
  {
    op: 'createShelter',
    name: "intakeOpens '12:60'",
    as: 'staffA',
    build: (w) => createShelter(w, { intakeAlwaysOpen: false, intakeOpens: '12:60', intakeCloses: '17:00' }),
    code: B,
    field: 'intakeOpens',
  },
  {
    op: 'createShelter',
    name: "intakeCloses '9pm'",
    as: 'staffA',
    build: (w) => createShelter(w, { intakeAlwaysOpen: false, intakeOpens: '08:00', intakeCloses: '9pm' }),
    code: B,
    field: 'intakeCloses',
  },
  {
    op: 'createShelter',
    name: 'intake hours needed but missing',
    as: 'staffA',
    build: (w) => createShelter(w, { intakeAlwaysOpen: false }),
    code: B,
    field: 'intakeOpens',
  },
  {
    op: 'createShelter',
    name: 'intake opens and closes at the same time',
    as: 'staffA',
    build: (w) => createShelter(w, { intakeAlwaysOpen: false, intakeOpens: '08:00', intakeCloses: '08:00' }),
    code: B,
    field: 'intakeCloses',
  },
  {
    op: 'createShelter',
    name: "unknown time zone 'Mars/Base'",
    as: 'staffA',
    build: (w) => createShelter(w, { timeZone: 'Mars/Base' }),
    code: B,
    field: 'timeZone',
  },
  {
    op: 'createShelter',
    name: 'intake day 0',
    as: 'staffA',
    build: (w) => createShelter(w, { intakeDays: [0, 1] }),
    code: B,
    field: 'intakeDays',
  },
  {
    op: 'createShelter',
    name: 'intake day 8',
    as: 'staffA',
    build: (w) => createShelter(w, { intakeDays: [1, 8] }),
    code: B,
    field: 'intakeDays',
  },
  {
    op: 'createShelter',
    name: 'repeated intake day',
    as: 'staffA',
    build: (w) => createShelter(w, { intakeDays: [1, 1] }),
    code: B,
    field: 'intakeDays',
  },
  {
    op: 'createShelter',
    name: 'holdMinutes 4',
    as: 'staffA',
    build: (w) => createShelter(w, { holdMinutes: 4 }),
    code: B,
    field: 'holdMinutes',
  },
  {
    op: 'createShelter',
    name: 'holdMinutes 2881',
    as: 'staffA',
    build: (w) => createShelter(w, { holdMinutes: 2881 }),
    code: B,
    field: 'holdMinutes',
  },
  {
    op: 'createShelter',
    name: 'responseMinutes 0',
    as: 'staffA',
    build: (w) => createShelter(w, { responseMinutes: 0 }),
    code: B,
    field: 'responseMinutes',
  },
  {
    op: 'createShelter',
    name: 'responseMinutes 1441',
    as: 'staffA',
    build: (w) => createShelter(w, { responseMinutes: 1441 }),
    code: B,
    field: 'responseMinutes',
  },
  {
    op: 'createShelter',
    name: 'unknown status via variables',
    as: 'staffA',
    build: (w) => createShelter(w, { status: 'CLOSED' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'createShelter',
    name: 'unknown service via variables',
    as: 'staffA',
    build: (w) => createShelter(w, { services: ['SPA'] }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'createShelter',
    name: 'location missing from the input variable',
    as: 'staffA',
    build: (w) => createShelter(w, { location: undefined }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'createShelter',
    name: 'eligibility minAge > maxAge',
    as: 'staffA',
    build: (w) => createShelterElig(w, { minAge: 50, maxAge: 20 }),
    code: B,
    field: 'maxAge',
  },
  {
    op: 'createShelter',
    name: 'eligibility acceptsChildren false with maxChildren 2',
    as: 'staffA',
    build: (w) => createShelterElig(w, { acceptsChildren: false, maxChildren: 2 }),
    code: B,
    field: 'maxChildren',
  },
  {
    op: 'createShelter',
    name: 'eligibility acceptsChildren true with maxChildren 0',
    as: 'staffA',
    build: (w) => createShelterElig(w, { acceptsChildren: true, maxChildren: 0 }),
    code: B,
    field: 'maxChildren',
  },
  {
    op: 'createShelter',
    name: "eligibility language 'english'",
    as: 'staffA',
    build: (w) => createShelterElig(w, { languages: ['en', 'english'] }),
    code: B,
    field: 'eligibility.languages',
  },
  {
    op: 'createShelter',
    name: 'eligibility with no gender served',
    as: 'staffA',
    build: (w) => createShelterElig(w, { genders: [] }),
    code: B,
    field: 'genders',
  },
  {
    op: 'createShelter',
    name: 'eligibility with no trafficking type served',
    as: 'staffA',
    build: (w) => createShelterElig(w, { traffickingTypes: [] }),
    code: B,
    field: 'traffickingTypes',
  },
  {
    op: 'createShelter',
    name: 'eligibility minAge -1',
    as: 'staffA',
    build: (w) => createShelterElig(w, { minAge: -1 }),
    code: B,
    field: 'eligibility.minAge',
  },
  {
    op: 'createShelter',
    name: 'eligibility maxAge 121',
    as: 'staffA',
    build: (w) => createShelterElig(w, { maxAge: 121 }),
    code: B,
    field: 'eligibility.maxAge',
  },
  {
    op: 'createShelter',
    name: 'eligibility childMinAge > childMaxAge',
    as: 'staffA',
    build: (w) => createShelterElig(w, { acceptsChildren: true, maxChildren: 2, childMinAge: 10, childMaxAge: 5 }),
    code: B,
    field: 'childMaxAge',
  },
  {
    op: 'createShelter',
    name: "eligibility curfew '25:00'",
    as: 'staffA',
    build: (w) => createShelterElig(w, { curfew: '25:00' }),
    code: B,
    field: 'eligibility.curfew',
  },
  {
    op: 'createShelter',
    name: 'eligibility maxStayDays 0',
    as: 'staffA',
    build: (w) => createShelterElig(w, { maxStayDays: 0 }),
    code: B,
    field: 'eligibility.maxStayDays',
  },
  {
    op: 'createShelter',
    name: 'unaccompanied minors accepted with minAge 18',
    as: 'staffA',
    build: (w) => createShelterElig(w, { acceptsUnaccompaniedMinors: true, minAge: 18 }),
    code: B,
    field: 'minAge',
  },
  {
    op: 'createShelter',
    name: 'empty intakeInstructions',
    as: 'staffA',
    build: (w) => createShelter(w, { intakeInstructions: '' }),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'createShelter',
    name: 'whitespace-only intakeInstructions',
    as: 'staffA',
    build: (w) => createShelter(w, { intakeInstructions: '   ' }),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'createShelter',
    name: 'intakeInstructions of 1001 characters',
    as: 'staffA',
    build: (w) => createShelter(w, { intakeInstructions: long(1001) }),
    code: B,
    field: 'intakeInstructions',
  },

  // updateShelter
  {
    op: 'updateShelter',
    name: 'malformed id',
    as: 'staffA',
    build: (w) => updateShelter(w, { name: 'X' }, 'not-a-uuid'),
    code: B,
    field: 'id',
  },
  {
    op: 'updateShelter',
    name: 'unknown id',
    as: 'staffA',
    build: (w) => updateShelter(w, { name: 'X' }, UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'updateShelter',
    name: "another organisation's shelter",
    as: 'staffA',
    build: (w) => updateShelter(w, { name: 'X' }, w.shelters.b),
    code: 'NOT_FOUND',
  },
  {
    op: 'updateShelter',
    name: 'empty name',
    as: 'staffA',
    build: (w) => updateShelter(w, { name: '' }),
    code: B,
    field: 'name',
  },
  {
    op: 'updateShelter',
    name: 'city of 121 characters',
    as: 'staffA',
    build: (w) => updateShelter(w, { city: long(121) }),
    code: B,
    field: 'city',
  },
  {
    op: 'updateShelter',
    name: 'latitude 91',
    as: 'staffA',
    build: (w) => updateShelter(w, { location: { latitude: 91, longitude: 0 } }),
    code: B,
    field: 'location.latitude',
  },
  {
    op: 'updateShelter',
    name: 'longitude 181',
    as: 'staffA',
    build: (w) => updateShelter(w, { location: { latitude: 0, longitude: 181 } }),
    code: B,
    field: 'location.longitude',
  },
  {
    op: 'updateShelter',
    name: "unknown time zone 'Mars/Base'",
    as: 'staffA',
    build: (w) => updateShelter(w, { timeZone: 'Mars/Base' }),
    code: B,
    field: 'timeZone',
  },
  {
    op: 'updateShelter',
    name: "intakeOpens '25:00'",
    as: 'staffA',
    build: (w) => updateShelter(w, { intakeOpens: '25:00' }),
    code: B,
    field: 'intakeOpens',
  },
  {
    op: 'updateShelter',
    name: 'a 24/7 shelter switched to intake hours without any',
    as: 'staffA',
    build: async (w) =>
      updateShelter(
        w,
        { intakeAlwaysOpen: false },
        await freshShelter(w, { intakeAlwaysOpen: true, intakeOpens: null, intakeCloses: null }),
      ),
    code: B,
    field: 'intakeOpens',
  },
  {
    op: 'updateShelter',
    name: 'intakeCloses set to the stored opening time',
    as: 'staffA',
    build: (w) => updateShelter(w, { intakeCloses: '08:00' }),
    code: B,
    field: 'intakeCloses',
  },
  {
    op: 'updateShelter',
    name: 'unknown regionId',
    as: 'staffA',
    build: (w) => updateShelter(w, { regionId: UNKNOWN_ID }),
    code: B,
    field: 'regionId',
  },
  {
    op: 'updateShelter',
    name: 'malformed regionId',
    as: 'staffA',
    build: (w) => updateShelter(w, { regionId: 'not-a-uuid' }),
    code: B,
    field: 'regionId',
  },
  {
    op: 'updateShelter',
    name: 'holdMinutes 0',
    as: 'staffA',
    build: (w) => updateShelter(w, { holdMinutes: 0 }),
    code: B,
    field: 'holdMinutes',
  },
  {
    op: 'updateShelter',
    name: 'name null',
    as: 'staffA',
    build: (w) => updateShelter(w, { name: null }),
    code: B,
    field: 'name',
  },
  {
    op: 'updateShelter',
    name: 'holdMinutes null',
    as: 'staffA',
    build: (w) => updateShelter(w, { holdMinutes: null }),
    code: B,
    field: 'holdMinutes',
  },
  {
    op: 'updateShelter',
    name: 'status null',
    as: 'staffA',
    build: (w) => updateShelter(w, { status: null }),
    code: B,
    field: 'status',
  },
  {
    op: 'updateShelter',
    name: 'empty intakeInstructions',
    as: 'staffA',
    build: (w) => updateShelter(w, { intakeInstructions: '' }),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'updateShelter',
    name: 'whitespace-only intakeInstructions',
    as: 'staffA',
    build: (w) => updateShelter(w, { intakeInstructions: '   ' }),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'updateShelter',
    name: 'intakeInstructions of 1001 characters',
    as: 'staffA',
    build: (w) => updateShelter(w, { intakeInstructions: long(1001) }),
    code: B,
    field: 'intakeInstructions',
  },

  // setEligibility
  {
    op: 'setEligibility',
    name: 'malformed shelterId',
    as: 'staffA',
    build: () => setEligibility('not-a-uuid', {}),
    code: B,
    field: 'shelterId',
  },
  {
    op: 'setEligibility',
    name: 'unknown shelterId',
    as: 'staffA',
    build: () => setEligibility(UNKNOWN_ID, {}),
    code: 'NOT_FOUND',
  },
  {
    op: 'setEligibility',
    name: "another organisation's shelter",
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.b, {}),
    code: 'NOT_FOUND',
  },
  {
    op: 'setEligibility',
    name: 'minAge > maxAge',
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.a, { minAge: 40, maxAge: 30 }),
    code: B,
    field: 'maxAge',
  },
  {
    op: 'setEligibility',
    name: 'acceptsChildren false with maxChildren 2',
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.a, { acceptsChildren: false, maxChildren: 2 }),
    code: B,
    field: 'maxChildren',
  },
  {
    op: 'setEligibility',
    name: "language 'english'",
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.a, { languages: ['english'] }),
    code: B,
    field: 'languages',
  },
  {
    op: 'setEligibility',
    name: 'no gender served',
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.a, { genders: [] }),
    code: B,
    field: 'genders',
  },
  {
    op: 'setEligibility',
    name: 'no trafficking type served',
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.a, { traffickingTypes: [] }),
    code: B,
    field: 'traffickingTypes',
  },
  {
    op: 'setEligibility',
    name: "curfew '25:00'",
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.a, { curfew: '25:00' }),
    code: B,
    field: 'curfew',
  },
  {
    op: 'setEligibility',
    name: 'maxChildren 21',
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.a, { acceptsChildren: true, maxChildren: 21 }),
    code: B,
    field: 'maxChildren',
  },
  {
    op: 'setEligibility',
    name: 'childMinAge > childMaxAge',
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.a, { childMinAge: 12, childMaxAge: 3 }),
    code: B,
    field: 'childMaxAge',
  },
  {
    op: 'setEligibility',
    name: 'unknown programming via variables',
    as: 'staffA',
    build: (w) => setEligibility(w.shelters.a, { programming: 'STRICT' }),
    code: GRAPHQL_TYPE_ERROR,
  },

  // upsertBedPool
  {
    op: 'upsertBedPool',
    name: 'malformed shelterId',
    as: 'staffA',
    build: () => upsertBedPool({ shelterId: 'not-a-uuid' }),
    code: B,
    field: 'shelterId',
  },
  {
    op: 'upsertBedPool',
    name: 'unknown shelterId',
    as: 'staffA',
    build: () => upsertBedPool({ shelterId: UNKNOWN_ID }),
    code: 'NOT_FOUND',
  },
  {
    op: 'upsertBedPool',
    name: "another organisation's shelter",
    as: 'staffA',
    build: (w) => upsertBedPool({ shelterId: w.shelters.b }),
    code: 'NOT_FOUND',
  },
  {
    op: 'upsertBedPool',
    name: 'negative capacity',
    as: 'staffA',
    build: (w) => upsertBedPool({ shelterId: w.shelters.a, capacity: -1 }),
    code: B,
    field: 'capacity',
  },
  {
    op: 'upsertBedPool',
    name: 'capacity 10001',
    as: 'staffA',
    build: (w) => upsertBedPool({ shelterId: w.shelters.a, capacity: 10_001 }),
    code: B,
    field: 'capacity',
  },
  {
    op: 'upsertBedPool',
    name: 'empty reason',
    as: 'staffA',
    build: (w) => upsertBedPool({ shelterId: w.shelters.a, reason: '' }),
    code: B,
    field: 'reason',
  },
  {
    op: 'upsertBedPool',
    name: 'reason of 501 characters',
    as: 'staffA',
    build: (w) => upsertBedPool({ shelterId: w.shelters.a, reason: long(501) }),
    code: B,
    field: 'reason',
  },
  {
    op: 'upsertBedPool',
    name: 'unknown bed type via variables',
    as: 'staffA',
    build: (w) => upsertBedPool({ shelterId: w.shelters.a, bedType: 'KING' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'upsertBedPool',
    name: 'capacity below the beds in use',
    as: 'staffA',
    build: async (w) => {
      const shelterId = await freshShelter(w, { intakeAlwaysOpen: true });
      await w.fx.pool(shelterId, 'SINGLE', 10, { occupied: 4, held: 1, outOfService: 1 });
      return upsertBedPool({ shelterId, bedType: 'SINGLE', capacity: 5 });
    },
    code: 'CAPACITY_CONFLICT',
  },

  // adjustBeds
  {
    op: 'adjustBeds',
    name: 'malformed poolId',
    as: 'staffA',
    build: (w) => adjustBeds(w, { occupiedDelta: 1 }, 'not-a-uuid'),
    code: B,
    field: 'poolId',
  },
  {
    op: 'adjustBeds',
    name: 'unknown poolId',
    as: 'staffA',
    build: (w) => adjustBeds(w, { occupiedDelta: 1 }, UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'adjustBeds',
    name: "another organisation's pool",
    as: 'staffA',
    build: (w) => adjustBeds(w, { occupiedDelta: 1 }, w.pools.b),
    code: 'NOT_FOUND',
  },
  {
    op: 'adjustBeds',
    name: 'both deltas 0',
    as: 'staffA',
    build: (w) => adjustBeds(w, { occupiedDelta: 0, outOfServiceDelta: 0 }),
    code: B,
    field: 'occupiedDelta',
  },
  {
    op: 'adjustBeds',
    name: 'no delta at all',
    as: 'staffA',
    build: (w) => adjustBeds(w, {}),
    code: B,
    field: 'occupiedDelta',
  },
  {
    op: 'adjustBeds',
    name: 'occupiedDelta 10001',
    as: 'staffA',
    build: (w) => adjustBeds(w, { occupiedDelta: 10_001 }),
    code: B,
    field: 'occupiedDelta',
  },
  {
    op: 'adjustBeds',
    name: 'outOfServiceDelta -10001',
    as: 'staffA',
    build: (w) => adjustBeds(w, { outOfServiceDelta: -10_001 }),
    code: B,
    field: 'outOfServiceDelta',
  },
  {
    op: 'adjustBeds',
    name: 'reason of 501 characters',
    as: 'staffA',
    build: (w) => adjustBeds(w, { occupiedDelta: 1, reason: long(501) }),
    code: B,
    field: 'reason',
  },
  {
    op: 'adjustBeds',
    name: 'occupied below zero',
    as: 'staffA',
    build: (w) => adjustBeds(w, { occupiedDelta: -3 }),
    code: 'CAPACITY_CONFLICT',
  },
  {
    op: 'adjustBeds',
    name: 'occupied above capacity',
    as: 'staffA',
    build: (w) => adjustBeds(w, { occupiedDelta: 9 }),
    code: 'CAPACITY_CONFLICT',
  },
  {
    op: 'adjustBeds',
    name: 'out of service above what is free',
    as: 'staffA',
    build: (w) => adjustBeds(w, { outOfServiceDelta: 9 }),
    code: 'CAPACITY_CONFLICT',
  },
  {
    op: 'adjustBeds',
    name: 'fractional delta via variables',
    as: 'staffA',
    build: (w) => adjustBeds(w, { occupiedDelta: 1.5 }),
    code: GRAPHQL_TYPE_ERROR,
  },

  // setBedCounts
  {
    op: 'setBedCounts',
    name: 'malformed poolId',
    as: 'staffA',
    build: (w) => setBedCounts(w, {}, 'not-a-uuid'),
    code: B,
    field: 'poolId',
  },
  {
    op: 'setBedCounts',
    name: 'unknown poolId',
    as: 'staffA',
    build: (w) => setBedCounts(w, {}, UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'setBedCounts',
    name: "another organisation's pool",
    as: 'staffA',
    build: (w) => setBedCounts(w, {}, w.pools.b),
    code: 'NOT_FOUND',
  },
  {
    op: 'setBedCounts',
    name: 'negative occupied',
    as: 'staffA',
    build: (w) => setBedCounts(w, { occupied: -1 }),
    code: B,
    field: 'occupied',
  },
  {
    op: 'setBedCounts',
    name: 'negative outOfService',
    as: 'staffA',
    build: (w) => setBedCounts(w, { outOfService: -1 }),
    code: B,
    field: 'outOfService',
  },
  {
    op: 'setBedCounts',
    name: 'negative capacity',
    as: 'staffA',
    build: (w) => setBedCounts(w, { capacity: -1 }),
    code: B,
    field: 'capacity',
  },
  {
    op: 'setBedCounts',
    name: 'capacity 10001',
    as: 'staffA',
    build: (w) => setBedCounts(w, { capacity: 10_001 }),
    code: B,
    field: 'capacity',
  },
  {
    op: 'setBedCounts',
    name: 'expectedVersion 0',
    as: 'staffA',
    build: (w) => setBedCounts(w, { expectedVersion: 0 }),
    code: B,
    field: 'expectedVersion',
  },
  {
    op: 'setBedCounts',
    name: 'empty reason',
    as: 'staffA',
    build: (w) => setBedCounts(w, { reason: '' }),
    code: B,
    field: 'reason',
  },
  {
    op: 'setBedCounts',
    name: 'occupied + outOfService above capacity',
    as: 'staffA',
    build: (w) => setBedCounts(w, { occupied: 8, outOfService: 3 }),
    code: 'CAPACITY_CONFLICT',
  },
  {
    op: 'setBedCounts',
    name: 'capacity lowered below occupied',
    as: 'staffA',
    build: (w) => setBedCounts(w, { capacity: 1, occupied: 2 }),
    code: 'CAPACITY_CONFLICT',
  },
  {
    op: 'setBedCounts',
    name: 'a version that is not the current one',
    as: 'staffA',
    build: (w) => setBedCounts(w, { expectedVersion: 2 }),
    code: 'VERSION_CONFLICT',
  },
  {
    op: 'setBedCounts',
    name: 'expectedVersion missing from the input variable',
    as: 'staffA',
    build: async (w) => ({
      query: DOC.setBedCounts,
      variables: { input: { poolId: await freshPool(w), occupied: 3, outOfService: 0 } },
    }),
    code: GRAPHQL_TYPE_ERROR,
  },

  // confirmAvailability
  {
    op: 'confirmAvailability',
    name: 'malformed shelterId',
    as: 'staffA',
    build: () => ({ query: DOC.confirmAvailability, variables: { shelterId: 'not-a-uuid' } }),
    code: B,
    field: 'shelterId',
  },
  {
    op: 'confirmAvailability',
    name: 'unknown shelterId',
    as: 'staffA',
    build: () => ({ query: DOC.confirmAvailability, variables: { shelterId: UNKNOWN_ID } }),
    code: 'NOT_FOUND',
  },
  {
    op: 'confirmAvailability',
    name: "another organisation's shelter",
    as: 'staffA',
    build: (w) => ({ query: DOC.confirmAvailability, variables: { shelterId: w.shelters.b } }),
    code: 'NOT_FOUND',
  },

  // submitReferral
  {
    op: 'submitReferral',
    name: 'malformed regionId',
    as: 'advocate',
    build: (w) => submitReferral(w, { regionId: 'county-a' }),
    code: B,
    field: 'regionId',
  },
  {
    op: 'submitReferral',
    name: 'unknown regionId',
    as: 'advocate',
    build: (w) => submitReferral(w, { regionId: UNKNOWN_ID }),
    code: B,
    field: 'regionId',
  },
  {
    op: 'submitReferral',
    name: 'malformed previousReferralId',
    as: 'advocate',
    build: (w) => submitReferral(w, { previousReferralId: 'SL-ABCD-EFGH' }),
    code: B,
    field: 'previousReferralId',
  },
  {
    op: 'submitReferral',
    name: 'unknown previousReferralId',
    as: 'advocate',
    build: (w) => submitReferral(w, { previousReferralId: UNKNOWN_ID }),
    code: B,
    field: 'previousReferralId',
  },
  {
    op: 'submitReferral',
    name: "another agency's referral as previousReferralId (as unknown: no hint that it exists)",
    as: 'advocate',
    build: async (w) =>
      submitReferral(w, {
        previousReferralId: (await referralFixture(w, 'EXITED', { agency: await otherAgency(w) })).id,
      }),
    code: B,
    field: 'previousReferralId',
  },
  {
    op: 'submitReferral',
    name: 'age 130',
    as: 'advocate',
    build: (w) => submitNeeds(w, { age: 130 }),
    code: B,
    field: 'needs.age',
  },
  {
    op: 'submitReferral',
    name: 'age -1',
    as: 'advocate',
    build: (w) => submitNeeds(w, { age: -1 }),
    code: B,
    field: 'needs.age',
  },
  {
    op: 'submitReferral',
    name: 'no trafficking type',
    as: 'advocate',
    build: (w) => submitNeeds(w, { traffickingTypes: [] }),
    code: B,
    field: 'needs.traffickingTypes',
  },
  {
    op: 'submitReferral',
    name: "language 'english'",
    as: 'advocate',
    build: (w) => submitNeeds(w, { languages: ['english'] }),
    code: B,
    field: 'needs.languages',
  },
  {
    op: 'submitReferral',
    name: 'a child aged 18',
    as: 'advocate',
    build: (w) => submitNeeds(w, { childrenAges: [18] }),
    code: B,
    field: 'needs.childrenAges',
  },
  {
    op: 'submitReferral',
    name: 'malformed excludedRegionIds',
    as: 'advocate',
    build: (w) => submitNeeds(w, { excludedRegionIds: ['county-b'] }),
    code: B,
    field: 'needs.excludedRegionIds',
  },
  {
    op: 'submitReferral',
    name: 'radiusKm without a location',
    as: 'advocate',
    build: (w) => submitNeeds(w, { radiusKm: 50 }),
    code: B,
    field: 'needs.radiusKm',
  },
  {
    op: 'submitReferral',
    name: 'latitude 91',
    as: 'advocate',
    build: (w) => submitNeeds(w, { location: { latitude: 91, longitude: 0 } }),
    code: B,
    field: 'needs.location.latitude',
  },
  {
    op: 'submitReferral',
    name: 'unknown gender via variables',
    as: 'advocate',
    build: (w) => submitNeeds(w, { gender: 'ALIEN' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'submitReferral',
    name: 'unknown urgency via variables',
    as: 'advocate',
    build: (w) => submitNeeds(w, { urgency: 'YESTERDAY' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'submitReferral',
    name: 'needs missing from the input variable',
    as: 'advocate',
    build: (w) => ({ query: DOC.submitReferral, variables: { input: { regionId: w.regions.countyA } } }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'submitReferral',
    name: 'identity: dateOfBirth 31/12/1990',
    as: 'advocate',
    build: (w) => submitIdentity(w, { dateOfBirth: '31/12/1990' }),
    code: B,
    field: 'identity.dateOfBirth',
  },
  {
    op: 'submitReferral',
    name: 'identity: dateOfBirth 1990-13-45 (no such date)',
    as: 'advocate',
    build: (w) => submitIdentity(w, { dateOfBirth: '1990-13-45' }),
    code: B,
    field: 'identity.dateOfBirth',
  },
  {
    op: 'submitReferral',
    name: "identity: phone 'call the shelter'",
    as: 'advocate',
    build: (w) => submitIdentity(w, { phone: 'call the shelter' }),
    code: B,
    field: 'identity.phone',
  },
  {
    op: 'submitReferral',
    name: 'identity: phone of 33 characters',
    as: 'advocate',
    build: (w) => submitIdentity(w, { phone: '1'.repeat(33) }),
    code: B,
    field: 'identity.phone',
  },
  {
    op: 'submitReferral',
    name: 'identity: name of 201 characters',
    as: 'advocate',
    build: (w) => submitIdentity(w, { name: long(201) }),
    code: B,
    field: 'identity.name',
  },
  {
    op: 'submitReferral',
    name: 'identity: notes of 2001 characters',
    as: 'advocate',
    build: (w) => submitIdentity(w, { notes: long(2001) }),
    code: B,
    field: 'identity.notes',
  },

  // recordConsent
  {
    op: 'recordConsent',
    name: 'malformed referralId',
    as: 'advocate',
    build: (w) => recordConsent(w, {}, 'not-a-uuid'),
    code: B,
    field: 'referralId',
  },
  {
    op: 'recordConsent',
    name: 'unknown referralId',
    as: 'advocate',
    build: (w) => recordConsent(w, {}, UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'recordConsent',
    name: "another agency's referral",
    as: 'advocate',
    build: async (w) =>
      recordConsent(w, {}, (await referralFixture(w, 'AWAITING_CONSENT', { agency: await otherAgency(w) })).id),
    code: 'NOT_FOUND',
  },
  {
    op: 'recordConsent',
    name: 'empty scopes',
    as: 'advocate',
    build: (w) => recordConsent(w, { scopes: [] }),
    code: B,
    field: 'scopes',
  },
  {
    op: 'recordConsent',
    name: 'the same scope twice',
    as: 'advocate',
    build: (w) =>
      recordConsent(w, { scopes: ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS', 'SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'] }),
    code: B,
    field: 'scopes',
  },
  {
    op: 'recordConsent',
    name: 'SHARE_IDENTITY_WITH_RECIPIENT without recipientShelterId',
    as: 'advocate',
    build: (w) =>
      recordConsent(w, { scopes: ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS', 'SHARE_IDENTITY_WITH_RECIPIENT'] }),
    code: B,
    field: 'recipientShelterId',
  },
  {
    op: 'recordConsent',
    name: 'recipientShelterId without SHARE_IDENTITY_WITH_RECIPIENT',
    as: 'advocate',
    build: (w) => recordConsent(w, { recipientShelterId: w.shelters.a }),
    code: B,
    field: 'recipientShelterId',
  },
  {
    op: 'recordConsent',
    name: 'malformed recipientShelterId',
    as: 'advocate',
    build: (w) => recordConsent(w, { scopes: ['SHARE_IDENTITY_WITH_RECIPIENT'], recipientShelterId: 'shelter-a' }),
    code: B,
    field: 'recipientShelterId',
  },
  {
    op: 'recordConsent',
    name: 'unknown recipientShelterId',
    as: 'advocate',
    build: (w) => recordConsent(w, { scopes: ['SHARE_IDENTITY_WITH_RECIPIENT'], recipientShelterId: UNKNOWN_ID }),
    code: B,
    field: 'recipientShelterId',
  },
  {
    op: 'recordConsent',
    name: 'expiresAt in the past',
    as: 'advocate',
    build: (w) => recordConsent(w, { expiresAt: daysFromNow(-1) }),
    code: B,
    field: 'expiresAt',
  },
  {
    op: 'recordConsent',
    name: 'expiresAt 91 days ahead (the maximum is 90)',
    as: 'advocate',
    build: (w) => recordConsent(w, { expiresAt: daysFromNow(91) }),
    code: B,
    field: 'expiresAt',
  },
  {
    op: 'recordConsent',
    name: "expiresAt 'next week'",
    as: 'advocate',
    build: (w) => recordConsent(w, { expiresAt: 'next week' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'recordConsent',
    name: 'unknown scope via variables',
    as: 'advocate',
    build: (w) => recordConsent(w, { scopes: ['SHARE_EVERYTHING'] }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'recordConsent',
    name: 'unknown method via variables',
    as: 'advocate',
    build: (w) => recordConsent(w, { method: 'TELEPATHY' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'recordConsent',
    name: 'a withdrawn referral',
    as: 'advocate',
    build: async (w) => recordConsent(w, {}, (await referralFixture(w, 'WITHDRAWN')).id),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'recordConsent',
    name: 'an expired referral',
    as: 'advocate',
    build: async (w) => recordConsent(w, {}, (await referralFixture(w, 'EXPIRED')).id),
    code: 'INVALID_TRANSITION',
  },

  // revokeConsent
  {
    op: 'revokeConsent',
    name: 'malformed consentId',
    as: 'advocate',
    build: () => revokeConsent('not-a-uuid'),
    code: B,
    field: 'consentId',
  },
  {
    op: 'revokeConsent',
    name: 'unknown consentId',
    as: 'advocate',
    build: () => revokeConsent(UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'revokeConsent',
    name: "another agency's consent",
    as: 'advocate',
    build: async (w) =>
      revokeConsent((await referralFixture(w, 'OFFERED', { offerTo: 'A', agency: await otherAgency(w) })).consentId),
    code: 'NOT_FOUND',
  },
  {
    op: 'revokeConsent',
    name: 'a consent already revoked',
    as: 'advocate',
    build: async (w) => revokeConsent((await referralFixture(w, 'CONSENT_REVOKED', { offerTo: 'A' })).consentId),
    code: ['NOT_FOUND', 'INVALID_TRANSITION'],
  },

  // withdrawReferral
  {
    op: 'withdrawReferral',
    name: 'malformed referralId',
    as: 'advocate',
    build: (w) => withdrawReferral(w, undefined, 'not-a-uuid'),
    code: B,
    field: 'referralId',
  },
  {
    op: 'withdrawReferral',
    name: 'unknown referralId',
    as: 'advocate',
    build: (w) => withdrawReferral(w, undefined, UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'withdrawReferral',
    name: "another agency's referral",
    as: 'advocate',
    build: async (w) =>
      withdrawReferral(
        w,
        undefined,
        (await referralFixture(w, 'OFFERED', { offerTo: 'B', agency: await otherAgency(w) })).id,
      ),
    code: 'NOT_FOUND',
  },
  {
    op: 'withdrawReferral',
    name: 'empty reason',
    as: 'advocate',
    build: (w) => withdrawReferral(w, ''),
    code: B,
    field: 'reason',
  },
  {
    op: 'withdrawReferral',
    name: 'reason of 501 characters',
    as: 'advocate',
    build: (w) => withdrawReferral(w, long(501)),
    code: B,
    field: 'reason',
  },
  {
    op: 'withdrawReferral',
    name: 'a referral already withdrawn',
    as: 'advocate',
    build: async (w) => withdrawReferral(w, undefined, (await referralFixture(w, 'WITHDRAWN', { offerTo: 'A' })).id),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'withdrawReferral',
    name: 'a placed referral (the resident exits instead)',
    as: 'advocate',
    build: async (w) => withdrawReferral(w, undefined, (await referralFixture(w, 'PLACED', { offerTo: 'A' })).id),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'withdrawReferral',
    name: 'an exited referral',
    as: 'advocate',
    build: async (w) => withdrawReferral(w, undefined, (await referralFixture(w, 'EXITED', { offerTo: 'A' })).id),
    code: 'INVALID_TRANSITION',
  },

  // respondToOffer
  {
    op: 'respondToOffer',
    name: 'malformed offerId',
    as: 'staffA',
    build: (w) => respondToOffer(w, {}, 'not-a-uuid'),
    code: B,
    field: 'offerId',
  },
  {
    op: 'respondToOffer',
    name: 'unknown offerId',
    as: 'staffA',
    build: (w) => respondToOffer(w, {}, UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'respondToOffer',
    name: "another organisation's offer",
    as: 'staffA',
    build: async (w) => respondToOffer(w, {}, await offerIn(w, 'OFFERED', { offerTo: 'B' })),
    code: 'NOT_FOUND',
  },
  {
    op: 'respondToOffer',
    name: 'decline without declineReason',
    as: 'staffA',
    build: (w) => decline(w, { declineReason: null }),
    code: B,
    field: 'declineReason',
  },
  {
    op: 'respondToOffer',
    name: 'accept with a declineReason (contradictory)',
    as: 'staffA',
    build: (w) => respondToOffer(w, { accept: true, declineReason: 'STAFFING' }),
    code: B,
    field: 'declineReason',
  },
  {
    op: 'respondToOffer',
    name: 'unknown declineReason via variables',
    as: 'staffA',
    build: (w) => decline(w, { declineReason: 'BUSY' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'respondToOffer',
    name: 'accept missing from the input variable',
    as: 'staffA',
    build: async (w) => ({
      query: DOC.respondToOffer,
      variables: { offerId: await offerIn(w, 'OFFERED'), input: { declineReason: 'STAFFING' } },
    }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'respondToOffer',
    name: 'note of 1001 characters',
    as: 'staffA',
    build: (w) => decline(w, { note: long(1001) }),
    code: B,
    field: 'note',
  },
  {
    op: 'respondToOffer',
    name: 'intakeInstructions of 1001 characters',
    as: 'staffA',
    build: (w) => respondToOffer(w, { intakeInstructions: long(1001) }),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'respondToOffer',
    name: 'empty intakeInstructions',
    as: 'staffA',
    build: (w) => respondToOffer(w, { intakeInstructions: '' }),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'respondToOffer',
    name: "whitespace-only intakeInstructions (not replaced by the shelter's default)",
    as: 'staffA',
    build: (w) => respondToOffer(w, { intakeInstructions: '   ' }),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'respondToOffer',
    name: 'accept without intakeInstructions at a shelter without default ones',
    as: 'staffA',
    build: async (w) => respondToOffer(w, {}, await offerWithoutDefaultInstructions(w)),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'respondToOffer',
    name: 'accept with intakeInstructions null at a shelter without default ones',
    as: 'staffA',
    build: async (w) => respondToOffer(w, { intakeInstructions: null }, await offerWithoutDefaultInstructions(w)),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'respondToOffer',
    name: 'whitespace-only intakeInstructions at a shelter without default ones',
    as: 'staffA',
    build: async (w) => respondToOffer(w, { intakeInstructions: '   ' }, await offerWithoutDefaultInstructions(w)),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'respondToOffer',
    name: 'accept with a note (only a decline takes one)',
    as: 'staffA',
    build: (w) => respondToOffer(w, { note: 'see you tonight' }),
    code: B,
    field: 'note',
  },
  {
    op: 'respondToOffer',
    name: 'decline with intakeInstructions (only an acceptance takes them)',
    as: 'staffA',
    build: (w) => decline(w, { intakeInstructions: 'Meet at the library' }),
    code: B,
    field: 'intakeInstructions',
  },
  {
    op: 'respondToOffer',
    name: 'whitespace-only note on a decline',
    as: 'staffA',
    build: (w) => decline(w, { note: '   ' }),
    code: B,
    field: 'note',
  },
  {
    op: 'respondToOffer',
    name: 'accepting an offer past its response deadline',
    as: 'staffA',
    build: async (w) => respondToOffer(w, {}, await offerIn(w, 'OFFERED', { expired: true })),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'respondToOffer',
    name: 'declining an offer past its response deadline',
    as: 'staffA',
    build: async (w) =>
      respondToOffer(w, { accept: false, declineReason: 'STAFFING' }, await offerIn(w, 'OFFERED', { expired: true })),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'respondToOffer',
    name: 'accepting an offer already accepted',
    as: 'staffA',
    build: async (w) => respondToOffer(w, {}, await offerIn(w, 'ACCEPTED')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'respondToOffer',
    name: 'declining an offer already accepted',
    as: 'staffA',
    build: async (w) => respondToOffer(w, { accept: false, declineReason: 'STAFFING' }, await offerIn(w, 'ACCEPTED')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'respondToOffer',
    name: 'accepting an offer already declined',
    as: 'staffA',
    build: async (w) => respondToOffer(w, {}, await offerIn(w, 'MATCHING')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'respondToOffer',
    name: 'accepting an offer that timed out',
    as: 'staffA',
    build: async (w) => respondToOffer(w, {}, await offerIn(w, 'WAITLISTED', { pastOfferStatus: 'TIMED_OUT' })),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'respondToOffer',
    name: 'accepting the offer of a withdrawn referral',
    as: 'staffA',
    build: async (w) => respondToOffer(w, {}, await offerIn(w, 'WITHDRAWN')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'respondToOffer',
    name: 'accepting after consent was revoked',
    as: 'staffA',
    build: async (w) => respondToOffer(w, {}, await offerIn(w, 'CONSENT_REVOKED')),
    code: 'INVALID_TRANSITION',
  },

  // confirmIntake
  {
    op: 'confirmIntake',
    name: 'malformed offerId',
    as: 'staffA',
    build: () => offerCall('confirmIntake', 'not-a-uuid'),
    code: B,
    field: 'offerId',
  },
  {
    op: 'confirmIntake',
    name: 'unknown offerId',
    as: 'staffA',
    build: () => offerCall('confirmIntake', UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'confirmIntake',
    name: "another organisation's accepted offer",
    as: 'staffA',
    build: async (w) => offerCall('confirmIntake', await offerIn(w, 'ACCEPTED', { offerTo: 'B' })),
    code: 'NOT_FOUND',
  },
  {
    op: 'confirmIntake',
    name: 'an offer not yet accepted',
    as: 'staffA',
    build: async (w) => offerCall('confirmIntake', await offerIn(w, 'OFFERED')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'confirmIntake',
    name: 'confirming twice',
    as: 'staffA',
    build: async (w) => offerCall('confirmIntake', await offerIn(w, 'PLACED')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'confirmIntake',
    name: 'a declined offer',
    as: 'staffA',
    build: async (w) => offerCall('confirmIntake', await offerIn(w, 'MATCHING')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'confirmIntake',
    name: 'an accepted offer whose referral was then withdrawn',
    as: 'staffA',
    build: async (w) => {
      const f = await referralFixture(w, 'ACCEPTED', { offerTo: 'A' });
      const r = await gql(w.api.url, DOC.withdrawReferral, { referralId: f.id }, w.tokens.advocate);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return offerCall('confirmIntake', f.offerId);
    },
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'confirmIntake',
    name: "A's old offer after a no-show, while B holds the bed",
    as: 'staffA',
    build: async (w) => offerCall('confirmIntake', await staleOfferAfterNoShow(w, 'ACCEPTED')),
    code: 'INVALID_TRANSITION',
  },

  // markNotificationRead
  {
    op: 'markNotificationRead',
    name: 'malformed id',
    as: 'staffA',
    build: () => ({ query: DOC.markNotificationRead, variables: { id: 'not-a-uuid' } }),
    code: B,
    field: 'id',
  },
  {
    op: 'markNotificationRead',
    name: 'missing id',
    as: 'staffA',
    build: () => ({ query: DOC.markNotificationRead, variables: {} }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'markNotificationRead',
    name: 'unknown id',
    as: 'staffA',
    build: () => ({ query: DOC.markNotificationRead, variables: { id: UNKNOWN_ID } }),
    code: 'NOT_FOUND',
  },

  // setShelterWebhook
  ...(
    [
      ['malformed shelterId', { id: 'not-a-uuid' }, B, 'shelterId'],
      ['not a URL', { url: 'hooks.example.org/x' }, B, 'url'],
      ['a scheme other than http(s)', { url: 'ftp://hooks.example.org/x' }, B, 'url'],
      ['a user name and password in the URL', { url: 'https://user:secret@hooks.example.org/x' }, B, 'url'],
      ['a URL over 2048 characters', { url: `https://hooks.example.org/${long(2040)}` }, B, 'url'],
      ['unknown shelter', { id: UNKNOWN_ID }, 'NOT_FOUND', undefined],
    ] as const
  ).map(([name, vars, code, field]): BadCase => ({
    op: 'setShelterWebhook',
    name,
    as: 'staffA',
    build: async (w) => ({
      query: DOC.setShelterWebhook,
      variables: {
        id: await w.fx.shelter(w.orgs.providerA, w.regions.countyA),
        url: 'https://hooks.example.org/ok',
        ...vars,
      },
    }),
    code,
    field,
  })),

  // rotateShelterWebhookSecret
  {
    op: 'rotateShelterWebhookSecret',
    name: 'malformed shelterId',
    as: 'staffA',
    build: () => ({ query: DOC.rotateShelterWebhookSecret, variables: { id: 'not-a-uuid' } }),
    code: B,
    field: 'shelterId',
  },
  {
    op: 'rotateShelterWebhookSecret',
    name: 'unknown shelter',
    as: 'staffA',
    build: () => ({ query: DOC.rotateShelterWebhookSecret, variables: { id: UNKNOWN_ID } }),
    code: 'NOT_FOUND',
  },
  {
    op: 'rotateShelterWebhookSecret',
    name: 'missing shelterId',
    as: 'staffA',
    build: () => ({ query: DOC.rotateShelterWebhookSecret, variables: {} }),
    code: GRAPHQL_TYPE_ERROR,
  },

  // recordNoShow
  {
    op: 'recordNoShow',
    name: 'malformed offerId',
    as: 'staffA',
    build: () => offerCall('recordNoShow', 'not-a-uuid'),
    code: B,
    field: 'offerId',
  },
  {
    op: 'recordNoShow',
    name: 'unknown offerId',
    as: 'staffA',
    build: () => offerCall('recordNoShow', UNKNOWN_ID),
    code: 'NOT_FOUND',
  },
  {
    op: 'recordNoShow',
    name: "another organisation's accepted offer",
    as: 'staffA',
    build: async (w) => offerCall('recordNoShow', await offerIn(w, 'ACCEPTED', { offerTo: 'B' })),
    code: 'NOT_FOUND',
  },
  {
    op: 'recordNoShow',
    name: 'an offer not yet accepted',
    as: 'staffA',
    build: async (w) => offerCall('recordNoShow', await offerIn(w, 'OFFERED')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'recordNoShow',
    name: 'after intake was confirmed',
    as: 'staffA',
    build: async (w) => offerCall('recordNoShow', await offerIn(w, 'PLACED')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'recordNoShow',
    name: 'a withdrawn referral',
    as: 'staffA',
    build: async (w) => offerCall('recordNoShow', await offerIn(w, 'WITHDRAWN')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'recordNoShow',
    name: "A's old offer after a no-show, while the survivor is accepted at B",
    as: 'staffA',
    build: async (w) => offerCall('recordNoShow', await staleOfferAfterNoShow(w, 'ACCEPTED')),
    code: 'INVALID_TRANSITION',
  },

  // recordExit
  {
    op: 'recordExit',
    name: 'malformed offerId',
    as: 'staffA',
    build: () => recordExit('not-a-uuid'),
    code: B,
    field: 'offerId',
  },
  { op: 'recordExit', name: 'unknown offerId', as: 'staffA', build: () => recordExit(UNKNOWN_ID), code: 'NOT_FOUND' },
  {
    op: 'recordExit',
    name: "another organisation's placement",
    as: 'staffA',
    build: async (w) => recordExit(await offerIn(w, 'PLACED', { offerTo: 'B' })),
    code: 'NOT_FOUND',
  },
  {
    op: 'recordExit',
    name: 'unknown destination via variables',
    as: 'staffA',
    build: async (w) => recordExit(await offerIn(w, 'PLACED'), 'THE_MOON'),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'recordExit',
    name: 'destination missing',
    as: 'staffA',
    build: async (w) => recordExit(await offerIn(w, 'PLACED'), null),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'recordExit',
    name: 'accepted, intake not confirmed',
    as: 'staffA',
    build: async (w) => recordExit(await offerIn(w, 'ACCEPTED')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'recordExit',
    name: 'exiting twice',
    as: 'staffA',
    build: async (w) => recordExit(await offerIn(w, 'EXITED')),
    code: 'INVALID_TRANSITION',
  },
  {
    op: 'recordExit',
    name: "A's old offer after a no-show, while the survivor is placed at B",
    as: 'staffA',
    build: async (w) => recordExit(await staleOfferAfterNoShow(w, 'PLACED')),
    code: 'INVALID_TRANSITION',
  },

  // queries with bad arguments
  {
    op: 'referral',
    name: 'malformed id',
    as: 'advocate',
    build: () => ({ query: DOC.referral, variables: { id: 'SL-ABCD-EFGH' } }),
    code: B,
    field: 'id',
  },
  {
    op: 'referral',
    name: 'unknown id',
    as: 'advocate',
    build: () => ({ query: DOC.referral, variables: { id: UNKNOWN_ID } }),
    code: 'NOT_FOUND',
  },
  {
    op: 'referrals',
    name: 'first: 0',
    as: 'advocate',
    build: () => ({ query: DOC.referrals, variables: { first: 0 } }),
    code: B,
    field: 'first',
  },
  {
    op: 'referrals',
    name: 'first: 101 (oversized page)',
    as: 'advocate',
    build: () => ({ query: `query { referrals(first: 101) { pageInfo { hasNextPage } } }` }),
    code: B,
    field: 'first',
  },
  {
    op: 'referrals',
    name: 'a forged cursor',
    as: 'advocate',
    build: () => ({ query: DOC.referrals, variables: { after: 'garbage' } }),
    code: B,
    field: 'after',
  },
  {
    op: 'referrals',
    name: 'a well-formed cursor holding no timestamp',
    as: 'advocate',
    build: () => ({
      query: DOC.referrals,
      variables: { after: Buffer.from(JSON.stringify(['yesterday', 'someone'])).toString('base64url') },
    }),
    code: B,
    field: 'after',
  },
  {
    op: 'referrals',
    name: 'a cursor whose timestamp is a bare number',
    as: 'advocate',
    build: () => ({
      query: DOC.referrals,
      variables: { after: Buffer.from(JSON.stringify(['1', UNKNOWN_ID])).toString('base64url') },
    }),
    code: B,
    field: 'after',
  },
  {
    op: 'referrals',
    name: 'unknown state via variables',
    as: 'advocate',
    build: () => ({ query: DOC.referrals, variables: { state: 'LOST' } }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'offers',
    name: 'malformed shelterId',
    as: 'staffA',
    build: () => ({ query: DOC.offers, variables: { shelterId: 'shelter-a' } }),
    code: B,
    field: 'shelterId',
  },
  { op: 'offers', name: 'first: 0', as: 'staffA', build: () => offers({ first: 0 }), code: B, field: 'first' },
  // bedPoolEvents
  {
    op: 'bedPoolEvents',
    name: 'malformed poolId',
    as: 'staffA',
    build: () => poolEvents({ poolId: 'pool-a' }),
    code: B,
    field: 'poolId',
  },
  {
    op: 'bedPoolEvents',
    name: 'unknown poolId',
    as: 'staffA',
    build: () => poolEvents({ poolId: UNKNOWN_ID }),
    code: 'NOT_FOUND',
  },
  {
    op: 'bedPoolEvents',
    name: 'first: 0',
    as: 'staffA',
    build: (w) => poolEvents({ poolId: w.pools.a, first: 0 }),
    code: B,
    field: 'first',
  },
  {
    op: 'bedPoolEvents',
    name: 'first: 101 (oversized page)',
    as: 'staffA',
    build: (w) => ({
      query: `query($id: ID!) { bedPoolEvents(poolId: $id, first: 101) { pageInfo { hasNextPage } } }`,
      variables: { id: w.pools.a },
    }),
    code: B,
    field: 'first',
  },
  {
    op: 'bedPoolEvents',
    name: 'a cursor that is not ours',
    as: 'staffA',
    build: (w) => poolEvents({ poolId: w.pools.a, after: Buffer.from('["1; DROP"]').toString('base64url') }),
    code: B,
    field: 'after',
  },
  {
    op: 'bedPoolEvents',
    name: 'a cursor beyond bigint',
    as: 'staffA',
    build: (w) =>
      poolEvents({ poolId: w.pools.a, after: Buffer.from('["99999999999999999999"]').toString('base64url') }),
    code: B,
    field: 'after',
  },
  {
    op: 'bedPoolEvents',
    name: 'poolId missing',
    as: 'staffA',
    build: () => ({ query: `query { bedPoolEvents { pageInfo { hasNextPage } } }` }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'offers',
    name: 'first: 101 (oversized page)',
    as: 'staffA',
    // a cheap selection, so that the page limit (not the complexity limit) is what refuses it
    build: () => ({ query: `query { offers(first: 101) { pageInfo { hasNextPage } } }` }),
    code: B,
    field: 'first',
  },
  {
    op: 'offers',
    name: 'a forged cursor',
    as: 'staffA',
    build: () => offers({ after: 'garbage' }),
    code: B,
    field: 'after',
  },
  {
    op: 'offers',
    name: 'a well-formed cursor holding words, not a position',
    as: 'staffA',
    build: () => offers({ after: offerCursor('OPEN', 'soon', 'someone') }),
    code: B,
    field: 'after',
  },
  {
    op: 'offers',
    name: 'a cursor whose offer id is not a uuid',
    as: 'staffA',
    build: () => offers({ after: offerCursor(0, 0, 'someone') }),
    code: B,
    field: 'after',
  },
  {
    op: 'offers',
    name: 'a cursor of two values',
    as: 'staffA',
    build: () => offers({ after: offerCursor(0, UNKNOWN_ID) }),
    code: B,
    field: 'after',
  },
  {
    op: 'offers',
    name: 'a cursor with a fractional stage rank',
    as: 'staffA',
    build: () => offers({ after: offerCursor(0.5, 0, UNKNOWN_ID) }),
    code: B,
    field: 'after',
  },
  {
    op: 'offers',
    name: 'a cursor with a stage rank beyond any integer column',
    as: 'staffA',
    build: () => offers({ after: offerCursor(1e12, 0, UNKNOWN_ID) }),
    code: B,
    field: 'after',
  },
  {
    op: 'offers',
    name: 'unknown stage via variables',
    as: 'staffA',
    build: () => offers({ stages: ['LOST'] }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'offers',
    name: 'unknown stage literal',
    as: 'staffA',
    build: () => ({ query: `query { offers(stages: [ARCHIVED]) { pageInfo { hasNextPage } } }` }),
    code: GRAPHQL_TYPE_ERROR,
  },
  { op: 'offers', name: 'stages: []', as: 'staffA', build: () => offers({ stages: [] }), code: B, field: 'stages' },
  {
    op: 'offers',
    name: 'a stage twice',
    as: 'staffA',
    build: () => offers({ stages: ['OPEN', 'OPEN'] }),
    code: B,
    field: 'stages',
  },
  {
    op: 'offer',
    name: 'malformed id',
    as: 'staffA',
    build: () => ({ query: DOC.offer, variables: { id: 'offer-1' } }),
    code: B,
    field: 'id',
  },
  {
    op: 'offer',
    name: 'unknown id',
    as: 'staffA',
    build: () => ({ query: DOC.offer, variables: { id: UNKNOWN_ID } }),
    code: 'NOT_FOUND',
  },
  {
    op: 'offer',
    name: "another organisation's offer",
    as: 'staffA',
    build: async (w) => ({ query: DOC.offer, variables: { id: await offerIn(w, 'OFFERED', { offerTo: 'B' }) } }),
    code: 'NOT_FOUND',
  },
  // the security trail
  ...(
    [
      ['first: 0', { first: 0 }, B, 'first'],
      ['first: 101', { first: 101 }, B, 'first'],
      ['a forged cursor', { after: 'garbage' }, B, 'after'],
      ['a cursor naming no entry', { after: Buffer.from('["x1"]').toString('base64url') }, B, 'after'],
      [
        'a cursor beyond any bigint',
        { after: Buffer.from('["9999999999999999999"]').toString('base64url') },
        B,
        'after',
      ],
      ['malformed actorUserId', { actorUserId: 'someone' }, B, 'actorUserId'],
      ['an unknown kind', { kinds: ['LOGIN_GUESSED'] }, GRAPHQL_TYPE_ERROR, undefined],
    ] as const
  ).map(([name, variables, code, field]) => ({
    op: 'auditEvents',
    name,
    as: 'admin' as const,
    build: () => ({ query: DOC.auditEvents, variables }),
    code,
    field,
  })),
  // queries with bad arguments (shelters and search)
  {
    op: 'shelters',
    name: 'first: 101 (oversized page)',
    as: 'advocate',
    build: () => shelters({ first: 101 }),
    code: B,
    field: 'first',
  },
  { op: 'shelters', name: 'first: 0', as: 'advocate', build: () => shelters({ first: 0 }), code: B, field: 'first' },
  {
    op: 'shelters',
    name: 'a forged cursor',
    as: 'advocate',
    build: () => shelters({ after: 'garbage' }),
    code: B,
    field: 'after',
  },
  {
    op: 'shelters',
    name: 'a cursor whose name holds a NUL byte',
    as: 'advocate',
    build: () => shelters({ after: Buffer.from(JSON.stringify(['Harbor\u0000', UNKNOWN_ID])).toString('base64url') }),
    code: B,
    field: 'after',
  },
  {
    op: 'shelters',
    name: 'a cursor of the right shape naming no shelter id',
    as: 'advocate',
    build: () => shelters({ after: Buffer.from(JSON.stringify(['Harbor', 'not-a-uuid'])).toString('base64url') }),
    code: B,
    field: 'after',
  },
  {
    op: 'shelters',
    name: 'malformed regionId',
    as: 'advocate',
    build: () => shelters({ regionId: 'not-a-uuid' }),
    code: B,
    field: 'regionId',
  },
  {
    op: 'shelter',
    name: 'malformed id',
    as: 'advocate',
    build: () => ({ query: DOC.shelter, variables: { id: 'not-a-uuid' } }),
    code: B,
    field: 'id',
  },
  {
    op: 'shelter',
    name: 'unknown id',
    as: 'advocate',
    build: () => ({ query: DOC.shelter, variables: { id: UNKNOWN_ID } }),
    code: 'NOT_FOUND',
  },
  {
    op: 'users',
    name: 'malformed organisationId',
    as: 'admin',
    build: () => ({ query: DOC.users, variables: { org: 'not-a-uuid' } }),
    code: B,
    field: 'organisationId',
  },
  { op: 'searchBeds', name: 'age 130', as: 'advocate', build: () => search({ age: 130 }), code: B, field: 'needs.age' },
  { op: 'searchBeds', name: 'age -1', as: 'advocate', build: () => search({ age: -1 }), code: B, field: 'needs.age' },
  {
    op: 'searchBeds',
    name: 'radiusKm 0',
    as: 'advocate',
    build: () => search({ radiusKm: 0, location: { latitude: 30.27, longitude: -97.74 } }),
    code: B,
    field: 'needs.radiusKm',
  },
  {
    op: 'searchBeds',
    name: 'radiusKm 2001',
    as: 'advocate',
    build: () => search({ radiusKm: 2001, location: { latitude: 30.27, longitude: -97.74 } }),
    code: B,
    field: 'needs.radiusKm',
  },
  {
    op: 'searchBeds',
    name: 'malformed excludedRegionIds',
    as: 'advocate',
    build: () => search({ excludedRegionIds: ['not-a-uuid'] }),
    code: B,
    field: 'needs.excludedRegionIds',
  },
  {
    op: 'searchBeds',
    name: 'malformed preferredRegionIds',
    as: 'advocate',
    build: () => search({ preferredRegionIds: ['county-a'] }),
    code: B,
    field: 'needs.preferredRegionIds',
  },
  {
    op: 'searchBeds',
    name: 'latitude 91',
    as: 'advocate',
    build: () => search({ location: { latitude: 91, longitude: 0 } }),
    code: B,
    field: 'needs.location.latitude',
  },
  {
    op: 'searchBeds',
    name: 'longitude 181',
    as: 'advocate',
    build: () => search({ location: { latitude: 0, longitude: 181 } }),
    code: B,
    field: 'needs.location.longitude',
  },
  {
    op: 'searchBeds',
    name: "language 'english'",
    as: 'advocate',
    build: () => search({ languages: ['english'] }),
    code: B,
    field: 'needs.languages',
  },
  {
    op: 'searchBeds',
    name: 'a child aged 18',
    as: 'advocate',
    build: () => search({ childrenAges: [4, 18] }),
    code: B,
    field: 'needs.childrenAges',
  },
  {
    op: 'searchBeds',
    name: 'no trafficking type',
    as: 'advocate',
    build: () => search({ traffickingTypes: [] }),
    code: B,
    field: 'needs.traffickingTypes',
  },
  {
    op: 'searchBeds',
    name: 'minimumStayDays 0',
    as: 'advocate',
    build: () => search({ minimumStayDays: 0 }),
    code: B,
    field: 'needs.minimumStayDays',
  },
  { op: 'searchBeds', name: 'first: 0', as: 'advocate', build: () => search({}, 0), code: B, field: 'first' },
  {
    op: 'searchBeds',
    name: 'first: 101 (oversized page)',
    as: 'advocate',
    // a cheap selection, so that the page limit (not the complexity limit) is what refuses it
    build: () => ({
      query: `query($needs: NeedsInput!) { searchBeds(needs: $needs, first: 101) { examinedShelters } }`,
      variables: { needs: needs() },
    }),
    code: B,
    field: 'first',
  },
  {
    op: 'searchBeds',
    name: 'unknown gender via variables',
    as: 'advocate',
    build: () => search({ gender: 'ALIEN' }),
    code: GRAPHQL_TYPE_ERROR,
  },
  {
    op: 'searchBeds',
    name: 'unknown urgency via variables',
    as: 'advocate',
    build: () => search({ urgency: 'NOW' }),
    code: GRAPHQL_TYPE_ERROR,
  },

  // text no person types: NUL and other control characters, lone surrogates, direction overrides (names lose
  // invisible spaces instead; see 'text in names' below)
  {
    op: 'login',
    name: 'a NUL byte in the email (anonymous)',
    as: 'anonymous',
    build: () => login({ email: 'advocate\u0000@example.org' }),
    code: B,
    field: 'email',
  },
  {
    op: 'login',
    name: 'a NUL byte in the password (anonymous)',
    as: 'anonymous',
    build: () => login({ password: 'correct horse\u0000' }),
    code: B,
    field: 'password',
  },
  {
    op: 'login',
    name: 'a lone surrogate in the email',
    as: 'anonymous',
    build: () => login({ email: 'advocate\uD800@example.org' }),
    code: B,
    field: 'email',
  },
  {
    op: 'createShelter',
    name: 'a right-to-left override in the name',
    as: 'admin',
    build: (w) => createShelter(w, { name: 'Safe \u202Eesuoh' }),
    code: B,
    field: 'name',
  },
  {
    op: 'createOrganisation',
    name: 'a lone low surrogate in the name',
    as: 'admin',
    build: () => createOrganisation({ name: 'Org \uDC00' }),
    code: B,
    field: 'name',
  },
  {
    op: 'createUser',
    name: 'a directional isolate in the display name',
    as: 'admin',
    build: (w) => createUser(w, { displayName: 'Some\u2067one' }),
    code: B,
    field: 'displayName',
  },
  {
    op: 'submitReferral',
    name: 'a NUL byte in the identity',
    as: 'advocate',
    build: (w) => submitIdentity(w, { name: 'Some\u0000one' }),
    code: B,
    field: 'identity.name',
  },
  {
    op: 'createRegion',
    name: 'a C1 control (CSI, a terminal escape) in the name',
    as: 'admin',
    build: (w) => createRegion(w, { name: 'North \u009B31m County' }),
    code: B,
    field: 'name',
  },
  {
    op: 'withdrawReferral',
    name: 'an escape character in the reason',
    as: 'advocate',
    build: (w) => withdrawReferral(w, 'moved \u001B[31m'),
    code: B,
    field: 'reason',
  },
  {
    op: 'searchBeds',
    name: 'a NUL byte in a language',
    as: 'advocate',
    build: () => search({ languages: ['es\u0000'] }),
    code: B,
    field: 'needs.languages',
  },
  {
    op: 'updateShelter',
    name: 'a left-to-right embedding in the intake instructions',
    as: 'staffA',
    build: (w) => updateShelter(w, { intakeInstructions: 'Ring \u202Athe bell' }),
    code: B,
    field: 'intakeInstructions',
  },
];

/** Nests `levels` inline fragments inside `me`: depth = levels + 2 (me, …fragments, id). */
const nestedMe = (levels: number) => `query { me { ${'... on User { '.repeat(levels)}id${' }'.repeat(levels)} } }`;

describe('bad input', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.close());

  it('every mutation has bad-input cases', () => {
    const { mutations } = sdlOperations();
    const counts = Object.fromEntries(mutations.map((m) => [m, CASES.filter((c) => c.op === m).length]));
    expect(Object.entries(counts).filter(([, n]) => n < 2)).toEqual([]);
  });

  const table = CASES.map((c) => ({
    ...c,
    expected: `${Array.isArray(c.code) ? c.code.join(' or ') : c.code}${c.field ? ` (${c.field})` : ''}`,
  }));

  it.each(table)('$op: $name → $expected', async ({ as, build, code, field }) => {
    const call = await build(w);
    const before = await dbFingerprint(w.fx);
    const r = await gql(w.api.url, call.query, call.variables ?? {}, tokenFor(w, as));
    expectError(r, code, field);
    expect(r.data ?? null).toBeNull();
    expect(await dbFingerprint(w.fx)).toEqual(before);
  });

  describe('query depth (default limit 8)', () => {
    it('a query of depth 8 runs', async () => {
      const r = await gql(w.api.url, nestedMe(6), {}, w.tokens.advocate);
      expect(r.errors).toBeUndefined();
      expect(r.data.me.id).toBe(w.users.advocate);
    });

    it('a query of depth 10 is QUERY_TOO_COMPLEX', async () => {
      const r = await gql(w.api.url, nestedMe(8), {}, w.tokens.advocate);
      expectError(r, 'QUERY_TOO_COMPLEX');
      expect(r.data ?? null).toBeNull();
    });

    it('a query of depth 10 over WebSocket is QUERY_TOO_COMPLEX too', async () => {
      const client = wsClient(w.api.url, w.tokens.advocate);
      try {
        const r = await wsExecute(client, nestedMe(8));
        expectError(r, 'QUERY_TOO_COMPLEX');
        expect(r.data ?? null).toBeNull();
      } finally {
        await client.dispose();
      }
    });
  });

  describe('text in names', () => {
    it('invisible spaces are taken out of a name; joiners and emoji (a surrogate pair) stay', async () => {
      const r = await gql(
        w.api.url,
        DOC.createRegion,
        {
          input: {
            code: unique('ZW-'),
            name: 'North\u200B \uFEFFCoun\u00ADty \u{1F469}\u200D\u{1F467}',
            parentId: w.regions.state,
          },
        },
        w.tokens.admin,
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.createRegion.name).toBe('North County \u{1F469}\u200D\u{1F467}');
    });
  });

  describe('GraphQL type errors carry a code over WebSocket too', () => {
    it('an unknown enum literal via variables', async () => {
      const client = wsClient(w.api.url, w.tokens.staffA);
      try {
        const before = await dbFingerprint(w.fx);
        const r = await wsExecute(client, DOC.upsertBedPool, {
          input: { shelterId: w.shelters.a, bedType: 'KING', capacity: 1 },
        });
        expectError(r, GRAPHQL_TYPE_ERROR);
        expect(await dbFingerprint(w.fx)).toEqual(before);
      } finally {
        await client.dispose();
      }
    });
  });
});

describe('tight limits (GRAPHQL_MAX_DEPTH=3, GRAPHQL_MAX_COMPLEXITY=50)', () => {
  let w: World;
  let client: WsClient;
  beforeAll(async () => {
    w = await createWorld({ GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_COMPLEXITY: '50' });
    client = wsClient(w.api.url, w.tokens.advocate);
  });
  afterAll(async () => {
    await client.dispose();
    await w.close();
  });

  // depth 5, complexity 1 × 4: only the depth limit applies
  const DEEP = `query { shelters(first: 1) { edges { node { region { id } } } } }`;
  // depth 3, complexity 100 × 2 = 200: only the complexity limit applies
  const COMPLEX = `query { shelters(first: 100) { edges { cursor } } }`;
  const COMPLEX_SEARCH = `query($needs: NeedsInput!) { searchBeds(needs: $needs, first: 100) { examinedShelters } }`;

  const send = (transport: 'http' | 'ws', query: string, variables: Record<string, unknown> = {}) =>
    transport === 'http' ? gql(w.api.url, query, variables, w.tokens.advocate) : wsExecute(client, query, variables);

  describe.each(['http', 'ws'] as const)('over %s', (transport) => {
    it('a shallow, cheap query runs', async () => {
      const r = await send(transport, `query { shelters(first: 5) { edges { cursor } } me { id } }`);
      expectNoInternals(r);
      expect(r.errors).toBeUndefined();
      expect(r.data.shelters.edges.length).toBeGreaterThan(0);
    });

    it.each([
      ['too deep', DEEP, {}],
      ['too complex: a 100-shelter page', COMPLEX, {}],
      ['too complex: a 100-match search', COMPLEX_SEARCH, { needs: needs() }],
    ])('%s → QUERY_TOO_COMPLEX', async (_label, query, variables) => {
      const r: GqlResult = await send(transport, query, variables);
      expectError(r, 'QUERY_TOO_COMPLEX');
      expect(r.data ?? null).toBeNull();
    });
  });
});
