import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { auditActor, AuditKind, AuditService } from '@shelterlink/audit';
import { Actor, DomainError, notFound, Role } from '@shelterlink/common';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '@shelterlink/database';
import { assertRole } from './access';
import { OrganisationEntity, OrganisationKind } from './entities/organisation.entity';

export interface CreateOrganisation {
  name: string;
  kind: OrganisationKind;
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectRepository(OrganisationEntity) private readonly orgs: Repository<OrganisationEntity>,
    private readonly audit: AuditService,
  ) {}

  /** Admins see every organisation; everyone else sees only their own. */
  list(actor: Actor): Promise<OrganisationEntity[]> {
    if (actor.role === Role.ADMIN) return this.orgs.find({ order: { name: 'ASC' } });
    return actor.organisationId ? this.orgs.findBy({ id: actor.organisationId }) : Promise.resolve([]);
  }

  async get(actor: Actor, id: string): Promise<OrganisationEntity> {
    if (actor.role !== Role.ADMIN && actor.organisationId !== id) throw notFound('Organisation');
    const org = await this.orgs.findOneBy({ id });
    if (!org) throw notFound('Organisation');
    return org;
  }

  findByIds(ids: readonly string[]): Promise<OrganisationEntity[]> {
    return this.orgs.createQueryBuilder('o').where('o.id = ANY(:ids)', { ids }).getMany();
  }

  async create(actor: Actor, input: CreateOrganisation): Promise<OrganisationEntity> {
    assertRole(actor, Role.ADMIN);
    const created = await this.orgs.save(this.orgs.create(input)).catch(duplicateName);
    await this.audit.record({
      kind: AuditKind.ORGANISATION_CREATED,
      actor: auditActor(actor),
      subjectType: 'organisation',
      subjectId: created.id,
      detail: { organisationKind: created.kind },
    });
    return created;
  }

  async rename(actor: Actor, id: string, name: string): Promise<OrganisationEntity> {
    assertRole(actor, Role.ADMIN);
    const result = await this.orgs.update({ id }, { name }).catch(duplicateName);
    if (!result.affected) throw notFound('Organisation');
    await this.audit.record({
      kind: AuditKind.ORGANISATION_RENAMED,
      actor: auditActor(actor),
      subjectType: 'organisation',
      subjectId: id,
    });
    return this.orgs.findOneByOrFail({ id });
  }
}

function duplicateName(error: unknown): never {
  if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
    throw new DomainError('CONFLICT', 'An organisation with this name exists', { field: 'name' });
  }
  throw error;
}
