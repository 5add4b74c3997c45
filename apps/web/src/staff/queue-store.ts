// The offline queue on this device: one IndexedDB store (ids and counts only), flushed under a Web Lock so two tabs
// never send it twice, on `online`, on focus, after every save and on a backoff timer. Tabs tell each other of
// changes through a BroadcastChannel so every tab shows the same "waiting to send".
import { openDB, type IDBPDatabase } from 'idb';
import { useSyncExternalStore } from 'react';
import { client } from '../app/client';
import { errorInfo } from '../app/errors';
import { registerPendingCounter } from '../app/pending';
import { session } from '../app/session';
import { graphql } from '../gql';
import {
  flush,
  isTransient,
  makeEntry,
  ordered,
  retried,
  type FlushOutcome,
  type PoolCounts,
  type QueueEntry,
  type QueueStorage,
  type SendResult,
} from './queue';

const DB_NAME = 'shelterlink-staff';
const STORE = 'bed-queue';
const LOCK = 'shelterlink-bed-queue';

const AdjustBeds = graphql(`
  mutation StaffQueueAdjustBeds($idempotencyKey: String, $input: AdjustBedsInput!) {
    adjustBeds(idempotencyKey: $idempotencyKey, input: $input) {
      id
      capacity
      occupied
      held
      outOfService
      available
      version
      updatedAt
    }
  }
`);

let dbPromise: Promise<IDBPDatabase> | null = null;
function db(): Promise<IDBPDatabase> {
  dbPromise ??= openDB(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore(STORE, { keyPath: 'id' });
    },
  });
  return dbPromise;
}

const storage: QueueStorage = {
  all: async () => (await (await db()).getAll(STORE)) as QueueEntry[],
  put: async (entry) => {
    // only the fields of an entry: ids, counts, times, codes
    await (await db()).put(STORE, { ...entry });
    changed();
  },
  delete: async (id) => {
    await (await db()).delete(STORE, id);
    changed();
  },
};

// ── what the screens read ──────────────────────────────────────────────────────────────────────────────────────

let snapshot: QueueEntry[] = [];
const listeners = new Set<() => void>();
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(LOCK);
if (channel) channel.onmessage = () => void reload(false);

async function reload(broadcast: boolean): Promise<void> {
  snapshot = ordered(await storage.all());
  for (const listener of listeners) listener();
  if (broadcast) channel?.postMessage('changed');
}

function changed(): void {
  void reload(true);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The queue's entries on this device, in order (every tab sees the same). */
export function useQueue(): QueueEntry[] {
  return useSyncExternalStore(subscribe, () => snapshot);
}

// ── sending ────────────────────────────────────────────────────────────────────────────────────────────────────

function counts(value: unknown): PoolCounts | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const c = value as Record<string, unknown>;
  const keys = ['capacity', 'occupied', 'held', 'outOfService', 'available', 'version'] as const;
  return keys.every((k) => typeof c[k] === 'number') ? (c as unknown as PoolCounts) : undefined;
}

const send = async (entry: QueueEntry): Promise<SendResult> => {
  const result = await client
    .mutation(
      AdjustBeds,
      {
        idempotencyKey: entry.idempotencyKey,
        input: {
          poolId: entry.poolId,
          occupiedDelta: entry.occupiedDelta,
          outOfServiceDelta: entry.outOfServiceDelta,
          ...(entry.sendMadeAt ? { madeAt: entry.madeAt } : {}),
        },
      },
      { requestPolicy: 'network-only' },
    )
    .toPromise();
  if (result.data?.adjustBeds) return { kind: 'ok' };
  const info = errorInfo(result.error);
  const code = info?.code ?? 'UNKNOWN';
  if (isTransient(code)) return { kind: 'transient', code, retryAfterSeconds: info?.retryAfterSeconds };
  return { kind: 'refused', code, current: counts(info?.extensions.current) };
};
type FlushListener = (outcome: FlushOutcome) => void;
const flushListeners = new Set<FlushListener>();
/** Told after every flush that did something (to announce it and refetch the counts). */
export function onFlushed(listener: FlushListener): () => void {
  flushListeners.add(listener);
  return () => flushListeners.delete(listener);
}

let failures = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | null = null;
let again = false;

async function runOnce(): Promise<void> {
  const organisationId = session.get().user?.organisationId;
  if (!organisationId || session.get().user?.role !== 'SHELTER_STAFF') return;
  const work = () => flush(storage, send, { organisationId, now: () => Date.now(), failures });
  // the lock: one tab at a time sends; a tab that waited finds what the other sent already deleted
  const outcome: FlushOutcome =
    typeof navigator !== 'undefined' && 'locks' in navigator ? await navigator.locks.request(LOCK, work) : await work();
  clearTimeout(timer);
  if (outcome.retryInMs !== null) {
    failures += 1;
    timer = setTimeout(() => void flushQueue(), outcome.retryInMs);
  } else failures = 0;
  if (outcome.sent > 0 || outcome.refused > 0 || outcome.retryInMs !== null)
    for (const listener of flushListeners) listener(outcome);
}

/** Send what is waiting (one flush at a time in this tab; a request during a flush runs one more after it). */
export function flushQueue(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await runOnce();
      } while (again);
    } catch {
      // IndexedDB or the lock failed: the timer tries again
      clearTimeout(timer);
      timer = setTimeout(() => void flushQueue(), 5_000);
    } finally {
      running = null;
    }
  })();
  return running;
}

// ── what a person does ─────────────────────────────────────────────────────────────────────────────────────────

const random = (): string => crypto.randomUUID();

/** Queue a change a person saved and try to send it now. */
export async function saveChange(poolId: string, occupiedDelta: number, outOfServiceDelta: number): Promise<void> {
  const organisationId = session.get().user?.organisationId;
  if (!organisationId) return;
  const entry = makeEntry({ organisationId, poolId, occupiedDelta, outOfServiceDelta, now: Date.now(), random });
  if (!entry) return;
  await storage.put(entry);
  await flushQueue();
}

/** Send a refused (or too old) entry again, as made now. */
export async function sendAgain(id: string): Promise<void> {
  const entry = (await storage.all()).find((e) => e.id === id);
  if (!entry) return;
  await storage.put(retried(entry, Date.now(), random));
  await flushQueue();
}

/** Drop an entry a person chose to drop. */
export async function discard(id: string): Promise<void> {
  await storage.delete(id);
}

// ── start ──────────────────────────────────────────────────────────────────────────────────────────────────────

let started = false;
/** Start the triggers once (the staff section calls it). */
export function startQueue(): void {
  if (started) return;
  started = true;
  window.addEventListener('online', () => void flushQueue());
  window.addEventListener('focus', () => void flushQueue());
  session.subscribe(() => {
    if (session.get().status === 'signed-in') void flushQueue();
  });
  registerPendingCounter(async () => {
    const organisationId = session.get().user?.organisationId;
    return (await storage.all()).filter((e) => e.organisationId === organisationId).length;
  });
  void reload(false).then(() => flushQueue());
}
