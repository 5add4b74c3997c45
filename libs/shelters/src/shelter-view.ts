import { Actor, Role } from '@shelterlink/common';
import { ShelterEntity } from './entities/shelter.entity';

/**
 * A shelter as one caller may see it. A confidential shelter's address and intake phone are kept only for
 * its own staff; everyone else (admins included) gets null. The default intake instructions (which may hold the
 * address) are its own staff's alone, whatever the setting: agencies receive them with an accepted offer.
 */
export type ShelterView = ShelterEntity & { confidentialVisible: boolean };

export function canSeeConfidential(
  actor: Actor,
  shelter: Pick<ShelterEntity, 'organisationId' | 'locationConfidential'>,
): boolean {
  return !shelter.locationConfidential || isOwnStaff(actor, shelter);
}

export function isOwnStaff(actor: Actor, shelter: Pick<ShelterEntity, 'organisationId'>): boolean {
  return actor.role === Role.SHELTER_STAFF && actor.organisationId === shelter.organisationId;
}

/**
 * The directory a caller reads (`shelters`, `shelter`, `searchBeds`): coordinators the shelters of their regions
 * and below, everyone else the whole network. Null: no limit; else the regions whose subtrees the caller may read.
 */
export function directoryScope(actor: Actor): readonly string[] | null {
  return actor.role === Role.REGIONAL_COORDINATOR ? actor.regionIds : null;
}

/** Whether a region (given by its path: itself and every region above it) lies within a coordinator's regions. */
export function coordinatesRegion(actor: Actor, regionPath: readonly string[]): boolean {
  return actor.role === Role.REGIONAL_COORDINATOR && regionPath.some((id) => actor.regionIds.includes(id));
}

/**
 * Whether a caller sees a pool's breakdown (occupied, held, out of service, its version and last change): a hold
 * means a survivor is on the way, so only the shelter's own staff, the coordinators of its region and admins do.
 * Everyone else sees its capacity and free beds only (from the breakdown, with those, holds could be worked out).
 */
export function seesBedBreakdown(
  actor: Actor | null,
  shelter: { organisationId: string; regionPath: readonly string[] },
): boolean {
  if (!actor) return false;
  return actor.role === Role.ADMIN || isOwnStaff(actor, shelter) || coordinatesRegion(actor, shelter.regionPath);
}

export function toShelterView(actor: Actor, shelter: ShelterEntity): ShelterView {
  const visible = canSeeConfidential(actor, shelter);
  return Object.assign(Object.create(Object.getPrototypeOf(shelter) as object) as ShelterEntity, shelter, {
    address: visible ? shelter.address : null,
    intakePhone: visible ? shelter.intakePhone : null,
    intakeInstructions: isOwnStaff(actor, shelter) ? shelter.intakeInstructions : null,
    confidentialVisible: visible,
  });
}
