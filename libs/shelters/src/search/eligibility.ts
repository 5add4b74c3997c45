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
import { eligibilityColumn } from '../entities/eligibility-columns';
import { SqlParams } from './sql-params';

/** An eligibility column of the shelter `n`, for the rules' SQL. */
const e = (field: keyof Eligibility) => eligibilityColumn(field, 'n');

/** One shelter as the search statement returns it: public fields, eligibility and its pools. */
export interface ShelterCandidate {
  id: string;
  name: string;
  regionPath: string[];
  status: ShelterStatus;
  acceptingIntakesNow: boolean;
  /** Minutes until it next takes intakes: 0 now, null when paused or not within a week (intake-hours.ts). */
  minutesUntilIntake: number | null;
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

export function missingBedReason(needs: NeedsProfile): R {
  if (needs.childrenAges.length > 0) return R.NO_FAMILY_UNIT;
  if (needs.wheelchairUser) return R.NO_ACCESSIBLE_BED;
  return R.NO_FITTING_BED;
}

/**
 * Each hard rule, once in TypeScript (`excludes`, over a candidate) and once in SQL (`sql`, the same test over one
 * row of the search statement: `n` the shelter, `r` its region, `c.open_now` whether it takes intakes now; null
 * when these needs cannot trigger the rule). The search statement applies the SQL to every shelter it examines
 * and counts exclusions there; the TypeScript re-checks the few rows it returns (a disagreement drops the row,
 * never shows it) and decides alone for referral matching against one shelter. A test runs both over the same
 * random network and needs and requires the same answers.
 */
export interface Rule {
  reason: R;
  excludes: (needs: NeedsProfile, c: ShelterCandidate) => boolean;
  sql: (needs: NeedsProfile, p: SqlParams) => string | null;
}

export const RULES: readonly Rule[] = [
  {
    reason: R.REGION_EXCLUDED,
    excludes: (n, c) => n.excludedRegionIds.some((id) => c.regionPath.includes(id)),
    sql: (n, p) => (n.excludedRegionIds.length > 0 ? `r.path && ${p.add(n.excludedRegionIds, 'uuid[]')}` : null),
  },
  {
    reason: R.PAUSED,
    excludes: (_n, c) => c.status === ShelterStatus.PAUSED,
    sql: (_n, p) => `n.status = ${p.add(ShelterStatus.PAUSED, 'shelter_status')}`,
  },
  {
    // a paused shelter takes no intakes either, but PAUSED already says so
    reason: R.INTAKE_CLOSED,
    excludes: (n, c) => n.urgency === Urgency.TONIGHT && c.status === ShelterStatus.ACTIVE && !c.acceptingIntakesNow,
    sql: (n, p) =>
      n.urgency === Urgency.TONIGHT
        ? `n.status = ${p.add(ShelterStatus.ACTIVE, 'shelter_status')} AND NOT c.open_now`
        : null,
  },
  {
    reason: R.GENDER,
    excludes: (n, c) => !c.eligibility.genders.includes(n.gender),
    sql: (n, p) => `NOT ${p.add(n.gender, 'text')} = ANY (${e('genders')})`,
  },
  {
    reason: R.AGE,
    excludes: (n, c) => n.age < c.eligibility.minAge || n.age > c.eligibility.maxAge,
    sql: (n, p) => `${p.add(n.age, 'int')} NOT BETWEEN ${e('minAge')} AND ${e('maxAge')}`,
  },
  {
    reason: R.UNACCOMPANIED_MINOR,
    excludes: (n, c) => n.age < 18 && !c.eligibility.acceptsUnaccompaniedMinors,
    sql: (n) => (n.age < 18 ? `NOT ${e('acceptsUnaccompaniedMinors')}` : null),
  },
  {
    reason: R.CHILDREN,
    excludes: (n, { eligibility: e }) =>
      n.childrenAges.length > 0 &&
      (!e.acceptsChildren ||
        n.childrenAges.length > e.maxChildren ||
        n.childrenAges.some((age) => age < e.childMinAge || age > e.childMaxAge)),
    sql: (n, p) =>
      n.childrenAges.length === 0
        ? null
        : `(NOT ${e('acceptsChildren')} OR ${p.add(n.childrenAges.length, 'int')} > ${e('maxChildren')}` +
          ` OR ${p.add(Math.min(...n.childrenAges), 'int')} < ${e('childMinAge')}` +
          ` OR ${p.add(Math.max(...n.childrenAges), 'int')} > ${e('childMaxAge')})`,
  },
  {
    reason: R.TRAFFICKING_TYPE,
    excludes: (n, c) => n.traffickingTypes.some((t) => !c.eligibility.traffickingTypes.includes(t)),
    sql: (n, p) =>
      n.traffickingTypes.length > 0 ? `NOT ${e('traffickingTypes')} @> ${p.add(n.traffickingTypes, 'text[]')}` : null,
  },
  {
    reason: R.LANGUAGE,
    excludes: (n, c) => languageFit(n, c) === null,
    sql: (n, p) => {
      const viaInterpretation = languageViaInterpretationSql(n, p);
      return viaInterpretation && `${viaInterpretation} AND NOT ${interpretationSql(p)}`;
    },
  },
  {
    reason: R.NOT_WHEELCHAIR_ACCESSIBLE,
    excludes: (n, c) => n.wheelchairUser && !c.eligibility.wheelchairAccessible,
    sql: (n) => (n.wheelchairUser ? `NOT ${e('wheelchairAccessible')}` : null),
  },
  {
    reason: R.PETS,
    excludes: (n, c) => n.hasPets && !c.eligibility.petsAllowed,
    sql: (n) => (n.hasPets ? `NOT ${e('petsAllowed')}` : null),
  },
  {
    reason: R.SUBSTANCE_USE,
    excludes: (n, c) =>
      n.substanceUse === SubstanceUse.ACTIVE_USE &&
      c.eligibility.substanceUsePolicy === SubstanceUsePolicy.ABSTINENCE_REQUIRED,
    sql: (n, p) =>
      n.substanceUse === SubstanceUse.ACTIVE_USE
        ? `${e('substanceUsePolicy')} = ${p.add(SubstanceUsePolicy.ABSTINENCE_REQUIRED, 'text')}`
        : null,
  },
  {
    reason: R.LGBTQ_AFFIRMING,
    excludes: (n, c) => n.lgbtqAffirmingRequired && !c.eligibility.lgbtqAffirming,
    sql: (n) => (n.lgbtqAffirmingRequired ? `NOT ${e('lgbtqAffirming')}` : null),
  },
  {
    reason: R.LAW_ENFORCEMENT,
    excludes: (n, c) => !n.willingToInvolveLawEnforcement && c.eligibility.requiresLawEnforcementCooperation,
    sql: (n) => (n.willingToInvolveLawEnforcement ? null : e('requiresLawEnforcementCooperation')),
  },
  {
    reason: R.IMMIGRATION_STATUS,
    excludes: (n, c) => !immigrationAllowed(c.eligibility.immigrationPolicy, n.immigrationStatus),
    sql: (n, p) => {
      const allowing = Object.values(ImmigrationPolicy).filter((policy) =>
        immigrationAllowed(policy, n.immigrationStatus),
      );
      return `NOT ${e('immigrationPolicy')} = ANY (${p.add(allowing, 'text[]')})`;
    },
  },
  {
    reason: R.CRIMINAL_RECORD,
    excludes: (n, c) => n.hasTraffickingRelatedRecord && !c.eligibility.acceptsTraffickingRelatedRecords,
    sql: (n) => (n.hasTraffickingRelatedRecord ? `NOT ${e('acceptsTraffickingRelatedRecords')}` : null),
  },
  {
    reason: R.ID_REQUIRED,
    excludes: (n, c) => !n.hasIdDocuments && c.eligibility.requiresIdDocuments,
    sql: (n) => (n.hasIdDocuments ? null : e('requiresIdDocuments')),
  },
  {
    reason: R.MANDATORY_PROGRAMMING,
    excludes: (n, c) => n.requiresVoluntaryProgramming && c.eligibility.programming === Programming.MANDATORY,
    sql: (n, p) =>
      n.requiresVoluntaryProgramming ? `${e('programming')} = ${p.add(Programming.MANDATORY, 'text')}` : null,
  },
  {
    reason: R.CURFEW,
    excludes: (n, c) => n.cannotKeepCurfew && c.eligibility.curfew !== null,
    sql: (n) => (n.cannotKeepCurfew ? `${e('curfew')} IS NOT NULL` : null),
  },
  {
    reason: R.MAX_STAY,
    excludes: (n, c) =>
      n.minimumStayDays !== null && c.eligibility.maxStayDays !== null && c.eligibility.maxStayDays < n.minimumStayDays,
    sql: (n, p) =>
      n.minimumStayDays === null
        ? null
        : `${e('maxStayDays')} IS NOT NULL AND ${e('maxStayDays')} < ${p.add(n.minimumStayDays, 'int')}`,
  },
];

/** SQL: none of the survivor's languages is spoken by staff (null when they named none). */
export function languageViaInterpretationSql(needs: NeedsProfile, p: SqlParams): string | null {
  return needs.languages.length > 0 ? `NOT ${e('languages')} && ${p.add(needs.languages, 'text[]')}` : null;
}

function interpretationSql(p: SqlParams): string {
  return `${p.add(ShelterService.INTERPRETATION, 'text')} = ANY (n.services)`;
}

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
  for (const rule of RULES) if (rule.excludes(needs, c)) reasons.push(rule.reason);

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
