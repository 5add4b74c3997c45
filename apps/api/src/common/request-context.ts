import type { Actor } from '@shelterlink/common';
import type { Loaders } from './loaders';

/** What every resolver gets in its GraphQL context. */
export interface RequestContext {
  actor: Actor | null;
  /** Client address, for login throttling. */
  address: string;
  loaders: Loaders;
  /**
   * For live events: the subscriber's token is unexpired and their session current (not deactivated, no new
   * password or regions since), checked against a per-user cache (LiveSessions). Always false over HTTP.
   */
  stillActive: () => Promise<boolean>;
}
