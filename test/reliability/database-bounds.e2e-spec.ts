import { DataSource } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { dataSourceOptions, unavailableReason } from '@shelterlink/database';
import { gql } from '../support/gql';
import { createWorld, World } from '../support/world';

/**
 * Time bounds on the application's connection (README "Reliability"): a lock held by a frozen process, a statement
 * or a transaction that runs too long. Here statement 1 s, lock 500 ms, idle in transaction 1 s, transaction 1.5 s.
 */
describe("bounds on the application's database connection", () => {
  let w: World;
  let app: DataSource;
  const ADJUST = `mutation($i: AdjustBedsInput!) { adjustBeds(input: $i) { id occupied } }`;
  const adjust = (delta: number) =>
    fetch(`${w.api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${w.tokens.staffA}` },
      body: JSON.stringify({
        query: ADJUST,
        variables: { i: { poolId: w.pools.a, occupiedDelta: delta, reason: 'x' } },
      }),
    });
  const occupied = async () => (await w.fx.poolRow(w.pools.a)).occupied;

  beforeAll(async () => {
    w = await createWorld({
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      DATABASE_LOCK_TIMEOUT_MS: '500',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1000',
      DATABASE_TRANSACTION_TIMEOUT_MS: '1500',
    });
    // the application's own connection settings, as the worker has them
    app = new DataSource(dataSourceOptions(new AppConfig({ ...process.env, ...w.env.env })));
    await app.initialize();
  });
  afterAll(async () => {
    await app?.destroy();
    await w?.close();
  });

  it("a pool's row locked by a frozen process: staff get a retryable SERVICE_UNAVAILABLE at once, then succeed", async () => {
    // a process of the application froze inside a transaction holding the pool's row lock
    const frozen = app.createQueryRunner();
    await frozen.connect();
    await frozen.startTransaction();
    await frozen.query(`SELECT id FROM bed_pool WHERE id = $1 FOR UPDATE`, [w.pools.a]);
    const before = await occupied();

    const refused = await adjust(1);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const body: any = await refused.json();
    expect(body.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', reason: 'BUSY', retryAfterSeconds: 1 });
    expect(body.errors[0].message).toMatch(/nothing was changed/);
    expect(await occupied()).toBe(before);

    // Postgres ends the frozen session once it has sat idle in its transaction past the bound: the lock is gone
    await new Promise((r) => setTimeout(r, 1_500));
    await frozen.release().catch(() => undefined);
    const again = await gql(
      w.api.url,
      ADJUST,
      { i: { poolId: w.pools.a, occupiedDelta: 1, reason: 'x' } },
      w.tokens.staffA,
    );
    expect(again.errors).toBeUndefined();
    expect(await occupied()).toBe(before + 1);
  });

  it('a statement past statement_timeout is cancelled, and that reads as "try again"', async () => {
    const error = await app.query(`SELECT pg_sleep(2)`).catch((e: unknown) => e);
    expect(unavailableReason(error)).toBe('TIMED_OUT');
  });

  it('a transaction older than DATABASE_TRANSACTION_TIMEOUT_MS is rolled back instead of committed', async () => {
    const before = await occupied();
    const error = await app
      .transaction(async (tx) => {
        await tx.query(`UPDATE bed_pool SET occupied = occupied + 1 WHERE id = $1`, [w.pools.a]);
        for (let i = 0; i < 4; i++) await tx.query(`SELECT pg_sleep(0.45)`);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', extensions: { reason: 'TIMED_OUT' } });
    expect(await occupied()).toBe(before);
  });
});
