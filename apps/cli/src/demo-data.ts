import { DataSource, EntityManager } from 'typeorm';
import { passwords } from '@shelterlink/accounts';
import { seededRandom } from '@shelterlink/common';
import {
  BedType,
  coarsen,
  DEFAULT_ELIGIBILITY as SHELTER_DEFAULTS,
  Eligibility,
  eligibilityRow,
  Gender,
  ImmigrationPolicy,
  Programming,
  ShelterService as S,
  ShelterStatus,
  SubstanceUsePolicy,
  TraffickingType,
} from '@shelterlink/shelters';
import { because, OfferClosedReason } from '@shelterlink/referrals';
import { DEMO_DECLINE_REASON, demoReferrals, HISTORY_DAYS, PoolEvent, poolHistory } from './demo-history';

/**
 * The demo network: a fictional state, its counties, shelter providers, agencies and users. Every name,
 * address, phone number (555-01xx) and coordinate is invented. The data is fixed; the few varied numbers
 * (exact counts, jitter of the locations, when counts were verified) come from a seeded PRNG, so every
 * load is the same network.
 */

export const DEMO_PASSWORD = 'demo-password-2026';
const DEMO_ADMIN_EMAIL = 'demo.admin@example.org';
const PRNG_SEED = 2026;
/** Closed referrals in the demo's history (see demo-history.ts). */
const DEMO_REFERRALS = 60;
const TIME_ZONE = 'America/Chicago';

export interface DemoLogin {
  role: 'ADMIN' | 'SHELTER_STAFF' | 'HOTLINE_ADVOCATE' | 'REGIONAL_COORDINATOR';
  email: string;
  password: string;
  note: string;
}

/** One login per role, printed by `npm run demo` and the README. */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    role: 'ADMIN',
    email: DEMO_ADMIN_EMAIL,
    password: DEMO_PASSWORD,
    note: 'network operator: organisations, regions, users',
  },
  {
    role: 'SHELTER_STAFF',
    email: 'staff.safe-harbor@example.org',
    password: DEMO_PASSWORD,
    note: 'Safe Harbor Alliance: edits its 6 shelters and their beds',
  },
  {
    role: 'HOTLINE_ADVOCATE',
    email: 'advocate.hotline@example.org',
    password: DEMO_PASSWORD,
    note: 'Lone Spruce Trafficking Hotline: searches beds, submits referrals',
  },
  {
    role: 'REGIONAL_COORDINATOR',
    email: 'coordinator.state@example.org',
    password: DEMO_PASSWORD,
    note: 'watches capacity across the whole of Lone Spruce State',
  },
];

// --- regions ------------------------------------------------------------------------------------------------

const STATE = { code: 'LS', name: 'Lone Spruce State' };

/** Counties and their towns; every point lies in latitude 30.0–31.5, longitude −98.5 to −96.5. */
const COUNTIES = [
  {
    code: 'LS-JUN',
    name: 'Juniper County',
    towns: [
      { name: 'Juniper City', latitude: 30.46, longitude: -97.61 },
      { name: 'Alder Springs', latitude: 30.63, longitude: -97.42 },
    ],
  },
  {
    code: 'LS-CED',
    name: 'Cedar Hollow County',
    towns: [
      { name: 'Cedar Hollow', latitude: 30.88, longitude: -98.11 },
      { name: 'Granite Ford', latitude: 30.71, longitude: -98.29 },
    ],
  },
  {
    code: 'LS-HER',
    name: 'Blue Heron County',
    towns: [
      { name: 'Heron Landing', latitude: 30.19, longitude: -97.03 },
      { name: 'Willow Bend', latitude: 30.33, longitude: -96.79 },
    ],
  },
  {
    code: 'LS-RED',
    name: 'Red Mesa County',
    towns: [
      { name: 'Red Mesa', latitude: 31.27, longitude: -98.06 },
      { name: 'Copper Gap', latitude: 31.11, longitude: -98.34 },
    ],
  },
  {
    code: 'LS-PEC',
    name: 'Pecan Flats County',
    towns: [
      { name: 'Pecan Flats', latitude: 31.17, longitude: -96.96 },
      { name: 'Two Rivers', latitude: 31.33, longitude: -96.69 },
    ],
  },
] as const;

type Town = (typeof COUNTIES)[number]['towns'][number]['name'];

// --- organisations and users ----------------------------------------------------------------------------------

const PROVIDERS = {
  'safe-harbor': { name: 'Safe Harbor Alliance', staff: 'Rosa Delgado' },
  lantern: { name: 'Lantern House Ministries', staff: 'Grace Okafor' },
  'open-door': { name: 'Open Door Family Shelters', staff: 'Linh Tran' },
  'new-roots': { name: 'New Roots Worker Justice Center', staff: 'Mateo Alvarez' },
  bridgeway: { name: "Bridgeway Men's Programs", staff: 'Daniel Whitfield' },
  prism: { name: 'Prism Youth & Pride Housing', staff: 'Sam Rivera' },
  'mesa-hope': { name: 'Mesa Hope Network', staff: 'Ellen Marsh' },
  'pecan-valley': { name: 'Pecan Valley Refuge', staff: 'Amira Haddad' },
} as const;

type Provider = keyof typeof PROVIDERS;

