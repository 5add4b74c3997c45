// Live updates: a subscription whose events (and reconnections) make the screen refetch what it shows.
import { useEffect, useRef, useState } from 'react';
import { liveClient, onReconnect } from './client';
import { useSession } from './session';

/**
 * Subscribe while mounted (and signed in); `onEvent` runs for every event and after every reconnection (events may
 * have been missed while the socket was away). A subscription that errors (e.g. its session ended) is subscribed
 * again when the session is renewed.
 */
export function useLive<T = unknown>(
  query: string | null,
  variables: Record<string, unknown>,
  onEvent: (data: T | null) => void,
): void {
  const { status, token } = useSession();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = JSON.stringify(variables);

  useEffect(() => onReconnect(() => handler.current(null)), []);

  // a subscription that ended in an error is made again after a growing wait (the socket closed 4401 and the renewal may
  // have finished before the client let go of the old socket, so a new token alone is not enough)
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!query || status !== 'signed-in') return;
    let again: ReturnType<typeof setTimeout> | undefined;
    const dispose = liveClient().subscribe<T>(
      { query, variables: JSON.parse(key) as Record<string, unknown> },
      {
        next: (result) => handler.current(result.data ?? null),
        error: () => {
          again = setTimeout(() => setAttempt((n) => n + 1), Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5)));
        },
        complete: () => undefined,
      },
    );
    return () => {
      clearTimeout(again);
      dispose();
    };
    // a new token (a renewed session) subscribes again, so an ended subscription comes back
  }, [query, key, status, token, attempt]);
}
