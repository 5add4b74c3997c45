import { ExclusionReason as R } from '@shelterlink/shelters';

/** What a coordinator reads for each exclusion reason in the unmet-need report: what the referrals needed. */
const NEEDED: Readonly<Record<R, string>> = {
  [R.REGION_EXCLUDED]: 'a shelter outside the regions they must avoid',
  [R.PAUSED]: 'a shelter that was not paused',
  [R.INTAKE_CLOSED]: 'a shelter taking intakes at the time',
  [R.GENDER]: 'gender served',
  [R.AGE]: 'a shelter serving their age',
  [R.UNACCOMPANIED_MINOR]: 'a shelter for unaccompanied minors',
  [R.CHILDREN]: 'room for their children',
  [R.TRAFFICKING_TYPE]: 'trafficking type served',
  [R.LANGUAGE]: 'language',
  [R.NOT_WHEELCHAIR_ACCESSIBLE]: 'a wheelchair-accessible shelter',
  [R.PETS]: 'a shelter allowing pets',
  [R.SUBSTANCE_USE]: 'a shelter fitting their substance use',
  [R.LGBTQ_AFFIRMING]: 'an LGBTQ-affirming shelter',
  [R.LAW_ENFORCEMENT]: 'a shelter not requiring law-enforcement involvement',
  [R.IMMIGRATION_STATUS]: 'a shelter open to their immigration status',
  [R.CRIMINAL_RECORD]: 'a shelter accepting trafficking-related records',
  [R.ID_REQUIRED]: 'a shelter not requiring ID documents',
  [R.MANDATORY_PROGRAMMING]: 'voluntary programming',
  [R.CURFEW]: 'a shelter without a curfew',
  [R.MAX_STAY]: 'a longer stay',
  [R.NO_FAMILY_UNIT]: 'a family unit',
  [R.NO_ACCESSIBLE_BED]: 'an accessible bed',
  [R.NO_FITTING_BED]: 'a fitting bed type',
  [R.NO_AVAILABLE_BED]: 'a free bed',
};

const DETAIL: Readonly<Record<string, string>> = {
  WOMAN: 'women',
  MAN: 'men',
  TRANSGENDER_WOMAN: 'transgender women',
  TRANSGENDER_MAN: 'transgender men',
  NON_BINARY: 'non-binary people',
  SEX: 'sex trafficking',
  LABOUR: 'labour trafficking',
};

/** Reasons reported with what the needs asked for (the language, gender or trafficking type). */
export const DETAILED_REASONS: readonly R[] = [R.LANGUAGE, R.GENDER, R.TRAFFICKING_TYPE];

/** "needs a family unit", "needs language: es", "needs gender served: men", "needs language: other languages". */
export function unmetNeedLabel(reason: R, detail: string | null): string {
  const needed = NEEDED[reason] ?? reason;
  if (!DETAILED_REASONS.includes(reason)) return `needs ${needed}`;
  if (detail === null) return `needs ${needed}: other (each fewer than the reporting threshold)`;
  return `needs ${needed}: ${DETAIL[detail] ?? detail}`;
}
