// The staff's offline queue of bed count changes, as pure logic: what an entry holds (ids and counts only, never
// survivor data), how errors are judged, when to try again, and one flush that sends the entries in order, one at a
// time. The IndexedDB store, the Web Lock and the triggers (online, focus, timer) live in queue-store.ts.

/** Changes older than this wait for a person: the API refuses a madeAt beyond OFFLINE_CHANGE_MAX_HOURS (12). */
export const MAX_AGE_MS = 12 * 3_600_000;
/** A margin so an entry is not refused for being a few seconds too old on the way. */
const AGE_MARGIN_MS = 5 * 60_000;
/** A change sent later than this after it was made says when it was made. */
export const SEND_MADE_AT_AFTER_MS = 30_000;

export type EntryState =
  /** waiting to be sent (or sent and not yet acknowledged) */
  | 'pending'
  /** the server refused it for good: a person chooses (send again, change, discard) */
  | 'refused'
  /** older than the API accepts as an offline change: a person chooses */
  | 'too-old';

/** Counts of a pool as the server reported them with a refusal (extensions.current). */
export interface PoolCounts {
  capacity: number;
  occupied: number;
  held: number;
  outOfService: number;
  available: number;
  version: number;
}

export interface QueueEntry {
  /** Local id, also the order: created time plus a random tail. */
  id: string;
  /** The organisation of the person who made it: another organisation's sign-in on this device does not send it. */
  organisationId: string;
  poolId: string;
  occupiedDelta: number;
  outOfServiceDelta: number;
  /** Sent with every attempt, so the server applies it once however many times it arrives. */
  idempotencyKey: string;
  /** When the person made the change (ISO). */
  madeAt: string;
  /** When it was queued (ms since epoch). */
  createdAt: number;
  /**
   * Whether madeAt goes with it, decided at the first attempt and kept (the key's input must not change between
   * retries): only for a change that waited (offline), so a phone clock a little ahead of the server's cannot make a
   * change saved at once "made in the future".
   */
  sendMadeAt?: boolean;
  state: EntryState;
  attempts: number;
  /** The server's error code when refused. */
  errorCode?: string;
  /** The counts the server had when it refused. */
  current?: PoolCounts;
}

/** Where entries are kept (IndexedDB in the app, a Map in the unit tests). */
export interface QueueStorage {
  all(): Promise<QueueEntry[]>;
  put(entry: QueueEntry): Promise<void>;
  delete(id: string): Promise<void>;
}

export type SendResult =
  | { kind: 'ok' }
  | { kind: 'transient'; code: string; retryAfterSeconds?: number | null }
  | { kind: 'refused'; code: string; current?: PoolCounts };

/** Sends one entry to the API (adjustBeds with its key and madeAt) and says how it went. */
export type Sender = (entry: QueueEntry) => Promise<SendResult>;

/** Codes worth retrying with the same key: the change may or may not have been made, and will be made once. */
const TRANSIENT = new Set([
  'NETWORK',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
  'UNAUTHENTICATED',
  'UNKNOWN',
]);

export function isTransient(code: string): boolean {
  return TRANSIENT.has(code);
}

/** Exponential backoff with a cap: 1 s, 2 s, 4 s … 60 s; a server's Retry-After wins when longer. */
export function backoffMs(failures: number, retryAfterSeconds?: number | null): number {
  const base = Math.min(60_000, 1_000 * 2 ** Math.max(0, failures - 1));
  return Math.max(base, (retryAfterSeconds ?? 0) * 1_000);
}

export function newKey(random: () => string): string {
  return `bed-${random()}`;
}

/** A new entry for a change a person just saved; null when it changes nothing. */
export function makeEntry(args: {
  organisationId: string;
  poolId: string;
  occupiedDelta: number;
  outOfServiceDelta: number;
  now: number;
  random: () => string;
}): QueueEntry | null {
  if (args.occupiedDelta === 0 && args.outOfServiceDelta === 0) return null;
  return {
    id: `${String(args.now).padStart(15, '0')}-${args.random()}`,
    organisationId: args.organisationId,
    poolId: args.poolId,
    occupiedDelta: args.occupiedDelta,
    outOfServiceDelta: args.outOfServiceDelta,
    idempotencyKey: newKey(args.random),
    madeAt: new Date(args.now).toISOString(),
    createdAt: args.now,
    state: 'pending',
    attempts: 0,
  };
}

