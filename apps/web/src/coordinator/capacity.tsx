// Capacity of a region and the regions below it: beds by type, surge beds apart, paused and stale shelters; live.
import { useCallback } from 'react';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import { useFormat } from '../app/format';
import { useLive } from '../app/live';
import { Page } from '../app/page';
import { Loading, NotFound } from '../app/status-pages';
import { RegionPicker, useSelectedRegion } from './region';
import { ErrorBanner, isNotFound } from './shared';

const CoordinatorCapacity = graphql(`
  query CoordinatorCapacity($regionId: ID!) {
    regionCapacity(regionId: $regionId) {
      regionId
      regionName
      asOf
      shelters
      pausedShelters
      staleShelters
      sheltersTakingIntakesNow
      beds {
        capacity
        occupied
        held
        outOfService
        available
        availableAtPausedShelters
      }
      surge {
        capacity
        occupied
        held
        outOfService
        available
        availableAtPausedShelters
      }
      byType {
        bedType
        capacity
        occupied
        held
        outOfService
        available
        availableAtPausedShelters
      }
    }
  }
`);

const CoordinatorAttention = graphql(`
  query CoordinatorAttention($regionId: ID!) {
    shelters(regionId: $regionId, first: 100) {
      edges {
        node {
          id
          name
          city
          status
          stale
          availabilityVerifiedAt
        }
      }
    }
  }
`);

const CAPACITY_LIVE = `subscription CoordinatorCapacityLive($regionId: ID!) {
  regionCapacityChanged(regionId: $regionId) { regionId }
}`;

interface Counts {
  capacity: number;
  occupied: number;
  held: number;
  outOfService: number;
  available: number;
  availableAtPausedShelters?: number | null;
}

function CountCells({ counts }: { counts: Counts }) {
  const { number } = useFormat();
  return (
    <>
      <td>{number(counts.capacity)}</td>
      <td>{number(counts.occupied)}</td>
      <td>{number(counts.held)}</td>
      <td>{number(counts.outOfService)}</td>
      <td>{number(counts.available)}</td>
      <td>{number(counts.availableAtPausedShelters ?? 0)}</td>
    </>
  );
}

function CountHeaders({ first }: { first: string }) {
  const { t } = useTranslation('coordinator');
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">{t('beds.capacity')}</th>
        <th scope="col">{t('beds.occupied')}</th>
        <th scope="col">{t('beds.held')}</th>
        <th scope="col">{t('beds.outOfService')}</th>
        <th scope="col">{t('beds.available')}</th>
        <th scope="col">{t('beds.availableAtPaused')}</th>
      </tr>
    </thead>
  );
}

export function Capacity() {
  const { t } = useTranslation('coordinator');
  const { t: te } = useTranslation('enums');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { regionId, regions, loading, outOfScope, select } = useSelectedRegion();
  const variables = { regionId: regionId ?? '' };
  const [capacity, refetchCapacity] = useQuery({ query: CoordinatorCapacity, variables, pause: !regionId });
  const [attention, refetchAttention] = useQuery({ query: CoordinatorAttention, variables, pause: !regionId });

  const onLive = useCallback(() => {
    refetchCapacity({ requestPolicy: 'network-only' });
    refetchAttention({ requestPolicy: 'network-only' });
  }, [refetchCapacity, refetchAttention]);
  useLive(regionId ? CAPACITY_LIVE : null, variables, onLive);

  if (isNotFound(capacity.error) || outOfScope) return <NotFound />;
  const data = capacity.data?.regionCapacity;
  const shelters = attention.data?.shelters.edges.map((e) => e.node) ?? [];
  const paused = shelters.filter((s) => s.status === 'PAUSED');
  const stale = shelters.filter((s) => s.stale);

  return (
    <Page title={t('capacity.title')}>
      {loading ? <Loading /> : <RegionPicker regions={regions} value={regionId} onChange={select} />}
      {!loading && regions.length === 0 && <p>{t('region.none')}</p>}
      <ErrorBanner error={capacity.error} />
      {!data && capacity.fetching && <Loading />}
      {data && (
        <>
          <h2>{t('capacity.summary', { region: data.regionName })}</h2>
          <p className="muted">{t('capacity.asOf', { when: format.time(data.asOf) })}</p>
          <dl className="summary-list">
            <div>
              <dt>{t('capacity.shelters')}</dt>
              <dd>{format.number(data.shelters)}</dd>
            </div>
            <div>
              <dt>{t('capacity.takingIntakes')}</dt>
              <dd>{format.number(data.sheltersTakingIntakesNow)}</dd>
            </div>
            <div>
              <dt>{t('capacity.paused')}</dt>
              <dd>{format.number(data.pausedShelters)}</dd>
            </div>
            <div>
              <dt>{t('capacity.stale')}</dt>
              <dd>{format.number(data.staleShelters)}</dd>
            </div>
          </dl>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="beds-by-type-caption">
            <table>
              <caption id="beds-by-type-caption">{t('capacity.byTypeCaption', { region: data.regionName })}</caption>
              <CountHeaders first={t('beds.type')} />
              <tbody>
                {data.byType.map((row) => (
                  <tr key={row.bedType}>
                    <th scope="row">{te(`BedType.${row.bedType}`)}</th>
                    <CountCells counts={row} />
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('capacity.allRegular')}</th>
                  <CountCells counts={data.beds} />
                </tr>
              </tbody>
            </table>
          </div>
          <h2>{t('capacity.surgeTitle')}</h2>
          <p className="muted">{t('capacity.surgeHint')}</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="surge-caption">
            <table>
              <caption id="surge-caption">{t('capacity.surgeCaption', { region: data.regionName })}</caption>
              <CountHeaders first={t('beds.type')} />
              <tbody>
                <tr>
                  <th scope="row">{te('BedType.EMERGENCY_OVERFLOW')}</th>
                  <CountCells counts={data.surge} />
                </tr>
              </tbody>
            </table>
          </div>
          <h2>{t('capacity.pausedTitle')}</h2>
          {paused.length === 0 ? (
            <p>{t('capacity.nonePaused')}</p>
          ) : (
            <ul>
              {paused.map((s) => (
                <li key={s.id}>
                  {s.name} ({s.city}) <span className="badge warning">{te('ShelterStatus.PAUSED')}</span>
                </li>
              ))}
            </ul>
          )}
          <h2>{t('capacity.staleTitle')}</h2>
          {stale.length === 0 ? (
            <p>{t('capacity.noneStale')}</p>
          ) : (
            <ul>
              {stale.map((s) => (
                <li key={s.id}>
                  {s.name} ({s.city}) <span className="badge warning">{tc('time.stale')}</span>{' '}
                  {tc('time.verified', { when: format.relative(s.availabilityVerifiedAt) })}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}
