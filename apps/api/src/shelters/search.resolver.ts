import { Args, Query, Resolver } from '@nestjs/graphql';
import { BedSearchService } from '@shelterlink/shelters';
import { SearchBedsArgs } from './shelter.inputs';
import { BedSearchResultModel } from './shelter.models';

@Resolver()
export class SearchResolver {
  constructor(private readonly search: BedSearchService) {}

  @Query(() => BedSearchResultModel, {
    description: 'Available beds that fit the needs, best first; confidential addresses never appear here',
    complexity: ({ args, childComplexity }) => Number(args.first ?? 10) * childComplexity,
  })
  async searchBeds(@Args() { needs, first }: SearchBedsArgs): Promise<BedSearchResultModel> {
    const result = await this.search.search(needs, first);
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
