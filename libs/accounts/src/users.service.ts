import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, badInput, DomainError, forbidden, notFound, Role } from '@shelterlink/common';
import { auditActor, changedFields, AuditKind, AuditService } from '@shelterlink/audit';
import { PG_UNIQUE_VIOLATION, pgErrorCode, queryRows } from '@shelterlink/database';
import { assertRole } from './access';
import { passwords } from './passwords';
import { RefreshSessionsService } from './refresh-sessions.service';
import { OrganisationEntity, OrganisationKind } from './entities/organisation.entity';
import { UserEntity } from './entities/user.entity';

export interface CreateUser {
  email: string;
  displayName: string;
  password: string;
  role: Role;
  organisationId?: string | null;
  regionIds?: string[];
}

export interface UpdateUser {
  displayName?: string;
  password?: string;
  /** A new role: the organisation must suit it (given here or kept), regions follow it (see update). */
  role?: Role;
  /** null only for admins */
  organisationId?: string | null;
  regionIds?: string[];
}

/** The kind of organisation each role belongs to; admins belong to the network operator, not an organisation. */
const ORGANISATION_KIND_FOR_ROLE: Record<Role, OrganisationKind | null> = {
  [Role.SHELTER_STAFF]: OrganisationKind.SHELTER_PROVIDER,
  [Role.HOTLINE_ADVOCATE]: OrganisationKind.REFERRAL_AGENCY,
  [Role.REGIONAL_COORDINATOR]: OrganisationKind.COORDINATING_BODY,
  [Role.ADMIN]: null,
};

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly refresh: RefreshSessionsService,
  ) {}

  /** Admins see every user; others see only themselves. */
  async list(actor: Actor, organisationId?: string): Promise<UserEntity[]> {
    const qb = this.db.getRepository(UserEntity).createQueryBuilder('u').orderBy('u.email');
    if (actor.role !== Role.ADMIN) qb.andWhere('u.id = :self', { self: actor.userId });
    if (organisationId) qb.andWhere('u.organisation_id = :organisationId', { organisationId });
    return qb.getMany();
  }

  async get(actor: Actor, id: string): Promise<UserEntity> {
    if (actor.role !== Role.ADMIN && actor.userId !== id) throw notFound('User');
    const user = await this.db.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw notFound('User');
    return user;
  }

  async regionIds(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows: { user_id: string; region_id: string }[] = await this.db.query(
      `SELECT user_id, region_id FROM user_region WHERE user_id = ANY($1::uuid[]) ORDER BY region_id`,
      [userIds],
    );
    const byUser = new Map<string, string[]>();
    for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row.region_id]);
    return byUser;
  }

  async create(actor: Actor, input: CreateUser): Promise<UserEntity> {
    assertRole(actor, Role.ADMIN);
    const organisationId = input.organisationId ?? null;
    const regionIds = input.regionIds ?? [];
    const created = await this.db.transaction(async (tx) => {
      await this.checkOrganisation(tx, input.role, organisationId);
      await this.checkRegions(tx, input.role, regionIds);
      const passwordHash = await passwords.hash(input.password);
      const repo = tx.getRepository(UserEntity);
      const user = await repo
        .save(
          repo.create({
            email: input.email.trim().toLowerCase(),
            displayName: input.displayName,
            passwordHash,
            role: input.role,
            organisationId,
            active: true,
          }),
        )
        .catch((error: unknown) => {
          if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
            throw new DomainError('CONFLICT', 'A user with this email exists', { field: 'email' });
          }
          throw error;
        });
      await this.replaceRegions(tx, user.id, regionIds);
      return repo.findOneByOrFail({ id: user.id });
    });
    await this.audit.record({
      kind: AuditKind.USER_CREATED,
      actor: auditActor(actor),
      subjectType: 'user',
      subjectId: created.id,
      detail: { role: created.role, regions: regionIds.length },
    });
    return created;
  }

  /**
   * Name, password, role, organisation and regions. A new role or organisation is checked as on creation (the
   * organisation of the kind the role belongs to; a coordinator's regions given, other roles' regions cleared).
   * Admins cannot change their own role, and no change leaves the network without an active admin (see
   * checkAdminsRemain). A new password, role, organisation or regions end every sign-in of the user: what they may see
   * changes with their next sign-in.
   */
  async update(actor: Actor, id: string, input: UpdateUser): Promise<UserEntity> {
    assertRole(actor, Role.ADMIN);
    for (const [field, value] of Object.entries(input)) {
      if (value === null && field !== 'organisationId') throw badInput(field, 'must not be null');
    }
    let ends = false;
    let access: Record<string, string | number> = {};
    const updated = await this.db.transaction(async (tx) => {
      const repo = tx.getRepository(UserEntity);
      if (input.role !== undefined || input.organisationId !== undefined) await this.serialiseAccessChanges(tx);
      // the row locked: two admins editing one person apply one after the other, each on what the other left
      const user = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw notFound('User');
      if (input.displayName !== undefined) user.displayName = input.displayName;
      const patch: Partial<UserEntity> = { displayName: user.displayName };
      if (input.password !== undefined) patch.passwordHash = await passwords.hash(input.password);
      const role = input.role ?? user.role;
      const organisationId = input.organisationId !== undefined ? input.organisationId : user.organisationId;
      if (role !== user.role || organisationId !== user.organisationId) {
        if (role !== user.role && id === actor.userId) throw badInput('role', 'you cannot change your own role');
        if (user.role === Role.ADMIN && role !== Role.ADMIN) await this.checkAdminsRemain(tx, actor, id, 'role');
        await this.checkOrganisation(tx, role, organisationId ?? null);
        patch.role = role;
        patch.organisationId = organisationId ?? null;
        access = {
          ...(role !== user.role ? { roleFrom: user.role, roleTo: role } : {}),
          ...(organisationId !== user.organisationId
            ? { organisationFrom: user.organisationId ?? 'none', organisationTo: organisationId ?? 'none' }
            : {}),
        };
      }
      // regions follow the role: as given, kept while the role stays, otherwise none (a new coordinator must be given some)
      const regionIds = input.regionIds ?? (role === user.role ? undefined : []);
      if (regionIds !== undefined) await this.checkRegions(tx, role, regionIds);
      await repo.update({ id }, patch);
      if (regionIds !== undefined) {
        const cleared = await this.replaceRegions(tx, id, regionIds);
        if (input.regionIds === undefined && cleared > 0) access.regionsCleared = cleared;
      }
      // tokens and sockets issued before stop at once
      ends = input.password !== undefined || input.regionIds !== undefined || Object.keys(access).length > 0;
      if (ends) await this.endSessions(tx, id);
      return repo.findOneByOrFail({ id });
    });
    await this.announceSessionsEnded(id, ends);
    await this.audit.record({
      kind: AuditKind.USER_UPDATED,
      actor: auditActor(actor),
      subjectType: 'user',
      subjectId: id,
      // which fields, never their values (a password, a name); an access change says from and to (roles and ids)
      detail: { fields: changedFields(input), ...access },
    });
    return updated;
  }

  /** Deactivated users cannot log in, and their unexpired tokens stop working at once. */
  async setActive(actor: Actor, id: string, active: boolean): Promise<UserEntity> {
    assertRole(actor, Role.ADMIN);
    if (!active && id === actor.userId) throw badInput('id', 'you cannot deactivate yourself');
    const updated = await this.db.transaction(async (tx) => {
      const repo = tx.getRepository(UserEntity);
      if (!active) await this.serialiseAccessChanges(tx);
      const user = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw notFound('User');
      if (!active && user.role === Role.ADMIN && user.active) await this.checkAdminsRemain(tx, actor, id, 'id');
      await repo.update({ id }, { active, deactivatedAt: active ? null : new Date() });
      if (!active) await this.endSessions(tx, id);
      return repo.findOneByOrFail({ id });
    });
    if (!active) await this.announceSessionsEnded(id, true);
    await this.audit.record({
      kind: active ? AuditKind.USER_REACTIVATED : AuditKind.USER_DEACTIVATED,
      actor: auditActor(actor),
      subjectType: 'user',
      subjectId: id,
    });
    return updated;
  }

  /**
   * Role, organisation and deactivation changes one at a time across the network (rare, and each reads who the
   * admins are): two admins demoting each other at once go one after the other, never deadlocked on each other's row.
   */
  private async serialiseAccessChanges(tx: EntityManager): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('shelterlink:user-access'))`);
  }

  /**
   * Before an admin stops being one (another role, or deactivated), under serialiseAccessChanges: the acting admin
   * must still be one, and someone other than the one leaving must remain, or the network could be left with no
   * admin at all.
   */
  private async checkAdminsRemain(tx: EntityManager, actor: Actor, leaving: string, field: string): Promise<void> {
    const admins: { id: string }[] = await tx.query(`SELECT id FROM app_user WHERE role = 'ADMIN' AND active`);
    if (!admins.some((a) => a.id === actor.userId)) throw forbidden();
    if (!admins.some((a) => a.id !== leaving)) throw badInput(field, 'the network needs at least one active admin');
  }

  /**
   * Signing out: the sign-ins named end (the one the caller's token belongs to, the one their refresh cookie belongs
   * to, even when the token has expired), or with `everywhere` every session of the signed-in caller on every
   * device. Their tokens stop at once and their sockets close (4401). Signing out twice is no error.
   */
  async signOut(
    actor: Actor | null,
    signIns: readonly { userId: string; familyId: string }[],
    everywhere: boolean,
  ): Promise<void> {
    if (everywhere) {
      if (!actor) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue');
      await this.db.transaction((tx) => this.endSessions(tx, actor.userId));
      await this.announceSessionsEnded(actor.userId, true);
      await this.recordSignOut(actor, actor.userId, true);
      return;
    }
    for (const { userId, familyId } of signIns) {
      if ((await this.refresh.end(this.db.manager, userId, [familyId], 'SIGNED_OUT')) === 0) continue;
      await this.refresh.announceEnded(userId, familyId);
      await this.recordSignOut(actor?.userId === userId ? actor : null, userId, false);
    }
  }

  private async recordSignOut(actor: Actor | null, userId: string, everywhere: boolean): Promise<void> {
    await this.audit.record({
      kind: AuditKind.SIGNED_OUT,
      actor: auditActor(actor),
      subjectType: 'user',
      subjectId: userId,
      detail: { everywhere },
    });
  }

  /**
   * Raises the user's session version: every token issued before no longer matches it; and ends every sign-in's
   * refresh tokens, so none renews.
   */
  private async endSessions(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE app_user SET session_version = session_version + 1 WHERE id = $1`, [id]);
    await this.refresh.endAll(m, id);
  }

  /** After the commit: every API process closes the user's open sockets (code 4401); see announceEnded. */
  private async announceSessionsEnded(userId: string, ended: boolean): Promise<void> {
    if (ended) await this.refresh.announceEnded(userId);
  }

  private async checkOrganisation(tx: EntityManager, role: Role, organisationId: string | null): Promise<void> {
    const kind = ORGANISATION_KIND_FOR_ROLE[role];
    if (kind === null) {
      if (organisationId !== null) throw badInput('organisationId', 'admins do not belong to an organisation');
      return;
    }
    if (organisationId === null) throw badInput('organisationId', `is required for ${role}`);
    const org = await tx.getRepository(OrganisationEntity).findOneBy({ id: organisationId });
    if (!org) throw badInput('organisationId', 'no such organisation');
    if (org.kind !== kind) throw badInput('organisationId', `${role} must belong to a ${kind} organisation`);
  }

  private async checkRegions(tx: EntityManager, role: Role, regionIds: string[]): Promise<void> {
    if (role !== Role.REGIONAL_COORDINATOR) {
      if (regionIds.length > 0) throw badInput('regionIds', 'only coordinators are assigned regions');
      return;
    }
    if (regionIds.length === 0) throw badInput('regionIds', 'a coordinator needs at least one region');
    const rows: unknown[] = await tx.query(`SELECT id FROM region WHERE id = ANY($1::uuid[])`, [regionIds]);
    if (rows.length !== new Set(regionIds).size) throw badInput('regionIds', 'no such region');
  }

  /** The user's regions replaced; how many were there before. */
  private async replaceRegions(tx: EntityManager, userId: string, regionIds: string[]): Promise<number> {
    const removed = await queryRows(tx, `DELETE FROM user_region WHERE user_id = $1 RETURNING region_id`, [userId]);
    if (regionIds.length > 0) {
      await tx.query(
        `INSERT INTO user_region (user_id, region_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [userId, regionIds],
      );
    }
    return removed.length;
  }
}