/** In the order they were made. */
export function ordered(entries: QueueEntry[]): QueueEntry[] {
  return [...entries].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function isTooOld(entry: QueueEntry, now: number): boolean {
  return now - Date.parse(entry.madeAt) > MAX_AGE_MS - AGE_MARGIN_MS;
}

/** What is still waiting to reach the server for a pool (pending entries only), to show beside its counts. */
export function waitingFor(
  entries: QueueEntry[],
  poolId: string,
): { occupied: number; outOfService: number; count: number } {
  let occupied = 0;
  let outOfService = 0;
  let count = 0;
  for (const e of entries)
    if (e.poolId === poolId && e.state === 'pending') {
      occupied += e.occupiedDelta;
      outOfService += e.outOfServiceDelta;
      count += 1;
    }
  return { occupied, outOfService, count };
}

/** Entries that need a person (refused or too old). */
export function needingAPerson(entries: QueueEntry[]): QueueEntry[] {
  return ordered(entries).filter((e) => e.state !== 'pending');
}

export interface FlushOutcome {
  sent: number;
  refused: number;
  /** Set when a transient failure stopped the flush: try again after this many milliseconds. */
  retryInMs: number | null;
  /** The codes of the failures met, for the screen to word. */
  lastCode: string | null;
}

/**
 * Sends the organisation's pending entries in order, one at a time (the caller holds the Web Lock). An entry is
 * deleted only when the server acknowledged it; a transient failure stops the flush (the order is kept) and asks
 * for a retry after a backoff; a refusal or an entry too old is kept for a person to decide, and the flush goes on.
 * `failures` counts the transient failures so far (the caller keeps it between flushes for the backoff).
 */
export async function flush(
  storage: QueueStorage,
  send: Sender,
  options: { organisationId: string; now: () => number; failures: number },
): Promise<FlushOutcome> {
  const outcome: FlushOutcome = { sent: 0, refused: 0, retryInMs: null, lastCode: null };
  const done = new Set<string>();
  for (;;) {
    // read again every time: another tab (before it gave up the lock) or the person may have changed the queue
    const next = ordered(await storage.all()).find(
      (e) => e.state === 'pending' && e.organisationId === options.organisationId && !done.has(e.id),
    );
    if (!next) return outcome;
    done.add(next.id);
    if (isTooOld(next, options.now())) {
      await storage.put({ ...next, state: 'too-old' });
      outcome.refused += 1;
      continue;
    }
    const attempt = {
      ...next,
      attempts: next.attempts + 1,
      sendMadeAt: next.sendMadeAt ?? options.now() - Date.parse(next.madeAt) > SEND_MADE_AT_AFTER_MS,
    };
    await storage.put(attempt);
    const result = await send(attempt);
    if (result.kind === 'ok') {
      await storage.delete(next.id);
      outcome.sent += 1;
    } else if (result.kind === 'transient') {
      outcome.lastCode = result.code;
      outcome.retryInMs = backoffMs(options.failures + 1, result.retryAfterSeconds);
      return outcome;
    } else {
      await storage.put({ ...attempt, state: 'refused', errorCode: result.code, current: result.current });
      outcome.refused += 1;
      outcome.lastCode = result.code;
    }
  }
}

/**
 * A person's answer to an entry that needs one. `retry`: send it again as made now (a new key, since the server
 * refused the first one and applied nothing; an entry too old gets the time of the retry). `discard`: drop it.
 */
export function retried(entry: QueueEntry, now: number, random: () => string): QueueEntry {
  return {
    ...entry,
    state: 'pending',
    attempts: 0,
    sendMadeAt: undefined,
    errorCode: undefined,
    current: undefined,
    idempotencyKey: newKey(random),
    madeAt: new Date(now).toISOString(),
  };
}
