import { Queue } from 'bullmq';
import { startApi, RunningApi } from '../support/app';
import { gql } from '../support/gql';
import { consent, NEEDS, submit, waitForState } from '../support/referrals';
import { createWorld, World } from '../support/world';
import { referralsQueue, shutDown, startReadyWorker, Worker, WORKFLOW_ENV } from '../referrals/harness';

const CANARY = 'CANARY-metrics-7f3a';

describe('/metrics (Prometheus)', () => {
  let w: World;
  let queue: Queue;
  let worker: Worker;

  beforeAll(async () => {
    w = await createWorld(WORKFLOW_ENV);
    queue = referralsQueue(w);
    worker = await startReadyWorker(w, queue);
    // a referral carrying canaries in its identity goes through matching, so every series has something to count
    const r = await submit(w, NEEDS, { name: `Quillon ${CANARY}`, notes: `${CANARY} notes` });
    await consent(w, r.id);
    await waitForState(w, r.id, 'OFFERED');
    await w.fx.pg.query(`UPDATE shelter SET availability_verified_at = now() - interval '3 days' WHERE id = $1`, [
      w.shelters.b,
    ]);
  });
  afterAll(() => shutDown(w, queue, worker));

  const scrape = async (url = w.api.url, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/metrics`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('exposes the named series in the Prometheus text format', async () => {
    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const series of [
      /^shelterlink_http_request_duration_seconds_bucket\{.*route="\/graphql".*\} \d+/m,
      /^shelterlink_graphql_operation_duration_seconds_count\{type="mutation",field="submitReferral",outcome="ok"\} [1-9]/m,
      /^shelterlink_queue_jobs\{queue="referrals",state="completed"\} [1-9]/m,
      /^shelterlink_queue_jobs\{queue="referrals",state="waiting"\} \d+/m,
      /^shelterlink_referrals\{state="OFFERED"\} 1$/m,
      /^shelterlink_referrals\{state="PLACED"\} 0$/m,
      /^shelterlink_stale_shelters \d+$/m,
      /^shelterlink_job_duration_seconds_bucket\{job="referral\.match",le="\+Inf"\} [1-9]/m,
      /^shelterlink_job_duration_seconds_count\{job="referral\.match"\} [1-9]/m,
    ]) {
      expect(text).toMatch(series);
    }
    expect(Number(/^shelterlink_stale_shelters (\d+)$/m.exec(text)![1])).toBeGreaterThanOrEqual(1);
  });

  it('counts GraphQL errors by their stable code, and never carries survivor data', async () => {
    await gql(
      w.api.url,
      `query { referral(id: "00000000-0000-4000-8000-000000000000") { id } }`,
      {},
      w.tokens.advocate,
    );
    const { text } = await scrape();
    expect(text).toMatch(/^shelterlink_graphql_errors_total\{code="NOT_FOUND"\} [1-9]/m);
    expect(text).not.toContain(CANARY);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/); // no ids at all
  });

  it('with METRICS_TOKEN set, only a scraper presenting it is answered', async () => {
    const token = 'metrics-token-0123456789abcdef';
    Object.assign(w.env.env, { METRICS_TOKEN: token });
    let guarded: RunningApi | undefined;
    try {
      guarded = await startApi(w.env);
      expect((await scrape(guarded.url)).status).toBe(404);
      expect((await scrape(guarded.url, { authorization: 'Bearer wrong-token-0123456789abcdef' })).status).toBe(404);
      const ok = await scrape(guarded.url, { authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('shelterlink_referrals');
    } finally {
      delete w.env.env.METRICS_TOKEN;
      delete process.env.METRICS_TOKEN;
      await guarded?.close();
    }
  });
});
