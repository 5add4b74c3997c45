// The preview: the order in which ShelterLink will offer the bed (it makes the offers itself), why each shelter
// fits, and how many were left out for each reason. ShelterSummary has no address or phone: none can appear here.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useAnnounce } from '../app/announcer';
import { useErrorText } from '../app/errors';
import { useFormat } from '../app/format';
import type { AdvocatePreviewQuery as PreviewResult, NeedsInput } from '../gql/graphql';
import { useEnumLabel } from '../app/labels';
import { AdvocatePreviewQuery } from './operations';
import { TableScroll } from './table-scroll';

type Match = PreviewResult['searchBeds']['matches'][number];

function Reasons({ match }: { match: Match }) {
  const { t } = useTranslation('advocate');
  const label = useEnumLabel();
  const { relative } = useFormat();
  const reasons: string[] = [t('preview.reasons.bed', { bedType: label('BedType', match.bedType) ?? match.bedType })];
  if (match.acceptingIntakesNow) reasons.push(t('preview.reasons.intakeOpen'));
  else if (match.intakeOpensInMinutes !== null && match.intakeOpensInMinutes !== undefined)
    reasons.push(
      t('preview.reasons.intakeOpens', {
        when: relative(new Date(Date.now() + match.intakeOpensInMinutes * 60_000).toISOString()),
      }),
    );
  reasons.push(
    match.languageViaInterpretation ? t('preview.reasons.interpretation') : t('preview.reasons.languageShared'),
  );
  if (match.servicesMissing.length > 0)
    reasons.push(
      t('preview.reasons.servicesMissing', {
        services: match.servicesMissing.map((s) => label('ShelterService', s) ?? s).join(', '),
      }),
    );
  else reasons.push(t('preview.reasons.servicesAll'));
  reasons.push(
    match.stale
      ? t('preview.reasons.stale', { when: relative(match.availabilityVerifiedAt) })
      : t('preview.reasons.fresh', { when: relative(match.availabilityVerifiedAt) }),
  );
  return (
    <ul className="advocate-reasons">
      {reasons.map((r) => (
        <li key={r}>{r}</li>
      ))}
    </ul>
  );
}

/** `run` counts the advocate's "Preview matches" presses: each asks the server again, even for the same needs. */
export function Preview({ needs, run }: { needs: NeedsInput | null; run: number }) {
  const { t } = useTranslation('advocate');
  const label = useEnumLabel();
  const errorText = useErrorText();
  const announce = useAnnounce();
  const { distanceKm, number } = useFormat();
  const [result, reexecute] = useQuery({
    query: AdvocatePreviewQuery,
    variables: { needs: needs! },
    pause: !needs,
    requestPolicy: 'network-only',
  });
  const lastRun = useRef(run);
  useEffect(() => {
    if (run === lastRun.current) return;
    lastRun.current = run;
    reexecute({ requestPolicy: 'network-only' });
  }, [run, reexecute]);
  const search = result.data?.searchBeds;
  const announced = useRef<unknown>(null);
  useEffect(() => {
    if (search && announced.current !== search) {
      announced.current = search;
      // shelters that fit: those examined and not left out (the list shows the first of them)
      const fit = search.examinedShelters - search.excludedShelters;
      const listed = search.matches.length;
      announce(
        [t('preview.announce', { count: fit }), listed < fit ? t('preview.listedFirst', { shown: listed }) : '']
          .join(' ')
          .trim(),
      );
    }
  }, [search, announce, t]);

  return (
    <section aria-labelledby="preview-title" aria-busy={result.fetching}>
      <h2 id="preview-title">{t('preview.title')}</h2>
      <p className="banner info">{t('preview.order')}</p>
      {!needs && <p className="muted">{t('preview.empty')}</p>}
      {result.error && (
        <p className="banner error" role="alert">
          {errorText(result.error)}
        </p>
      )}
      {needs && result.fetching && !search && <p className="muted">{t('preview.loading')}</p>}
      {needs && search && (
        <>
          {search.matches.length === 0 ? (
            <p className="banner warning">{t('preview.none')}</p>
          ) : (
            <>
              {search.matches.length < search.examinedShelters - search.excludedShelters && (
                <p className="muted">{t('preview.listedFirst', { shown: search.matches.length })}</p>
              )}
              <ol className="advocate-matches" aria-label={t('preview.matchesLabel')}>
                {search.matches.map((m) => (
                  <li key={m.poolId}>
                    <h3>{t('preview.matchTitle', { rank: m.rank, name: m.shelter.name })}</h3>
                    <p style={{ margin: 0 }}>
                      {m.distanceKm === null || m.distanceKm === undefined
                        ? t('preview.cityOnly', { city: m.shelter.city })
                        : t('preview.cityDistance', { city: m.shelter.city, distance: distanceKm(m.distanceKm) })}
                      {' · '}
                      {t('preview.available', { count: m.available })}
                      {m.stale && (
                        <>
                          {' · '}
                          <span className="badge warning">{t('preview.staleBadge')}</span>
                        </>
                      )}
                    </p>
                    <Reasons match={m} />
                  </li>
                ))}
              </ol>
            </>
          )}
          <TableScroll label={t('preview.exclusionsTitle')}>
            <table>
              <caption>
                {t('preview.exclusionsCaption', {
                  examined: number(search.examinedShelters),
                  excluded: number(search.excludedShelters),
                })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('preview.reason')}</th>
                  <th scope="col">{t('preview.shelters')}</th>
                  <th scope="col">{t('preview.nearMisses')}</th>
                </tr>
              </thead>
              <tbody>
                {search.exclusions.length === 0 ? (
                  <tr>
                    <td colSpan={3}>{t('preview.noExclusions')}</td>
                  </tr>
                ) : (
                  [...search.exclusions]
                    .sort((a, b) => b.shelters - a.shelters)
                    .map((e) => (
                      <tr key={e.reason}>
                        <th scope="row">{label('ExclusionReason', e.reason) ?? e.reason}</th>
                        <td>{number(e.shelters)}</td>
                        <td>{number(search.nearMisses.find((n) => n.reason === e.reason)?.shelters ?? 0)}</td>
                      </tr>
                    ))
                )}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