const AGENCIES = [
  {
    name: 'Lone Spruce Trafficking Hotline',
    advocates: [
      { email: 'advocate.hotline@example.org', name: 'Jordan Blake' },
      { email: 'nightshift.hotline@example.org', name: 'Priya Raman' },
    ],
  },
  {
    name: 'Juniper Legal & Advocacy Center',
    advocates: [{ email: 'advocate.legal@example.org', name: 'Carmen Ortiz' }],
  },
];

const COORDINATION = {
  name: 'Lone Spruce Coalition Against Trafficking',
  coordinators: [
    { email: 'coordinator.state@example.org', name: 'Helen Park', region: STATE.code },
    { email: 'coordinator.juniper@example.org', name: 'Marcus Reed', region: 'LS-JUN' },
  ],
};

const ADMIN = { email: DEMO_ADMIN_EMAIL, name: 'Demo Administrator' };

// --- shelter programmes ---------------------------------------------------------------------------------------

const WOMEN = [Gender.WOMAN, Gender.TRANSGENDER_WOMAN];
const MEN = [Gender.MAN, Gender.TRANSGENDER_MAN];
const EVERYONE = Object.values(Gender);
const SEX_AND_LABOUR = [TraffickingType.SEX, TraffickingType.LABOUR];

/** The demo's starting point: the app's defaults, serving women including trans women. */
const DEFAULT_ELIGIBILITY: Eligibility = { ...SHELTER_DEFAULTS, genders: WOMEN };

interface Programme {
  eligibility: Partial<Eligibility>;
  services: S[];
  holdMinutes: number;
  responseMinutes: number;
}

