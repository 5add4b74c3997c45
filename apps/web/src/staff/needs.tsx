// A de-identified needs profile in words (labels from the enums catalog): no name, no contact, nothing that points
// at the survivor.
import { useTranslation } from 'react-i18next';
import { useLanguageName } from '../app/labels';
import type { Gender, ImmigrationStatus, ShelterService, SubstanceUse, TraffickingType, Urgency } from '../gql/graphql';

export interface NeedsView {
  age: number;
  gender: Gender;
  urgency: Urgency;
  traffickingTypes: TraffickingType[];
  languages: string[];
  childrenAges: number[];
  servicesNeeded: ShelterService[];
  wheelchairUser: boolean;
  hasPets: boolean;
  substanceUse: SubstanceUse;
  immigrationStatus: ImmigrationStatus;
  lgbtqAffirmingRequired: boolean;
  hasTraffickingRelatedRecord: boolean;
  hasIdDocuments: boolean;
  cannotKeepCurfew: boolean;
  requiresVoluntaryProgramming: boolean;
  willingToInvolveLawEnforcement: boolean;
  minimumStayDays?: number | null;
}

const FLAGS = [
  'wheelchairUser',
  'hasPets',
  'lgbtqAffirmingRequired',
  'hasTraffickingRelatedRecord',
  'cannotKeepCurfew',
  'requiresVoluntaryProgramming',
] as const;

export function NeedsList({ needs }: { needs: NeedsView }) {
  const { t, i18n } = useTranslation('staff');
  const { t: te } = useTranslation('enums');
  const languageName = useLanguageName();
  const list = (items: string[]) => new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(items);
  const flags = FLAGS.filter((f) => needs[f]).map((f) => t(`needs.flags.${f}`));
  if (!needs.hasIdDocuments) flags.push(t('needs.flags.noIdDocuments'));
  if (!needs.willingToInvolveLawEnforcement) flags.push(t('needs.flags.noLawEnforcement'));
  return (
    <dl className="needs">
      <dt>{t('needs.urgency')}</dt>
      <dd>{te(`Urgency.${needs.urgency}`)}</dd>
      <dt>{t('needs.person')}</dt>
      <dd>{t('needs.ageGender', { age: needs.age, gender: te(`Gender.${needs.gender}`) })}</dd>
      <dt>{t('needs.trafficking')}</dt>
      <dd>{list(needs.traffickingTypes.map((x) => te(`TraffickingType.${x}`)))}</dd>
      <dt>{t('needs.children')}</dt>
      <dd>
        {needs.childrenAges.length === 0
          ? t('needs.noChildren')
          : t('needs.childrenAges', { count: needs.childrenAges.length, ages: list(needs.childrenAges.map(String)) })}
      </dd>
      {needs.languages.length > 0 && (
        <>
          <dt>{t('needs.languages')}</dt>
          <dd>{list(needs.languages.map(languageName))}</dd>
        </>
      )}
      {needs.servicesNeeded.length > 0 && (
        <>
          <dt>{t('needs.services')}</dt>
          <dd>{list(needs.servicesNeeded.map((x) => te(`ShelterService.${x}`)))}</dd>
        </>
      )}
      <dt>{t('needs.substanceUse')}</dt>
      <dd>{te(`SubstanceUse.${needs.substanceUse}`)}</dd>
      <dt>{t('needs.immigration')}</dt>
      <dd>{te(`ImmigrationStatus.${needs.immigrationStatus}`)}</dd>
      {needs.minimumStayDays != null && (
        <>
          <dt>{t('needs.minimumStay')}</dt>
          <dd>{t('needs.days', { count: needs.minimumStayDays })}</dd>
        </>
      )}
      {flags.length > 0 && (
        <>
          <dt>{t('needs.also')}</dt>
          <dd>{list(flags)}</dd>
        </>
      )}
    </dl>
  );
}
