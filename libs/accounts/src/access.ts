import { Actor, forbidden, Role } from '@shelterlink/common';

/** Role checks shared by the services; scoping to organisation and region happens in each query. */
export function assertRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) throw forbidden();
}
