import { stringify } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { BedType } from '@shelterlink/shelters';
import type { DirectoryEntry, PoolSnapshot } from './exports.service';
import type { ReferralStatistics, UnmetNeed } from './referral-statistics.service';
import type { Cell } from './suppression';

type Value = string | number | boolean | null;

/**
 * CSV with a header row. A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, return) is
 * prefixed with an apostrophe: names come from users.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly Value[])[]): string {
  const safe = (v: Value): Value => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  return stringify([header, ...rows.map((row) => row.map(safe))], {
    cast: { boolean: (b) => (b ? 'true' : 'false') },
  });
}

export const CAPACITY_CSV_HEADER = [
  'region_code',
  'region_name',
  'shelter_id',
  'shelter_name',
  'city',
  'shelter_status',
  'bed_type',
  'surge',
  'capacity',
  'occupied',
  'held',
  'out_of_service',
  'available',
  'available_at_paused_shelter',
  'verified_at',
  'stale',
] as const;

/** One row per bed pool, as the counts stand now. */
export function capacityCsv(pools: readonly PoolSnapshot[]): string {
  return toCsv(
    CAPACITY_CSV_HEADER,
    pools.map((p) => [
      p.regionCode,
      p.regionName,
      p.shelterId,
      p.shelterName,
      p.city,
      p.status,
      p.bedType,
      p.bedType === BedType.EMERGENCY_OVERFLOW,
      p.capacity,
      p.occupied,
      p.held,
      p.outOfService,
      p.available,
      p.availableAtPausedShelters,
      p.verifiedAt.toISOString(),
      p.stale,
    ]),
  );
}

export const REFERRAL_STATISTICS_CSV_HEADER = ['section', 'subject', 'measure', 'value', 'text'] as const;

/**
 * Referral statistics in long form, one figure per row: counts as their suppressed cells ("fewer than 5", value
 * empty), times in seconds, rates as fractions. Aggregates only: no referral, identity or needs profile.
 */
export function referralStatisticsCsv(stats: ReferralStatistics, unmet: UnmetNeed): string {
  const rows: Value[][] = [];
  const count = (section: string, subject: string, c: Cell) =>
    rows.push([section, subject, 'referrals', c.value, c.text]);
  const figure = (section: string, subject: string, measure: string, value: number | null) =>
    rows.push([
      section,
      subject,
      measure,
      value,
      value === null ? `withheld (fewer than ${stats.suppressionThreshold})` : String(value),
    ]);

  rows.push(['report', stats.regionName, 'period_from', null, stats.period.from.toISOString()]);
  rows.push(['report', stats.regionName, 'period_to', null, stats.period.to.toISOString()]);
  rows.push([
    'report',
    stats.regionName,
    'suppression_threshold',
    stats.suppressionThreshold,
    String(stats.suppressionThreshold),
  ]);
  count('submitted', 'all', stats.submitted);
  for (const s of stats.byState) count('by_state', s.state, s.referrals);
  for (const [section, d] of [
    ['submission_to_offer', stats.submissionToOffer],
    ['submission_to_placement', stats.submissionToPlacement],
  ] as const) {
    count(section, 'all', d.referrals);
    figure(section, 'all', 'median_seconds', d.medianSeconds);
    figure(section, 'all', 'p90_seconds', d.p90Seconds);
  }
  for (const s of stats.shelters) {
    for (const [measure, c] of [
      ['offers', s.offers],
      ['accepted', s.accepted],
      ['declined', s.declined],
      ['timed_out', s.timedOut],
    ] as const)
      rows.push(['shelter_responses', s.shelterName, measure, c.value, c.text]);
    figure('shelter_responses', s.shelterName, 'median_response_seconds', s.medianResponseSeconds);
    figure('shelter_responses', s.shelterName, 'acceptance_rate', s.acceptanceRate);
  }
  count('unmet_need', 'all', unmet.referrals);
  count('unmet_need', 'waitlisted', unmet.waitlisted);
  count('unmet_need', 'closed_without_placement', unmet.closedWithoutPlacement);
  for (const r of unmet.reasons) count('unmet_need_reason', r.label, r.referrals);
  return toCsv(REFERRAL_STATISTICS_CSV_HEADER, rows);
}

/** The column layout of HUD HMIS CSV `Inventory.csv` (FY2024). */
export const HMIS_INVENTORY_HEADER = [
  'InventoryID',
  'ProjectID',
  'CoCCode',
  'HouseholdType',
  'Availability',
  'UnitInventory',
  'BedInventory',
  'CHVetBedInventory',
  'YouthVetBedInventory',
  'VetBedInventory',
  'CHYouthBedInventory',
  'YouthBedInventory',
  'CHBedInventory',
  'OtherBedInventory',
  'ESBedType',
  'InventoryStartDate',
  'InventoryEndDate',
  'DateCreated',
  'DateUpdated',
  'UserID',
  'DateDeleted',
  'ExportID',
] as const;

/** HMIS 2.07.4 household type: 1 without children, 3 with adults and children, 4 only children. */
function householdType(p: PoolSnapshot): number {
  if (p.minorsOnly) return 4;
  return p.bedType === BedType.FAMILY_UNIT || p.bedType === BedType.CRIB ? 3 : 1;
}

