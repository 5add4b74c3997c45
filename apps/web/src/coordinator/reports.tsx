// Reports for a region and below over whole UTC days: referral statistics, unmet need, occupancy (a chart and
// always its table). Small counts read "fewer than 5" and totals that would give one away read "withheld".
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import { useFormat } from '../app/format';
import { useEnumLabel, useLanguageName } from '../app/labels';
import { Page } from '../app/page';
import { Loading, NotFound } from '../app/status-pages';
import { defaultPeriodDays, periodFromDays } from './logic';
import { OccupancyChart } from './occupancy-chart';
import { RegionPicker, useSelectedRegion } from './region';
import { Count, ErrorBanner, isNotFound } from './shared';

const CoordinatorStatistics = graphql(`
  query CoordinatorStatistics($regionId: ID!, $period: PeriodInput!) {
    referralStatistics(regionId: $regionId, period: $period) {
      regionName
      suppressionThreshold
      submitted {
        value
        fewerThan
      }
      byState {
        state
        referrals {
          value
          fewerThan
        }
      }
      submissionToOffer {
        medianSeconds
        p90Seconds
        referrals {
          value
          fewerThan
        }
      }
      submissionToPlacement {
        medianSeconds
        p90Seconds
        referrals {
          value
          fewerThan
        }
      }
      shelters {
        shelterId
        shelterName
        offers {
          value
          fewerThan
        }
        accepted {
          value
          fewerThan
        }
        declined {
          value
          fewerThan
        }
        timedOut {
          value
          fewerThan
        }
        medianResponseSeconds
        acceptanceRate
      }
    }
  }
`);

const CoordinatorUnmetNeed = graphql(`
  query CoordinatorUnmetNeed($regionId: ID!, $period: PeriodInput!) {
    unmetNeed(regionId: $regionId, period: $period) {
      referrals {
        value
        fewerThan
      }
      waitlisted {
        value
        fewerThan
      }
      closedWithoutPlacement {
        value
        fewerThan
      }
      reasons {
        reason
        detail
        referrals {
          value
          fewerThan
        }
      }
    }
  }
`);

const CoordinatorOccupancy = graphql(`
  query CoordinatorOccupancy($regionId: ID!, $period: PeriodInput!) {
    occupancy(regionId: $regionId, period: $period, bucket: DAY, timeZone: "UTC") {
      points {
        start
        end
        beds {
          capacity
          occupied
          held
          outOfService
          available
        }
        surge {
          capacity
          occupied
          available
        }
      }
    }
  }
`);

/** The API's longest report period. */
const MAX_PERIOD_MS = 366 * 86_400_000;

function useDuration() {
  const { t } = useTranslation('coordinator');
  const { number } = useFormat();
  return (seconds: number | null | undefined) => {
    if (seconds === null || seconds === undefined) return t('suppressed.withheld');
    if (seconds < 3600) {
      const minutes = Math.max(1, Math.round(seconds / 60));
      return t('duration.minutes', { count: minutes, n: number(minutes) });
    }
    const hours = Math.round(seconds / 360) / 10;
    return t('duration.hours', { count: hours, n: number(hours) });
  };
}

