import type { Actor } from '@shelterlink/common';
import type { Loaders } from './loaders';

/** What every resolver gets in its GraphQL context. */
export interface RequestContext {
  actor: Actor | null;
  /** Client address, for login throttling. */
  address: string;
  loaders: Loaders;
  /** Re-checks the signed-in user is still active: live subscriptions stop for a deactivated user. */
  stillActive: () => Promise<boolean>;
}
