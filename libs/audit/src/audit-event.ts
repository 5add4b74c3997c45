import type { Role } from '@shelterlink/common';

/** What happened, as the security trail names it. */
export enum AuditKind {
  LOGIN_SUCCEEDED = 'LOGIN_SUCCEEDED',
  LOGIN_FAILED = 'LOGIN_FAILED',
  LOGIN_THROTTLED = 'LOGIN_THROTTLED',
  /** A refresh token already replaced was presented again (a copy was taken): its whole sign-in ended. */
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  /** The user signed out (of this sign-in, or everywhere). */
  SIGNED_OUT = 'SIGNED_OUT',
  /** FORBIDDEN (the role may not), or NOT_FOUND (another organisation's object, or none). */
  ACCESS_REFUSED = 'ACCESS_REFUSED',
  RATE_LIMITED = 'RATE_LIMITED',
  EXPORT_DOWNLOADED = 'EXPORT_DOWNLOADED',
  USER_CREATED = 'USER_CREATED',
  USER_UPDATED = 'USER_UPDATED',
  USER_DEACTIVATED = 'USER_DEACTIVATED',
  USER_REACTIVATED = 'USER_REACTIVATED',
  REGION_CREATED = 'REGION_CREATED',
  REGION_UPDATED = 'REGION_UPDATED',
  ORGANISATION_CREATED = 'ORGANISATION_CREATED',
  ORGANISATION_RENAMED = 'ORGANISATION_RENAMED',
  IDENTITY_READ = 'IDENTITY_READ',
}

/** Who acted, when known (never a name or email). */
export interface AuditActor {
  userId: string;
  role: Role;
  organisationId: string | null;
}

/**
 * One entry of the trail. Details are codes, ids, counts and names of operations: never survivor data, free text
 * or secrets. An email typed at sign-in is kept only as a hash (it might not be an email at all).
 */
export interface AuditEventInput {
  kind: AuditKind;
  actor?: AuditActor | null;
  /** The client address, as the API sees it (see TRUSTED_PROXIES). */
  address?: string | null;
  subjectType?: 'user' | 'region' | 'organisation' | 'referral' | 'export' | null;
  subjectId?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}
