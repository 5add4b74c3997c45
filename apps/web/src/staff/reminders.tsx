// Reminders: the organisation's notifications (stale counts), newest first, live; worded from their kind and times
// (server prose is never shown); mark as read; a link to My beds to confirm or change the counts.
import { useId, useRef } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../app/announcer';
import { useErrorText } from '../app/errors';
import { useFormat } from '../app/format';
import { useLive } from '../app/live';
import { Page } from '../app/page';
import { Loading } from '../app/status-pages';
import { graphql } from '../gql';
import type { StaffNotificationsQuery } from '../gql/graphql';
import { useMyShelters } from './data';

const Notifications = graphql(`
  query StaffNotifications {
    notifications(first: 50) {
      id
      shelterId
      kind
      createdAt
      readAt
      aboutVerifiedAt
    }
  }
`);

const MarkRead = graphql(`
  mutation StaffMarkNotificationRead($id: ID!) {
    markNotificationRead(id: $id) {
      id
      readAt
    }
  }
`);

const RECEIVED = `subscription StaffNotificationReceived { notificationReceived { id shelterId kind } }`;

type Item = StaffNotificationsQuery['notifications'][number];

function Reminder({ item, shelterName }: { item: Item; shelterName: string }) {
  const { t } = useTranslation('staff');
  const format = useFormat();
  const headingId = useId();
  const [state, markRead] = useMutation(MarkRead);
  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t('reminders.staleTitle', { shelter: shelterName })}{' '}
        {!item.readAt && <span className="badge warning">{t('reminders.unread')}</span>}
      </h2>
      <p>
        {item.aboutVerifiedAt
          ? t('reminders.staleBody', { when: format.relative(item.aboutVerifiedAt) })
          : t('reminders.staleBodyNever')}
      </p>
      <p className="muted">{t('reminders.sent', { when: format.dateTime(item.createdAt) })}</p>
      <div className="row">
        <Link className="button primary" to="/staff">
          {t('reminders.goToBeds')}
        </Link>
        {!item.readAt && (
          <button type="button" disabled={state.fetching} onClick={() => void markRead({ id: item.id })}>
            {t('reminders.markRead')}
            <span className="visually-hidden"> ({shelterName})</span>
          </button>
        )}
      </div>
    </article>
  );
}

export default function Reminders() {
  const { t } = useTranslation('staff');
  const announce = useAnnounce();
  const errorText = useErrorText();
  const { shelters } = useMyShelters();
  const [result, reexecute] = useQuery({ query: Notifications });
  const last = useRef(result.data);
  if (result.data) last.current = result.data;
  const data = result.data ?? last.current;
  useLive(RECEIVED, {}, (event) => {
    reexecute({ requestPolicy: 'network-only' });
    if (event) announce(t('reminders.newReminder'));
  });
  const items = data?.notifications ?? [];
  return (
    <Page title={t('reminders.title')}>
      {result.error && !data && (
        <p className="banner error" role="alert">
          {errorText(result.error)}
        </p>
      )}
      {result.fetching && !data && <Loading />}
      {data && items.length === 0 && <p>{t('reminders.none')}</p>}
      {items.map((item) => (
        <Reminder
          key={item.id}
          item={item}
          shelterName={shelters.find((s) => s.id === item.shelterId)?.name ?? t('reminders.yourShelter')}
        />
      ))}
    </Page>
  );
}
