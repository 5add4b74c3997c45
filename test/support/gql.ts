import { createClient, Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
}

export async function gql<T = any>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GqlResult<T>> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResult<T>;
}

/** The first error's code, or undefined when the operation succeeded. */
export function errorCode(result: GqlResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const r = await gql(baseUrl, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, {
    e: email,
    p: password,
  });
  if (!r.data) throw new Error(`login failed for test user: ${JSON.stringify(r.errors)}`);
  return r.data.login.token as string;
}

export function wsClient(baseUrl: string, token?: string): WsClient {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and collects events; `next(n)` waits for the n-th event. */
export function collect<T = any>(client: WsClient, query: string, variables: Record<string, unknown>) {
  const events: GqlResult<T>[] = [];
  const waiters: (() => void)[] = [];
  let error: unknown;
  let completed = false;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        events.push(value as GqlResult<T>);
        waiters.splice(0).forEach((w) => w());
      },
      error: (e) => {
        error = e;
        waiters.splice(0).forEach((w) => w());
      },
      complete: () => {
        completed = true;
        waiters.splice(0).forEach((w) => w());
      },
    },
  );
  return {
    events,
    get error() {
      return error;
    },
    get completed() {
      return completed;
    },
    dispose,
    async next(count = events.length + 1, timeoutMs = 5000): Promise<GqlResult<T>> {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count && !error && !completed) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for event ${count}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      // graphql-ws sends errors raised before the stream starts (validation, scope) as an `error` message
      if (events.length < count && Array.isArray(error) && count === events.length + 1) return { errors: error };
      if (events.length < count) throw new Error(`subscription ended: ${JSON.stringify(error)}`);
      return events[count - 1];
    },
  };
}
