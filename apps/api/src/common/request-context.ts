import type { Actor } from '@shelterlink/common';
import type { Loaders } from './loaders';

/** The HTTP side of an operation: its request's cookies and the cookie its answer sets. Absent over WebSocket. */
export interface HttpExchange {
  readonly cookies: ReadonlyMap<string, string>;
  /** Whether cookies set on the answer are `Secure`: always, except on plain http in development or test mode. */
  readonly secure: boolean;
  /** The Set-Cookie value the answer carries (the last one set wins; see SessionCookiePlugin). */
  setCookie: string | null;
}

/** What every resolver gets in its GraphQL context. */
export interface RequestContext {
  actor: Actor | null;
  /** The sign-in (refresh family) the caller's token belongs to, if any: signOut ends it. */
  signIn: string | null;
  /** Client address, for login throttling. */
  address: string;
  /** Over HTTP only: a WebSocket can neither receive nor send the refresh cookie. */
  http: HttpExchange | null;
  loaders: Loaders;
  /**
   * For live events: the subscriber's token is unexpired and their session current (not deactivated, no new
   * password or regions since), checked against a per-user cache (LiveSessions). Always false over HTTP.
   */
  stillActive: () => Promise<boolean>;
}
