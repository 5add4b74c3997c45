import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CapacitySignal } from '@shelterlink/queue';
import { DataSource } from 'typeorm';
import { auditActor, changedFields, AuditKind, AuditService } from '@shelterlink/audit';
import { Actor, badInput, DomainError, notFound, Role } from '@shelterlink/common';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '@shelterlink/database';
import { assertRole } from './access';
import { RegionEntity } from './entities/region.entity';

export interface CreateRegion {
  code: string;
  name: string;
  parentId?: string | null;
}

export interface UpdateRegion {
  code?: string;
  name?: string;
  /** `null` makes the region a root; absent leaves the parent as it is. */
  parentId?: string | null;
}

@Injectable()
export class RegionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly capacity: CapacitySignal,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<RegionEntity[]> {
    return this.db.getRepository(RegionEntity).find({ order: { code: 'ASC' } });
  }

  async get(id: string): Promise<RegionEntity> {
    const region = await this.db.getRepository(RegionEntity).findOneBy({ id });
    if (!region) throw notFound('Region');
    return region;
  }

  findByIds(ids: readonly string[]): Promise<RegionEntity[]> {
    return this.db.getRepository(RegionEntity).createQueryBuilder('r').where('r.id = ANY(:ids)', { ids }).getMany();
  }

  /**
   * The region, when this caller may watch it: coordinators only their assigned regions and those below;
   * other roles any region. Anything else is not found.
   */
  async getVisible(actor: Actor, id: string): Promise<RegionEntity> {
    const region = await this.get(id);
    if (actor.role === Role.REGIONAL_COORDINATOR && !region.path.some((r) => actor.regionIds.includes(r))) {
      throw notFound('Region');
    }
    return region;
  }

  /** Whether `regionId` is one of `scope` or lies below one of them. */
  async isWithin(regionId: string, scope: readonly string[]): Promise<boolean> {
    if (scope.length === 0) return false;
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM region WHERE id = $1 AND path && $2::uuid[]`, [
      regionId,
      scope,
    ]);
    return rows.length > 0;
  }

  async create(actor: Actor, input: CreateRegion): Promise<RegionEntity> {
    assertRole(actor, Role.ADMIN);
    if (input.parentId) {
      const parent = await this.db.getRepository(RegionEntity).findOneBy({ id: input.parentId });
      if (!parent) throw badInput('parentId', 'no such region');
    }
    const rows = await this.db
      .query<{ id: string }[]>(
        `INSERT INTO region (id, code, name, parent_id, path)
         SELECT g.id, $1, $2, $3::uuid, COALESCE((SELECT path FROM region WHERE id = $3::uuid), '{}') || g.id
           FROM (SELECT gen_random_uuid() AS id) g
         RETURNING id`,
        [input.code, input.name, input.parentId ?? null],
      )
      .catch(duplicateCode);
    await this.audit.record({
      kind: AuditKind.REGION_CREATED,
      actor: auditActor(actor),
      subjectType: 'region',
      subjectId: rows[0].id,
    });
    return this.get(rows[0].id);
  }

  async update(actor: Actor, id: string, input: UpdateRegion): Promise<RegionEntity> {
    assertRole(actor, Role.ADMIN);
    const updated = await this.db.transaction(async (tx) => {
      const [region] = await tx.query<{ id: string; path: string[] }[]>(
        `SELECT id, path FROM region WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!region) throw notFound('Region');
      await tx
        .query(
          `UPDATE region SET code = COALESCE($2, code), name = COALESCE($3, name), updated_at = now() WHERE id = $1`,
          [id, input.code ?? null, input.name ?? null],
        )
        .catch(duplicateCode);
      if (input.parentId !== undefined) {
        let prefix: string[] = [];
        if (input.parentId !== null) {
          const [parent] = await tx.query<{ path: string[] }[]>(`SELECT path FROM region WHERE id = $1`, [
            input.parentId,
          ]);
          if (!parent) throw badInput('parentId', 'no such region');
          if (parent.path.includes(id)) throw badInput('parentId', 'a region cannot move below itself');
          prefix = parent.path;
        }
        // re-root this region and every descendant: new prefix + the part of the path from this region down
        await tx.query(`UPDATE region SET parent_id = $2 WHERE id = $1`, [id, input.parentId]);
        await tx.query(
          `UPDATE region SET path = $2::uuid[] || path[array_position(path, $1::uuid):], updated_at = now()
            WHERE path @> ARRAY[$1::uuid]`,
          [id, prefix],
        );
      }
      return tx.getRepository(RegionEntity).findOneByOrFail({ id });
    });
    // regions' totals and paths changed: reports worked out before must be worked out again
    if (input.parentId !== undefined) await this.capacity.moved();
    await this.audit.record({
      kind: AuditKind.REGION_UPDATED,
      actor: auditActor(actor),
      subjectType: 'region',
      subjectId: id,
      detail: { fields: changedFields(input) },
    });
    return updated;
  }
}

function duplicateCode(error: unknown): never {
  if (pgErrorCode(error) === PG_UNIQUE_VIOLATION)
    throw new DomainError('CONFLICT', 'A region with this code exists', { field: 'code' });
  throw error;
}
