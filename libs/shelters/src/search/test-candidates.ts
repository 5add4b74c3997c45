import {
  BedType,
  Eligibility,
  Gender,
  ImmigrationPolicy,
  NeedsProfile,
  PLAIN_NEEDS,
  Programming,
  ShelterStatus,
  SubstanceUsePolicy,
  TraffickingType,
} from '../vocabulary';
import { ShelterCandidate } from './eligibility';

/** Builders for the unit specs: a shelter that takes everyone, and a needs profile that asks for little. */
export function openEligibility(overrides: Partial<Eligibility> = {}): Eligibility {
  return {
    genders: Object.values(Gender),
    minAge: 0,
    maxAge: 120,
    acceptsUnaccompaniedMinors: true,
    acceptsChildren: true,
    maxChildren: 5,
    childMinAge: 0,
    childMaxAge: 17,
    traffickingTypes: [TraffickingType.SEX, TraffickingType.LABOUR],
    languages: ['en'],
    wheelchairAccessible: true,
    petsAllowed: true,
    substanceUsePolicy: SubstanceUsePolicy.HARM_REDUCTION,
    lgbtqAffirming: true,
    requiresLawEnforcementCooperation: false,
    immigrationPolicy: ImmigrationPolicy.OPEN_TO_ALL,
    acceptsTraffickingRelatedRecords: true,
    requiresIdDocuments: false,
    programming: Programming.VOLUNTARY,
    curfew: null,
    maxStayDays: null,
    ...overrides,
  };
}

export function candidate(overrides: Partial<ShelterCandidate> = {}): ShelterCandidate {
  return {
    id: 'shelter-1',
    name: 'Shelter',
    regionPath: ['state', 'county-a'],
    status: ShelterStatus.ACTIVE,
    acceptingIntakesNow: true,
    minutesUntilIntake: 0,
    services: [],
    eligibility: openEligibility(),
    pools: [
      { id: 'single', bedType: BedType.SINGLE, available: 2 },
      { id: 'family', bedType: BedType.FAMILY_UNIT, available: 1 },
      { id: 'accessible', bedType: BedType.ACCESSIBLE, available: 1 },
    ],
    distanceMeters: 5_000,
    availabilityVerifiedAt: new Date('2026-11-28T10:00:00Z'),
    ...overrides,
  };
}

export function needs(overrides: Partial<NeedsProfile> = {}): NeedsProfile {
  return { ...PLAIN_NEEDS, ...overrides };
}
