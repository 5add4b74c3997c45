import { acceptsIntakeAt, ShelterStatus, ShelterView } from '@shelterlink/shelters';
import { ShelterModel } from './shelter.models';

/** Presents a scoped shelter view: the service has already blanked what this caller may not see. */
export function toShelterModel(view: ShelterView, staleAfterMinutes: number, now = new Date()): ShelterModel {
  const [longitude, latitude] = view.publicLocation.coordinates;
  return {
    id: view.id,
    organisationId: view.organisationId,
    regionId: view.regionId,
    name: view.name,
    city: view.city,
    approximateLocation: { latitude, longitude },
    locationConfidential: view.locationConfidential,
    address: view.address,
    intakePhone: view.intakePhone,
    services: view.services,
    intakeAlwaysOpen: view.intakeAlwaysOpen,
    intakeDays: view.intakeDays,
    intakeOpens: view.intakeOpens?.slice(0, 5) ?? null,
    intakeCloses: view.intakeCloses?.slice(0, 5) ?? null,
    timeZone: view.timeZone,
    acceptingIntakesNow:
      view.status === ShelterStatus.ACTIVE &&
      acceptsIntakeAt(
        {
          alwaysOpen: view.intakeAlwaysOpen,
          days: view.intakeDays,
          opens: view.intakeOpens,
          closes: view.intakeCloses,
          timeZone: view.timeZone,
        },
        now,
      ),
    holdMinutes: view.holdMinutes,
    responseMinutes: view.responseMinutes,
    status: view.status,
    availabilityVerifiedAt: view.availabilityVerifiedAt,
    stale: now.getTime() - view.availabilityVerifiedAt.getTime() > staleAfterMinutes * 60_000,
    eligibility: { ...view.eligibility, curfew: view.eligibility.curfew?.slice(0, 5) ?? null },
  };
}
