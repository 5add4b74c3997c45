// Pure logic of the coordinator's screens (no DOM): which regions a coordinator may pick, the order of the
// shelters table, how a suppressed count reads, and whole-day report periods.

export interface RegionNode {
  id: string;
  name: string;
  parentId?: string | null;
}

/**
 * The regions a coordinator may look at: each assigned region and every region below it, in tree order (a
 * parent before its children, siblings by name), with each region's depth below the first one shown.
 */
export function regionsInScope<R extends RegionNode>(
  all: readonly R[],
  assignedIds: readonly string[],
): (R & { depth: number })[] {
  const children = new Map<string | null, R[]>();
  for (const region of all) {
    const parent = region.parentId ?? null;
    const list = children.get(parent) ?? [];
    list.push(region);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  const assigned = new Set(assignedIds);
  const out: (R & { depth: number })[] = [];
  const seen = new Set<string>();
  const walk = (region: R, depth: number, inScope: boolean): void => {
    const here = inScope || assigned.has(region.id);
    if (here && !seen.has(region.id)) {
      seen.add(region.id);
      out.push({ ...region, depth });
    }
    for (const child of children.get(region.id) ?? []) walk(child, here ? depth + 1 : depth, here);
  };
  const ids = new Set(all.map((r) => r.id));
  for (const root of all
    .filter((r) => !r.parentId || !ids.has(r.parentId))
    .sort((a, b) => a.name.localeCompare(b.name)))
    walk(root, 0, false);
  return out;
}

export type SortDirection = 'ascending' | 'descending';
export type ShelterSortKey = 'name' | 'city' | 'status' | 'verified' | 'available' | 'capacity';

export interface ShelterRow {
  name: string;
  city: string;
  status: string;
  stale: boolean;
  availabilityVerifiedAt: string;
  available: number;
  capacity: number;
}

/** The default order: stale counts first, the oldest verification first. */
export const DEFAULT_SHELTER_SORT: { key: ShelterSortKey; direction: SortDirection } = {
  key: 'verified',
  direction: 'ascending',
};

function compareBy(key: ShelterSortKey, a: ShelterRow, b: ShelterRow, locale: string): number {
  switch (key) {
    case 'name':
      return a.name.localeCompare(b.name, locale);
    case 'city':
      return a.city.localeCompare(b.city, locale);
    case 'status':
      return a.status.localeCompare(b.status);
    case 'verified':
      // "ascending" reads as least fresh first: stale before fresh, then the oldest verification first
      if (a.stale !== b.stale) return a.stale ? -1 : 1;
      return Date.parse(a.availabilityVerifiedAt) - Date.parse(b.availabilityVerifiedAt);
    case 'available':
      return a.available - b.available;
    case 'capacity':
      return a.capacity - b.capacity;
  }
}

/** A sorted copy; ties are broken by name so the order is stable between refetches. */
export function sortShelters<T extends ShelterRow>(
  rows: readonly T[],
  key: ShelterSortKey,
  direction: SortDirection,
  locale = 'en',
): T[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => sign * compareBy(key, a, b, locale) || a.name.localeCompare(b.name, locale));
}

export interface SuppressedCountLike {
  value?: number | null;
  fewerThan?: number | null;
}

/** How a count reads: its value, "fewer than k" (a small cell), or "withheld" (it would give a small cell away). */
export type CellReading = { kind: 'value'; value: number } | { kind: 'fewerThan'; k: number } | { kind: 'withheld' };

export function readCount(count: SuppressedCountLike): CellReading {
  if (typeof count.value === 'number') return { kind: 'value', value: count.value };
  if (typeof count.fewerThan === 'number') return { kind: 'fewerThan', k: count.fewerThan };
  return { kind: 'withheld' };
}

const DAY_MS = 86_400_000;

/** yyyy-mm-dd of a UTC day. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The default report period: the last 14 whole UTC days, today included (as dates for the form). */
export function defaultPeriodDays(now = Date.now()): { from: string; to: string } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { from: isoDay(today - 13 * DAY_MS), to: isoDay(today) };
}

/**
 * The API's period for dates picked in the form: from the first day's UTC midnight to the midnight after the last
 * day (reports take whole UTC days). Null when a date is missing or malformed.
 */
export function periodFromDays(from: string, to: string): { from: string; to: string } | null {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || Number.isNaN(start) || Number.isNaN(end))
    return null;
  return { from: new Date(start).toISOString(), to: new Date(end + DAY_MS).toISOString() };
}

/** A file name from a Content-Disposition header, or the fallback. */
export function downloadName(contentDisposition: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(contentDisposition ?? '');
  return match?.[1] ?? fallback;
}