const hmisId = (uuid: string): string => uuid.replace(/-/g, '');
const hmisDate = (d: Date): string => d.toISOString().slice(0, 10);
const hmisDateTime = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * One inventory record per bed pool: a shelter is an HMIS project (ids are our uuids without dashes, 32
 * characters), CoCCode is the region's code, emergency overflow is availability 3 (overflow), every other pool
 * year-round (1) and facility-based (ESBedType 1). No bed is dedicated to a HUD subpopulation, so every bed is
 * OtherBedInventory.
 */
export function hmisInventoryCsv(pools: readonly PoolSnapshot[], exportId: string): string {
  return toCsv(
    HMIS_INVENTORY_HEADER,
    pools.map((p) => [
      hmisId(p.poolId),
      hmisId(p.shelterId),
      p.regionCode,
      householdType(p),
      p.bedType === BedType.EMERGENCY_OVERFLOW ? 3 : 1,
      p.capacity,
      p.capacity,
      0,
      0,
      0,
      0,
      0,
      0,
      p.capacity,
      1,
      hmisDate(p.poolCreatedAt),
      null,
      hmisDateTime(p.poolCreatedAt),
      hmisDateTime(p.poolUpdatedAt),
      'shelterlink',
      null,
      exportId,
    ]),
  );
}

/** Fixed ids for the HSDS units, one per bed type (HSDS wants a uuid for each unit). */
const HSDS_UNIT_IDS: Readonly<Record<BedType, string>> = {
  SINGLE: '6d1f3b2e-5a41-4d0c-9a53-0b7f4e0c1a01',
  FAMILY_UNIT: '6d1f3b2e-5a41-4d0c-9a53-0b7f4e0c1a02',
  ACCESSIBLE: '6d1f3b2e-5a41-4d0c-9a53-0b7f4e0c1a03',
  CRIB: '6d1f3b2e-5a41-4d0c-9a53-0b7f4e0c1a04',
  EMERGENCY_OVERFLOW: '6d1f3b2e-5a41-4d0c-9a53-0b7f4e0c1a05',
};

const UNIT_NAMES: Readonly<Record<BedType, string>> = {
  SINGLE: 'single bed',
  FAMILY_UNIT: 'family unit',
  ACCESSIBLE: 'accessible bed',
  CRIB: 'crib',
  EMERGENCY_OVERFLOW: 'emergency overflow bed',
};

/** HSDS wants a uuid for every object; ours are derived from the shelter's id and what the object is. */
function derivedUuid(shelterId: string, what: string): string {
  const hex = createHash('sha256').update(`${shelterId}:${what}`).digest('hex');
  // RFC 9562 version 8 (custom), RFC 4122 variant
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The public directory as an Open Referral HSDS 3 page of services (HSDS's paging fields): one service per shelter with its
 * organization, one location (the coarse public point; an address only for shelters that are not confidential)
 * and `capacities`, one HSDS service_capacity per bed pool with the live available count, the maximum and when
 * it was last changed or confirmed.
 */
export function hsdsDirectory(
  entries: readonly DirectoryEntry[],
  page: { number: number; size: number; total: number },
): Record<string, unknown> {
  const contents = entries.map((e) => ({
    id: e.shelterId,
    organization_id: e.organisationId,
    name: e.shelterName,
    status: e.status === 'ACTIVE' ? 'active' : 'temporarily closed',
    description: 'Safe housing for survivors of human trafficking',
    minimum_age: e.minAge,
    maximum_age: e.maxAge,
    assured_date: hmisDate(e.verifiedAt),
    organization: { id: e.organisationId, name: e.organisationName },
    languages: e.languages.map((code) => ({
      id: derivedUuid(e.shelterId, `language:${code}`),
      service_id: e.shelterId,
      code,
    })),
    phones: e.phone
      ? [{ id: derivedUuid(e.shelterId, 'phone'), service_id: e.shelterId, number: e.phone, type: 'voice' }]
      : [],
    service_at_locations: [
      {
        id: derivedUuid(e.shelterId, 'service_at_location'),
        service_id: e.shelterId,
        location: {
          id: derivedUuid(e.shelterId, 'location'),
          location_type: 'physical',
          name: e.city,
          // the public point is already coarsened to about 1 km; two decimals keep it so
          latitude: Math.round(e.latitude * 100) / 100,
          longitude: Math.round(e.longitude * 100) / 100,
          addresses: e.address
            ? [
                {
                  id: derivedUuid(e.shelterId, 'address'),
                  address_1: e.address,
                  city: e.city,
                  address_type: 'physical',
                },
              ]
            : [],
        },
      },
    ],
    capacities: e.pools.map((p) => ({
      id: p.id,
      service_id: e.shelterId,
      unit: { id: HSDS_UNIT_IDS[p.bedType], name: UNIT_NAMES[p.bedType] },
      available: p.available,
      maximum: p.capacity,
      description: `${UNIT_NAMES[p.bedType]}s`,
      // when staff last confirmed the counts: a pool's own last change would show a held bed becoming occupied
      updated: e.verifiedAt.toISOString(),
    })),
  }));
  const pages = Math.max(1, Math.ceil(page.total / page.size));
  return {
    total_items: page.total,
    total_pages: pages,
    page_number: page.number,
    size: page.size,
    first_page: page.number === 1,
    last_page: page.number >= pages,
    empty: contents.length === 0,
    contents,
  };
}
