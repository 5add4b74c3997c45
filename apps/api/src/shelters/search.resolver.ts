import { Args, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '@shelterlink/common';
import { BedSearchService } from '@shelterlink/shelters';
import { CurrentActor } from '../common/current-actor.decorator';
import { expensiveCost, REPORT_COSTS } from '../graphql/operation-limits';
import { SearchBedsArgs } from './shelter.inputs';
import { exclusionCounts, toNeedsProfile } from './shelter.mapper';
import { BedSearchResultModel } from './shelter.models';

@Resolver()
export class SearchResolver {
  constructor(private readonly search: BedSearchService) {}

  @Query(() => BedSearchResultModel, {
    description:
      'Available beds that fit the needs, best first; confidential addresses never appear here. Coordinators search ' +
      'the shelters of their regions; everyone else the whole network',
    complexity: expensiveCost(REPORT_COSTS.search, 10),
  })
  async searchBeds(@CurrentActor() actor: Actor, @Args() args: SearchBedsArgs): Promise<BedSearchResultModel> {
    const needs = toNeedsProfile(args.needs);
    const result = await this.search.searchFor(actor, needs, args.first);
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
        intakeOpensInMinutes: m.candidate.minutesUntilIntake,
        languageViaInterpretation: m.key.languageViaInterpretation === 1,
        servicesMissing: needs.servicesNeeded.filter((s) => !m.candidate.services.includes(s)),
      })),
      examinedShelters: result.examined,
      excludedShelters: result.excluded,
      exclusions: exclusionCounts(result.exclusions),
      nearMisses: exclusionCounts(result.nearMisses),
    };
  }
}
