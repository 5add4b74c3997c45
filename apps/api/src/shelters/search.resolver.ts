import { Args, Query, Resolver } from '@nestjs/graphql';
import { badInput } from '@shelterlink/common';
import { BedSearchService, NeedsProfile } from '@shelterlink/shelters';
import { NeedsInput, SearchBedsArgs } from './shelter.inputs';
import { BedSearchResultModel } from './shelter.models';

@Resolver()
export class SearchResolver {
  constructor(private readonly search: BedSearchService) {}

  @Query(() => BedSearchResultModel, {
    description: 'Available beds that fit the needs, best first; confidential addresses never appear here',
    complexity: ({ args, childComplexity }) => Number(args.first ?? 10) * childComplexity,
  })
  async searchBeds(@Args() args: SearchBedsArgs): Promise<BedSearchResultModel> {
    const needs = toNeedsProfile(args.needs);
    const result = await this.search.search(needs, args.first);
    return {
      matches: result.matches.map((m, i) => ({
        rank: i + 1,
        shelter: {
          id: m.candidate.id,
          name: m.candidate.name,
          city: m.candidate.city,
          regionId: m.candidate.regionId,
          approximateLocation: { latitude: m.candidate.latitude, longitude: m.candidate.longitude },
          services: m.candidate.services,
          holdMinutes: m.candidate.holdMinutes,
          responseMinutes: m.candidate.responseMinutes,
        },
        poolId: m.pool.id,
        bedType: m.pool.bedType,
        available: m.pool.available,
        distanceKm: m.distanceKm,
        availabilityVerifiedAt: m.candidate.availabilityVerifiedAt,
        stale: m.stale,
        acceptingIntakesNow: m.candidate.acceptingIntakesNow,
        languageViaInterpretation: m.key.languageViaInterpretation === 1,
        servicesMissing: needs.servicesNeeded.filter((s) => !m.candidate.services.includes(s)),
      })),
      examinedShelters: result.examined,
      excludedShelters: result.excluded,
      exclusions: [...result.exclusions.entries()]
        .map(([reason, shelters]) => ({ reason, shelters }))
        .sort((a, b) => b.shelters - a.shelters || a.reason.localeCompare(b.reason)),
    };
  }
}

/** Omitted optional fields arrive as undefined; the engine works with explicit nulls. */
export function toNeedsProfile(input: NeedsInput): NeedsProfile {
  if (input.radiusKm != null && !input.location) throw badInput('needs.radiusKm', 'a radius needs a location');
  return {
    ...input,
    location: input.location ? { latitude: input.location.latitude, longitude: input.location.longitude } : null,
    radiusKm: input.radiusKm ?? null,
    minimumStayDays: input.minimumStayDays ?? null,
  };
}
