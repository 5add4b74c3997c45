import {
  BedType,
  ExclusionReason as R,
  Gender,
  ImmigrationPolicy,
  ImmigrationStatus,
  Programming,
  ShelterService,
  ShelterStatus,
  SubstanceUse,
  SubstanceUsePolicy,
  TraffickingType,
  Urgency,
} from '../vocabulary';
import { evaluate, fittingBedTypes } from './eligibility';
import { candidate, needs, openEligibility } from './test-candidates';

describe('eligibility', () => {
  it('an open shelter with a free single bed matches a simple profile', () => {
    expect(evaluate(needs(), candidate())).toEqual({
      reasons: [],
      pool: { id: 'single', bedType: BedType.SINGLE, available: 2, fitTier: 0 },
    });
  });

  // each rule: a profile and a shelter that differ from the match above in that rule alone
  const rules: [R, Parameters<typeof needs>[0], Parameters<typeof candidate>[0]][] = [
    [R.REGION_EXCLUDED, { excludedRegionIds: ['county-a'] }, {}],
    [R.REGION_EXCLUDED, { excludedRegionIds: ['state'] }, {}],
    [R.PAUSED, {}, { status: ShelterStatus.PAUSED }],
    [R.INTAKE_CLOSED, { urgency: Urgency.TONIGHT }, { acceptingIntakesNow: false }],
    [R.GENDER, { gender: Gender.MAN }, { eligibility: openEligibility({ genders: [Gender.WOMAN] }) }],
    [R.AGE, { age: 17 }, { eligibility: openEligibility({ minAge: 18 }) }],
    [R.AGE, { age: 70 }, { eligibility: openEligibility({ maxAge: 65 }) }],
    [R.UNACCOMPANIED_MINOR, { age: 16 }, { eligibility: openEligibility({ acceptsUnaccompaniedMinors: false }) }],
    [R.CHILDREN, { childrenAges: [3] }, { eligibility: openEligibility({ acceptsChildren: false, maxChildren: 0 }) }],
    [R.CHILDREN, { childrenAges: [3, 5, 7] }, { eligibility: openEligibility({ maxChildren: 2 }) }],
    [R.CHILDREN, { childrenAges: [15] }, { eligibility: openEligibility({ childMaxAge: 12 }) }],
    [
      R.TRAFFICKING_TYPE,
      { traffickingTypes: [TraffickingType.LABOUR] },
      { eligibility: openEligibility({ traffickingTypes: [TraffickingType.SEX] }) },
    ],
    [
      R.TRAFFICKING_TYPE,
      { traffickingTypes: [TraffickingType.SEX, TraffickingType.LABOUR] },
      { eligibility: openEligibility({ traffickingTypes: [TraffickingType.SEX] }) },
    ],
    [R.LANGUAGE, { languages: ['es'] }, {}],
    [
      R.NOT_WHEELCHAIR_ACCESSIBLE,
      { wheelchairUser: true },
      { eligibility: openEligibility({ wheelchairAccessible: false }) },
    ],
    [R.PETS, { hasPets: true }, { eligibility: openEligibility({ petsAllowed: false }) }],
    [
      R.SUBSTANCE_USE,
      { substanceUse: SubstanceUse.ACTIVE_USE },
      { eligibility: openEligibility({ substanceUsePolicy: SubstanceUsePolicy.ABSTINENCE_REQUIRED }) },
    ],
    [R.LGBTQ_AFFIRMING, { lgbtqAffirmingRequired: true }, { eligibility: openEligibility({ lgbtqAffirming: false }) }],
    [
      R.LAW_ENFORCEMENT,
      { willingToInvolveLawEnforcement: false },
      { eligibility: openEligibility({ requiresLawEnforcementCooperation: true }) },
    ],
    [
      R.IMMIGRATION_STATUS,
      { immigrationStatus: ImmigrationStatus.FOREIGN_NATIONAL },
      { eligibility: openEligibility({ immigrationPolicy: ImmigrationPolicy.LAWFUL_STATUS_REQUIRED }) },
    ],
    [
      R.IMMIGRATION_STATUS,
      { immigrationStatus: ImmigrationStatus.LAWFUL_RESIDENT },
      { eligibility: openEligibility({ immigrationPolicy: ImmigrationPolicy.CITIZENS_ONLY }) },
    ],
    [
      R.IMMIGRATION_STATUS,
      { immigrationStatus: ImmigrationStatus.UNKNOWN },
      { eligibility: openEligibility({ immigrationPolicy: ImmigrationPolicy.LAWFUL_STATUS_REQUIRED }) },
    ],
    [
      R.CRIMINAL_RECORD,
      { hasTraffickingRelatedRecord: true },
      { eligibility: openEligibility({ acceptsTraffickingRelatedRecords: false }) },
    ],
    [R.ID_REQUIRED, { hasIdDocuments: false }, { eligibility: openEligibility({ requiresIdDocuments: true }) }],
    [
      R.MANDATORY_PROGRAMMING,
      { requiresVoluntaryProgramming: true },
      { eligibility: openEligibility({ programming: Programming.MANDATORY }) },
    ],
    [R.CURFEW, { cannotKeepCurfew: true }, { eligibility: openEligibility({ curfew: '22:00:00' }) }],
    [R.MAX_STAY, { minimumStayDays: 90 }, { eligibility: openEligibility({ maxStayDays: 30 }) }],
    [R.NO_FAMILY_UNIT, { childrenAges: [4] }, { pools: [{ id: 'single', bedType: BedType.SINGLE, available: 3 }] }],
    [
      R.NO_ACCESSIBLE_BED,
      { wheelchairUser: true },
      { pools: [{ id: 'single', bedType: BedType.SINGLE, available: 3 }] },
    ],
    [R.NO_FITTING_BED, {}, { pools: [{ id: 'crib', bedType: BedType.CRIB, available: 3 }] }],
    [R.NO_AVAILABLE_BED, {}, { pools: [{ id: 'single', bedType: BedType.SINGLE, available: 0 }] }],
  ];

  it.each(rules)('%s excludes, and only that rule fires', (reason, n, c) => {
    expect(evaluate(needs(n), candidate(c))).toEqual({ reasons: [reason], pool: null });
  });

  it('the same profile passes when the shelter relaxes that rule', () => {
    expect(evaluate(needs({ gender: Gender.MAN }), candidate()).reasons).toEqual([]);
    expect(evaluate(needs({ age: 16 }), candidate()).reasons).toEqual([]);
    expect(
      evaluate(needs({ minimumStayDays: 30 }), candidate({ eligibility: openEligibility({ maxStayDays: 30 }) }))
        .reasons,
    ).toEqual([]);
  });

  it('a closed intake desk excludes only tonight’s placements', () => {
    const closed = candidate({ acceptingIntakesNow: false });
    expect(evaluate(needs({ urgency: Urgency.WITHIN_72_HOURS }), closed).reasons).toEqual([]);
    expect(evaluate(needs({ urgency: Urgency.PLANNED }), closed).reasons).toEqual([]);
  });

  it('interpretation lets a shelter serve a survivor whose language no staff speak', () => {
    const c = candidate({ services: [ShelterService.INTERPRETATION] });
    expect(evaluate(needs({ languages: ['vi'] }), c).reasons).toEqual([]);
  });

  it('reports every reason a shelter fails, not only the first', () => {
    const c = candidate({
      status: ShelterStatus.PAUSED,
      eligibility: openEligibility({ genders: [Gender.WOMAN], petsAllowed: false }),
    });
    expect(evaluate(needs({ gender: Gender.MAN, hasPets: true }), c).reasons).toEqual([R.PAUSED, R.GENDER, R.PETS]);
  });

  describe('bed type fit', () => {
    it('children need a family unit; a wheelchair user an accessible bed; others single first', () => {
      expect(fittingBedTypes({ childrenAges: [2], wheelchairUser: false })).toEqual([BedType.FAMILY_UNIT]);
      expect(fittingBedTypes({ childrenAges: [], wheelchairUser: true })).toEqual([BedType.ACCESSIBLE]);
      expect(fittingBedTypes({ childrenAges: [2], wheelchairUser: true })).toEqual([BedType.FAMILY_UNIT]);
      expect(fittingBedTypes({ childrenAges: [], wheelchairUser: false })).toEqual([
        BedType.SINGLE,
        BedType.ACCESSIBLE,
        BedType.EMERGENCY_OVERFLOW,
      ]);
    });

    it('falls back to the next fitting type when the best is full, and says how good the fit is', () => {
      const c = candidate({
        pools: [
          { id: 'single', bedType: BedType.SINGLE, available: 0 },
          { id: 'overflow', bedType: BedType.EMERGENCY_OVERFLOW, available: 4 },
        ],
      });
      expect(evaluate(needs(), c).pool).toEqual({
        id: 'overflow',
        bedType: BedType.EMERGENCY_OVERFLOW,
        available: 4,
        fitTier: 2,
      });
    });

    it('a family is offered the family unit', () => {
      expect(evaluate(needs({ childrenAges: [1, 6] }), candidate()).pool?.bedType).toBe(BedType.FAMILY_UNIT);
    });
  });
});
