import { Injectable, Module } from '@nestjs/common';
import DataLoader from 'dataloader';
import {
  AccountsModule,
  OrganisationEntity,
  OrganisationsService,
  RegionEntity,
  RegionsService,
} from '@shelterlink/accounts';
import type { Actor } from '@shelterlink/common';
import { BedPoolsService, BedPoolView, SheltersModule } from '@shelterlink/shelters';

/** Per-request batch loaders for nested fields, so a page of shelters costs one query per field, not one per row. */
export interface Loaders {
  /** As the request's caller sees them (BedPoolsService.forShelters). */
  poolsByShelter: DataLoader<string, BedPoolView[]>;
  region: DataLoader<string, RegionEntity | null>;
  organisation: DataLoader<string, OrganisationEntity | null>;
}

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

@Injectable()
export class LoadersFactory {
  constructor(
    private readonly pools: BedPoolsService,
    private readonly regions: RegionsService,
    private readonly organisations: OrganisationsService,
  ) {}

  create(actor: Actor | null): Loaders {
    return {
      poolsByShelter: new DataLoader(async (ids) => {
        const rows = await this.pools.forShelters(actor, ids);
        return ids.map((id) => rows.filter((p) => p.shelterId === id));
      }),
      region: new DataLoader(async (ids) => byId(await this.regions.findByIds(ids), ids)),
      organisation: new DataLoader(async (ids) => byId(await this.organisations.findByIds(ids), ids)),
    };
  }
}

@Module({
  imports: [AccountsModule, SheltersModule],
  providers: [LoadersFactory],
  exports: [LoadersFactory, AccountsModule],
})
export class LoadersModule {}
