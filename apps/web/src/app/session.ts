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
    await this.sendPendingSignOut();
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
        // a sign-out made offline reaches the server first: that sign-in must never be renewed
        if (!(await this.sendPendingSignOut())) {
          this.end(this.state.status === 'signed-in' ? 'signed-out' : null);
          return false;
        }
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

  /**
   * Signing out ends the sign-in on the server (and clears its cookie). Without a connection it cannot: the device
   * remembers that a sign-out is owed (a flag, nothing else) and sends it before anything else when it can: on the
   * next renewal, sign-in or page load, or when the connection returns. Until then nobody is signed in on this page.
   */
  async signOut(): Promise<void> {
    try {
      const response = await post(SIGN_OUT, {}, this.state.token);
      if (response.errors?.length) throw new Error('sign-out refused');
    } catch {
      owedSignOut.set();
    }
    this.channel?.postMessage('signed-out');
    this.end('signed-out');
  }

  /** True when no sign-out is owed any more (sent now, or none was); false while it still cannot be sent. */
  async sendPendingSignOut(): Promise<boolean> {
    if (!owedSignOut.get()) return true;
    try {
      const response = await post(SIGN_OUT);
      if (response.errors?.length) return false;
      owedSignOut.clear();
      return true;
    } catch {
      return false;
    }
  }

  private end(reason: SessionState['ended']): void {
    clearTimeout(this.timer);
    this.set({ status: 'signed-out', token: null, expiresAt: null, user: null, ended: reason });
  }
}

/** Whether this device owes the server a sign-out (made while offline). A flag only: no token, no name. */
const OWED_SIGN_OUT = 'shelterlink:sign-out-owed';
const owedSignOut = {
  get: () => localStorage.getItem(OWED_SIGN_OUT) === '1',
  set: () => localStorage.setItem(OWED_SIGN_OUT, '1'),
  clear: () => localStorage.removeItem(OWED_SIGN_OUT),
};

export const session = new SessionStore();
// the connection is back: a sign-out owed goes out at once
window.addEventListener('online', () => void session.sendPendingSignOut());

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get);
}
