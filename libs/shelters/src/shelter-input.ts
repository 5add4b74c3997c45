import { Eligibility, GeoPoint, ShelterService, ShelterStatus } from './vocabulary';

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
