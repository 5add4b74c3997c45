import { Queue } from 'bullmq';
import { JobName, JobPayloads, JOBS } from '@shelterlink/queue';
import { SpawnedNode } from '../support/app';
import { errorCode, gql, GqlResult } from '../support/gql';
import { checkInvariants, FAST_TIMERS, startWorker } from '../support/referrals';
import { World } from '../support/world';

/**
 * Shared by the workflow suites in this folder (timers, races, crash, privacy): the fast timers of
 * test/support/referrals.ts, and a per-user rate limit high enough that polling never trips it.
 */
export const WORKFLOW_ENV = { ...FAST_TIMERS, RATE_LIMIT_PER_MINUTE: '1000000' };

export type Worker = SpawnedNode;

export const OPEN_STATES = ['AWAITING_CONSENT', 'MATCHING', 'OFFERED', 'ACCEPTED', 'WAITLISTED'];

export const OFFER_FIELDS = `id referralId referenceCode shelterId stage status respondBy holdExpiresAt
  needs { age gender languages urgency traffickingTypes }`;
const OFFERS = `query($s: ID, $stages: [OfferStage!]) {
  offers(shelterId: $s, stages: $stages, first: 100) { edges { node { ${OFFER_FIELDS} } } }
}`;
const RESPOND = `mutation($id: ID!, $i: RespondToOfferInput!) { respondToOffer(offerId: $id, input: $i) { ${OFFER_FIELDS} } }`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something other than undefined/false, or fails with `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    last = value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${String(last)})`);
    await sleep(everyMs);
  }
}

/** The referrals queue as BullMQ sees it, on the world's Redis prefix (the worker's own connection settings). */
export function referralsQueue(w: World): Queue {
  return new Queue('referrals', {
    connection: { url: w.env.env.REDIS_URL, maxRetriesPerRequest: null },
    prefix: `${w.env.env.REDIS_PREFIX}:bull`,
  });
}

/** The deterministic BullMQ job id the app gives this step (from its own job catalogue). */
export function jobId<N extends JobName>(name: N, payload: JobPayloads[N]): string {
  return JOBS[name].jobId(payload);
}

/** Starts the real worker and waits until its BullMQ worker is connected to the referrals queue. */
export async function startReadyWorker(w: World, queue: Queue, extra: Record<string, string> = {}): Promise<Worker> {
  const before = await queue.getWorkersCount();
  const worker = await startWorker(w, extra);
  await eventually('the worker to connect to the referrals queue', async () => {
    if (worker.child.exitCode !== null) throw new Error(`the worker exited with ${worker.child.exitCode}`);
    return (await queue.getWorkersCount()) > before;
  });
  return worker;
}

/** Waits until the BullMQ job is finished (completed or failed) and returns its final state. */
export async function jobFinished(queue: Queue, id: string, timeoutMs = 10_000): Promise<string> {
  return eventually(
    `job ${id} to finish`,
    async () => {
      const state = await queue.getJobState(id);
      return state === 'completed' || state === 'failed' ? state : undefined;
    },
    timeoutMs,
    50,
  );
}

/**
 * Waits until no referral job is waiting or running: the workflow is at rest. (Writers relay their outbox rows
 * before they return, and a worker step before its job completes, so an idle queue means nothing is in flight.)
 */
export async function settled(queue: Queue, timeoutMs = 15_000): Promise<void> {
  await eventually(
    'the referral queue to be idle',
    async () => {
      const c = await queue.getJobCounts('active', 'wait', 'prioritized');
      return c.active + c.wait + c.prioritized === 0;
    },
    timeoutMs,
    50,
  );
}

export async function dbReferral(w: World, id: string) {
  return w.fx.one<{ state: string; match_attempt: number; identity: unknown }>(
    `SELECT state, match_attempt, identity FROM referral WHERE id = $1`,
    [id],
  );
}

