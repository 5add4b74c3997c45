import { Actor, Role } from '@shelterlink/common';
import { ShelterEntity } from './entities/shelter.entity';

/**
 * A shelter as one caller may see it. A confidential shelter's address and intake phone are kept only for
 * its own staff; everyone else (admins included) gets null.
 */
export type ShelterView = ShelterEntity & { confidentialVisible: boolean };

export function canSeeConfidential(
  actor: Actor,
  shelter: Pick<ShelterEntity, 'organisationId' | 'locationConfidential'>,
): boolean {
  if (!shelter.locationConfidential) return true;
  return actor.role === Role.SHELTER_STAFF && actor.organisationId === shelter.organisationId;
}

export function toShelterView(actor: Actor, shelter: ShelterEntity): ShelterView {
  const visible = canSeeConfidential(actor, shelter);
  return Object.assign(Object.create(Object.getPrototypeOf(shelter) as object) as ShelterEntity, shelter, {
    address: visible ? shelter.address : null,
    intakePhone: visible ? shelter.intakePhone : null,
    confidentialVisible: visible,
  });
}
