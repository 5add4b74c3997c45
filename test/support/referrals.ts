import { SpawnedNode, spawnNode } from './app';
import { gql } from './gql';
import { World } from './world';

/** Workflow timers in these tests: a shelter "minute" lasts WORKFLOW_MINUTE_MS. */
export const FAST_TIMERS = {
  WORKFLOW_MINUTE_MS: '300',
  CONSENT_WINDOW_SECONDS: '3',
  WAITLIST_TONIGHT_SECONDS: '60',
  OUTBOX_POLL_MS: '200',
  SWEEP_INTERVAL_MS: '500',
};

/** The real worker process, from the build in dist/, on the world's database and Redis prefix (plus `extra`). */
export function startWorker(w: World, extra: Record<string, string> = {}): Promise<SpawnedNode> {
  return spawnNode('dist/apps/worker/src/main.js', { ...w.env.env, ...extra });
}

export const NEEDS = {
  age: 30,
  gender: 'WOMAN',
  languages: ['en'],
  traffickingTypes: ['SEX'],
  urgency: 'TONIGHT',
  location: { latitude: 30.27, longitude: -97.74 },
  radiusKm: 200,
};

export const REFERRAL_FIELDS = `id referenceCode state hasIdentity
  offers { id shelterId shelterName status intakeInstructions }
  events { fromState toState reasonCode reason }`;

export async function submit(w: World, needs: Record<string, unknown> = NEEDS, identity?: Record<string, unknown>) {
  const r = await gql(
    w.api.url,
    `mutation($i: SubmitReferralInput!) { submitReferral(input: $i) { ${REFERRAL_FIELDS} } }`,
    { i: { regionId: w.regions.countyA, needs, identity } },
    w.tokens.advocate,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.submitReferral as { id: string; state: string; referenceCode: string };
}

export async function consent(w: World, referralId: string, extra: Record<string, unknown> = {}) {
  const r = await gql(
    w.api.url,
    `mutation($id: ID!, $i: RecordConsentInput!) { recordConsent(referralId: $id, input: $i) { state } }`,
    {
      id: referralId,
      i: {
        scopes: ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'],
        method: 'VERBAL_HOTLINE',
        expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        ...extra,
      },
    },
    w.tokens.advocate,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.recordConsent as { state: string };
}

export async function referral(w: World, id: string) {
  const r = await gql(
    w.api.url,
    `query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`,
    { id },
    w.tokens.advocate,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.referral;
}

/** Polls until the referral reaches `state` (the worker moves it asynchronously). */
export async function waitForState(w: World, id: string, state: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await referral(w, id);
    if (current.state === state) return current;
    if (Date.now() > deadline) throw new Error(`referral stayed ${current.state}, expected ${state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** For every pool: held equals its active holds, and the counts add up with nothing negative. */
export async function checkInvariants(w: World): Promise<void> {
  const bad = await w.fx.pg.query(
    `SELECT p.id, p.held, (SELECT count(*) FROM bed_hold h WHERE h.bed_pool_id = p.id AND h.status = 'ACTIVE') AS active
       FROM bed_pool p
      WHERE p.held <> (SELECT count(*) FROM bed_hold h WHERE h.bed_pool_id = p.id AND h.status = 'ACTIVE')
         OR p.capacity <> p.occupied + p.held + p.out_of_service + p.available
         OR least(p.occupied, p.held, p.out_of_service, p.available) < 0`,
  );
  if (bad.rows.length > 0) throw new Error(`pool invariants broken: ${JSON.stringify(bad.rows)}`);
  const doubled = await w.fx.pg.query(
    `SELECT referral_id FROM bed_hold WHERE status = 'ACTIVE' GROUP BY referral_id HAVING count(*) > 1`,
  );
  if (doubled.rows.length > 0) throw new Error(`a referral holds two beds: ${JSON.stringify(doubled.rows)}`);
}
