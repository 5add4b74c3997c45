import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { CapacitySignal } from '@shelterlink/queue';
import { assertRole } from '@shelterlink/accounts';
import { Actor, badInput, checkPageSize, decodeCursor, encodeCursor, notFound, Role } from '@shelterlink/common';
import { BedPoolsService } from './bed-pools.service';
import { ShelterEntity } from './entities/shelter.entity';
import { checkPostgresTimeZone } from './postgres-time-zones';
import { isTimeZone } from './search/intake-hours';
import { coarsen, CreateShelter, UpdateShelter } from './shelter-input';
import { directoryScope, toShelterView, ShelterView } from './shelter-view';
import {
  Eligibility,
  Gender,
  ImmigrationPolicy,
  Programming,
  ShelterStatus,
  SubstanceUsePolicy,
  TraffickingType,
} from './vocabulary';

export interface ShelterPage {
  items: ShelterView[];
  cursorOf: (shelter: ShelterView) => string;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface ListShelters {
  first: number;
  after?: string | null;
  /** Shelters in this region or below it. */
  regionId?: string | null;
  /** Only the caller's own organisation's shelters. */
  mine?: boolean | null;
}

/** What a new shelter serves until its staff set its eligibility. */
export const DEFAULT_ELIGIBILITY: Readonly<Eligibility> = {
  genders: [Gender.WOMAN],
  minAge: 18,
  maxAge: 120,
  acceptsUnaccompaniedMinors: false,
  acceptsChildren: false,
  maxChildren: 0,
  childMinAge: 0,
  childMaxAge: 17,
  traffickingTypes: [TraffickingType.SEX, TraffickingType.LABOUR],
  languages: ['en'],
  wheelchairAccessible: false,
  petsAllowed: false,
  substanceUsePolicy: SubstanceUsePolicy.HARM_REDUCTION,
  lgbtqAffirming: false,
  requiresLawEnforcementCooperation: false,
  immigrationPolicy: ImmigrationPolicy.OPEN_TO_ALL,
  acceptsTraffickingRelatedRecords: true,
  requiresIdDocuments: false,
  programming: Programming.VOLUNTARY,
  curfew: null,
  maxStayDays: null,
};

@Injectable()
export class SheltersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly capacity: CapacitySignal,
    private readonly pools: BedPoolsService,
  ) {}

  /**
   * A shelter's view (confidential fields follow toShelterView), for any signed-in caller whose directory holds it
   * (`directoryScope`: a coordinator's, the shelters of their regions); for anyone else it is not found.
   */
  async get(actor: Actor, id: string): Promise<ShelterView> {
    const shelter = await this.directory(actor).andWhere('s.id = :id', { id }).getOne();
    if (!shelter) throw notFound('Shelter');
    return toShelterView(actor, shelter);
  }

  /** The caller's directory (see `get`), by name. */
  async list(actor: Actor, args: ListShelters): Promise<ShelterPage> {
    const first = checkPageSize(args.first);
    const qb = this.directory(actor)
      .orderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(first + 1);
    if (args.after) {
      const [name, id] = decodeCursor(args.after, 2);
      if (typeof name !== 'string' || typeof id !== 'string' || !isUUID(id))
        throw badInput('after', 'is not a valid cursor');
      qb.andWhere('(s.name, s.id) > (:name, :id::uuid)', { name, id });
    }
    if (args.regionId) {
      qb.andWhere('s.region_id IN (SELECT id FROM region WHERE path @> ARRAY[:regionId::uuid])', {
        regionId: args.regionId,
      });
    }
    if (args.mine) qb.andWhere('s.organisation_id = :org', { org: actor.organisationId ?? null });
    const rows = await qb.getMany();
    const items = rows.slice(0, first).map((s) => toShelterView(actor, s));
    const cursorOf = (s: ShelterView) => encodeCursor([s.name, s.id]);
    const last = items.at(-1);
    return { items, cursorOf, hasNextPage: rows.length > first, endCursor: last ? cursorOf(last) : null };
  }

  async create(actor: Actor, input: CreateShelter): Promise<ShelterView> {
    assertRole(actor, Role.SHELTER_STAFF);
    return this.db.transaction(async (tx) => {
      await this.checkRegion(tx, input.regionId);
      const details = { ...input };
      checkIntakeHours(details);
      await this.checkTimeZone(tx, input.timeZone);
      const eligibility = { ...DEFAULT_ELIGIBILITY, ...input.eligibility };
      checkEligibility(eligibility);
      const repo = tx.getRepository(ShelterEntity);
      const saved = await repo.save(
        repo.create({
          organisationId: actor.organisationId!,
          regionId: input.regionId,
          name: input.name,
          city: input.city,
          publicLocation: toPoint(input.location),
          locationConfidential: input.locationConfidential ?? true,
          address: input.address ?? null,
          intakePhone: input.intakePhone ?? null,
          intakeInstructions: input.intakeInstructions ?? null,
          services: input.services ?? [],
          intakeAlwaysOpen: input.intakeAlwaysOpen ?? true,
          intakeDays: input.intakeDays ?? [1, 2, 3, 4, 5],
          intakeOpens: input.intakeOpens ?? null,
          intakeCloses: input.intakeCloses ?? null,
          timeZone: input.timeZone ?? 'America/Chicago',
          holdMinutes: input.holdMinutes ?? 120,
          responseMinutes: input.responseMinutes ?? 30,
          status: input.status ?? ShelterStatus.ACTIVE,
          availabilityVerifiedAt: new Date(),
          eligibility,
        }),
      );
      return toShelterView(actor, await repo.findOneByOrFail({ id: saved.id }));
    });
  }

  async update(actor: Actor, id: string, input: UpdateShelter): Promise<ShelterView> {
    assertRole(actor, Role.SHELTER_STAFF);
    for (const [field, value] of Object.entries(input)) {
      if (value === null && !NULLABLE_DETAILS.has(field)) throw badInput(field, 'must not be null');
    }
    let moved = false;
    let statusChange: Awaited<ReturnType<BedPoolsService['statusChanged']>> | null = null;
    const view = await this.db.transaction(async (tx) => {
      const shelter = await this.ownShelter(tx, actor, id);
      if (input.regionId !== undefined) await this.checkRegion(tx, input.regionId);
      moved = input.regionId !== undefined && input.regionId !== shelter.regionId;
      if (input.status !== undefined && input.status !== shelter.status) {
        statusChange = await this.pools.statusChanged(tx, id, input.status === ShelterStatus.ACTIVE);
      }
      const { location, ...rest } = input;
      const merged: ShelterEntity = { ...shelter, ...stripUndefined(rest) };
      if (location) merged.publicLocation = toPoint(location);
      checkIntakeHours(merged);
      await this.checkTimeZone(tx, input.timeZone);
      const repo = tx.getRepository(ShelterEntity);
      await repo.save(merged);
      return toShelterView(actor, await repo.findOneByOrFail({ id }));
    });
    // its beds now count in other regions: reports worked out before must be worked out again
    if (moved) await this.capacity.moved();
    // paused or resumed: its free beds count elsewhere in every total, and a resumed shelter may take the waitlisted
    if (statusChange) await this.pools.announce(statusChange);
    return view;
  }

  async setEligibility(actor: Actor, id: string, eligibility: Eligibility): Promise<ShelterView> {
    assertRole(actor, Role.SHELTER_STAFF);
    checkEligibility(eligibility);
    return this.db.transaction(async (tx) => {
      const shelter = await this.ownShelter(tx, actor, id);
      const repo = tx.getRepository(ShelterEntity);
      await repo.update({ id: shelter.id }, { eligibility });
      return toShelterView(actor, await repo.findOneByOrFail({ id }));
    });
  }

  /** Shelters (`s`) the caller's directory holds: a coordinator's are those of their regions and below. */
  private directory(actor: Actor) {
    const qb = this.db.getRepository(ShelterEntity).createQueryBuilder('s');
    const scope = directoryScope(actor);
    if (scope) {
      qb.where('s.region_id IN (SELECT id FROM region WHERE path && :scope::uuid[])', { scope });
    }
    return qb;
  }

  /** Staff of the shelter's organisation pass; anyone else finds no such shelter. */
  async assertOwn(actor: Actor, id: string): Promise<void> {
    const rows = await this.db.query<unknown[]>(`SELECT 1 FROM shelter WHERE id = $1 AND organisation_id = $2`, [
      id,
      actor.role === Role.SHELTER_STAFF ? actor.organisationId : null,
    ]);
    if (rows.length === 0) throw notFound('Shelter');
  }

  /** The caller's own shelter, locked for the transaction; any other is not found. */
  async ownShelter(tx: EntityManager, actor: Actor, id: string): Promise<ShelterEntity> {
    const shelter = await tx
      .getRepository(ShelterEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :id AND s.organisation_id = :org', { id, org: actor.organisationId })
      .getOne();
    if (!shelter) throw notFound('Shelter');
    return shelter;
  }

  /** Checked before by `checkIntakeHours` (Node); search needs Postgres to know the zone too. */
  private async checkTimeZone(tx: EntityManager, timeZone: string | undefined): Promise<void> {
    if (timeZone !== undefined) await checkPostgresTimeZone(tx, 'timeZone', timeZone);
  }

  private async checkRegion(tx: EntityManager, regionId: string): Promise<void> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM region WHERE id = $1`, [regionId]);
    if (rows.length === 0) throw badInput('regionId', 'no such region');
  }
}

/** The shelter details that may be cleared with null; every other field needs a value. */
const NULLABLE_DETAILS = new Set(['address', 'intakePhone', 'intakeOpens', 'intakeCloses', 'intakeInstructions']);

function toPoint(location: { latitude: number; longitude: number }) {
  const { latitude, longitude } = coarsen(location);
  return { type: 'Point' as const, coordinates: [longitude, latitude] };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function checkIntakeHours(s: {
  intakeAlwaysOpen?: boolean;
  intakeOpens?: string | null;
  intakeCloses?: string | null;
  timeZone?: string;
}): void {
  if (s.timeZone !== undefined && !isTimeZone(s.timeZone)) throw badInput('timeZone', 'is not a known IANA time zone');
  if (s.intakeAlwaysOpen === false && (!s.intakeOpens || !s.intakeCloses)) {
    throw badInput('intakeOpens', 'intake hours need both an opening and a closing time unless intake is 24/7');
  }
  if (s.intakeOpens && s.intakeCloses && s.intakeOpens.slice(0, 5) === s.intakeCloses.slice(0, 5)) {
    throw badInput('intakeCloses', 'must differ from the opening time');
  }
}

export function checkEligibility(e: Eligibility): void {
  if (e.genders.length === 0) throw badInput('genders', 'name at least one gender served');
  if (e.traffickingTypes.length === 0) throw badInput('traffickingTypes', 'name at least one trafficking type served');
  if (e.languages.length === 0) throw badInput('languages', 'name at least one language spoken');
  if (e.minAge > e.maxAge) throw badInput('maxAge', 'must not be below minAge');
  if (e.childMinAge > e.childMaxAge) throw badInput('childMaxAge', 'must not be below childMinAge');
  if (e.acceptsChildren && e.maxChildren < 1)
    throw badInput('maxChildren', 'must be at least 1 when children are accepted');
  if (!e.acceptsChildren && e.maxChildren !== 0)
    throw badInput('maxChildren', 'must be 0 when children are not accepted');
  if (e.acceptsUnaccompaniedMinors && e.minAge >= 18) {
    throw badInput('minAge', 'must be below 18 when unaccompanied minors are accepted');
  }
}