function Statistics({ regionId, period }: { regionId: string; period: { from: string; to: string } }) {
  const { t, i18n } = useTranslation('coordinator');
  const { t: te } = useTranslation('enums');
  const duration = useDuration();
  const [{ data, error, fetching }] = useQuery({ query: CoordinatorStatistics, variables: { regionId, period } });
  const stats = data?.referralStatistics;
  return (
    <section aria-labelledby="stats-title">
      <h2 id="stats-title">{t('reports.statisticsTitle')}</h2>
      <ErrorBanner error={error} />
      {!stats && fetching && <Loading />}
      {stats && (
        <>
          <p className="muted">
            {t('reports.suppressionNote', { k: stats.suppressionThreshold, max: stats.suppressionThreshold - 1 })}
          </p>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="by-state-caption">
            <table>
              <caption id="by-state-caption">{t('reports.byStateCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.state')}</th>
                  <th scope="col">{t('reports.referrals')}</th>
                </tr>
              </thead>
              <tbody>
                {stats.byState.map((row) => (
                  <tr key={row.state}>
                    <th scope="row">{te(`ReferralState.${row.state}`)}</th>
                    <td>
                      <Count count={row.referrals} />
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('reports.submitted')}</th>
                  <td>
                    <Count count={stats.submitted} />
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="durations-caption">
            <table>
              <caption id="durations-caption">{t('reports.durationsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.measure')}</th>
                  <th scope="col">{t('reports.referrals')}</th>
                  <th scope="col">{t('reports.median')}</th>
                  <th scope="col">{t('reports.p90')}</th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ['toOffer', stats.submissionToOffer],
                    ['toPlacement', stats.submissionToPlacement],
                  ] as const
                ).map(([key, d]) => (
                  <tr key={key}>
                    <th scope="row">{t(`reports.${key}`)}</th>
                    <td>
                      <Count count={d.referrals} />
                    </td>
                    <td>{duration(d.medianSeconds)}</td>
                    <td>{duration(d.p90Seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="responses-caption">
            <table>
              <caption id="responses-caption">{t('reports.responsesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.shelter')}</th>
                  <th scope="col">{t('reports.offers')}</th>
                  <th scope="col">{t('reports.accepted')}</th>
                  <th scope="col">{t('reports.declined')}</th>
                  <th scope="col">{t('reports.timedOut')}</th>
                  <th scope="col">{t('reports.medianResponse')}</th>
                  <th scope="col">{t('reports.acceptanceRate')}</th>
                </tr>
              </thead>
              <tbody>
                {stats.shelters.map((s) => (
                  <tr key={s.shelterId}>
                    <th scope="row">{s.shelterName}</th>
                    <td>
                      <Count count={s.offers} />
                    </td>
                    <td>
                      <Count count={s.accepted} />
                    </td>
                    <td>
                      <Count count={s.declined} />
                    </td>
                    <td>
                      <Count count={s.timedOut} />
                    </td>
                    <td>{duration(s.medianResponseSeconds)}</td>
                    <td>
                      {s.acceptanceRate === null || s.acceptanceRate === undefined
                        ? t('suppressed.withheld')
                        : new Intl.NumberFormat(i18n.language, { style: 'percent' }).format(s.acceptanceRate)}
                    </td>
                  </tr>
                ))}
                {stats.shelters.length === 0 && (
                  <tr>
                    <td colSpan={7}>{t('reports.noOffers')}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function UnmetNeed({ regionId, period }: { regionId: string; period: { from: string; to: string } }) {
  const { t } = useTranslation('coordinator');
  const { t: te } = useTranslation('enums');
  const [{ data, error, fetching }] = useQuery({ query: CoordinatorUnmetNeed, variables: { regionId, period } });
  const label = useEnumLabel();
  const languageName = useLanguageName();
  // what the referrals asked for, in words: a gender, a trafficking type, a language
  const detailText = (reason: string, detail: string) =>
    reason === 'GENDER'
      ? (label('Gender', detail) ?? detail)
      : reason === 'TRAFFICKING_TYPE'
        ? (label('TraffickingType', detail) ?? detail)
        : reason === 'LANGUAGE'
          ? languageName(detail)
          : detail;
  const unmet = data?.unmetNeed;
  return (
    <section aria-labelledby="unmet-title">
      <h2 id="unmet-title">{t('reports.unmetTitle')}</h2>
      {!isNotFound(error) && <ErrorBanner error={error} />}
      {!unmet && fetching && <Loading />}
      {unmet && (
        <>
          <dl className="summary-list">
            <div>
              <dt>{t('reports.unmetReferrals')}</dt>
              <dd>
                <Count count={unmet.referrals} />
              </dd>
            </div>
            <div>
              <dt>{t('reports.waitlisted')}</dt>
              <dd>
                <Count count={unmet.waitlisted} />
              </dd>
            </div>
            <div>
              <dt>{t('reports.closedWithoutPlacement')}</dt>
              <dd>
                <Count count={unmet.closedWithoutPlacement} />
              </dd>
            </div>
          </dl>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="reasons-caption">
            <table>
              <caption id="reasons-caption">{t('reports.reasonsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.reason')}</th>
                  <th scope="col">{t('reports.referrals')}</th>
                </tr>
              </thead>
              <tbody>
                {unmet.reasons.map((r, i) => (
                  <tr key={`${r.reason}-${r.detail ?? ''}-${i}`}>
                    <th scope="row">
                      {te(`ExclusionReason.${r.reason}`)}
                      {r.detail ? `: ${detailText(r.reason, r.detail)}` : ''}
                    </th>
                    <td>
                      <Count count={r.referrals} />
                    </td>
                  </tr>
                ))}
                {unmet.reasons.length === 0 && (
                  <tr>
                    <td colSpan={2}>{t('reports.noReasons')}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function Occupancy({ regionId, period }: { regionId: string; period: { from: string; to: string } }) {
  const { t, i18n } = useTranslation('coordinator');
  const format = useFormat();
  const [{ data, error, fetching }] = useQuery({ query: CoordinatorOccupancy, variables: { regionId, period } });
  const points = data?.occupancy.points ?? [];
  const day = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
  return (
    <section aria-labelledby="occupancy-title">
      <h2 id="occupancy-title">{t('reports.occupancyTitle')}</h2>
      {!isNotFound(error) && <ErrorBanner error={error} />}
      {!data && fetching && <Loading />}
      {data && (
        <>
          <OccupancyChart
            points={points.map((p) => ({ label: day(p.start), capacity: p.beds.capacity, occupied: p.beds.occupied }))}
          />
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="occupancy-caption">
            <table>
              <caption id="occupancy-caption">{t('reports.occupancyCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.day')}</th>
                  <th scope="col">{t('beds.capacity')}</th>
                  <th scope="col">{t('beds.occupied')}</th>
                  <th scope="col">{t('beds.held')}</th>
                  <th scope="col">{t('beds.outOfService')}</th>
                  <th scope="col">{t('reports.free')}</th>
                  <th scope="col">{t('reports.surgeOccupied')}</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p) => (
                  <tr key={p.start}>
                    <th scope="row">{day(p.start)}</th>
                    <td>{format.number(p.beds.capacity)}</td>
                    <td>{format.number(p.beds.occupied)}</td>
                    <td>{format.number(p.beds.held)}</td>
                    <td>{format.number(p.beds.outOfService)}</td>
                    <td>{format.number(p.beds.available)}</td>
                    <td>
                      {t('reports.ofCapacity', {
                        n: format.number(p.surge.occupied),
                        of: format.number(p.surge.capacity),
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

export function Reports() {
  const { t } = useTranslation('coordinator');
  const { regionId, regions, loading, outOfScope, select } = useSelectedRegion();
  const [days, setDays] = useState(defaultPeriodDays);
  const [draft, setDraft] = useState(days);
  const [invalid, setInvalid] = useState(false);
  const fromId = useId();
  const toId = useId();
  const errorId = useId();
  const period = periodFromDays(days.from, days.to);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = periodFromDays(draft.from, draft.to);
    if (!next || next.from >= next.to || Date.parse(next.to) - Date.parse(next.from) > MAX_PERIOD_MS) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setDays(draft);
  };

  if (outOfScope) return <NotFound />;
  return (
    <Page title={t('reports.title')}>
      {loading ? <Loading /> : <RegionPicker regions={regions} value={regionId} onChange={select} />}
      <form className="row period-form" onSubmit={apply} noValidate>
        <div className="field">
          <label htmlFor={fromId}>{t('reports.from')}</label>
          <input
            id={fromId}
            type="date"
            value={draft.from}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? errorId : undefined}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={toId}>{t('reports.to')}</label>
          <input
            id={toId}
            type="date"
            value={draft.to}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? errorId : undefined}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </div>
        <button type="submit">{t('reports.apply')}</button>
      </form>
      {invalid && (
        <p id={errorId} role="alert" className="error">
          {t('reports.badPeriod')}
        </p>
      )}
      <p className="muted">{t('reports.periodNote')}</p>
      {regionId && period && (
        <>
          <Statistics regionId={regionId} period={period} />
          <UnmetNeed regionId={regionId} period={period} />
          <Occupancy regionId={regionId} period={period} />
        </>
      )}
    </Page>
  );
}
