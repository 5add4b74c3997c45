import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, badInput, checkPageSize, decodeCursor, encodeCursor, forbidden, Role } from '@shelterlink/common';
import { AuditEventInput, AuditKind } from './audit-event';

export interface AuditEventRow {
  id: string;
  occurred_at: Date;
  kind: AuditKind;
  actor_user_id: string | null;
  actor_role: Role | null;
  organisation_id: string | null;
  address: string | null;
  subject_type: string | null;
  subject_id: string | null;
  detail: Record<string, string | number | boolean | null>;
}

export interface ListAuditEvents {
  kinds?: readonly AuditKind[] | null;
  actorUserId?: string | null;
  from?: Date | null;
  to?: Date | null;
  first: number;
  after?: string | null;
}

/**
 * The security trail: every entry goes to the append-only `audit_event` table and, at once, to the log as a
 * structured line (`audit`), so a lost write still leaves a trace. Recording never fails the caller's operation.
 * Admins read it (`list`); nobody can change it.
 */
const BIGINT_MAX = 2n ** 63n - 1n;

@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records an entry; resolves when written (or when the write failed, which is logged). */
  async record(event: AuditEventInput): Promise<void> {
    const entry = {
      kind: event.kind,
      actorUserId: event.actor?.userId ?? null,
      actorRole: event.actor?.role ?? null,
      organisationId: event.actor?.organisationId ?? null,
      subjectType: event.subjectType ?? null,
      subjectId: event.subjectId ?? null,
      detail: event.detail ?? {},
    };
    // the address stays out of the log line (it is in the table, for admins)
    this.logger.log({ audit: entry }, 'audit');
    try {
      await this.db.query(
        `INSERT INTO audit_event (kind, actor_user_id, actor_role, organisation_id, address, subject_type, subject_id,
                                  detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          entry.kind,
          entry.actorUserId,
          entry.actorRole,
          entry.organisationId,
          event.address ?? null,
          entry.subjectType,
          entry.subjectId,
          JSON.stringify(entry.detail),
        ],
      );
    } catch (error) {
      this.logger.error({ err: { type: (error as Error)?.name }, kind: entry.kind }, 'audit entry not written');
    }
  }

  /** Admins only: newest first (entries are numbered as written), filtered by kinds, actor and a period, paged. */
  async list(actor: Actor, args: ListAuditEvents) {
    if (actor.role !== Role.ADMIN) throw forbidden();
    const first = checkPageSize(args.first);
    const params: unknown[] = [first + 1];
    const where: string[] = [];
    if (args.kinds?.length) where.push(`kind = ANY ($${params.push(args.kinds)}::text[])`);
    if (args.actorUserId) where.push(`actor_user_id = $${params.push(args.actorUserId)}::uuid`);
    if (args.from) where.push(`occurred_at >= $${params.push(args.from)}`);
    if (args.to) where.push(`occurred_at < $${params.push(args.to)}`);
    if (args.after) {
      const [id] = decodeCursor(args.after, 1);
      if (typeof id !== 'string' || !/^\d{1,19}$/.test(id) || BigInt(id) > BIGINT_MAX) {
        throw badInput('after', 'is not a valid cursor');
      }
      where.push(`id < $${params.push(id)}::bigint`);
    }
    const rows = await this.db.query<AuditEventRow[]>(
      `SELECT id::text, occurred_at, kind, actor_user_id, actor_role, organisation_id, address, subject_type, subject_id,
              detail
         FROM audit_event ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY audit_event.id DESC LIMIT $1`,
      params,
    );
    const items = rows.slice(0, first);
    const cursorOf = (r: AuditEventRow) => encodeCursor([r.id]);
    const last = items.at(-1);
    return { items, cursorOf, hasNextPage: rows.length > first, endCursor: last ? cursorOf(last) : null };
  }
}

/** The actor of an entry, from the caller: ids and role only. */
export const auditActor = (actor: Actor | null | undefined) =>
  actor ? { userId: actor.userId, role: actor.role, organisationId: actor.organisationId } : null;

/** The names of the fields an update sets (those not undefined), for an audit entry: never their values. */
export const changedFields = (input: object): string =>
  Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field)
    .join(',');
