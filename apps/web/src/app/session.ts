// The signed-in session, kept in memory only: the access token never touches browser storage, and a reload (or a
// new tab) gets a fresh one through renewSession, which reads the HttpOnly refresh cookie the API set at sign-in.
import { useSyncExternalStore } from 'react';

export type Role = 'ADMIN' | 'SHELTER_STAFF' | 'HOTLINE_ADVOCATE' | 'REGIONAL_COORDINATOR';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
}

export interface SessionState {
  /** 'unknown' until the first renewal attempt has answered. */
  status: 'unknown' | 'signed-in' | 'signed-out';
  token: string | null;
  expiresAt: number | null;
  user: SessionUser | null;
  /** Why the last session ended, for the sign-in screen. */
  ended: 'expired' | 'signed-out' | null;
}

const USER_FIELDS = 'id email displayName role organisationId';
const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token expiresAt user { ${USER_FIELDS} } }
}`;
const RENEW = `mutation RenewSession { renewSession { token expiresAt user { ${USER_FIELDS} } } }`;
const SIGN_OUT = `mutation SignOut { signOut }`;

interface LoginPayload {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; field?: string; retryAfterSeconds?: number; [key: string]: unknown };
}

/** The endpoint, same origin (the API serves the app; in development Vite proxies it). */
export const GRAPHQL_PATH = '/graphql';

async function post<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string | null,
): Promise<{ data?: T; errors?: GraphQLErrorShape[] }> {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: GraphQLErrorShape[] };
}

/** Renew this many milliseconds before the access token expires. */
const RENEW_AHEAD_MS = 60_000;

class SessionStore {
  private state: SessionState = { status: 'unknown', token: null, expiresAt: null, user: null, ended: null };
  private readonly listeners = new Set<() => void>();
  private renewing: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('shelterlink');

  constructor() {
    // another tab signed out: so does this one (its refresh cookie is gone with the session)
    if (this.channel)
      this.channel.onmessage = (event: MessageEvent<string>) => {
        if (event.data === 'signed-out') this.end('signed-out');
      };
  }

  get = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: Partial<SessionState>): void {
    this.state = { ...this.state, ...next };
    for (const listener of this.listeners) listener();
  }

  private accept(payload: LoginPayload): void {
    const expiresAt = Date.parse(payload.expiresAt);
    this.set({ status: 'signed-in', token: payload.token, expiresAt, user: payload.user, ended: null });
    clearTimeout(this.timer);
    const due = Math.max(5_000, expiresAt - Date.now() - RENEW_AHEAD_MS);
    this.timer = setTimeout(() => void this.renew(), due);
  }

  /** Sign in with a password; returns the error on failure. */
  async signIn(email: string, password: string): Promise<GraphQLErrorShape | null> {
    const answer = await post<{ login: LoginPayload }>(LOGIN, { email, password });
    if (answer.data?.login) {
      this.accept(answer.data.login);
      return null;
    }
    return answer.errors?.[0] ?? { message: 'unknown', extensions: { code: 'UNKNOWN' } };
  }

  /**
   * A fresh access token from the refresh cookie; one renewal at a time however many requests ask for it.
   * Resolves false when the session has ended (the person signs in again).
   */
  renew(): Promise<boolean> {
    this.renewing ??= (async () => {
      try {
        const answer = await post<{ renewSession: LoginPayload }>(RENEW);
        if (answer.data?.renewSession) {
          this.accept(answer.data.renewSession);
          return true;
        }
        this.end(this.state.status === 'signed-in' ? 'expired' : null);
        return false;
      } catch {
        // offline: keep what we have; the next request or the timer tries again
        if (this.state.status === 'unknown') this.set({ status: 'signed-out' });
        return false;
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }

  async signOut(): Promise<void> {
    try {
      await post(SIGN_OUT, {}, this.state.token);
    } catch {
      // the cookie is cleared by the server; offline, the access token still dies with this page
    }
    this.channel?.postMessage('signed-out');
    this.end('signed-out');
  }

  private end(reason: SessionState['ended']): void {
    clearTimeout(this.timer);
    this.set({ status: 'signed-out', token: null, expiresAt: null, user: null, ended: reason });
  }
}

export const session = new SessionStore();

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get);
}