/** The kinds of programme in the network; each shelter starts from one and adjusts it. */
const PROGRAMMES = {
  emergency: {
    eligibility: { maxStayDays: 90 },
    services: [S.CASE_MANAGEMENT, S.TRAUMA_THERAPY, S.MEDICAL],
    holdMinutes: 120,
    responseMinutes: 20,
  },
  transitional: {
    eligibility: {
      maxStayDays: 540,
      curfew: '22:00',
      substanceUsePolicy: SubstanceUsePolicy.ABSTINENCE_REQUIRED,
      programming: Programming.MANDATORY,
    },
    services: [S.CASE_MANAGEMENT, S.MENTAL_HEALTH, S.JOB_TRAINING, S.EDUCATION],
    holdMinutes: 1440,
    responseMinutes: 120,
  },
  family: {
    eligibility: { maxChildren: 4, maxStayDays: 120, curfew: '21:00' },
    services: [S.CASE_MANAGEMENT, S.CHILDCARE, S.EDUCATION, S.TRAUMA_THERAPY],
    holdMinutes: 240,
    responseMinutes: 45,
  },
  labour: {
    eligibility: { genders: EVERYONE, traffickingTypes: [TraffickingType.LABOUR], languages: ['en', 'es'] },
    services: [S.CASE_MANAGEMENT, S.LEGAL_AID, S.IMMIGRATION_LEGAL, S.INTERPRETATION, S.JOB_TRAINING],
    holdMinutes: 180,
    responseMinutes: 30,
  },
  men: {
    eligibility: { genders: MEN, maxStayDays: 120 },
    services: [S.CASE_MANAGEMENT, S.TRAUMA_THERAPY, S.LEGAL_AID],
    holdMinutes: 180,
    responseMinutes: 30,
  },
  youth: {
    eligibility: {
      genders: [...WOMEN, Gender.NON_BINARY],
      minAge: 12,
      maxAge: 17,
      acceptsUnaccompaniedMinors: true,
      curfew: '21:00',
      substanceUsePolicy: SubstanceUsePolicy.ABSTINENCE_REQUIRED,
      lgbtqAffirming: true,
    },
    services: [S.CASE_MANAGEMENT, S.MENTAL_HEALTH, S.EDUCATION, S.MEDICAL],
    holdMinutes: 120,
    responseMinutes: 20,
  },
  pride: {
    eligibility: { genders: EVERYONE, lgbtqAffirming: true, maxStayDays: 180 },
    services: [S.CASE_MANAGEMENT, S.MENTAL_HEALTH, S.TRAUMA_THERAPY, S.MEDICAL],
    holdMinutes: 120,
    responseMinutes: 30,
  },
} satisfies Record<string, Programme>;

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** Intake windows (local time); `always` is 24/7. `evenings` runs past midnight. */
const INTAKE = {
  always: { alwaysOpen: true, days: EVERY_DAY, opens: null, closes: null },
  weekdays: { alwaysOpen: false, days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' },
  daytime: { alwaysOpen: false, days: EVERY_DAY, opens: '08:00', closes: '20:00' },
  evenings: { alwaysOpen: false, days: EVERY_DAY, opens: '16:00', closes: '02:00' },
} as const;

/** How full a shelter is: `full` has no free bed, `busy` one or two, `open` a fair share. */
type Load = 'open' | 'busy' | 'full';

interface ShelterRow {
  name: string;
  provider: Provider;
  town: Town;
  programme: keyof typeof PROGRAMMES;
  /** Capacity per bed type. A FAMILY_UNIT pool means it takes children; ACCESSIBLE means wheelchair access. */
  beds: Partial<Record<BedType, number>>;
  load?: Load;
  elig?: Partial<Eligibility>;
  services?: S[];
  intake?: keyof typeof INTAKE;
  publishesAddress?: boolean;
  paused?: boolean;
  /** Counts last verified this many hours ago (stale after 24 h); otherwise within the last six hours. */
  verifiedHoursAgo?: number;
}

const SHELTERS: ShelterRow[] = [
  // Safe Harbor Alliance: emergency shelters for women
  {
    name: 'Safe Harbor Emergency House',
    provider: 'safe-harbor',
    town: 'Juniper City',
    programme: 'emergency',
    beds: { SINGLE: 14, ACCESSIBLE: 2, EMERGENCY_OVERFLOW: 4 },
    elig: { languages: ['en', 'es'], lgbtqAffirming: true },
    services: [S.INTERPRETATION],
  },
  {
    name: 'Safe Harbor Northside',
    provider: 'safe-harbor',
    town: 'Alder Springs',
    programme: 'emergency',
    beds: { SINGLE: 10 },
    load: 'full',
  },
  {
    name: 'Safe Harbor Riverside',
    provider: 'safe-harbor',
    town: 'Juniper City',
    programme: 'emergency',
    beds: { SINGLE: 8 },
    elig: { languages: ['en', 'vi'], genders: [Gender.WOMAN] },
  },
  {
    name: 'Safe Harbor Heron Landing',
    provider: 'safe-harbor',
    town: 'Heron Landing',
    programme: 'emergency',
    beds: { SINGLE: 8, EMERGENCY_OVERFLOW: 3 },
    load: 'busy',
    elig: { lgbtqAffirming: true },
  },
  {
    name: 'Safe Harbor Willow Bend Cottage',
    provider: 'safe-harbor',
    town: 'Willow Bend',
    programme: 'emergency',
    beds: { SINGLE: 6 },
    elig: { petsAllowed: true },
    verifiedHoursAgo: 30,
  },
  {
    name: 'Safe Harbor Respite Rooms',
    provider: 'safe-harbor',
    town: 'Juniper City',
    programme: 'emergency',
    beds: { SINGLE: 4, EMERGENCY_OVERFLOW: 6 },
    paused: true,
  },
  // Lantern House Ministries: transitional housing with programming
  {
    name: 'Lantern House Juniper',
    provider: 'lantern',
    town: 'Juniper City',
    programme: 'transitional',
    beds: { SINGLE: 20 },
    intake: 'weekdays',
    elig: { requiresIdDocuments: true },
  },
  {
    name: 'Lantern House Cedar Hollow',
    provider: 'lantern',
    town: 'Cedar Hollow',
    programme: 'transitional',
    beds: { SINGLE: 12, ACCESSIBLE: 2 },
    intake: 'weekdays',
  },
  {
    name: 'Lantern House Granite Ford',
    provider: 'lantern',
    town: 'Granite Ford',
    programme: 'transitional',
    beds: { SINGLE: 8 },
    load: 'busy',
    elig: { immigrationPolicy: ImmigrationPolicy.LAWFUL_STATUS_REQUIRED },
    verifiedHoursAgo: 52,
  },
  {
    name: 'Lantern Recovery Residence',
    provider: 'lantern',
    town: 'Alder Springs',
    programme: 'transitional',
    beds: { SINGLE: 10 },
    elig: { substanceUsePolicy: SubstanceUsePolicy.TREATMENT_ON_SITE, maxStayDays: 365 },
    services: [S.SUBSTANCE_USE_TREATMENT, S.MEDICAL],
  },
  {
    name: 'Lantern House Copper Gap',
    provider: 'lantern',
    town: 'Copper Gap',
    programme: 'transitional',
    beds: { SINGLE: 6 },
    intake: 'daytime',
    publishesAddress: true,
  },
  // Open Door Family Shelters: mothers with children
  {
    name: 'Open Door Family Center',
    provider: 'open-door',
    town: 'Juniper City',
    programme: 'family',
    beds: { FAMILY_UNIT: 10, CRIB: 6, SINGLE: 6 },
    elig: { languages: ['en', 'es'] },
  },
  {
    name: 'Open Door Heron Family Homes',
    provider: 'open-door',
    town: 'Heron Landing',
    programme: 'family',
    beds: { FAMILY_UNIT: 8, CRIB: 4 },
    load: 'full',
  },
  {
    name: 'Open Door Cedar Family House',
    provider: 'open-door',
    town: 'Cedar Hollow',
    programme: 'family',
    beds: { FAMILY_UNIT: 6, ACCESSIBLE: 2 },
    elig: { lgbtqAffirming: true },
  },
  {
    name: 'Open Door Red Mesa Family Place',
    provider: 'open-door',
    town: 'Red Mesa',
    programme: 'family',
    beds: { FAMILY_UNIT: 5, CRIB: 2 },
    load: 'busy',
    publishesAddress: true,
  },
  {
    name: 'Open Door Two Rivers',
    provider: 'open-door',
    town: 'Two Rivers',
    programme: 'family',
    beds: { FAMILY_UNIT: 4, SINGLE: 4 },
    verifiedHoursAgo: 96,
  },
  {
    name: 'Open Door Willow Bend Apartments',
    provider: 'open-door',
    town: 'Willow Bend',
    programme: 'family',
    beds: { FAMILY_UNIT: 12 },
    intake: 'weekdays',
    elig: { maxStayDays: 365, maxChildren: 5 },
  },
  // New Roots Worker Justice Center: labour trafficking, every gender, many languages
  {
    name: 'New Roots Worker House',
    provider: 'new-roots',
    town: 'Juniper City',
    programme: 'labour',
    beds: { SINGLE: 16, EMERGENCY_OVERFLOW: 6 },
    elig: { languages: ['en', 'es', 'vi', 'zh'], lgbtqAffirming: true },
    publishesAddress: true,
  },
  {
    name: 'New Roots Heron Landing',
    provider: 'new-roots',
    town: 'Heron Landing',
    programme: 'labour',
    beds: { SINGLE: 10, FAMILY_UNIT: 3 },
    elig: { maxChildren: 3 },
  },
  {
    name: 'New Roots Farmworker House',
    provider: 'new-roots',
    town: 'Pecan Flats',
    programme: 'labour',
    beds: { SINGLE: 12 },
    load: 'busy',
    elig: { languages: ['en', 'es', 'tl'], petsAllowed: true },
    intake: 'evenings',
  },
  {
    name: "New Roots Women's House",
    provider: 'new-roots',
    town: 'Alder Springs',
    programme: 'labour',
    beds: { SINGLE: 8 },
    elig: { genders: WOMEN, traffickingTypes: SEX_AND_LABOUR, languages: ['en', 'zh', 'vi', 'ko'] },
  },
  // Bridgeway Men's Programs: the scarce beds for men and boys
  {
    name: "Bridgeway Men's House",
    provider: 'bridgeway',
    town: 'Juniper City',
    programme: 'men',
    beds: { SINGLE: 8, ACCESSIBLE: 2 },
    load: 'busy',
    elig: { languages: ['en', 'es'], lgbtqAffirming: true },
  },
  {
    name: "Bridgeway Boys' Home",
    provider: 'bridgeway',
    town: 'Cedar Hollow',
    programme: 'men',
    beds: { SINGLE: 6 },
    elig: {
      genders: [Gender.MAN, Gender.TRANSGENDER_MAN, Gender.NON_BINARY],
      minAge: 12,
      maxAge: 17,
      acceptsUnaccompaniedMinors: true,
      curfew: '21:00',
      maxStayDays: null,
    },
    services: [S.EDUCATION, S.MENTAL_HEALTH],
  },
  {
    name: 'Bridgeway Red Mesa Program',
    provider: 'bridgeway',
    town: 'Red Mesa',
    programme: 'men',
    beds: { SINGLE: 6 },
    load: 'full',
    elig: {
      requiresLawEnforcementCooperation: true,
      immigrationPolicy: ImmigrationPolicy.LAWFUL_STATUS_REQUIRED,
      programming: Programming.MANDATORY,
    },
    verifiedHoursAgo: 28,
  },
  // Prism Youth & Pride Housing: minors and LGBTQ+ survivors
  {
    name: 'Prism Youth Haven',
    provider: 'prism',
    town: 'Juniper City',
    programme: 'youth',
    beds: { SINGLE: 8 },
    elig: { languages: ['en', 'es'] },
  },
  {
    name: 'Prism Pride House',
    provider: 'prism',
    town: 'Juniper City',
    programme: 'pride',
    beds: { SINGLE: 10 },
    elig: { maxAge: 30, petsAllowed: true },
  },
  {
    name: 'Prism Transitions',
    provider: 'prism',
    town: 'Heron Landing',
    programme: 'pride',
    beds: { SINGLE: 6, ACCESSIBLE: 2 },
    intake: 'weekdays',
    elig: { maxStayDays: 365 },
  },
  {
    name: 'Prism Youth Haven North',
    provider: 'prism',
    town: 'Pecan Flats',
    programme: 'youth',
    beds: { SINGLE: 6 },
    elig: { genders: EVERYONE, minAge: 14, maxAge: 20 },
    paused: true,
  },
  {
    name: 'Prism Cedar Hollow Night Beds',
    provider: 'prism',
    town: 'Cedar Hollow',
    programme: 'pride',
    beds: { EMERGENCY_OVERFLOW: 6, SINGLE: 2 },
    intake: 'evenings',
    elig: { maxStayDays: 30 },
  },
  // Mesa Hope Network: rural shelters in the west
  {
    name: 'Mesa Hope House',
    provider: 'mesa-hope',
    town: 'Red Mesa',
    programme: 'emergency',
    beds: { SINGLE: 10, FAMILY_UNIT: 3, CRIB: 2 },
    elig: { petsAllowed: true, maxChildren: 3 },
    services: [S.CHILDCARE],
  },
  {
    name: 'Mesa Hope Copper Gap Refuge',
    provider: 'mesa-hope',
    town: 'Copper Gap',
    programme: 'emergency',
    beds: { SINGLE: 5 },
    verifiedHoursAgo: 75,
  },
  {
    name: 'Mesa Hope Granite Ford Cabin',
    provider: 'mesa-hope',
    town: 'Granite Ford',
    programme: 'emergency',
    beds: { SINGLE: 4, EMERGENCY_OVERFLOW: 2 },
    elig: {
      genders: [Gender.WOMAN],
      petsAllowed: true,
      immigrationPolicy: ImmigrationPolicy.CITIZENS_ONLY,
      requiresIdDocuments: true,
      acceptsTraffickingRelatedRecords: false,
    },
    intake: 'daytime',
  },
  {
    name: 'Mesa Hope Cedar Hollow',
    provider: 'mesa-hope',
    town: 'Cedar Hollow',
    programme: 'emergency',
    beds: { SINGLE: 8, ACCESSIBLE: 2 },
    load: 'busy',
    elig: { requiresLawEnforcementCooperation: true },
  },
  {
    name: 'Mesa Hope Long-Term Homes',
    provider: 'mesa-hope',
    town: 'Red Mesa',
    programme: 'transitional',
    beds: { SINGLE: 6, FAMILY_UNIT: 4 },
    intake: 'weekdays',
    elig: { maxStayDays: 730, maxChildren: 3 },
  },
  {
    name: 'Mesa Hope Crisis Beds',
    provider: 'mesa-hope',
    town: 'Copper Gap',
    programme: 'emergency',
    beds: { EMERGENCY_OVERFLOW: 8, SINGLE: 2 },
    paused: true,
  },
  // Pecan Valley Refuge: women and families in the east
  {
    name: 'Pecan Valley Refuge',
    provider: 'pecan-valley',
    town: 'Pecan Flats',
    programme: 'family',
    beds: { SINGLE: 12, FAMILY_UNIT: 4, CRIB: 3 },
    elig: { languages: ['en', 'es'], maxStayDays: 90 },
    services: [S.MEDICAL],
  },
  {
    name: 'Pecan Valley Sister House',
    provider: 'pecan-valley',
    town: 'Two Rivers',
    programme: 'emergency',
    beds: { SINGLE: 6 },
    load: 'full',
    elig: { languages: ['en', 'ar', 'fr'] },
    services: [S.INTERPRETATION],
  },
  {
    name: 'Pecan Valley Accessible Suites',
    provider: 'pecan-valley',
    town: 'Pecan Flats',
    programme: 'emergency',
    beds: { ACCESSIBLE: 6, SINGLE: 2 },
    elig: { lgbtqAffirming: true },
    services: [S.MENTAL_HEALTH],
  },
  {
    name: 'Pecan Valley Transitional Cottages',
    provider: 'pecan-valley',
    town: 'Two Rivers',
    programme: 'transitional',
    beds: { FAMILY_UNIT: 6 },
    intake: 'weekdays',
    elig: { maxChildren: 4, childMaxAge: 12 },
    services: [S.CHILDCARE],
    publishesAddress: true,
  },
  {
    name: 'Pecan Valley Emergency Annex',
    provider: 'pecan-valley',
    town: 'Pecan Flats',
    programme: 'emergency',
    beds: { SINGLE: 4, EMERGENCY_OVERFLOW: 6 },
    load: 'busy',
    verifiedHoursAgo: 26,
  },
];

const STREETS = [
  'Mockingbird Lane',
  'Live Oak Street',
  'Bluebonnet Drive',
  'Caliche Road',
  'Old Mill Road',
  'Sycamore Avenue',
  'Prairie View Drive',
  'Limestone Way',
  'Dogwood Court',
  'Ranch Road 12',
];

const BED_ORDER = Object.values(BedType);

// --- the plan: every row, computed without a database ---------------------------------------------------------

export interface DemoPool {
  bedType: BedType;
  capacity: number;
  occupied: number;
  outOfService: number;
}

export interface DemoShelter {
  name: string;
  provider: Provider;
  countyCode: string;
  city: string;
  latitude: number;
  longitude: number;
  locationConfidential: boolean;
  address: string;
  intakePhone: string;
  /** The default given to an agency on acceptance: a phone and meeting point, or the address if published. */
  intakeInstructions: string;
  services: S[];
  intake: (typeof INTAKE)[keyof typeof INTAKE];
  holdMinutes: number;
  responseMinutes: number;
  status: ShelterStatus;
  verifiedMinutesAgo: number;
  eligibility: Eligibility;
  pools: DemoPool[];
}

function townOf(name: Town) {
  for (const county of COUNTIES) {
    const town = county.towns.find((t) => t.name === name);
    if (town) return { county, town };
  }
  throw new Error(`unknown town ${name}`);
}

function poolCounts(bedType: BedType, capacity: number, load: Load, random: () => number): DemoPool {
  const outOfService = capacity >= 6 && random() < 0.25 ? 1 : 0;
  const usable = capacity - outOfService;
  const free = {
    full: 0,
    busy: Math.min(usable, 1 + Math.floor(random() * 2)),
    open: Math.max(1, Math.round(usable * (0.2 + 0.35 * random()))),
  }[load];
  return { bedType, capacity, occupied: usable - free, outOfService };
}

function eligibilityOf(row: ShelterRow): Eligibility {
  const familyBeds = row.beds.FAMILY_UNIT !== undefined;
  const merged: Eligibility = {
    ...DEFAULT_ELIGIBILITY,
    acceptsChildren: familyBeds,
    maxChildren: familyBeds ? 3 : 0,
    wheelchairAccessible: row.beds.ACCESSIBLE !== undefined,
    ...PROGRAMMES[row.programme].eligibility,
    ...row.elig,
  };
  return familyBeds ? merged : { ...merged, acceptsChildren: false, maxChildren: 0 };
}

/** The demo shelters with every derived value filled in. Pure and deterministic. */
export function demoShelters(): DemoShelter[] {
  const random = seededRandom(PRNG_SEED);
  const jitter = () => (random() - 0.5) * 0.1;
  return SHELTERS.map((row, index) => {
    const { county, town } = townOf(row.town);
    const programme = PROGRAMMES[row.programme];
    const point = coarsen({ latitude: town.latitude + jitter(), longitude: town.longitude + jitter() });
    const street = STREETS[Math.floor(random() * STREETS.length)];
    const verifiedMinutesAgo = row.verifiedHoursAgo ? row.verifiedHoursAgo * 60 : 5 + Math.floor(random() * 355);
    const pools = BED_ORDER.filter((type) => row.beds[type] !== undefined).map((type) =>
      poolCounts(type, row.beds[type] ?? 0, row.load ?? 'open', random),
    );
    const address = `${100 + Math.floor(random() * 8900)} ${street}, ${town.name}, ${STATE.code}`;
    const intakePhone = `+1 512 555 01${String(index).padStart(2, '0')}`;
    return {
      name: row.name,
      provider: row.provider,
      countyCode: county.code,
      city: town.name,
      ...point,
      locationConfidential: !row.publishesAddress,
      address,
      intakePhone,
      intakeInstructions: row.publishesAddress
        ? `Come to ${address} and ring the intake bell at the side door, or call ${intakePhone} on the way.`
        : `Call the intake line on ${intakePhone} when you set off; staff meet the survivor at a safe public place in ${town.name}.`,
      services: [...new Set([...programme.services, ...(row.services ?? [])])],
      intake: INTAKE[row.intake ?? 'always'],
      holdMinutes: programme.holdMinutes,
      responseMinutes: programme.responseMinutes,
      status: row.paused ? ShelterStatus.PAUSED : ShelterStatus.ACTIVE,
      verifiedMinutesAgo,
      eligibility: eligibilityOf(row),
      pools,
    };
  });
}

// --- loading ----------------------------------------------------------------------------------------------------

function lookup<K, V>(map: Map<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`demo data: nothing loaded for ${String(key)}`);
  return value;
}

