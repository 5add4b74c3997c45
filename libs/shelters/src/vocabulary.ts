/** The words shelters and advocates share: eligibility, needs, bed types and services. */

export enum Gender {
  WOMAN = 'WOMAN',
  MAN = 'MAN',
  TRANSGENDER_WOMAN = 'TRANSGENDER_WOMAN',
  TRANSGENDER_MAN = 'TRANSGENDER_MAN',
  NON_BINARY = 'NON_BINARY',
}

export enum TraffickingType {
  SEX = 'SEX',
  LABOUR = 'LABOUR',
}

export enum BedType {
  SINGLE = 'SINGLE',
  FAMILY_UNIT = 'FAMILY_UNIT',
  ACCESSIBLE = 'ACCESSIBLE',
  CRIB = 'CRIB',
  EMERGENCY_OVERFLOW = 'EMERGENCY_OVERFLOW',
}

export enum ShelterService {
  CASE_MANAGEMENT = 'CASE_MANAGEMENT',
  TRAUMA_THERAPY = 'TRAUMA_THERAPY',
  MENTAL_HEALTH = 'MENTAL_HEALTH',
  LEGAL_AID = 'LEGAL_AID',
  IMMIGRATION_LEGAL = 'IMMIGRATION_LEGAL',
  MEDICAL = 'MEDICAL',
  SUBSTANCE_USE_TREATMENT = 'SUBSTANCE_USE_TREATMENT',
  CHILDCARE = 'CHILDCARE',
  INTERPRETATION = 'INTERPRETATION',
  JOB_TRAINING = 'JOB_TRAINING',
  EDUCATION = 'EDUCATION',
}

export enum ShelterStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
}

export enum SubstanceUsePolicy {
  ABSTINENCE_REQUIRED = 'ABSTINENCE_REQUIRED',
  HARM_REDUCTION = 'HARM_REDUCTION',
  TREATMENT_ON_SITE = 'TREATMENT_ON_SITE',
}

export enum SubstanceUse {
  NONE = 'NONE',
  IN_RECOVERY = 'IN_RECOVERY',
  ACTIVE_USE = 'ACTIVE_USE',
}

export enum ImmigrationPolicy {
  OPEN_TO_ALL = 'OPEN_TO_ALL',
  LAWFUL_STATUS_REQUIRED = 'LAWFUL_STATUS_REQUIRED',
  CITIZENS_ONLY = 'CITIZENS_ONLY',
}

export enum ImmigrationStatus {
  CITIZEN = 'CITIZEN',
  LAWFUL_RESIDENT = 'LAWFUL_RESIDENT',
  FOREIGN_NATIONAL = 'FOREIGN_NATIONAL',
  UNKNOWN = 'UNKNOWN',
}

export enum Programming {
  VOLUNTARY = 'VOLUNTARY',
  MANDATORY = 'MANDATORY',
}

export enum Urgency {
  TONIGHT = 'TONIGHT',
  WITHIN_72_HOURS = 'WITHIN_72_HOURS',
  PLANNED = 'PLANNED',
}

/** Why a shelter was not offered for a needs profile; kept for unmet-need reporting. */
export enum ExclusionReason {
  REGION_EXCLUDED = 'REGION_EXCLUDED',
  PAUSED = 'PAUSED',
  INTAKE_CLOSED = 'INTAKE_CLOSED',
  GENDER = 'GENDER',
  AGE = 'AGE',
  UNACCOMPANIED_MINOR = 'UNACCOMPANIED_MINOR',
  CHILDREN = 'CHILDREN',
  TRAFFICKING_TYPE = 'TRAFFICKING_TYPE',
  LANGUAGE = 'LANGUAGE',
  NOT_WHEELCHAIR_ACCESSIBLE = 'NOT_WHEELCHAIR_ACCESSIBLE',
  PETS = 'PETS',
  SUBSTANCE_USE = 'SUBSTANCE_USE',
  LGBTQ_AFFIRMING = 'LGBTQ_AFFIRMING',
  LAW_ENFORCEMENT = 'LAW_ENFORCEMENT',
  IMMIGRATION_STATUS = 'IMMIGRATION_STATUS',
  CRIMINAL_RECORD = 'CRIMINAL_RECORD',
  ID_REQUIRED = 'ID_REQUIRED',
  MANDATORY_PROGRAMMING = 'MANDATORY_PROGRAMMING',
  CURFEW = 'CURFEW',
  MAX_STAY = 'MAX_STAY',
  NO_FAMILY_UNIT = 'NO_FAMILY_UNIT',
  NO_ACCESSIBLE_BED = 'NO_ACCESSIBLE_BED',
  NO_FITTING_BED = 'NO_FITTING_BED',
  NO_AVAILABLE_BED = 'NO_AVAILABLE_BED',
}

/** A shelter's hard constraints: who it can serve. */
export interface Eligibility {
  genders: Gender[];
  minAge: number;
  maxAge: number;
  acceptsUnaccompaniedMinors: boolean;
  acceptsChildren: boolean;
  maxChildren: number;
  childMinAge: number;
  childMaxAge: number;
  traffickingTypes: TraffickingType[];
  /** ISO 639-1 codes of languages the staff speak. */
  languages: string[];
  wheelchairAccessible: boolean;
  petsAllowed: boolean;
  substanceUsePolicy: SubstanceUsePolicy;
  lgbtqAffirming: boolean;
  requiresLawEnforcementCooperation: boolean;
  immigrationPolicy: ImmigrationPolicy;
  acceptsTraffickingRelatedRecords: boolean;
  requiresIdDocuments: boolean;
  programming: Programming;
  /** Local time by which residents must be in, or null for no curfew. */
  curfew: string | null;
  maxStayDays: number | null;
}

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** What a survivor needs, with no name or other identity: the only survivor data search sees. */
export interface NeedsProfile {
  age: number;
  gender: Gender;
  childrenAges: number[];
  languages: string[];
  wheelchairUser: boolean;
  hasPets: boolean;
  substanceUse: SubstanceUse;
  traffickingTypes: TraffickingType[];
  lgbtqAffirmingRequired: boolean;
  willingToInvolveLawEnforcement: boolean;
  immigrationStatus: ImmigrationStatus;
  hasTraffickingRelatedRecord: boolean;
  hasIdDocuments: boolean;
  requiresVoluntaryProgramming: boolean;
  cannotKeepCurfew: boolean;
  minimumStayDays: number | null;
  servicesNeeded: ShelterService[];
  urgency: Urgency;
  location: GeoPoint | null;
  radiusKm: number | null;
  excludedRegionIds: string[];
  preferredRegionIds: string[];
}

/** A needs profile that asks for nothing beyond a bed tonight (an adult woman, English): the start for others. */
export const PLAIN_NEEDS: Readonly<NeedsProfile> = {
  age: 30,
  gender: Gender.WOMAN,
  childrenAges: [],
  languages: ['en'],
  wheelchairUser: false,
  hasPets: false,
  substanceUse: SubstanceUse.NONE,
  traffickingTypes: [TraffickingType.SEX],
  lgbtqAffirmingRequired: false,
  willingToInvolveLawEnforcement: true,
  immigrationStatus: ImmigrationStatus.CITIZEN,
  hasTraffickingRelatedRecord: false,
  hasIdDocuments: true,
  requiresVoluntaryProgramming: false,
  cannotKeepCurfew: false,
  minimumStayDays: null,
  servicesNeeded: [],
  urgency: Urgency.TONIGHT,
  location: null,
  radiusKm: null,
  excludedRegionIds: [],
  preferredRegionIds: [],
};
