// Waitlist alerts, live: a referral of the region was waitlisted, and what stood between it and a bed. Never who:
// the alert carries no referral, needs or identity, only reasons, the urgency and when.
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExclusionReason, Urgency } from '../gql/graphql';
import { useAnnounce } from '../app/announcer';
import { useFormat } from '../app/format';
import { useLive } from '../app/live';
import { Page } from '../app/page';
import { Loading, NotFound } from '../app/status-pages';
import { RegionPicker, useSelectedRegion } from './region';

const WAITLIST_LIVE = `subscription CoordinatorWaitlistAlert($regionId: ID!) {
  waitlistAlert(regionId: $regionId) { regionId urgency waitlistedAt blockedBy exclusions { reason shelters } }
}`;

interface Alert {
  key: number;
  regionId: string;
  urgency: Urgency;
  waitlistedAt: string;
  blockedBy: ExclusionReason[];
  exclusions: { reason: ExclusionReason; shelters: number }[];
}

/** At most this many alerts are kept on screen (in memory only, for this page's life). */
const KEEP = 50;

export function Alerts() {
  const { t } = useTranslation('coordinator');
  const { t: te } = useTranslation('enums');
  const format = useFormat();
  const announce = useAnnounce();
  const { regionId, regions, loading, outOfScope, select } = useSelectedRegion();
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const counter = useRef(0);
  const regionName = regions.find((r) => r.id === regionId)?.name ?? '';

  const onEvent = useCallback(
    (data: { waitlistAlert?: Omit<Alert, 'key'> } | null) => {
      const alert = data?.waitlistAlert;
      if (!alert) return;
      counter.current += 1;
      const entry = { ...alert, key: counter.current };
      setAlerts((list) => [entry, ...list].slice(0, KEEP));
      announce(t('alerts.announce', { urgency: te(`Urgency.${alert.urgency}`) }));
    },
    [announce, t, te],
  );
  useLive(regionId ? WAITLIST_LIVE : null, { regionId }, onEvent);

  if (outOfScope) return <NotFound />;
  return (
    <Page title={t('alerts.title')}>
      {loading ? (
        <Loading />
      ) : (
        <RegionPicker
          regions={regions}
          value={regionId}
          onChange={(id) => {
            setAlerts([]);
            select(id);
          }}
        />
      )}
      <p className="banner info">{t('alerts.intro', { region: regionName })}</p>
      <h2>{t('alerts.listTitle')}</h2>
      {alerts.length === 0 ? (
        <p>{t('alerts.none')}</p>
      ) : (
        <ol className="alert-list">
          {alerts.map((a) => (
            <li key={a.key} className="card">
              <h3>
                {t('alerts.heading', {
                  urgency: te(`Urgency.${a.urgency}`),
                  time: format.time(a.waitlistedAt),
                })}
              </h3>
              <p>
                <strong>{t('alerts.blockedBy')}</strong>
              </p>
              <ul>
                {a.blockedBy.map((reason) => (
                  <li key={reason}>{te(`ExclusionReason.${reason}`)}</li>
                ))}
              </ul>
              {a.exclusions.length > 0 && (
                <details>
                  <summary>{t('alerts.exclusions')}</summary>
                  <ul>
                    {a.exclusions.map((x) => (
                      <li key={x.reason}>
                        {t('alerts.exclusion', {
                          reason: te(`ExclusionReason.${x.reason}`),
                          count: x.shelters,
                        })}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
