import {
  BedType,
  Eligibility,
  ExclusionReason as R,
  ImmigrationPolicy,
  ImmigrationStatus,
  NeedsProfile,
  Programming,
  ShelterService,
  ShelterStatus,
  SubstanceUse,
  SubstanceUsePolicy,
  Urgency,
} from '../vocabulary';

/** One shelter as the search statement returns it: public fields, eligibility and its pools. */
export interface ShelterCandidate {
  id: string;
  name: string;
  regionPath: string[];
  status: ShelterStatus;
  acceptingIntakesNow: boolean;
  services: ShelterService[];
  eligibility: Eligibility;
  pools: { id: string; bedType: BedType; available: number }[];
  distanceMeters: number | null;
  availabilityVerifiedAt: Date;
}

/**
 * The bed types that fit a needs profile, best first. Children need a family unit (in a wheelchair-accessible
 * shelter when the survivor uses a wheelchair); a wheelchair user needs an accessible bed; anyone else takes a
 * single bed, then an accessible one, then emergency overflow.
 */
export function fittingBedTypes(needs: Pick<NeedsProfile, 'childrenAges' | 'wheelchairUser'>): BedType[] {
  if (needs.childrenAges.length > 0) return [BedType.FAMILY_UNIT];
  if (needs.wheelchairUser) return [BedType.ACCESSIBLE];
  return [BedType.SINGLE, BedType.ACCESSIBLE, BedType.EMERGENCY_OVERFLOW];
}

function missingBedReason(needs: NeedsProfile): R {
  if (needs.childrenAges.length > 0) return R.NO_FAMILY_UNIT;
  if (needs.wheelchairUser) return R.NO_ACCESSIBLE_BED;
  return R.NO_FITTING_BED;
}

/** Each hard rule: the reason it excludes a shelter, and when. */
const RULES: readonly [R, (needs: NeedsProfile, c: ShelterCandidate) => boolean][] = [
  [R.REGION_EXCLUDED, (n, c) => n.excludedRegionIds.some((id) => c.regionPath.includes(id))],
  [R.PAUSED, (_n, c) => c.status === ShelterStatus.PAUSED],
  // a paused shelter takes no intakes either, but PAUSED already says so
  [
    R.INTAKE_CLOSED,
    (n, c) => n.urgency === Urgency.TONIGHT && c.status === ShelterStatus.ACTIVE && !c.acceptingIntakesNow,
  ],
  [R.GENDER, (n, c) => !c.eligibility.genders.includes(n.gender)],
  [R.AGE, (n, c) => n.age < c.eligibility.minAge || n.age > c.eligibility.maxAge],
  [R.UNACCOMPANIED_MINOR, (n, c) => n.age < 18 && !c.eligibility.acceptsUnaccompaniedMinors],
  [
    R.CHILDREN,
    (n, { eligibility: e }) =>
      n.childrenAges.length > 0 &&
      (!e.acceptsChildren ||
        n.childrenAges.length > e.maxChildren ||
        n.childrenAges.some((age) => age < e.childMinAge || age > e.childMaxAge)),
  ],
  [R.TRAFFICKING_TYPE, (n, c) => n.traffickingTypes.some((t) => !c.eligibility.traffickingTypes.includes(t))],
  [R.LANGUAGE, (n, c) => languageFit(n, c) === null],
  [R.NOT_WHEELCHAIR_ACCESSIBLE, (n, c) => n.wheelchairUser && !c.eligibility.wheelchairAccessible],
  [R.PETS, (n, c) => n.hasPets && !c.eligibility.petsAllowed],
  [
    R.SUBSTANCE_USE,
    (n, c) =>
      n.substanceUse === SubstanceUse.ACTIVE_USE &&
      c.eligibility.substanceUsePolicy === SubstanceUsePolicy.ABSTINENCE_REQUIRED,
  ],
  [R.LGBTQ_AFFIRMING, (n, c) => n.lgbtqAffirmingRequired && !c.eligibility.lgbtqAffirming],
  [R.LAW_ENFORCEMENT, (n, c) => !n.willingToInvolveLawEnforcement && c.eligibility.requiresLawEnforcementCooperation],
  [R.IMMIGRATION_STATUS, (n, c) => !immigrationAllowed(c.eligibility.immigrationPolicy, n.immigrationStatus)],
  [R.CRIMINAL_RECORD, (n, c) => n.hasTraffickingRelatedRecord && !c.eligibility.acceptsTraffickingRelatedRecords],
  [R.ID_REQUIRED, (n, c) => !n.hasIdDocuments && c.eligibility.requiresIdDocuments],
  [
    R.MANDATORY_PROGRAMMING,
    (n, c) => n.requiresVoluntaryProgramming && c.eligibility.programming === Programming.MANDATORY,
  ],
  [R.CURFEW, (n, c) => n.cannotKeepCurfew && c.eligibility.curfew !== null],
  [
    R.MAX_STAY,
    (n, c) =>
      n.minimumStayDays !== null && c.eligibility.maxStayDays !== null && c.eligibility.maxStayDays < n.minimumStayDays,
  ],
];

function immigrationAllowed(policy: ImmigrationPolicy, status: ImmigrationStatus): boolean {
  switch (policy) {
    case ImmigrationPolicy.OPEN_TO_ALL:
      return true;
    case ImmigrationPolicy.LAWFUL_STATUS_REQUIRED:
      return status === ImmigrationStatus.CITIZEN || status === ImmigrationStatus.LAWFUL_RESIDENT;
    case ImmigrationPolicy.CITIZENS_ONLY:
      return status === ImmigrationStatus.CITIZEN;
  }
}

/** 0: staff speak one of the survivor's languages; 1: only through the shelter's interpretation; null: neither. */
export function languageFit(needs: NeedsProfile, c: ShelterCandidate): 0 | 1 | null {
  if (needs.languages.length === 0) return 0;
  if (needs.languages.some((l) => c.eligibility.languages.includes(l))) return 0;
  return c.services.includes(ShelterService.INTERPRETATION) ? 1 : null;
}

export interface Evaluation {
  reasons: R[];
  /** The best fitting pool with a free bed, and its place in the fit order (0 = best). */
  pool: { id: string; bedType: BedType; available: number; fitTier: number } | null;
}

/** Every reason that excludes this shelter for these needs; no reasons means it is a match. */
export function evaluate(needs: NeedsProfile, c: ShelterCandidate): Evaluation {
  const reasons: R[] = [];
  for (const [reason, excludes] of RULES) if (excludes(needs, c)) reasons.push(reason);

  const types = fittingBedTypes(needs);
  let pool: Evaluation['pool'] = null;
  let fitting = false;
  for (const [fitTier, type] of types.entries()) {
    const p = c.pools.find((x) => x.bedType === type);
    if (!p) continue;
    fitting = true;
    if (p.available > 0) {
      pool = { ...p, fitTier };
      break;
    }
  }
  if (!fitting) reasons.push(missingBedReason(needs));
  else if (!pool) reasons.push(R.NO_AVAILABLE_BED);
  return { reasons, pool: reasons.length === 0 ? pool : null };
}
