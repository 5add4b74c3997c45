import { BedType, Gender, ShelterStatus, TraffickingType } from '@shelterlink/shelters';
import { DEMO_LOGINS, demoShelters } from './demo-data';

describe('demo data plan', () => {
  const shelters = demoShelters();
  const available = (s: (typeof shelters)[number]) =>
    s.pools.reduce((sum, p) => sum + p.capacity - p.occupied - p.outOfService, 0);

  it('is the same on every call', () => {
    expect(demoShelters()).toEqual(shelters);
  });

  it('has about 40 shelters with unique names inside the bounding box, on the 0.01° grid', () => {
    expect(shelters).toHaveLength(40);
    expect(new Set(shelters.map((s) => s.name)).size).toBe(shelters.length);
    for (const s of shelters) {
      expect(s.latitude).toBeGreaterThanOrEqual(30);
      expect(s.latitude).toBeLessThanOrEqual(31.5);
      expect(s.longitude).toBeGreaterThanOrEqual(-98.5);
      expect(s.longitude).toBeLessThanOrEqual(-96.5);
      expect(Math.abs(s.latitude * 100 - Math.round(s.latitude * 100))).toBeLessThan(1e-6);
      expect(Math.abs(s.longitude * 100 - Math.round(s.longitude * 100))).toBeLessThan(1e-6);
    }
  });

  it('keeps every pool within capacity and the bed types consistent with eligibility', () => {
    for (const s of shelters) {
      expect(s.pools.length).toBeGreaterThan(0);
      for (const p of s.pools) {
        expect(p.capacity).toBeGreaterThanOrEqual(2);
        expect(p.capacity).toBeLessThanOrEqual(30);
        expect(p.occupied).toBeGreaterThanOrEqual(0);
        expect(p.outOfService).toBeGreaterThanOrEqual(0);
        expect(p.occupied + p.outOfService).toBeLessThanOrEqual(p.capacity);
      }
      const types = s.pools.map((p) => p.bedType);
      expect(s.eligibility.acceptsChildren).toBe(types.includes(BedType.FAMILY_UNIT));
      if (types.includes(BedType.ACCESSIBLE)) expect(s.eligibility.wheelchairAccessible).toBe(true);
      if (s.eligibility.minAge < 18) expect(s.eligibility.acceptsUnaccompaniedMinors).toBe(true);
      expect(s.intake.alwaysOpen || (s.intake.opens !== null && s.intake.closes !== null)).toBe(true);
    }
  });

  it('is varied the way a real network is', () => {
    const some = (f: (s: (typeof shelters)[number]) => boolean) => shelters.filter(f).length;
    expect(some((s) => !s.eligibility.genders.includes(Gender.MAN))).toBeGreaterThan(25);
    expect(some((s) => s.eligibility.genders.includes(Gender.MAN))).toBeGreaterThanOrEqual(3);
    expect(some((s) => !s.eligibility.traffickingTypes.includes(TraffickingType.SEX))).toBeGreaterThanOrEqual(2);
    expect(some((s) => s.eligibility.lgbtqAffirming)).toBeGreaterThanOrEqual(5);
    expect(some((s) => s.eligibility.acceptsUnaccompaniedMinors)).toBeGreaterThanOrEqual(2);
    expect(some((s) => s.eligibility.requiresLawEnforcementCooperation)).toBeGreaterThanOrEqual(1);
    expect(new Set(shelters.flatMap((s) => s.eligibility.languages)).size).toBeGreaterThanOrEqual(6);
    expect(some((s) => available(s) === 0)).toBeGreaterThanOrEqual(3);
    expect(some((s) => available(s) > 0)).toBeGreaterThan(30);
    expect(some((s) => s.status === ShelterStatus.PAUSED)).toBeGreaterThanOrEqual(2);
    expect(some((s) => !s.locationConfidential)).toBeGreaterThanOrEqual(3);
    expect(some((s) => s.locationConfidential)).toBeGreaterThan(30);
    expect(some((s) => !s.intake.alwaysOpen)).toBeGreaterThanOrEqual(5);
    expect(some((s) => s.verifiedMinutesAgo > 24 * 60)).toBeGreaterThanOrEqual(4);
  });

  it('has one demo login per role, all with the same long password', () => {
    expect(new Set(DEMO_LOGINS.map((l) => l.role)).size).toBe(4);
    expect(new Set(DEMO_LOGINS.map((l) => l.password)).size).toBe(1);
    expect(DEMO_LOGINS[0].password.length).toBeGreaterThanOrEqual(12);
    for (const l of DEMO_LOGINS) expect(l.email).toMatch(/^[a-z0-9.-]+@example\.org$/);
  });
});
