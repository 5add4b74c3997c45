import {
  defaultPeriodDays,
  downloadName,
  periodFromDays,
  readCount,
  regionsInScope,
  sortShelters,
  type ShelterRow,
} from './logic';

const REGIONS = [
  { id: 'jun', name: 'Juniper County', parentId: 'ls' },
  { id: 'ls', name: 'Lone Spruce State', parentId: null },
  { id: 'ced', name: 'Cedar Hollow County', parentId: 'ls' },
  { id: 'city', name: 'Juniper City', parentId: 'jun' },
  { id: 'other', name: 'Another State', parentId: null },
];

describe('regionsInScope', () => {
  it('a county coordinator sees the county and what lies below it, nothing else', () => {
    expect(regionsInScope(REGIONS, ['jun']).map((r) => [r.id, r.depth])).toEqual([
      ['jun', 0],
      ['city', 1],
    ]);
  });
  it('a state coordinator sees the whole state in tree order', () => {
    expect(regionsInScope(REGIONS, ['ls']).map((r) => r.id)).toEqual(['ls', 'ced', 'jun', 'city']);
  });
  it('overlapping assignments list a region once', () => {
    expect(regionsInScope(REGIONS, ['ls', 'jun']).map((r) => r.id)).toEqual(['ls', 'ced', 'jun', 'city']);
  });
  it('no assignment: nothing', () => {
    expect(regionsInScope(REGIONS, [])).toEqual([]);
  });
});

describe('sortShelters', () => {
  const row = (name: string, stale: boolean, verifiedHoursAgo: number, available = 0): ShelterRow => ({
    name,
    city: 'x',
    status: 'ACTIVE',
    stale,
    availabilityVerifiedAt: new Date(Date.UTC(2026, 0, 2) - verifiedHoursAgo * 3_600_000).toISOString(),
    available,
    capacity: 10,
  });
  const rows = [row('Fresh', false, 1, 5), row('Stale', true, 30, 2), row('Older fresh', false, 5, 9)];
  it('stale first by default (verified ascending), then the oldest', () => {
    expect(sortShelters(rows, 'verified', 'ascending').map((r) => r.name)).toEqual(['Stale', 'Older fresh', 'Fresh']);
  });
  it('sorts numbers and names both ways', () => {
    expect(sortShelters(rows, 'available', 'descending').map((r) => r.name)).toEqual(['Older fresh', 'Fresh', 'Stale']);
    expect(sortShelters(rows, 'name', 'ascending').map((r) => r.name)).toEqual(['Fresh', 'Older fresh', 'Stale']);
  });
});

describe('readCount', () => {
  it('a value, a small cell, a withheld total', () => {
    expect(readCount({ value: 0, fewerThan: null })).toEqual({ kind: 'value', value: 0 });
    expect(readCount({ value: null, fewerThan: 5 })).toEqual({ kind: 'fewerThan', k: 5 });
    expect(readCount({ value: null, fewerThan: null })).toEqual({ kind: 'withheld' });
  });
});

describe('periods', () => {
  it('whole UTC days, the last day included', () => {
    expect(periodFromDays('2026-12-01', '2026-12-07')).toEqual({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-08T00:00:00.000Z',
    });
    expect(periodFromDays('', '2026-12-07')).toBeNull();
  });
  it('the default is the last 14 days', () => {
    expect(defaultPeriodDays(Date.UTC(2026, 11, 7, 21))).toEqual({ from: '2026-11-24', to: '2026-12-07' });
  });
});

describe('downloadName', () => {
  it('reads the server name, else the fallback', () => {
    expect(downloadName('attachment; filename="capacity.csv"', 'x.csv')).toBe('capacity.csv');
    expect(downloadName(null, 'x.csv')).toBe('x.csv');
  });
});
