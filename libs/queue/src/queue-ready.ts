import type { Queue } from 'bullmq';

/** `work`'s value, or null if it has not settled within `ms`: the wait ends then, the work goes on unawaited. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether the queue's Redis connection is ready now. BullMQ's connection waits for Redis for ever (workers need
 * that), so a request must not send it a command otherwise; the client promise itself waits for a first connection,
 * at most `ms` here.
 */
export async function queueReady(queue: Queue, ms: number): Promise<boolean> {
  const client = await within(queue.getBackend().client, ms);
  return client?.status === 'ready';
}
