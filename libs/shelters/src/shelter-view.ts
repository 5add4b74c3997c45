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

export function toShelterView(actor: Actor, shelter: ShelterEntity): ShelterView {
  const visible = canSeeConfidential(actor, shelter);
  return Object.assign(Object.create(Object.getPrototypeOf(shelter) as object) as ShelterEntity, shelter, {
    address: visible ? shelter.address : null,
    intakePhone: visible ? shelter.intakePhone : null,
    intakeInstructions: isOwnStaff(actor, shelter) ? shelter.intakeInstructions : null,
    confidentialVisible: visible,
  });
}