async function insertId(m: EntityManager, sql: string, params: unknown[]): Promise<string> {
  const rows = await m.query<{ id: string }[]>(sql, params);
  return rows[0].id;
}

async function insertRegion(m: EntityManager, code: string, name: string, parentId: string | null) {
  return insertId(
    m,
    `INSERT INTO region (id, code, name, parent_id, path)
     SELECT g.id, $1, $2, $3::uuid, COALESCE((SELECT path FROM region WHERE id = $3::uuid), '{}') || g.id
       FROM (SELECT gen_random_uuid() AS id) g
     RETURNING id`,
    [code, name, parentId],
  );
}

async function insertOrganisation(m: EntityManager, name: string, kind: string) {
  return insertId(m, `INSERT INTO organisation (name, kind) VALUES ($1, $2) RETURNING id`, [name, kind]);
}

interface NewUser {
  email: string;
  name: string;
  role: DemoLogin['role'];
  organisationId: string | null;
}

async function insertUser(m: EntityManager, user: NewUser) {
  const hash = await passwords.hash(DEMO_PASSWORD);
  return insertId(
    m,
    `INSERT INTO app_user (email, display_name, password_hash, role, organisation_id)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [user.email.toLowerCase(), user.name, hash, user.role, user.organisationId],
  );
}

async function insertShelter(m: EntityManager, s: DemoShelter, organisationId: string, regionId: string) {
  const columns: Record<string, unknown> = {
    organisation_id: organisationId,
    region_id: regionId,
    name: s.name,
    city: s.city,
    location_confidential: s.locationConfidential,
    address: s.address,
    intake_phone: s.intakePhone,
    services: s.services,
    intake_always_open: s.intake.alwaysOpen,
    intake_days: s.intake.days,
    intake_opens: s.intake.opens,
    intake_closes: s.intake.closes,
    time_zone: TIME_ZONE,
    hold_minutes: s.holdMinutes,
    response_minutes: s.responseMinutes,
    status: s.status,
    intake_instructions: s.intakeInstructions,
    ...eligibilityRow(s.eligibility),
  };
  const names = Object.keys(columns);
  const params = [...Object.values(columns), s.longitude, s.latitude, s.verifiedMinutesAgo];
  const n = params.length;
  return insertId(
    m,
    `INSERT INTO shelter (${names.join(', ')}, public_location, availability_verified_at)
     VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')},
             ST_SetSRID(ST_MakePoint($${n - 2}, $${n - 1}), 4326)::geography,
             now() - make_interval(mins => $${n}))
     RETURNING id`,
    params,
  );
}

/** A pool with its history: created HISTORY_DAYS ago, its occupancy moving since, today's counts last. */
async function insertPool(
  m: EntityManager,
  shelterId: string,
  pool: DemoPool,
  actorId: string,
  history: PoolEvent[],
): Promise<string> {
  const poolId = await insertId(
    m,
    `INSERT INTO bed_pool (shelter_id, bed_type, capacity, occupied, held, out_of_service, created_at)
     VALUES ($1, $2, $3, $4, 0, $5, $6) RETURNING id`,
    [shelterId, pool.bedType, pool.capacity, pool.occupied, pool.outOfService, history[0].at],
  );
  for (const e of history) {
    await m.query(
      `INSERT INTO capacity_event (bed_pool_id, shelter_id, actor_user_id, kind, reason, occurred_at,
                                   capacity_before, occupied_before, held_before, out_of_service_before,
                                   capacity_after, occupied_after, held_after, out_of_service_after)
       VALUES ($1, $2, $3, $4, 'demo data', $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        poolId,
        shelterId,
        actorId,
        e.before ? 'ADJUSTED' : 'POOL_CREATED',
        e.at,
        ...(e.before ?? [null, null, null, null]),
        ...e.after,
      ],
    );
  }
  return poolId;
}

