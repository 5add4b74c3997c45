import { Queue } from 'bullmq';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { errorCode, gql } from '../support/gql';
import { DOC } from '../support/operations';
import { createWorld, World } from '../support/world';
import { eventually, referralsQueue, shutDown, startReadyWorker, Worker, WORKFLOW_ENV } from '../referrals/harness';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

/** A shelter's own system: records every call, answers 500 to the first `failFirst` of them, then 204. */
async function receiver(failFirst: number): Promise<{ url: string; calls: Received[]; server: Server }> {
  const calls: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const status = calls.length < failFirst ? 500 : 204;
      calls.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/shelterlink`, calls, server };
}

function verify(secret: string, call: Received): boolean {
  const timestamp = String(call.headers['x-shelterlink-timestamp']);
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${call.body}`).digest('hex')}`;
  const given = String(call.headers['x-shelterlink-signature']);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/**
 * The stale-count reminder reaches a shelter's own system: the real worker signs and POSTs it, retries until the
 * receiver answers 2xx, and records the delivery. Shelter A has a webhook (failing once), B is stale without one.
 */
describe('shelter webhooks', () => {
  let w: World;
  let queue: Queue;
  let worker: Worker;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let secret: string;

  beforeAll(async () => {
    w = await createWorld({
      ...WORKFLOW_ENV,
      STALE_AFTER_MINUTES: '60',
      STALE_REMINDER_INTERVAL_MS: '300',
      WEBHOOK_RETRY_DELAY_MS: '200',
    });
    hook = await receiver(1);
    queue = referralsQueue(w);
  });
  afterAll(async () => {
    await shutDown(w, queue, worker);
    hook.server.close();
  });

  it("staff set their shelter's webhook and read its signing secret; nobody else can", async () => {
    const set = await gql(w.api.url, DOC.setShelterWebhook, { id: w.shelters.a, url: hook.url }, w.tokens.staffA);
    expect(set.data.setShelterWebhook).toEqual({
      shelterId: w.shelters.a,
      url: hook.url,
      signingSecret: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    secret = set.data.setShelterWebhook.signingSecret;
    const read = await gql(w.api.url, DOC.shelterWebhook, { id: w.shelters.a }, w.tokens.staffA);
    expect(read.data.shelterWebhook.signingSecret).toBe(secret);
    // each shelter has its own secret
    const other = await gql(w.api.url, DOC.shelterWebhook, { id: w.shelters.aPublic }, w.tokens.staffA);
    expect(other.data.shelterWebhook.signingSecret).not.toBe(secret);
    expect(errorCode(await gql(w.api.url, DOC.shelterWebhook, { id: w.shelters.a }, w.tokens.staffB))).toBe(
      'NOT_FOUND',
    );
    for (const token of [w.tokens.advocate, w.tokens.coordinator, w.tokens.admin])
      expect(errorCode(await gql(w.api.url, DOC.shelterWebhook, { id: w.shelters.a }, token))).toBe('FORBIDDEN');
  });

  it('the stale reminder is POSTed, signed, retried after a failure, and recorded as delivered', async () => {
    const verifiedAgo = (id: string, minutes: number) =>
      w.fx.pg.query(`UPDATE shelter SET availability_verified_at = now() - make_interval(mins => $2) WHERE id = $1`, [
        id,
        minutes,
      ]);
    await verifiedAgo(w.shelters.a, 90);
    await verifiedAgo(w.shelters.b, 90);
    worker = await startReadyWorker(w, queue);

    await eventually('the webhook to be delivered', async () => hook.calls.some((c) => c.status === 204), 20_000);
    expect(hook.calls.map((c) => c.status)).toEqual([500, 204]);
    const [, delivered] = hook.calls;
    expect(delivered.headers['content-type']).toBe('application/json');
    expect(verify(secret, delivered)).toBe(true);
    expect(verify('0'.repeat(64), delivered)).toBe(false);
    expect(Math.abs(Number(delivered.headers['x-shelterlink-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    const body = JSON.parse(delivered.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'id', 'message', 'shelterId', 'type']);
    expect(body).toMatchObject({ type: 'STALE_COUNTS', shelterId: w.shelters.a });
    // the worker records the delivery after the receiver has answered, so the record may come a moment later
    await eventually(
      'the delivery to be recorded',
      async () =>
        (await w.fx.count('notification', `id = '${String(body.id)}' AND webhook_delivered_at IS NOT NULL`)) === 1,
    );
    // B, stale too, has no webhook: it got its notification, and no call was made for it
    expect(await w.fx.count('notification', `shelter_id = '${w.shelters.b}'`)).toBe(1);
    expect(hook.calls.every((c) => JSON.parse(c.body).shelterId === w.shelters.a)).toBe(true);
  });

  it('the job in Redis carries the notification id only', async () => {
    const system = new Queue('system', {
      connection: { url: w.env.env.REDIS_URL, maxRetriesPerRequest: null },
      prefix: `${w.env.env.REDIS_PREFIX}:bull`,
    });
    const jobs = (await system.getJobs(['completed', 'failed', 'waiting', 'delayed'])).filter(
      (j) => j.name === 'notification.webhook',
    );
    expect(jobs).toHaveLength(1);
    expect(Object.keys(jobs[0].data as object)).toEqual(['notificationId']);
    expect(JSON.stringify(jobs[0].data)).not.toContain(hook.url);
    await system.close();
  });

  it('staff rotate the secret: a new one, the old one no longer matches', async () => {
    const rotated = await gql(w.api.url, DOC.rotateShelterWebhookSecret, { id: w.shelters.a }, w.tokens.staffA);
    const next = rotated.data.rotateShelterWebhookSecret.signingSecret as string;
    expect(next).toMatch(/^[0-9a-f]{64}$/);
    expect(next).not.toBe(secret);
    expect(verify(next, hook.calls[1])).toBe(false);
    const read = await gql(w.api.url, DOC.shelterWebhook, { id: w.shelters.a }, w.tokens.staffA);
    expect(read.data.shelterWebhook.signingSecret).toBe(next);
    expect(errorCode(await gql(w.api.url, DOC.rotateShelterWebhookSecret, { id: w.shelters.a }, w.tokens.staffB))).toBe(
      'NOT_FOUND',
    );
  });

  it('a further run in the same window calls no one again; removing the webhook stops the calls', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(hook.calls).toHaveLength(2);
    const removed = await gql(w.api.url, DOC.setShelterWebhook, { id: w.shelters.a, url: null }, w.tokens.staffA);
    expect(removed.data.setShelterWebhook.url).toBeNull();
    expect(await w.fx.count('shelter', `id = '${w.shelters.a}' AND webhook_url IS NULL`)).toBe(1);
  });
});
