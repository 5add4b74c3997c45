import { Eligibility } from '../vocabulary';

/**
 * The shelter table's column for each eligibility field: the one list the entity, the search statement, the demo
 * loader and the test fixtures all read. A new field does not compile until it has its column here.
 */
export const ELIGIBILITY_COLUMNS = {
  genders: 'elig_genders',
  minAge: 'elig_min_age',
  maxAge: 'elig_max_age',
  acceptsUnaccompaniedMinors: 'elig_unaccompanied_minors',
  acceptsChildren: 'elig_accepts_children',
  maxChildren: 'elig_max_children',
  childMinAge: 'elig_child_min_age',
  childMaxAge: 'elig_child_max_age',
  traffickingTypes: 'elig_trafficking_types',
  languages: 'elig_languages',
  wheelchairAccessible: 'elig_wheelchair_accessible',
  petsAllowed: 'elig_pets_allowed',
  substanceUsePolicy: 'elig_substance_use_policy',
  lgbtqAffirming: 'elig_lgbtq_affirming',
  requiresLawEnforcementCooperation: 'elig_requires_law_enforcement',
  immigrationPolicy: 'elig_immigration_policy',
  acceptsTraffickingRelatedRecords: 'elig_accepts_trafficking_records',
  requiresIdDocuments: 'elig_requires_id_documents',
  programming: 'elig_programming',
  curfew: 'elig_curfew',
  maxStayDays: 'elig_max_stay_days',
} as const satisfies Readonly<Record<keyof Eligibility, `elig_${string}`>>;

export type EligibilityColumn = (typeof ELIGIBILITY_COLUMNS)[keyof Eligibility];

const FIELDS = Object.keys(ELIGIBILITY_COLUMNS) as (keyof Eligibility)[];

/** The column of a field, on the shelter alias `alias` (for SQL). */
export const eligibilityColumn = (field: keyof Eligibility, alias = 'n'): string =>
  `${alias}.${ELIGIBILITY_COLUMNS[field]}`;

/** Column → value, for an INSERT or UPDATE of the fields given. */
export function eligibilityRow(e: Partial<Eligibility>): Record<EligibilityColumn, unknown> {
  return Object.fromEntries(
    FIELDS.filter((f) => e[f] !== undefined).map((f) => [ELIGIBILITY_COLUMNS[f], e[f]]),
  ) as Record<EligibilityColumn, unknown>;
}

/** SQL: the shelter `alias`'s eligibility as a JSON object with the Eligibility field names. */
export function eligibilityJsonSql(alias = 'n'): string {
  return `json_build_object(${FIELDS.map((f) => `'${f}', ${eligibilityColumn(f, alias)}`).join(', ')})`;
}