interface LoadedShelter {
  id: string;
  countyCode: string;
  staffId: string;
  holdMinutes: number;
  responseMinutes: number;
  /** A pool a single adult fits in (single, accessible or overflow), for the history's offers. */
  poolId: string | null;
}

const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/**
 * The history's closed referrals (no identity) with their consents, offers, holds and state changes, as the
 * workflow would have left them. Pool counts are today's already, so no hold is left active.
 */
async function insertReferrals(
  m: EntityManager,
  now: Date,
  regions: Map<string, string>,
  shelters: LoadedShelter[],
  advocates: { agencyId: string; userId: string }[],
): Promise<number> {
  const random = seededRandom(PRNG_SEED + 1);
  const code = () =>
    `SL-${Array.from({ length: 8 }, (_, i) => `${i === 4 ? '-' : ''}${REFERENCE_ALPHABET[Math.floor(random() * 31)]}`).join('')}`;
  const referrals = demoReferrals(now, DEMO_REFERRALS);
  for (const r of referrals) {
    const countyCode = COUNTIES[r.countyPick % COUNTIES.length].code;
    const advocate = advocates[r.agencyPick % advocates.length];
    const consentAt = r.events[1][2];
    const waitlisted = r.events.find(([, to]) => to === 'WAITLISTED')?.[2];
    const referralId = await insertId(
      m,
      `INSERT INTO referral (reference_code, agency_id, created_by, region_id, state, urgency, needs, consent_deadline,
                             waitlist_deadline, last_exclusions, blocked_by, match_attempt, exit_destination,
                             submitted_at, closed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
      [
        code(),
        advocate.agencyId,
        advocate.userId,
        lookup(regions, countyCode),
        r.outcome,
        r.needs.urgency,
        JSON.stringify(r.needs),
        new Date(r.submittedAt.getTime() + 3_600_000),
        waitlisted ? new Date(waitlisted.getTime() + 12 * 3_600_000) : null,
        r.exclusions ? JSON.stringify(r.exclusions) : null,
        r.blockedBy,
        Math.max(1, r.offers.length),
        r.exitDestination,
        r.submittedAt,
        r.closedAt,
      ],
    );
    await m.query(
      `INSERT INTO consent (referral_id, scopes, method, recorded_by, recorded_at, expires_at)
       VALUES ($1, '{SHARE_NEEDS_WITH_CANDIDATE_SHELTERS}', 'VERBAL_HOTLINE', $2, $3, $3::timestamptz + interval '7 days')`,
      [referralId, advocate.userId, consentAt],
    );
    const inCounty = shelters.filter((s) => s.poolId && s.countyCode === countyCode);
    const candidates = inCounty.length > 0 ? inCounty : shelters.filter((s) => s.poolId);
    for (const [attempt, offer] of r.offers.entries()) {
      const shelter = candidates[offer.shelterPick % candidates.length];
      const accepted = offer.status === 'ACCEPTED';
      const placedAt = r.events.find(([, to]) => to === 'PLACED')?.[2] ?? offer.answeredAt;
      const holdId = await insertId(
        m,
        `INSERT INTO bed_hold (referral_id, bed_pool_id, shelter_id, status, created_at, expires_at, ended_at, end_reason)
         VALUES ($1, $2, $3, $4, $5, $5::timestamptz + make_interval(mins => $6), $7, $8) RETURNING id`,
        [
          referralId,
          shelter.poolId,
          shelter.id,
          accepted ? 'CONVERTED' : 'RELEASED',
          offer.offeredAt,
          shelter.holdMinutes,
          accepted ? placedAt : offer.answeredAt,
          accepted ? 'intake confirmed' : 'offer declined',
        ],
      );
      await m.query(
        `INSERT INTO offer (referral_id, shelter_id, bed_hold_id, status, attempt, offered_at, respond_by, responded_at,
                            responded_by, decline_reason, closed_at, closed_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $6::timestamptz + make_interval(mins => $7), $8, $9, $10, $11, $12)`,
        [
          referralId,
          shelter.id,
          holdId,
          offer.status,
          attempt + 1,
          offer.offeredAt,
          shelter.responseMinutes,
          offer.answeredAt,
          shelter.staffId,
          accepted ? null : DEMO_DECLINE_REASON,
          // every history offer has ended: declined when answered, or with the resident's exit
          accepted ? r.closedAt : offer.answeredAt,
          accepted ? OfferClosedReason.EXITED : OfferClosedReason.DECLINED,
        ],
      );
    }
    for (const [from, to, at, why] of r.events) {
      await m.query(
        `INSERT INTO referral_event (referral_id, actor_user_id, from_state, to_state, reason, reason_code, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          referralId,
          to === 'MATCHING' && from === 'AWAITING_CONSENT' ? advocate.userId : null,
          from,
          to,
          because(why).prose,
          why,
          at,
        ],
      );
    }
  }
  return referrals.length;
}

