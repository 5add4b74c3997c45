import { Eligibility, GeoPoint, NeedsProfile, ShelterService, ShelterStatus } from './vocabulary';

export interface ShelterDetails {
  name: string;
  regionId: string;
  city: string;
  /** Coarsened to about 1 km before it is stored. */
  location: GeoPoint;
  locationConfidential: boolean;
  address: string | null;
  intakePhone: string | null;
  services: ShelterService[];
  intakeAlwaysOpen: boolean;
  intakeDays: number[];
  intakeOpens: string | null;
  intakeCloses: string | null;
  timeZone: string;
  holdMinutes: number;
  responseMinutes: number;
  status: ShelterStatus;
  /** What an agency receives when staff accept without typing instructions of their own. */
  intakeInstructions: string | null;
}

export type CreateShelter = Pick<ShelterDetails, 'name' | 'regionId' | 'city' | 'location'> &
  Partial<ShelterDetails> & { eligibility?: Eligibility };

export type UpdateShelter = Partial<ShelterDetails>;

/** Grid step of the public location, in degrees (about 1.1 km of latitude). */
export const LOCATION_GRID_DEGREES = 0.01;

export function coarsen(point: GeoPoint): GeoPoint {
  const snap = (v: number) => Math.round(v / LOCATION_GRID_DEGREES) * LOCATION_GRID_DEGREES;
  return { latitude: Number(snap(point.latitude).toFixed(2)), longitude: Number(snap(point.longitude).toFixed(2)) };
}

/**
 * A needs profile with the survivor's location on the same grid as shelters' public points (about 1 km): applied
 * on input, before a location is stored, searched or shown, so a precise position goes nowhere.
 */
export function coarsenNeeds<T extends Pick<NeedsProfile, 'location'>>(needs: T): T {
  return needs.location ? { ...needs, location: coarsen(needs.location) } : needs;
}
