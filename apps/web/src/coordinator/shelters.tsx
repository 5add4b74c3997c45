// The shelters of a region and below, in a table sortable by each column; stale counts first by default.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import { useFormat } from '../app/format';
import { Page } from '../app/page';
import { Loading, NotFound } from '../app/status-pages';
import { DEFAULT_SHELTER_SORT, sortShelters, type ShelterSortKey, type SortDirection } from './logic';
import { RegionPicker, useSelectedRegion } from './region';
import { ErrorBanner, isNotFound } from './shared';

const CoordinatorShelters = graphql(`
  query CoordinatorShelters($regionId: ID!, $after: String) {
    shelters(regionId: $regionId, first: 100, after: $after) {
      edges {
        node {
          id
          name
          city
          status
          stale
          availabilityVerifiedAt
          acceptingIntakesNow
          pools {
            id
            capacity
            available
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const COLUMNS: ShelterSortKey[] = ['name', 'city', 'status', 'verified', 'available', 'capacity'];

export function Shelters() {
  const { t } = useTranslation('coordinator');
  const { t: te } = useTranslation('enums');
  const { t: tc, i18n } = useTranslation();
  const format = useFormat();
  const { regionId, regions, loading, outOfScope, select } = useSelectedRegion();
  const [after, setAfter] = useState<string | null>(null);
  const [result] = useQuery({
    query: CoordinatorShelters,
    variables: { regionId: regionId ?? '', after },
    pause: !regionId,
  });
  const [sort, setSort] = useState(DEFAULT_SHELTER_SORT);

  const rows = useMemo(() => {
    const nodes = result.data?.shelters.edges.map((e) => e.node) ?? [];
    const withTotals = nodes.map((s) => ({
      ...s,
      available: s.pools.reduce((sum, p) => sum + p.available, 0),
      capacity: s.pools.reduce((sum, p) => sum + p.capacity, 0),
    }));
    return sortShelters(withTotals, sort.key, sort.direction, i18n.language);
  }, [result.data, sort, i18n.language]);

  if (isNotFound(result.error) || outOfScope) return <NotFound />;

  const sortBy = (key: ShelterSortKey) => {
    const direction: SortDirection = sort.key === key && sort.direction === 'ascending' ? 'descending' : 'ascending';
    setSort({ key, direction });
  };
  const pageInfo = result.data?.shelters.pageInfo;

  return (
    <Page title={t('shelters.title')}>
      {loading ? (
        <Loading />
      ) : (
        <RegionPicker
          regions={regions}
          value={regionId}
          onChange={(id) => {
            setAfter(null);
            select(id);
          }}
        />
      )}
      <ErrorBanner error={result.error} />
      {!result.data && result.fetching && <Loading />}
      {result.data && (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="shelters-caption">
            <table>
              <caption id="shelters-caption">
                {t('shelters.caption')}{' '}
                <span className="muted">
                  {t('shelters.sortedBy', {
                    column: t(`shelters.columns.${sort.key}`),
                    direction: t(`shelters.${sort.direction}`),
                  })}
                </span>
              </caption>
              <thead>
                <tr>
                  {COLUMNS.map((key) => (
                    <th key={key} scope="col" aria-sort={sort.key === key ? sort.direction : undefined}>
                      <button type="button" className="sort-button" onClick={() => sortBy(key)}>
                        {t(`shelters.columns.${key}`)}
                        <span aria-hidden="true">
                          {sort.key === key ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                        </span>
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.name}</th>
                    <td>{s.city}</td>
                    <td>
                      {te(`ShelterStatus.${s.status}`)}
                      {s.status === 'ACTIVE' && !s.acceptingIntakesNow && (
                        <>
                          <br />
                          <span className="muted">{t('shelters.intakeClosed')}</span>
                        </>
                      )}
                    </td>
                    <td>
                      {s.stale && (
                        <>
                          <span className="badge warning">{tc('time.stale')}</span>{' '}
                        </>
                      )}
                      {tc('time.verified', { when: format.relative(s.availabilityVerifiedAt) })}
                    </td>
                    <td>{format.number(s.available)}</td>
                    <td>{format.number(s.capacity)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length === 0 && <p>{t('shelters.none')}</p>}
          {(after || pageInfo?.hasNextPage) && (
            <div className="row">
              {after && (
                <button type="button" onClick={() => setAfter(null)}>
                  {t('shelters.firstPage')}
                </button>
              )}
              {pageInfo?.hasNextPage && (
                <button type="button" onClick={() => setAfter(pageInfo.endCursor ?? null)}>
                  {tc('actions.next')}
                </button>
              )}
            </div>
          )}
        </>
      )}
    </Page>
  );
}
