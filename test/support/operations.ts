import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import type { Client as WsClient } from 'graphql-ws';
import { type Fixtures, PASSWORD, type ShelterFixture } from './fixtures';
import { gql, type GqlResult, login } from './gql';
import type { World } from './world';

/** The callers every access test reasons about; `anonymous` sends no token. */
export const ROLES = ['anonymous', 'staffA', 'staffB', 'advocate', 'coordinator', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];
export type SignedInRole = Exclude<RoleName, 'anonymous'>;
export const SIGNED_IN: SignedInRole[] = ['staffA', 'staffB', 'advocate', 'coordinator', 'admin'];

/** How each signed-in caller of the world signs in (with PASSWORD). */
export const ROLE_EMAILS: Record<SignedInRole, string> = {
  staffA: 'staff.a@example.org',
  staffB: 'staff.b@example.org',
  advocate: 'advocate@example.org',
  coordinator: 'coordinator@example.org',
  admin: 'admin@example.org',
};

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

/** A whole-day period (statistics take UTC midnights) covering the last week and today. */
export function lastWeek(): { from: string; to: string } {
  const tomorrow = Math.ceil((Date.now() + 1) / 86_400_000) * 86_400_000;
  return { from: new Date(tomorrow - 8 * 86_400_000).toISOString(), to: new Date(tomorrow).toISOString() };
}

// ── operation documents, one per SDL operation ────────────────────────────────────────────────────────────────────

/** What shelter staff read of an offer; `identity` is null unless a consent names the shelter and it accepted. */
export const OFFER_FIELDS = `id referralId referenceCode shelterId stage status respondBy holdExpiresAt respondedAt
  declineReason intakeInstructions intakeConfirmedAt closedAt closedReason exitDestination
  needs { age gender urgency } identity { name dateOfBirth phone notes }`;

/** The offers of an `offers` answer (a connection), in order. */
export const offerNodes = (data: { offers: { edges: { node: any }[] } }): any[] => data.offers.edges.map((e) => e.node);