/** Waits (reading Postgres directly, cheap enough to poll for many referrals) until the referral is in `state`. */
export async function waitForDbState(w: World, id: string, state: string, timeoutMs = 15_000): Promise<void> {
  let last = '';
  await eventually(
    `referral ${id} to be ${state}`,
    async () => (last = (await dbReferral(w, id)).state) === state,
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}: it stayed ${last}`);
  });
}

/** Referral ids by state. */
export async function statesOf(w: World, ids: readonly string[]): Promise<Record<string, number>> {
  const { rows } = await w.fx.pg.query<{ state: string; n: string }>(
    `SELECT state, count(*) AS n FROM referral WHERE id = ANY($1::uuid[]) GROUP BY state`,
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Waits until every one of `ids` has been matched: offered a bed or waitlisted. */
export async function waitUntilMatched(w: World, ids: readonly string[], timeoutMs: number): Promise<void> {
  await eventually(
    `all ${ids.length} referrals to be offered or waitlisted`,
    async () => {
      const s = await statesOf(w, ids);
      return (s.OFFERED ?? 0) + (s.WAITLISTED ?? 0) === ids.length;
    },
    timeoutMs,
  );
}

/** The caller's offers at `stages` (default: open ones only), as staff find them through the `offers` query. */
export async function offersFor(w: World, token: string, shelterId?: string, stages: string[] = ['OPEN']) {
  const r = await gql(w.api.url, OFFERS, { s: shelterId ?? null, stages }, token);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return (r.data.offers.edges as { node: unknown }[]).map((e) => e.node) as {
    id: string;
    referralId: string;
    shelterId: string;
    stage: string;
    status: string;
    holdExpiresAt: string | null;
    needs: unknown;
  }[];
}

/** The referral's open offer, read from Postgres (which shelter's staff answers it is up to the test). */
export async function openOffer(w: World, referralId: string) {
  return w.fx.one<{ id: string; shelter_id: string; bed_hold_id: string; attempt: number } | undefined>(
    `SELECT id, shelter_id, bed_hold_id, attempt FROM offer WHERE referral_id = $1 AND status = 'OPEN'`,
    [referralId],
  );
}

export function accept(w: World, token: string, offerId: string, intakeInstructions?: string) {
  return gql(w.api.url, RESPOND, { id: offerId, i: { accept: true, intakeInstructions } }, token);
}

export function decline(w: World, token: string, offerId: string, declineReason = 'STAFFING') {
  return gql(w.api.url, RESPOND, { id: offerId, i: { accept: false, declineReason } }, token);
}

export function offerMutation(w: World, token: string, name: 'confirmIntake' | 'recordNoShow', offerId: string) {
  return gql(w.api.url, `mutation($id: ID!) { ${name}(offerId: $id) { id status } }`, { id: offerId }, token);
}

export function recordExit(w: World, token: string, offerId: string) {
  return gql(
    w.api.url,
    `mutation($id: ID!) { recordExit(offerId: $id, destination: PERMANENT_HOUSING) { id status } }`,
    { id: offerId },
    token,
  );
}

export function withdraw(w: World, referralId: string): Promise<GqlResult> {
  return gql(
    w.api.url,
    `mutation($id: ID!) { withdrawReferral(referralId: $id) { id state } }`,
    { id: referralId },
    w.tokens.advocate,
  );
}

/** Expects the operation to fail with `code`; returns the error for further checks. */
export function expectCode(result: GqlResult, code: string) {
  if (errorCode(result) !== code) {
    throw new Error(`expected ${code}, got ${JSON.stringify(result.errors ?? result.data)}`);
  }
  return result.errors![0];
}

/** Withdraws every open referral (between tests, so no leftover waitlisted referral takes a later test's bed). */
export async function closeOpenReferrals(w: World): Promise<void> {
  const { rows } = await w.fx.pg.query<{ id: string }>(
    `SELECT id FROM referral WHERE state = ANY($1::referral_state[])`,
    [OPEN_STATES],
  );
  const results = await Promise.all(rows.map(({ id }) => withdraw(w, id)));
  // a referral the worker closed meanwhile (expired) is fine; anything else is not
  const failed = results.filter((r) => r.errors && errorCode(r) !== 'INVALID_TRANSITION');
  if (failed.length > 0) throw new Error(JSON.stringify(failed.map((r) => r.errors)));
}

/** Sets a pool's counts directly (only between tests, with no active hold on it). */
export async function setPool(
  w: World,
  poolId: string,
  counts: { capacity: number; occupied?: number; outOfService?: number },
): Promise<void> {
  await w.fx.pg.query(`UPDATE bed_pool SET capacity = $2, occupied = $3, out_of_service = $4 WHERE id = $1`, [
    poolId,
    counts.capacity,
    counts.occupied ?? 0,
    counts.outOfService ?? 0,
  ]);
}

/** After each test: the invariants hold, then every open referral is closed and the queue is quiet, and they still hold. */
export async function cleanUpAfterTest(w: World, queue: Queue): Promise<void> {
  await checkInvariants(w);
  await closeOpenReferrals(w);
  await settled(queue);
  await checkInvariants(w);
}

/** After a suite: the worker, the test's queue handle, then the world (API, fixtures, database, Redis keys). */
export async function shutDown(w: World | undefined, queue: Queue | undefined, worker: Worker | undefined) {
  await worker?.close();
  await queue?.close();
  await w?.close();
}
