import {
  canWithdraw,
  EMPTY_NEEDS,
  formFieldOf,
  parseChildrenAges,
  placesFrom,
  toNeedsInput,
  validateNeeds,
  type NeedsForm,
} from './needs';

const regions = [{ id: 'r1' }, { id: 'r2' }];
const directory = [
  { city: 'Juniper City', regionId: 'r1', approximateLocation: { latitude: 30.46, longitude: -97.61 } },
  { city: 'juniper city ', regionId: 'r1', approximateLocation: { latitude: 30.48, longitude: -97.63 } },
  { city: 'Red Mesa', regionId: 'r2', approximateLocation: { latitude: 31.27, longitude: -98.06 } },
];
const places = placesFrom(regions, directory);
const complete: NeedsForm = {
  ...EMPTY_NEEDS,
  age: '30',
  gender: 'WOMAN',
  traffickingTypes: ['SEX'],
  urgency: 'TONIGHT',
  place: 'town:r1:juniper city',
};

describe('places', () => {
  it('gives every region as a whole and each town once, at the mean of its public points', () => {
    expect(places.map((p) => p.key)).toEqual(['region:r1', 'region:r2', 'town:r1:juniper city', 'town:r2:red mesa']);
    expect(places[2]).toMatchObject({
      regionId: 'r1',
      town: 'Juniper City',
      location: { latitude: 30.47, longitude: -97.62 },
    });
    expect(places[0].location).toBeNull();
  });
});

describe('validateNeeds', () => {
  it('asks for the required answers first, in the order of the form', () => {
    expect(validateNeeds(EMPTY_NEEDS).map((e) => e.field)).toEqual([
      'age',
      'gender',
      'traffickingTypes',
      'urgency',
      'place',
    ]);
    expect(validateNeeds(complete)).toEqual([]);
  });

  it.each([
    ['age', { age: '-3' }, 'age'],
    ['age', { age: '121' }, 'age'],
    ['age', { age: '3.5' }, 'age'],
    ['childrenAges', { childrenAges: '3, 18' }, 'childrenAges'],
    ['childrenAges', { childrenAges: 'two' }, 'childrenAges'],
    ['minimumStayDays', { minimumStayDays: '0' }, 'minimumStay'],
    ['radiusKm', { radiusKm: '-1' }, 'radius'],
  ])('%s: %j is refused', (field, change, error) => {
    expect(validateNeeds({ ...complete, ...change })).toEqual([{ field, error }]);
  });
});

describe('toNeedsInput', () => {
  it('is null until the form is complete', () => {
    expect(toNeedsInput(EMPTY_NEEDS, places)).toBeNull();
  });

  it('sends the town as an approximate point and its region; a whole region sends no point and no radius', () => {
    const town = toNeedsInput({ ...complete, radiusKm: '25', childrenAges: '3 7' }, places);
    expect(town?.regionId).toBe('r1');
    expect(town?.needs).toMatchObject({
      age: 30,
      location: { latitude: 30.47, longitude: -97.62 },
      radiusKm: 25,
      childrenAges: [3, 7],
      minimumStayDays: null,
    });
    const region = toNeedsInput({ ...complete, place: 'region:r2', radiusKm: '25' }, places);
    expect(region).toMatchObject({ regionId: 'r2', needs: { location: null, radiusKm: null } });
  });

  it('carries no identity and nothing the form does not hold', () => {
    const input = toNeedsInput(complete, places);
    expect(Object.keys(input!.needs)).not.toContain('name');
    expect(JSON.stringify(input)).not.toMatch(/address|phone|name/i);
  });
});

describe('helpers', () => {
  it('parses children ages', () => {
    expect(parseChildrenAges('')).toEqual([]);
    expect(parseChildrenAges('3, 7;12')).toEqual([3, 7, 12]);
    expect(parseChildrenAges('3, x')).toBeNull();
  });

  it('maps API field paths to form fields', () => {
    expect(formFieldOf('input.needs.age')).toBe('age');
    expect(formFieldOf('needs.location')).toBe('place');
    expect(formFieldOf('input.regionId')).toBe('place');
    expect(formFieldOf('input.identity.dateOfBirth')).toBeNull();
    expect(formFieldOf(null)).toBeNull();
  });

  it('offers Withdraw only where the workflow allows it (not once placed, not after closing)', () => {
    expect(['AWAITING_CONSENT', 'MATCHING', 'OFFERED', 'ACCEPTED', 'WAITLISTED'].every(canWithdraw)).toBe(true);
    expect(['PLACED', 'EXITED', 'WITHDRAWN', 'EXPIRED', 'CONSENT_REVOKED'].some(canWithdraw)).toBe(false);
  });
});
