// One GraphQL client for queries and mutations (urql over fetch) and one graphql-ws socket for live updates.
// Every request carries the in-memory access token; an UNAUTHENTICATED answer renews the session once (the refresh
// cookie) and retries, so a session that expires mid-form renews in place and keeps the form.
import { cacheExchange, Client, fetchExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { GRAPHQL_PATH, session, type GraphQLErrorShape } from './session';

function isUnauthenticated(body: unknown): boolean {
  const errors = (body as { errors?: GraphQLErrorShape[] } | null)?.errors;
  return Array.isArray(errors) && errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

function withToken(init: RequestInit | undefined): RequestInit {
  const headers = new Headers(init?.headers);
  const { token } = session.get();
  if (token) headers.set('authorization', `Bearer ${token}`);
  else headers.delete('authorization');
  return { ...init, headers, credentials: 'same-origin' };
}

export async function authedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, withToken(init));
  if (response.status !== 401 && response.status !== 200) return response;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  if (response.status !== 401 && !isUnauthenticated(body)) return response;
  if (!(await session.renew())) return response;
  return fetch(input, withToken(init));
}

export const client = new Client({
  url: GRAPHQL_PATH,
  exchanges: [cacheExchange, fetchExchange],
  fetch: authedFetch,
  requestPolicy: 'cache-and-network',
  preferGetMethod: false,
});

/** Close codes the API documents (README, API): the session ended; live updates were interrupted. */
export const CLOSE = { SESSION_ENDED: 4401, EVENTS_MISSED: 1012 } as const;

type Listener = () => void;
const reconnectListeners = new Set<Listener>();
const stateListeners = new Set<(connected: boolean) => void>();
let connectedOnce = false;

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${GRAPHQL_PATH}`;
}

let socket: WsClient | null = null;

/** The live socket, created on first use; it reconnects by itself, renewing the session first when it ended. */
export function liveClient(): WsClient {
  socket ??= createWsClient({
    url: wsUrl(),
    lazy: true,
    lazyCloseTimeout: 2_000,
    keepAlive: 20_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    // every close is retried: 4401 after a renewal, 1012 and network losses after a short, growing wait
    shouldRetry: () => session.get().status === 'signed-in',
    retryWait: async (retries) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** retries)));
    },
    connectionParams: async () => {
      const { expiresAt } = session.get();
      if (expiresAt !== null && expiresAt - Date.now() < 10_000) await session.renew();
      const { token } = session.get();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connected: () => {
        for (const listener of stateListeners) listener(true);
        // after a reconnect, what the screen shows may have missed events: refetch it
        if (connectedOnce) for (const listener of reconnectListeners) listener();
        connectedOnce = true;
      },
      closed: (event) => {
        for (const listener of stateListeners) listener(false);
        const code = (event as CloseEvent | undefined)?.code;
        if (code === CLOSE.SESSION_ENDED) void session.renew();
      },
    },
  });
  return socket;
}

/** Called after the live socket reconnects. */
export function onReconnect(listener: Listener): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/** Drop the socket (sign-out): the next subscriber opens a new one with the next session's token. */
export function closeLive(): void {
  void socket?.dispose();
  socket = null;
  connectedOnce = false;
}