export const DOC = {
  notifications: `query { notifications { id shelterId kind message readAt } }`,
  markNotificationRead: `mutation($id: ID!) { markNotificationRead(id: $id) { id readAt } }`,
  regionCapacity: `query($id: ID!) {
    regionCapacity(regionId: $id) {
      regionId byType { bedType capacity available availableAtPausedShelters }
      beds { capacity available availableAtPausedShelters } surge { capacity available availableAtPausedShelters }
      shelters pausedShelters sheltersTakingIntakesNow staleShelters
    }
  }`,
  referralStatistics: `query($id: ID!, $period: PeriodInput!) {
    referralStatistics(regionId: $id, period: $period) {
      regionId suppressionThreshold submitted { value fewerThan text } byState { state referrals { value text } }
      submissionToOffer { referrals { text } medianSeconds p90Seconds }
      submissionToPlacement { referrals { text } medianSeconds p90Seconds }
      shelters { shelterId shelterName offers { text } accepted { text } medianResponseSeconds acceptanceRate }
    }
  }`,
  unmetNeed: `query($id: ID!, $period: PeriodInput!) {
    unmetNeed(regionId: $id, period: $period) {
      regionId referrals { value text } waitlisted { text } closedWithoutPlacement { text }
      reasons { reason detail label referrals { value fewerThan text } }
    }
  }`,
  occupancy: `query($id: ID!, $period: PeriodInput!, $bucket: OccupancyBucket!, $timeZone: String) {
    occupancy(regionId: $id, period: $period, bucket: $bucket, timeZone: $timeZone) {
      regionId bucket timeZone points { start end beds { capacity occupied held outOfService available } surge { capacity } }
    }
  }`,
  shelterWebhook: `query($id: ID!) { shelterWebhook(shelterId: $id) { shelterId url signingSecret } }`,
  setShelterWebhook: `mutation($id: ID!, $url: String) { setShelterWebhook(shelterId: $id, url: $url) { shelterId url signingSecret } }`,
  rotateShelterWebhookSecret: `mutation($id: ID!) { rotateShelterWebhookSecret(shelterId: $id) { shelterId url signingSecret } }`,
  me: `query { me { id role organisationId active } }`,
  auditEvents: `query($kinds: [AuditKind!], $actorUserId: ID, $first: Int! = 50, $after: String) {
    auditEvents(kinds: $kinds, actorUserId: $actorUserId, first: $first, after: $after) {
      edges { cursor node { id occurredAt kind actorUserId actorRole organisationId address subjectType subjectId
                            detail { key value } } }
      pageInfo { endCursor hasNextPage }
    }
  }`,
  regions: `query { regions { id code name parentId } }`,
  organisations: `query { organisations { id name kind } }`,
  users: `query($org: ID) { users(organisationId: $org) { id email role organisationId active } }`,
  shelters: `query($first: Int!, $after: String, $regionId: ID, $mine: Boolean) {
    shelters(first: $first, after: $after, regionId: $regionId, mine: $mine) {
      edges { cursor node { id name organisationId regionId locationConfidential address intakePhone intakeInstructions } }
      pageInfo { endCursor hasNextPage }
    }
  }`,
  shelter: `query($id: ID!) {
    shelter(id: $id) {
      id name organisationId locationConfidential address intakePhone intakeInstructions pools { id capacity available }
    }
  }`,
  searchBeds: `query($needs: NeedsInput!, $first: Int! = 10) {
    searchBeds(needs: $needs, first: $first) {
      matches {
        rank poolId bedType available distanceKm stale acceptingIntakesNow intakeOpensInMinutes languageViaInterpretation
        servicesMissing availabilityVerifiedAt
        shelter { id name city regionId services holdMinutes responseMinutes approximateLocation { latitude longitude } }
      }
      examinedShelters excludedShelters exclusions { reason shelters } nearMisses { reason shelters }
    }
  }`,
  login: `mutation($email: String!, $password: String!) {
    login(email: $email, password: $password) { token expiresAt user { id role } }
  }`,
  renewSession: `mutation { renewSession { token expiresAt user { id role } } }`,
  signOut: `mutation($everywhere: Boolean! = false) { signOut(everywhere: $everywhere) }`,
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
    createShelter(input: $input) {
      id name organisationId regionId address intakePhone intakeInstructions eligibility { minAge maxAge }
    }
  }`,
  updateShelter: `mutation($id: ID!, $input: UpdateShelterInput!) {
    updateShelter(id: $id, input: $input) { id name city intakeOpens intakeCloses timeZone intakeInstructions }
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
  bedPoolEvents: `query($poolId: ID!, $first: Int = 20, $after: String) {
    bedPoolEvents(poolId: $poolId, first: $first, after: $after) {
      edges { cursor node { id poolId kind occurredAt madeAt versionAfter occupied occupiedDelta madeByYou } }
      pageInfo { endCursor hasNextPage }
    }
  }`,
  confirmAvailability: `mutation($shelterId: ID!) { confirmAvailability(shelterId: $shelterId) { shelterId availabilityVerifiedAt } }`,
  bedAvailabilityChanged: `subscription($regionId: ID!) {
    bedAvailabilityChanged(regionId: $regionId) {
      shelterId regionId poolId bedType capacity occupied held outOfService available version availabilityVerifiedAt
    }
  }`,
  // ── referrals ──
  referral: `query($id: ID!) {
    referral(id: $id) {
      id referenceCode state regionId hasIdentity identity { name dateOfBirth phone notes }
      consents { id scopes recipientShelterId revokedAt }
      offers { id shelterId shelterName status intakeInstructions holdExpiresAt closedAt closedReason }
      events { fromState toState reason note }
    }
  }`,
  referrals: `query($state: ReferralState, $first: Int! = 20, $after: String) {
    referrals(state: $state, first: $first, after: $after) {
      edges { cursor node { id referenceCode state } }
      pageInfo { endCursor hasNextPage }
    }
  }`,
  offers: `query($shelterId: ID, $stages: [OfferStage!], $first: Int! = 20, $after: String) {
    offers(shelterId: $shelterId, stages: $stages, first: $first, after: $after) {
      edges { cursor node { ${OFFER_FIELDS} } }
      pageInfo { endCursor hasNextPage }
    }
  }`,
  offer: `query($id: ID!) { offer(id: $id) { ${OFFER_FIELDS} } }`,
  submitReferral: `mutation($input: SubmitReferralInput!) {
    submitReferral(input: $input) { id referenceCode state regionId urgency hasIdentity previousReferralId }
  }`,
  recordConsent: `mutation($referralId: ID!, $input: RecordConsentInput!) {
    recordConsent(referralId: $referralId, input: $input) { id state consents { id scopes recipientShelterId revokedAt } }
  }`,
  revokeConsent: `mutation($consentId: ID!) { revokeConsent(consentId: $consentId) { id state consents { id revokedAt } } }`,
  withdrawReferral: `mutation($referralId: ID!, $reason: String) {
    withdrawReferral(referralId: $referralId, reason: $reason) { id state closedAt }
  }`,
  respondToOffer: `mutation($offerId: ID!, $input: RespondToOfferInput!) {
    respondToOffer(offerId: $offerId, input: $input) { ${OFFER_FIELDS} }
  }`,
  confirmIntake: `mutation($offerId: ID!) { confirmIntake(offerId: $offerId) { ${OFFER_FIELDS} } }`,
  recordNoShow: `mutation($offerId: ID!) { recordNoShow(offerId: $offerId) { ${OFFER_FIELDS} } }`,
  recordExit: `mutation($offerId: ID!, $destination: ExitDestination!) {
    recordExit(offerId: $offerId, destination: $destination) { ${OFFER_FIELDS} }
  }`,
  referralUpdated: `subscription($referralId: ID!) { referralUpdated(referralId: $referralId) { referralId state occurredAt } }`,
  offerReceived: `subscription($shelterId: ID!) { offerReceived(shelterId: $shelterId) { offerId shelterId respondBy } }`,
  offerUpdated: `subscription($shelterId: ID!) {
    offerUpdated(shelterId: $shelterId) { offerId shelterId stage status occurredAt }
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

export function referralInput(w: World, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { regionId: w.regions.countyA, needs: needs(), ...overrides };
}

export const daysFromNow = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

export function consentInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    scopes: ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'],
    method: 'VERBAL_HOTLINE',
    expiresAt: daysFromNow(7),
    ...overrides,
  };
}

// ── referral fixtures: a referral in any state, built straight in Postgres (no worker needed) ──────────────────────

/** A referral agency with one signed-in advocate. */
export interface Agency {
  id: string;
  advocate: string;
  token: string;
}

export const ownAgency = (w: World): Agency => ({
  id: w.orgs.agency,
  advocate: w.users.advocate,
  token: w.tokens.advocate,
});

const otherAgencies = new WeakMap<World, Promise<Agency>>();
/** A second referral agency (one per world): its referrals are another organisation's to the world's advocate. */
export function otherAgency(w: World): Promise<Agency> {
  let agency = otherAgencies.get(w);
  if (!agency) {
    agency = (async () => {
      const id = await w.fx.organisation(unique('Other Agency '), 'REFERRAL_AGENCY');
      const email = uniqueEmail('other-advocate');
      const advocate = await w.fx.user(email, 'HOTLINE_ADVOCATE', id);
      return { id, advocate, token: await login(w.api.url, email, PASSWORD) };
    })();
    otherAgencies.set(w, agency);
  }
  return agency;
}

/** The needs profile as the API stores it: `needs()` with every NeedsInput default filled in. */
export const STORED_NEEDS = {
  age: 30,
  gender: 'WOMAN',
  childrenAges: [],
  languages: [],
  wheelchairUser: false,
  hasPets: false,
  substanceUse: 'NONE',
  traffickingTypes: ['SEX'],
  lgbtqAffirmingRequired: false,
  willingToInvolveLawEnforcement: false,
  immigrationStatus: 'UNKNOWN',
  hasTraffickingRelatedRecord: false,
  hasIdDocuments: true,
  requiresVoluntaryProgramming: false,
  cannotKeepCurfew: false,
  minimumStayDays: null,
  servicesNeeded: [],
  urgency: 'TONIGHT',
  location: null,
  radiusKm: null,
  excludedRegionIds: [],
  preferredRegionIds: [],
};

export type FixtureState =
  | 'AWAITING_CONSENT'
  | 'MATCHING'
  | 'WAITLISTED'
  | 'OFFERED'
  | 'ACCEPTED'
  | 'PLACED'
  | 'EXITED'
  | 'WITHDRAWN'
  | 'CONSENT_REVOKED'
  | 'EXPIRED';
type OfferStatus = 'OPEN' | 'ACCEPTED' | 'DECLINED' | 'TIMED_OUT' | 'CANCELLED';
/** Why an offer is no longer current (`offer.closed_reason`, set with `closed_at`). */
export type OfferClosedReason =
  'DECLINED' | 'TIMED_OUT' | 'WITHDRAWN' | 'CONSENT_REVOKED' | 'CONSENT_LAPSED' | 'NO_SHOW' | 'EXITED';

export interface ReferralFixtureOptions {
  /** The referring agency; default the world's. */
  agency?: Agency;
  /**
   * The provider whose fresh shelter (with a SINGLE pool of 4 of its own) gets the offer. States from OFFERED to
   * EXITED always have one (default A); earlier and closed states have a past offer only when this is given.
   */
  offerTo?: 'A' | 'B';
  /** An identity, given through submitReferral so that the API encrypts it as it would. */
  identity?: Record<string, string>;
  /** A second consent, SHARE_IDENTITY_WITH_RECIPIENT only, naming the offer's shelter or another shelter. */
  shareIdentityWith?: 'offer' | { shelterId: string };
  /** OFFERED only: the response deadline has passed (no worker has timed the offer out yet). */
  expired?: boolean;
  /** The status a past offer was left in (default DECLINED when matching again, CANCELLED when closed). */
  pastOfferStatus?: Exclude<OfferStatus, 'OPEN' | 'ACCEPTED'>;
  /** How the offer's fresh shelter is built, e.g. { intakeInstructions: null } for one without default ones. */
  offerShelter?: ShelterFixture;
}

export interface ReferralFixture {
  id: string;
  referenceCode: string;
  /** The consent to share needs (null while awaiting consent), and the identity consent if one was asked for. */
  consentId: string | null;
  identityConsentId: string | null;
  shelterId: string | null;
  poolId: string | null;
  holdId: string | null;
  offerId: string | null;
}

const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const referenceCode = () => {
  const chars = [...randomBytes(8)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]);
  return `SL-${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
};

const CLOSED: FixtureState[] = ['EXITED', 'WITHDRAWN', 'CONSENT_REVOKED', 'EXPIRED'];

/**
 * Why the offer of a referral in `state` is no longer current, as the workflow would have closed it (see
 * WorkflowRunner's closeOffer): null while it is current (open, awaiting arrival or resident).
 */
function closedReasonOf(state: FixtureState, status: OfferStatus): OfferClosedReason | null {
  if (status === 'DECLINED' || status === 'TIMED_OUT') return status;
  if (status === 'CANCELLED') {
    if (state === 'WITHDRAWN' || state === 'CONSENT_REVOKED') return state;
    // a lapsed consent ends the referral EXPIRED; an offer taken back while matching goes on was a no-show
    return state === 'EXPIRED' ? 'CONSENT_LAPSED' : 'NO_SHOW';
  }
  if (status === 'ACCEPTED' && (state === 'EXITED' || state === 'WITHDRAWN' || state === 'CONSENT_REVOKED')) {
    return state;
  }
  return null;
}

/** One offer with its bed hold, at a fresh shelter of `owner` whose pool counts include that hold. */
export async function addOffer(
  w: World,
  referralId: string,
  o: {
    owner: 'A' | 'B';
    attempt: number;
    status: OfferStatus;
    hold: 'ACTIVE' | 'RELEASED' | 'CONVERTED';
    /** Whether the pool counts the survivor as a resident (placed, not yet exited). */
    resident?: boolean;
    respondBy?: Date;
    /** Set for an offer that is no longer current: `closed_at` is then now. */
    closedReason?: OfferClosedReason | null;
    /** How the fresh shelter is built (default: the fixture shelter, with default intake instructions). */
    shelter?: ShelterFixture;
  },
): Promise<{ shelterId: string; poolId: string; holdId: string; offerId: string }> {
  const org = o.owner === 'A' ? w.orgs.providerA : w.orgs.providerB;
  const region = o.owner === 'A' ? w.regions.countyA : w.regions.countyB;
  const staff = o.owner === 'A' ? w.users.staffA : w.users.staffB;
  const shelterId = await w.fx.shelter(org, region, { name: unique('Offer shelter '), ...o.shelter });
  const poolId = await w.fx.pool(shelterId, 'SINGLE', 4, {
    held: o.hold === 'ACTIVE' ? 1 : 0,
    occupied: o.resident ? 1 : 0,
  });
  const respondBy = o.respondBy ?? new Date(Date.now() + 30 * 60_000);
  const { id: holdId } = await w.fx.one<{ id: string }>(
    `INSERT INTO bed_hold (referral_id, bed_pool_id, shelter_id, status, expires_at, ended_at, end_reason)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $4 = 'ACTIVE' THEN NULL ELSE now() END,
             CASE $4 WHEN 'ACTIVE' THEN NULL WHEN 'CONVERTED' THEN 'intake' ELSE 'fixture' END)
     RETURNING id`,
    [referralId, poolId, shelterId, o.hold, o.status === 'OPEN' ? respondBy : new Date(Date.now() + 3_600_000)],
  );
  const responded = o.status === 'ACCEPTED' || o.status === 'DECLINED';
  const { id: offerId } = await w.fx.one<{ id: string }>(
    `INSERT INTO offer (referral_id, shelter_id, bed_hold_id, status, attempt, respond_by, responded_at, responded_by,
                        decline_reason, intake_instructions, closed_at, closed_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $11::text IS NULL THEN NULL ELSE now() END, $11)
     RETURNING id`,
    [
      referralId,
      shelterId,
      holdId,
      o.status,
      o.attempt,
      respondBy,
      responded ? new Date() : null,
      responded ? staff : null,
      o.status === 'DECLINED' ? 'STAFFING' : null,
      o.status === 'ACCEPTED' ? 'Call the intake line' : null,
      o.closedReason ?? null,
    ],
  );
  return { shelterId, poolId, holdId, offerId };
}

/**
 * A referral of an agency in `state`, as the workflow would have left it: the consent to share needs from MATCHING
 * on, and from OFFERED on an offer at a fresh shelter with its bed hold counted in the pool. Each call builds its
 * own rows, so tests that change them do not depend on each other.
 */
export async function referralFixture(
  w: World,
  state: FixtureState,
  opts: ReferralFixtureOptions = {},
): Promise<ReferralFixture> {
  const agency = opts.agency ?? ownAgency(w);
  const live = ['OFFERED', 'ACCEPTED', 'PLACED', 'EXITED'].includes(state);
  const matchedAgain = state === 'MATCHING' || state === 'WAITLISTED';
  const attempt =
    state === 'AWAITING_CONSENT' || (state === 'EXPIRED' && !opts.offerTo) ? 0 : matchedAgain && opts.offerTo ? 2 : 1;
  const columns = {
    state,
    match_attempt: attempt,
    waitlist_deadline: state === 'WAITLISTED' ? new Date(Date.now() + 3_600_000) : null,
    exit_destination: state === 'EXITED' ? 'PERMANENT_HOUSING' : null,
    closed_at: CLOSED.includes(state) ? new Date() : null,
  };

  let id: string;
  let code: string;
  if (opts.identity) {
    const r = await gql(
      w.api.url,
      DOC.submitReferral,
      { input: referralInput(w, { identity: opts.identity }) },
      agency.token,
    );
    if (!r.data) throw new Error(`fixture submitReferral failed: ${JSON.stringify(r.errors)}`);
    ({ id, referenceCode: code } = r.data.submitReferral as { id: string; referenceCode: string });
    await w.fx.pg.query(
      `UPDATE referral SET state = $2, match_attempt = $3, waitlist_deadline = $4, exit_destination = $5, closed_at = $6
        WHERE id = $1`,
      [id, ...Object.values(columns)],
    );
  } else {
    code = referenceCode();
    ({ id } = await w.fx.one<{ id: string }>(
      `INSERT INTO referral (reference_code, agency_id, created_by, region_id, urgency, needs, consent_deadline, state,
                             match_attempt, waitlist_deadline, exit_destination, closed_at)
       VALUES ($1, $2, $3, $4, 'TONIGHT', $5, now() + interval '1 hour', $6, $7, $8, $9, $10) RETURNING id`,
      [code, agency.id, agency.advocate, w.regions.countyA, JSON.stringify(STORED_NEEDS), ...Object.values(columns)],
    ));
  }

  const consent = async (scopes: string[], recipient: string | null) =>
    (
      await w.fx.one<{ id: string }>(
        `INSERT INTO consent (referral_id, scopes, method, recipient_shelter_id, recorded_by, expires_at, revoked_at,
                              revoked_by)
         VALUES ($1, $2, 'VERBAL_HOTLINE', $3, $4, now() + interval '7 days', $5, $6) RETURNING id`,
        [
          id,
          scopes,
          recipient,
          agency.advocate,
          ...(state === 'CONSENT_REVOKED' ? [new Date(), agency.advocate] : [null, null]),
        ],
      )
    ).id;
  const consentId =
    state === 'AWAITING_CONSENT' || (state === 'EXPIRED' && !opts.offerTo)
      ? null
      : await consent(['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'], null);

  let offer: Awaited<ReturnType<typeof addOffer>> | null = null;
  if (live || opts.offerTo) {
    const status: OfferStatus =
      state === 'OFFERED'
        ? 'OPEN'
        : live
          ? 'ACCEPTED'
          : (opts.pastOfferStatus ?? (matchedAgain ? 'DECLINED' : 'CANCELLED'));
    offer = await addOffer(w, id, {
      owner: opts.offerTo ?? 'A',
      attempt: 1,
      status,
      hold:
        state === 'OFFERED' || state === 'ACCEPTED'
          ? 'ACTIVE'
          : state === 'PLACED' || state === 'EXITED'
            ? 'CONVERTED'
            : 'RELEASED',
      resident: state === 'PLACED',
      respondBy: opts.expired ? new Date(Date.now() - 60_000) : undefined,
      closedReason: closedReasonOf(state, status),
      shelter: opts.offerShelter,
    });
  }

  let identityConsentId: string | null = null;
  if (opts.shareIdentityWith) {
    const recipient = opts.shareIdentityWith === 'offer' ? offer?.shelterId : opts.shareIdentityWith.shelterId;
    if (!recipient) throw new Error('shareIdentityWith: "offer" needs an offer');
    identityConsentId = await consent(['SHARE_IDENTITY_WITH_RECIPIENT'], recipient);
  }
  return {
    id,
    referenceCode: code,
    consentId,
    identityConsentId,
    shelterId: offer?.shelterId ?? null,
    poolId: offer?.poolId ?? null,
    holdId: offer?.holdId ?? null,
    offerId: offer?.offerId ?? null,
  };
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

/**
 * Every table the API, the worker or the demo loader writes, but the security trail (`audit_event`): a refusal is
 * recorded there by design, and a refused call must change nothing else. Nor sign-ins' refresh tokens
 * (`refresh_session`): tests sign in between the steps they compare.
 */
export const WRITTEN_TABLES = [
  'region',
  'organisation',
  'app_user',
  'user_region',
  'shelter',
  'bed_pool',
  'capacity_event',
  'referral',
  'consent',
  'bed_hold',
  'offer',
  'referral_event',
  'identity_access',
  'outbox',
  'notification',
];

/** A digest of every row of every table the API writes; equal before and after means nothing was written. */
export async function dbFingerprint(fx: Fixtures): Promise<Record<string, string>> {
  const entries = await Promise.all(
    WRITTEN_TABLES.map(async (table) => {
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
