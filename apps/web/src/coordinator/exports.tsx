// The CSV and JSON exports of a region, downloaded with the signed-in session's token.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../app/announcer';
import { Page } from '../app/page';
import { Loading, NotFound } from '../app/status-pages';
import { downloadExport, type DownloadOutcome } from './download';
import { defaultPeriodDays, periodFromDays } from './logic';
import { RegionPicker, useSelectedRegion } from './region';

type ExportKey = 'capacity' | 'statistics' | 'hmis' | 'directory';

const EXPORTS: { key: ExportKey; file: string; path: (regionId: string) => string }[] = [
  { key: 'capacity', file: 'capacity.csv', path: (r) => `/exports/capacity.csv?regionId=${encodeURIComponent(r)}` },
  {
    key: 'statistics',
    file: 'referral-statistics.csv',
    path: (r) => {
      const days = defaultPeriodDays();
      const period = periodFromDays(days.from, days.to)!;
      return `/exports/referral-statistics.csv?regionId=${encodeURIComponent(r)}&from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;
    },
  },
  {
    key: 'hmis',
    file: 'Inventory.csv', // the name HUD's format gives it, and the one the download is saved under
    path: (r) => `/exports/hmis-inventory.csv?regionId=${encodeURIComponent(r)}`,
  },
  {
    key: 'directory',
    file: 'directory.hsds.json',
    path: (r) => `/exports/directory.hsds.json?regionId=${encodeURIComponent(r)}`,
  },
];

function statusKey(
  outcome: DownloadOutcome,
): 'failed.notFound' | 'failed.forbidden' | 'failed.rateLimited' | 'failed.network' | 'failed.other' {
  if (outcome.ok) return 'failed.other';
  switch (outcome.status) {
    case 404:
      return 'failed.notFound';
    case 401:
    case 403:
      return 'failed.forbidden';
    case 429:
      return 'failed.rateLimited';
    case 'NETWORK':
      return 'failed.network';
    default:
      return 'failed.other';
  }
}

export function Exports() {
  const { t } = useTranslation('coordinator');
  const announce = useAnnounce();
  const { regionId, regions, loading, outOfScope, select } = useSelectedRegion();
  const [busy, setBusy] = useState<ExportKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const regionName = regions.find((r) => r.id === regionId)?.name ?? '';

  const download = async (key: ExportKey) => {
    const entry = EXPORTS.find((e) => e.key === key)!;
    if (!regionId) return;
    setBusy(key);
    setError(null);
    const outcome = await downloadExport(entry.path(regionId), entry.file);
    setBusy(null);
    if (outcome.ok) announce(t('exports.done', { name: outcome.name }));
    else setError(t(`exports.${statusKey(outcome)}`));
  };

  if (outOfScope) return <NotFound />;
  return (
    <Page title={t('exports.title')}>
      {loading ? <Loading /> : <RegionPicker regions={regions} value={regionId} onChange={select} />}
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      <ul className="export-list">
        {EXPORTS.map((e) => (
          <li key={e.key} className="card">
            <h2>{t(`exports.${e.key}.title`)}</h2>
            <p>{t(`exports.${e.key}.body`)}</p>
            <button
              type="button"
              className="primary"
              disabled={!regionId || busy !== null}
              onClick={() => void download(e.key)}
            >
              {busy === e.key ? t('exports.working') : t('exports.download', { file: e.file, region: regionName })}
            </button>
          </li>
        ))}
      </ul>
    </Page>
  );
}
