import {
  backoffMs,
  flush,
  isTransient,
  makeEntry,
  MAX_AGE_MS,
  needingAPerson,
  retried,
  waitingFor,
  type QueueEntry,
  type QueueStorage,
  type SendResult,
} from './queue';

class MemoryStorage implements QueueStorage {
  readonly entries = new Map<string, QueueEntry>();
  all = () => Promise.resolve([...this.entries.values()]);
  put = (entry: QueueEntry) => {
    this.entries.set(entry.id, entry);
    return Promise.resolve();
  };
  delete = (id: string) => {
    this.entries.delete(id);
    return Promise.resolve();
  };
}

let counter = 0;
const random = () => `rand-${String((counter += 1)).padStart(8, '0')}`;
const T0 = Date.parse('2026-12-07T12:00:00Z');
const ORG = 'org-1';

function entry(poolId: string, occupiedDelta: number, at = T0, outOfServiceDelta = 0): QueueEntry {
  return makeEntry({ organisationId: ORG, poolId, occupiedDelta, outOfServiceDelta, now: at, random })!;
}

async function storageWith(...entries: QueueEntry[]): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  for (const e of entries) await storage.put(e);
  return storage;
}

describe('the offline bed queue', () => {
  it('keeps ids and counts only, with a key and the time the change was made', () => {
    const e = entry('pool-1', 1, T0, -1);
    expect(Object.keys(e).sort()).toEqual(
      [
        'attempts',
        'createdAt',
        'id',
        'idempotencyKey',
        'madeAt',
        'occupiedDelta',
        'organisationId',
        'outOfServiceDelta',
        'poolId',
        'state',
      ].sort(),
    );
    expect(e.madeAt).toBe('2026-12-07T12:00:00.000Z');
    expect(e.idempotencyKey).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(
      makeEntry({ organisationId: ORG, poolId: 'p', occupiedDelta: 0, outOfServiceDelta: 0, now: T0, random }),
    ).toBeNull();
  });

  it('sends in order, one at a time, deleting each only once acknowledged', async () => {
    const a = entry('pool-1', 1, T0);
    const b = entry('pool-2', -1, T0 + 1);
    const c = entry('pool-1', 1, T0 + 2);
    const storage = await storageWith(c, a, b);
    const sent: string[] = [];
    let inFlight = 0;
    const outcome = await flush(
      storage,
      async (e) => {
        inFlight += 1;
        expect(inFlight).toBe(1);
        expect(storage.entries.has(e.id)).toBe(true);
        sent.push(e.id);
        await Promise.resolve();
        inFlight -= 1;
        return { kind: 'ok' };
      },
      { organisationId: ORG, now: () => T0 + 10, failures: 0 },
    );
    expect(sent).toEqual([a.id, b.id, c.id]);
    expect(outcome).toEqual({ sent: 3, refused: 0, retryInMs: null, lastCode: null });
    expect(storage.entries.size).toBe(0);
  });

  it('stops at a transient failure, keeps the entry and its key, and asks to retry with a backoff', async () => {
    const a = entry('pool-1', 1);
    const b = entry('pool-1', 1, T0 + 1);
    const storage = await storageWith(a, b);
    const keys: string[] = [];
    const results: SendResult[] = [{ kind: 'transient', code: 'NETWORK' }, { kind: 'ok' }, { kind: 'ok' }];
    const send = (e: QueueEntry) => {
      keys.push(e.idempotencyKey);
      return Promise.resolve(results.shift()!);
    };
    const first = await flush(storage, send, { organisationId: ORG, now: () => T0, failures: 0 });
    expect(first).toMatchObject({ sent: 0, retryInMs: 1_000, lastCode: 'NETWORK' });
    expect(storage.entries.size).toBe(2);
    const second = await flush(storage, send, { organisationId: ORG, now: () => T0, failures: 1 });
    expect(second).toMatchObject({ sent: 2, retryInMs: null });
    // the retry of the first entry carried the same key: the server applies it once
    expect(keys).toEqual([a.idempotencyKey, a.idempotencyKey, b.idempotencyKey]);
  });

  it('says when a change was made only if it waited, and keeps that choice across retries', async () => {
    const a = entry('pool-1', 1);
    const storage = await storageWith(a);
    const seen: (boolean | undefined)[] = [];
    const send = (e: QueueEntry): Promise<SendResult> => {
      seen.push(e.sendMadeAt);
      return Promise.resolve(seen.length === 1 ? { kind: 'transient', code: 'NETWORK' } : { kind: 'ok' });
    };
    await flush(storage, send, { organisationId: ORG, now: () => T0 + 1_000, failures: 0 });
    await flush(storage, send, { organisationId: ORG, now: () => T0 + 120_000, failures: 1 });
    expect(seen).toEqual([false, false]);
    const late = entry('pool-1', 1);
    await flush(
      await storageWith(late),
      (e) => {
        seen.push(e.sendMadeAt);
        return Promise.resolve({ kind: 'ok' });
      },
      { organisationId: ORG, now: () => T0 + 120_000, failures: 0 },
    );
    expect(seen[2]).toBe(true);
  });

  it('keeps a refusal for a person with the server counts, and goes on with the rest', async () => {
    const a = entry('pool-1', 5);
    const b = entry('pool-2', 1, T0 + 1);
    const storage = await storageWith(a, b);
    const current = { capacity: 4, occupied: 4, held: 0, outOfService: 0, available: 0, version: 7 };
    const outcome = await flush(
      storage,
      (e) => Promise.resolve(e.id === a.id ? { kind: 'refused', code: 'CAPACITY_CONFLICT', current } : { kind: 'ok' }),
      { organisationId: ORG, now: () => T0, failures: 0 },
    );
    expect(outcome).toMatchObject({ sent: 1, refused: 1, lastCode: 'CAPACITY_CONFLICT' });
    const kept = storage.entries.get(a.id)!;
    expect(kept).toMatchObject({ state: 'refused', errorCode: 'CAPACITY_CONFLICT', current, occupiedDelta: 5 });
    expect(needingAPerson([...storage.entries.values()])).toHaveLength(1);
    // a refused entry is not sent again by itself
    const again = await flush(storage, () => Promise.reject(new Error('not sent')), {
      organisationId: ORG,
      now: () => T0,
      failures: 0,
    });
    expect(again.sent).toBe(0);
    // sending again is a person's choice: a new key and the time of the retry
    const retry = retried(kept, T0 + 60_000, random);
    expect(retry).toMatchObject({ state: 'pending', occupiedDelta: 5, madeAt: new Date(T0 + 60_000).toISOString() });
    expect(retry.idempotencyKey).not.toBe(kept.idempotencyKey);
    expect(retry.current).toBeUndefined();
  });

  it('keeps entries older than the API accepts for a person instead of sending them', async () => {
    const old = entry('pool-1', 1, T0);
    const storage = await storageWith(old);
    const outcome = await flush(storage, () => Promise.reject(new Error('not sent')), {
      organisationId: ORG,
      now: () => T0 + MAX_AGE_MS,
      failures: 0,
    });
    expect(outcome).toMatchObject({ sent: 0, refused: 1 });
    expect(storage.entries.get(old.id)?.state).toBe('too-old');
  });

  it("leaves another organisation's entries alone", async () => {
    const other = { ...entry('pool-9', 1), organisationId: 'org-2' };
    const storage = await storageWith(other);
    const outcome = await flush(storage, () => Promise.reject(new Error('not sent')), {
      organisationId: ORG,
      now: () => T0,
      failures: 0,
    });
    expect(outcome.sent).toBe(0);
    expect(storage.entries.size).toBe(1);
  });

  it('adds up what is waiting per pool, pending entries only', () => {
    const refused = { ...entry('pool-1', 3), state: 'refused' as const };
    expect(waitingFor([entry('pool-1', 1), entry('pool-1', 1, T0, -1), entry('pool-2', 1), refused], 'pool-1')).toEqual(
      {
        occupied: 2,
        outOfService: -1,
        count: 2,
      },
    );
  });

  it('judges errors and backs off', () => {
    for (const code of ['NETWORK', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED']) expect(isTransient(code)).toBe(true);
    for (const code of ['CAPACITY_CONFLICT', 'BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT'])
      expect(isTransient(code)).toBe(false);
    expect([1, 2, 3, 10].map((n) => backoffMs(n))).toEqual([1_000, 2_000, 4_000, 60_000]);
    expect(backoffMs(1, 30)).toBe(30_000);
  });
});
