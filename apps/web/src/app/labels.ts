// Labels for the API's enum values (the shared `enums` catalog), and the languages' own names through Intl.
import { useTranslation } from 'react-i18next';

type EnumName =
  | 'Gender'
  | 'TraffickingType'
  | 'Urgency'
  | 'SubstanceUse'
  | 'ImmigrationStatus'
  | 'ShelterService'
  | 'ExclusionReason'
  | 'ReferralState'
  | 'ReferralEventReason'
  | 'OfferStatus'
  | 'OfferClosedReason'
  | 'ConsentScope'
  | 'ConsentMethod'
  | 'BedType'
  | 'Role'
  | 'OrganisationKind'
  | 'AuditKind';

/** `label(enum, value)`: the catalog's words for an enum value; null when the catalog has none (a newer value). */
export function useEnumLabel(): (name: EnumName, value: string) => string | null {
  const { i18n } = useTranslation('enums');
  return (name, value) => {
    const key = `enums:${name}.${value}`;
    return i18n.exists(key) ? (i18n.t as (k: string) => string)(key) : null;
  };
}

/** A language's name in the person's language ("Spanish", "español"). */
export function useLanguageName(): (code: string) => string {
  const { i18n } = useTranslation();
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([i18n.language], { type: 'language' });
  } catch {
    names = null;
  }
  return (code) => names?.of(code) ?? code;
}
