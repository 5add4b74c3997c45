import { useTranslation } from 'react-i18next';
import { Page } from '../app/page';

export default function Screen() {
  const { t } = useTranslation('common');
  return <Page title={t('nav.staff.reminders')} />;
}
