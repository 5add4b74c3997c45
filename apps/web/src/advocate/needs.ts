// The needs form as plain data: what the advocate typed (kept in React state only, never in storage or the URL),
// checked here and turned into the API's NeedsInput. No React, no browser globals: unit-tested beside it.
import type {
  Gender,
  ImmigrationStatus,
  NeedsInput,
  ShelterService,
  SubstanceUse,
  TraffickingType,
  Urgency,
} from '../gql/graphql';

export const GENDERS: Gender[] = ['WOMAN', 'MAN', 'TRANSGENDER_WOMAN', 'TRANSGENDER_MAN', 'NON_BINARY'];
export const TRAFFICKING_TYPES: TraffickingType[] = ['SEX', 'LABOUR'];
export const URGENCIES: Urgency[] = ['TONIGHT', 'WITHIN_72_HOURS', 'PLANNED'];
export const SUBSTANCE_USE: SubstanceUse[] = ['NONE', 'IN_RECOVERY', 'ACTIVE_USE'];
export const IMMIGRATION_STATUSES: ImmigrationStatus[] = ['UNKNOWN', 'CITIZEN', 'LAWFUL_RESIDENT', 'FOREIGN_NATIONAL'];
export const SERVICES: ShelterService[] = [
  'CASE_MANAGEMENT',
  'TRAUMA_THERAPY',
  'MENTAL_HEALTH',
  'MEDICAL',
  'LEGAL_AID',
  'IMMIGRATION_LEGAL',
  'INTERPRETATION',
  'CHILDCARE',
  'SUBSTANCE_USE_TREATMENT',
  'EDUCATION',
  'JOB_TRAINING',
];
/** ISO 639-1 codes offered as checkboxes; their names come from Intl.DisplayNames in the person's language. */
export const LANGUAGE_CODES = ['en', 'es', 'fr', 'pt', 'ht', 'zh', 'vi', 'ko', 'tl', 'ar', 'ru', 'uk', 'hi', 'sw'];

export interface NeedsForm {
  age: string;
  gender: Gender | '';
  traffickingTypes: TraffickingType[];
  urgency: Urgency | '';
  /** A key of `places` (a town, or a whole region) */
  place: string;
  childrenAges: string;
  languages: string[];
  wheelchairUser: boolean;
  hasPets: boolean;
  substanceUse: SubstanceUse;
  willingToInvolveLawEnforcement: boolean;
  immigrationStatus: ImmigrationStatus;
  hasTraffickingRelatedRecord: boolean;
  hasIdDocuments: boolean;
  requiresVoluntaryProgramming: boolean;
  cannotKeepCurfew: boolean;
  lgbtqAffirmingRequired: boolean;
  minimumStayDays: string;
  servicesNeeded: ShelterService[];
  radiusKm: string;
  excludedRegionIds: string[];
}

export const EMPTY_NEEDS: NeedsForm = {
  age: '',
  gender: '',
  traffickingTypes: [],
  urgency: '',
  place: '',
  childrenAges: '',
  languages: [],
  wheelchairUser: false,
  hasPets: false,
  substanceUse: 'NONE',
  willingToInvolveLawEnforcement: false,
  immigrationStatus: 'UNKNOWN',
  hasTraffickingRelatedRecord: false,
  hasIdDocuments: true,
  requiresVoluntaryProgramming: false,
  cannotKeepCurfew: false,
  lgbtqAffirmingRequired: false,
  minimumStayDays: '',
  servicesNeeded: [],
  radiusKm: '',
  excludedRegionIds: [],
};

/** Where the survivor is, roughly: a town of the directory (its public, coarse point) or a whole region. */
export interface Place {
  key: string;
  regionId: string;
  /** null: the whole region (no point, so no distance) */
  town: string | null;
  location: { latitude: number; longitude: number } | null;
}

export interface DirectoryEntry {
  city: string;
  regionId: string;
  approximateLocation: { latitude: number; longitude: number };
}

const coarse = (n: number) => Math.round(n * 100) / 100;

/**
 * The towns of the directory, each at the mean of its shelters' public points (already coarsened to about 1 km),
 * and every region as a whole. Never a street address: the directory's public view has none.
 */
export function placesFrom(regions: { id: string }[], directory: DirectoryEntry[]): Place[] {
  const towns = new Map<string, { regionId: string; town: string; lat: number; lon: number; n: number }>();
  for (const entry of directory) {
    const town = entry.city.trim();
    if (!town) continue;
    const key = `town:${entry.regionId}:${town.toLowerCase()}`;
    const found = towns.get(key) ?? { regionId: entry.regionId, town, lat: 0, lon: 0, n: 0 };
    found.lat += entry.approximateLocation.latitude;
    found.lon += entry.approximateLocation.longitude;
    found.n += 1;
    towns.set(key, found);
  }
  const places: Place[] = regions.map((r) => ({ key: `region:${r.id}`, regionId: r.id, town: null, location: null }));
  for (const [key, t] of towns)
    places.push({
      key,
      regionId: t.regionId,
      town: t.town,
      location: { latitude: coarse(t.lat / t.n), longitude: coarse(t.lon / t.n) },
    });
  return places;
}

