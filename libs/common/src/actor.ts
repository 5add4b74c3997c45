export enum Role {
  SHELTER_STAFF = 'SHELTER_STAFF',
  HOTLINE_ADVOCATE = 'HOTLINE_ADVOCATE',
  REGIONAL_COORDINATOR = 'REGIONAL_COORDINATOR',
  ADMIN = 'ADMIN',
}

/** The authenticated caller, as every service receives it for scoping. */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
  readonly organisationId: string | null;
  /** Regions assigned to a coordinator (each with its descendants); empty for other roles. */
  readonly regionIds: readonly string[];
}
