import { parse } from 'csv-parse/sync';
import { CAPACITY_CSV_HEADER, HMIS_INVENTORY_HEADER, REFERRAL_STATISTICS_CSV_HEADER } from '@shelterlink/monitoring';
import { gql } from '../support/gql';
import { DOC, lastWeek, referralFixture } from '../support/operations';
import { createWorld, World } from '../support/world';

/** Strings planted in identity, confidential addresses and phones: no export or coordinator answer may hold them. */
const CANARIES = {
  name: 'Canary Survivorname Q7X',
  phone: '+1-555-0199-7731',
  notes: 'CANARY-NOTES-Z4K',
  address: 'CANARY-HIDDEN-ADDRESS-9P2',
  intakePhone: '+1-555-0100-4242',
};

type Role = 'anonymous' | 'staffA' | 'advocate' | 'coordinator' | 'admin';

async function download(w: World, path: string, role: Role): Promise<{ status: number; type: string; body: string }> {
  const token = role === 'anonymous' ? null : w.tokens[role];
  const response = await fetch(`${w.api.url}/exports/${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

const period = lastWeek;

describe('exports over HTTP', () => {
  let w: World;
  let confidential: string;
  let formula: string;

  beforeAll(async () => {
    w = await createWorld();
    confidential = await w.fx.shelter(w.orgs.providerA, w.regions.countyA, {
      name: 'Quiet Harbor',
      address: CANARIES.address,
      intakePhone: CANARIES.intakePhone,
    });
    await w.fx.pool(confidential, 'FAMILY_UNIT', 3, { occupied: 1 });
    await w.fx.pool(confidential, 'EMERGENCY_OVERFLOW', 2);
    formula = await w.fx.shelter(w.orgs.providerA, w.regions.countyA, {
      name: '=HYPERLINK("http://evil.example")',
      locationConfidential: false,
      address: '1 Open Street',
    });
    await w.fx.pool(formula, 'SINGLE', 1);
    // referrals with an identity in every state a report counts
    for (const state of ['PLACED', 'WAITLISTED', 'EXPIRED', 'OFFERED'] as const)
      await referralFixture(w, state, {
        identity: { name: CANARIES.name, phone: CANARIES.phone, notes: CANARIES.notes },
        offerTo: state === 'WAITLISTED' ? undefined : 'A',
      });
  });
  afterAll(() => w.close());

  const county = () => w.regions.countyA;
  const paths = () => {
    const p = period();
    return {
      capacity: `capacity.csv?regionId=${county()}`,
      statistics: `referral-statistics.csv?regionId=${county()}&from=${p.from}&to=${p.to}`,
      inventory: `hmis-inventory.csv?regionId=${county()}`,
      directory: `directory.hsds.json?regionId=${county()}`,
    };
  };

  it('capacity CSV: one row per pool of the region, the named columns, surge marked, no address', async () => {
    const { status, type, body } = await download(w, paths().capacity, 'coordinator');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/csv/);
    const rows = parse<Record<string, string>>(body, { columns: true });
    expect(Object.keys(rows[0])).toEqual([...CAPACITY_CSV_HEADER]);
    const quiet = rows.filter((r) => r.shelter_id === confidential);
    expect(quiet.map((r) => [r.bed_type, r.surge, r.capacity, r.occupied, r.available])).toEqual([
      ['FAMILY_UNIT', 'false', '3', '1', '2'],
      ['EMERGENCY_OVERFLOW', 'true', '2', '0', '2'],
    ]);
    // county B's shelter is not in county A's export
    expect(rows.some((r) => r.shelter_id === w.shelters.b)).toBe(false);
    // a name a spreadsheet would run as a formula is defused
    expect(rows.find((r) => r.shelter_id === formula)?.shelter_name).toBe(`'=HYPERLINK("http://evil.example")`);
  });

  it('HMIS Inventory.csv: the HUD column layout, one record per pool, household type and availability coded', async () => {
    const { status, body } = await download(w, paths().inventory, 'admin');
    expect(status).toBe(200);
    const rows = parse<Record<string, string>>(body, { columns: true });
    expect(Object.keys(rows[0])).toEqual([...HMIS_INVENTORY_HEADER]);
    const quiet = rows.filter((r) => r.ProjectID === confidential.replace(/-/g, ''));
    expect(quiet).toHaveLength(2);
    const family = quiet.find((r) => r.HouseholdType === '3')!;
    expect(family).toMatchObject({ Availability: '1', BedInventory: '3', OtherBedInventory: '3', ESBedType: '1' });
    const overflow = quiet.find((r) => r.Availability === '3')!;
    expect(overflow).toMatchObject({ HouseholdType: '1', BedInventory: '2' });
    for (const r of rows) {
      expect(r.InventoryID).toMatch(/^[0-9a-f]{32}$/);
      expect(r.InventoryStartDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.DateUpdated).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(Number(r.BedInventory)).toBe(
        ['CHVet', 'YouthVet', 'Vet', 'CHYouth', 'Youth', 'CH', 'Other']
          .map((p) => Number(r[`${p}BedInventory`]))
          .reduce((a, b) => a + b),
      );
    }
    expect(new Set(rows.map((r) => r.ExportID)).size).toBe(1);
  });

  it('referral statistics CSV: aggregates in long form, small counts withheld', async () => {
    const { status, body } = await download(w, paths().statistics, 'coordinator');
    expect(status).toBe(200);
    const rows = parse<Record<string, string>>(body, { columns: true });
    expect(Object.keys(rows[0])).toEqual([...REFERRAL_STATISTICS_CSV_HEADER]);
    const submitted = rows.find((r) => r.section === 'submitted')!;
    // four referrals: fewer than the default k of 5
    expect(submitted).toMatchObject({ value: '', text: 'fewer than 5' });
    expect(rows.find((r) => r.section === 'by_state' && r.subject === 'PLACED')).toMatchObject({
      text: 'fewer than 5',
    });
    expect(rows.find((r) => r.section === 'by_state' && r.subject === 'SUBMITTED')).toMatchObject({ value: '0' });
  });

  it('HSDS 3 directory: services with organization, coarse location and service_capacity; no confidential address', async () => {
    const { status, type, body } = await download(w, paths().directory, 'advocate');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    const page = JSON.parse(body) as { total_items: number; contents: any[] };
    expect(page.total_items).toBe(page.contents.length);
    const quiet = page.contents.find((s) => s.id === confidential);
    expect(quiet).toMatchObject({ name: 'Quiet Harbor', status: 'active', organization: { id: w.orgs.providerA } });
    expect(quiet.phones).toEqual([]);
    const location = quiet.service_at_locations[0].location;
    expect(location.addresses).toEqual([]);
    expect(location.latitude).toBeCloseTo(Math.round(location.latitude * 100) / 100, 10);
    expect(quiet.capacities).toEqual([
      expect.objectContaining({ available: 2, maximum: 3, unit: expect.objectContaining({ name: 'family unit' }) }),
      expect.objectContaining({
        available: 2,
        maximum: 2,
        unit: expect.objectContaining({ name: 'emergency overflow bed' }),
      }),
    ]);
    for (const capacity of quiet.capacities as { id: string; updated: string }[]) {
      expect(capacity.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(capacity.updated))).toBe(false);
    }
    const open = page.contents.find((s) => s.id === w.shelters.aPublic);
    expect(open.service_at_locations[0].location.addresses[0]).toMatchObject({ address_1: '5 Main Street' });
    // every HSDS id is a uuid
    const ids = JSON.stringify(page).match(/"id":"[^"]*"/g) ?? [];
    for (const id of ids) expect(id).toMatch(/"id":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"/);
  });

  it('HSDS paging: per_page and page walk the directory, HSDS paging fields tell where', async () => {
    const first = JSON.parse((await download(w, 'directory.hsds.json?per_page=2', 'admin')).body);
    const total = first.total_items as number;
    expect(total).toBeGreaterThan(3);
    expect(first).toMatchObject({ page_number: 1, size: 2, first_page: true, last_page: false });
    expect(first.total_pages).toBe(Math.ceil(total / 2));
    const seen = new Set<string>();
    for (let page = 1; page <= first.total_pages; page += 1) {
      const body = JSON.parse((await download(w, `directory.hsds.json?per_page=2&page=${page}`, 'admin')).body);
      for (const s of body.contents as { id: string }[]) seen.add(s.id);
      expect(body.last_page).toBe(page === first.total_pages);
    }
    expect(seen.size).toBe(total);
    const beyond = JSON.parse((await download(w, `directory.hsds.json?per_page=2&page=999`, 'admin')).body);
    expect(beyond).toMatchObject({ empty: true, contents: [], total_items: total });
  });

  it('a failed download is not an attachment', async () => {
    const response = await fetch(`${w.api.url}/exports/capacity.csv?regionId=${w.regions.countyB}`, {
      headers: { authorization: `Bearer ${w.tokens.coordinator}` },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-disposition')).not.toMatch(/attachment/);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('no export and no coordinator answer holds an identity, a confidential address or a confidential phone', async () => {
    const bodies: string[] = [];
    for (const path of Object.values(paths())) {
      for (const role of ['staffA', 'coordinator', 'admin'] as const) {
        const { status, body } = await download(w, path, role);
        if (status === 200) bodies.push(body);
      }
    }
    const variables = { id: county(), period: period() };
    for (const token of [w.tokens.coordinator, w.tokens.admin]) {
      for (const [doc, vars] of [
        [DOC.referralStatistics, variables],
        [DOC.unmetNeed, variables],
        [DOC.occupancy, { ...variables, bucket: 'DAY' }],
        [DOC.regionCapacity, { id: county() }],
      ] as const)
        bodies.push(JSON.stringify(await gql(w.api.url, doc, vars, token)));
    }
    expect(bodies.length).toBeGreaterThanOrEqual(12);
    const all = bodies.join('\n');
    for (const canary of Object.values(CANARIES)) expect(all).not.toContain(canary);
  });

  it.each([
    ['capacity', { anonymous: 401, staffA: 403, advocate: 403, coordinator: 200, admin: 200 }],
    ['statistics', { anonymous: 401, staffA: 403, advocate: 403, coordinator: 200, admin: 200 }],
    ['inventory', { anonymous: 401, staffA: 403, advocate: 403, coordinator: 200, admin: 200 }],
    ['directory', { anonymous: 401, staffA: 200, advocate: 200, coordinator: 200, admin: 200 }],
  ] as const)('%s export: who may download it', async (name, expected) => {
    for (const [role, status] of Object.entries(expected)) {
      const result = await download(w, paths()[name], role as Role);
      expect([role, result.status]).toEqual([role, status]);
      if (status !== 200) expect(JSON.parse(result.body).error.code).toEqual(expect.any(String));
    }
  });

  it("a region outside the coordinator's scope is not found; an admin gets it", async () => {
    for (const path of [`capacity.csv`, `hmis-inventory.csv`]) {
      const other = `${path}?regionId=${w.regions.countyB}`;
      expect((await download(w, other, 'coordinator')).status).toBe(404);
      expect((await download(w, other, 'admin')).status).toBe(200);
    }
    const p = period();
    const stats = `referral-statistics.csv?regionId=${w.regions.countyB}&from=${p.from}&to=${p.to}`;
    expect((await download(w, stats, 'coordinator')).status).toBe(404);
  });

  it.each([
    ['capacity.csv', 'regionId'],
    ['capacity.csv?regionId=not-a-uuid', 'regionId'],
    ['hmis-inventory.csv?regionId=42', 'regionId'],
    ['directory.hsds.json?regionId=nope', 'regionId'],
    ['referral-statistics.csv?regionId=REGION&from=2026-01-01', 'to'],
    ['referral-statistics.csv?regionId=REGION&from=yesterday&to=2026-01-01', 'from'],
    ['referral-statistics.csv?regionId=REGION&from=2026-02-01&to=2026-01-01', 'to'],
    ['referral-statistics.csv?regionId=REGION&from=2024-01-01&to=2026-01-01', 'to'],
    ['referral-statistics.csv?regionId=REGION&from=2026-01-01T12:00:00Z&to=2026-01-02', 'from'],
    ['directory.hsds.json?per_page=501', 'per_page'],
    ['directory.hsds.json?page=0', 'page'],
    ['directory.hsds.json?page=two', 'page'],
  ])('bad input %s → 400 naming %s', async (path, field) => {
    const { status, body } = await download(w, path.replace('REGION', w.regions.countyA), 'admin');
    expect(status).toBe(400);
    const { error } = JSON.parse(body) as { error: { code: string; message: string; field: string } };
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('an unknown region is not found', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await download(w, `directory.hsds.json?regionId=${unknown}`, 'advocate')).status).toBe(404);
    expect((await download(w, `capacity.csv?regionId=${unknown}`, 'admin')).status).toBe(404);
  });
});

describe('exports are rate-limited per client address', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ RATE_LIMIT_PER_MINUTE: '8' });
  });
  afterAll(() => w.close());

  it('past the limit: 429 with Retry-After, the code and no download', async () => {
    const results: { status: number; retryAfter: string | null; body: string }[] = [];
    for (let i = 0; i < 10; i += 1) {
      const response = await fetch(`${w.api.url}/exports/directory.hsds.json`, {
        headers: { authorization: `Bearer ${w.tokens.advocate}` },
      });
      results.push({
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
      });
    }
    expect(results[0].status).toBe(200);
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(Number(refused[0].retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(refused[0].body).error.code).toBe('RATE_LIMITED');
  });
});
