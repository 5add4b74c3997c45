import { badInput } from '@shelterlink/common';
import { acceptsIntakeAt, ExclusionReason, NeedsProfile, ShelterStatus, ShelterView } from '@shelterlink/shelters';
import { NeedsInput } from './shelter.inputs';
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
    intakeInstructions: view.intakeInstructions,
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

/** Omitted optional fields arrive as undefined; the engine works with explicit nulls. */
export function toNeedsProfile(input: NeedsInput): NeedsProfile {
  if (input.radiusKm != null && !input.location) throw badInput('needs.radiusKm', 'a radius needs a location');
  return {
    ...input,
    location: input.location ? { latitude: input.location.latitude, longitude: input.location.longitude } : null,
    radiusKm: input.radiusKm ?? null,
    minimumStayDays: input.minimumStayDays ?? null,
  };
}

/** Most shelters first, then by reason. */
export function exclusionCounts(
  counts: ReadonlyMap<ExclusionReason, number> | Readonly<Record<string, number>>,
): { reason: ExclusionReason; shelters: number }[] {
  const entries = 'get' in counts ? [...(counts as ReadonlyMap<ExclusionReason, number>)] : Object.entries(counts);
  return entries
    .map(([reason, shelters]) => ({ reason: reason as ExclusionReason, shelters }))
    .sort((a, b) => b.shelters - a.shelters || a.reason.localeCompare(b.reason));
}
