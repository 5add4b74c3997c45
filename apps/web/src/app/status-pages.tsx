import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from './page';
import { ROLE_HOME } from './roles';
import { useSession } from './session';

function HomeLink({ label }: { label: string }) {
  const { user } = useSession();
  return user ? <Link to={ROLE_HOME[user.role]}>{label}</Link> : null;
}

/** A page of another role: nothing of it is loaded or requested. */
export function NotAllowed() {
  const { t } = useTranslation();
  return (
    <Page title={t('notAllowed.title')}>
      <p>{t('notAllowed.body')}</p>
      <HomeLink label={t('notAllowed.home')} />
    </Page>
  );
}

/** An unknown page, or an object the person cannot see (the API answers NOT_FOUND for both). */
export function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <HomeLink label={t('notFound.home')} />
    </Page>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="muted">
      {t('status.loading')}
    </p>
  );
}