/** Which field is wrong and why (a catalog key under `needs.errors.`). */
export interface FieldError {
  field: keyof NeedsForm;
  error: 'required' | 'age' | 'childrenAges' | 'minimumStay' | 'radius' | 'chooseOne' | 'server';
}

const WHOLE = /^\d{1,3}$/;

/** Children's ages as typed ("3, 7"): whole years from 0 to 17, or null when something else was typed. */
export function parseChildrenAges(text: string): number[] | null {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const ages: number[] = [];
  for (const part of parts) {
    if (!WHOLE.test(part)) return null;
    const age = Number(part);
    if (age > 17) return null;
    ages.push(age);
  }
  return ages;
}

/** Every problem, in the order the fields appear; only the required fields when `requiredOnly`. */
export function validateNeeds(form: NeedsForm, requiredOnly = false): FieldError[] {
  const errors: FieldError[] = [];
  const age = form.age.trim();
  if (!age) errors.push({ field: 'age', error: 'required' });
  else if (!WHOLE.test(age) || Number(age) > 120) errors.push({ field: 'age', error: 'age' });
  if (!form.gender) errors.push({ field: 'gender', error: 'required' });
  if (form.traffickingTypes.length === 0) errors.push({ field: 'traffickingTypes', error: 'chooseOne' });
  if (!form.urgency) errors.push({ field: 'urgency', error: 'required' });
  if (!form.place) errors.push({ field: 'place', error: 'required' });
  if (requiredOnly) return errors;
  if (parseChildrenAges(form.childrenAges) === null) errors.push({ field: 'childrenAges', error: 'childrenAges' });
  const stay = form.minimumStayDays.trim();
  if (stay && (!WHOLE.test(stay) || Number(stay) < 1)) errors.push({ field: 'minimumStayDays', error: 'minimumStay' });
  const radius = form.radiusKm.trim();
  if (radius && !(Number(radius) > 0 && Number(radius) <= 2000)) errors.push({ field: 'radiusKm', error: 'radius' });
  return errors;
}

/** The API's needs, or null while the form is not complete and valid. */
export function toNeedsInput(form: NeedsForm, places: Place[]): { needs: NeedsInput; regionId: string } | null {
  if (validateNeeds(form).length > 0) return null;
  const place = places.find((p) => p.key === form.place);
  if (!place) return null;
  const stay = form.minimumStayDays.trim();
  const radius = form.radiusKm.trim();
  const needs: NeedsInput = {
    age: Number(form.age.trim()),
    gender: form.gender as Gender,
    traffickingTypes: [...form.traffickingTypes],
    urgency: form.urgency as Urgency,
    location: place.location,
    radiusKm: radius && place.location ? Number(radius) : null,
    childrenAges: parseChildrenAges(form.childrenAges) ?? [],
    languages: [...form.languages],
    wheelchairUser: form.wheelchairUser,
    hasPets: form.hasPets,
    substanceUse: form.substanceUse,
    willingToInvolveLawEnforcement: form.willingToInvolveLawEnforcement,
    immigrationStatus: form.immigrationStatus,
    hasTraffickingRelatedRecord: form.hasTraffickingRelatedRecord,
    hasIdDocuments: form.hasIdDocuments,
    requiresVoluntaryProgramming: form.requiresVoluntaryProgramming,
    cannotKeepCurfew: form.cannotKeepCurfew,
    lgbtqAffirmingRequired: form.lgbtqAffirmingRequired,
    minimumStayDays: stay ? Number(stay) : null,
    servicesNeeded: [...form.servicesNeeded],
    excludedRegionIds: [...form.excludedRegionIds],
  };
  return { needs, regionId: place.regionId };
}

/** An API field path (e.g. "input.needs.age", "needs.childrenAges") as a field of this form, if it is one. */
export function formFieldOf(apiField: string | null): keyof NeedsForm | null {
  if (!apiField) return null;
  const last = apiField.split('.').pop() ?? '';
  if (last === 'location' || last === 'regionId') return 'place';
  return last in EMPTY_NEEDS ? (last as keyof NeedsForm) : null;
}

/** An idempotency key: 8 to 128 of A-Z a-z 0-9 . _ : - */
export function newIdempotencyKey(random: () => string): string {
  return `advocate:${random()}`;
}

export const OPEN_STATES = [
  'AWAITING_CONSENT',
  'SUBMITTED',
  'MATCHING',
  'OFFERED',
  'ACCEPTED',
  'WAITLISTED',
  'PLACED',
] as const;
export const CLOSED_STATES = ['EXITED', 'EXPIRED', 'WITHDRAWN', 'CONSENT_REVOKED'] as const;
export const isOpenState = (state: string) => (OPEN_STATES as readonly string[]).includes(state);
/** States an advocate can still withdraw from (the API's open states): a placed survivor's referral ends at exit. */
export const canWithdraw = (state: string) => isOpenState(state) && state !== 'PLACED' && state !== 'SUBMITTED';