/**
 * Loads the demo network in one transaction. Idempotent: when the demo admin already exists nothing changes.
 * Returns a one-paragraph summary.
 */
export async function seedDemo(db: DataSource, now = new Date()): Promise<string> {
  return db.transaction(async (m) => {
    // two loads at once: the second waits here, then finds the admin and stops
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('shelterlink:seed-demo'))`);
    const existing = await m.query<unknown[]>(`SELECT 1 FROM app_user WHERE email = $1`, [DEMO_ADMIN_EMAIL]);
    if (existing.length > 0) {
      return `The demo data is already loaded (${DEMO_ADMIN_EMAIL} exists); nothing was changed.`;
    }

    const regions = new Map<string, string>();
    const stateId = await insertRegion(m, STATE.code, STATE.name, null);
    regions.set(STATE.code, stateId);
    for (const county of COUNTIES) regions.set(county.code, await insertRegion(m, county.code, county.name, stateId));

    let users = 0;
    const addUser = (user: NewUser) => {
      users++;
      return insertUser(m, user);
    };
    await addUser({ ...ADMIN, role: 'ADMIN', organisationId: null });

    const staffOf = new Map<Provider, string>();
    const providerIds = new Map<Provider, string>();
    for (const [slug, provider] of Object.entries(PROVIDERS) as [Provider, (typeof PROVIDERS)[Provider]][]) {
      const organisationId = await insertOrganisation(m, provider.name, 'SHELTER_PROVIDER');
      providerIds.set(slug, organisationId);
      const email = `staff.${slug}@example.org`;
      staffOf.set(slug, await addUser({ email, name: provider.staff, role: 'SHELTER_STAFF', organisationId }));
    }
    const advocates: { agencyId: string; userId: string }[] = [];
    for (const agency of AGENCIES) {
      const organisationId = await insertOrganisation(m, agency.name, 'REFERRAL_AGENCY');
      for (const a of agency.advocates)
        advocates.push({
          agencyId: organisationId,
          userId: await addUser({ ...a, role: 'HOTLINE_ADVOCATE', organisationId }),
        });
    }
    const coordinationId = await insertOrganisation(m, COORDINATION.name, 'COORDINATING_BODY');
    for (const c of COORDINATION.coordinators) {
      const userId = await addUser({ ...c, role: 'REGIONAL_COORDINATOR', organisationId: coordinationId });
      await m.query(`INSERT INTO user_region (user_id, region_id) VALUES ($1, $2)`, [
        userId,
        lookup(regions, c.region),
      ]);
    }

    const shelters = demoShelters();
    const historyRandom = seededRandom(PRNG_SEED + 2);
    const loaded: LoadedShelter[] = [];
    let pools = 0;
    let beds = 0;
    let available = 0;
    let availableAtPaused = 0;
    for (const s of shelters) {
      const shelterId = await insertShelter(m, s, lookup(providerIds, s.provider), lookup(regions, s.countyCode));
      const staffId = lookup(staffOf, s.provider);
      let adultPool: string | null = null;
      for (const pool of s.pools) {
        const poolId = await insertPool(m, shelterId, pool, staffId, poolHistory(pool, now, historyRandom));
        if (pool.bedType !== BedType.FAMILY_UNIT && pool.bedType !== BedType.CRIB) adultPool ??= poolId;
        pools++;
        beds += pool.capacity;
        // a paused shelter takes nobody: its free beds are counted apart, as coordinators see them
        if (s.status === ShelterStatus.PAUSED) availableAtPaused += pool.capacity - pool.occupied - pool.outOfService;
        else available += pool.capacity - pool.occupied - pool.outOfService;
      }
      loaded.push({
        id: shelterId,
        countyCode: s.countyCode,
        staffId,
        holdMinutes: s.holdMinutes,
        responseMinutes: s.responseMinutes,
        // paused shelters get no offers in the history either
        poolId: s.status === ShelterStatus.ACTIVE ? adultPool : null,
      });
    }
    const referrals = await insertReferrals(m, now, regions, loaded, advocates);

    const organisations = providerIds.size + AGENCIES.length + 1;
    const paused = shelters.filter((s) => s.status === ShelterStatus.PAUSED).length;
    const stale = shelters.filter((s) => s.verifiedMinutesAgo > 24 * 60).length;
    return (
      `Loaded the demo network for ${STATE.name}: ${regions.size} regions (the state and ${COUNTIES.length} counties), ` +
      `${organisations} organisations (${providerIds.size} shelter providers, ${AGENCIES.length} referral agencies, ` +
      `1 coordinating body), ${users} users, ${shelters.length} shelters (${paused} paused, ${stale} with stale counts) ` +
      `and ${pools} bed pools with ${available} of ${beds} beds available (and ${availableAtPaused} free at paused ` +
      `shelters); ${HISTORY_DAYS} days of history: ` +
      `the pools' counts over time and ${referrals} closed referrals (no identities).`
    );
  });
}
