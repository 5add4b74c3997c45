// My agency's referrals: the open ones first (every open state, whatever their age), then the closed ones, newest
// first, a page at a time. No operation here asks for a survivor's identity.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useErrorText } from '../app/errors';
import { useFormat } from '../app/format';
import { Page } from '../app/page';
import { Loading } from '../app/status-pages';
import type { AdvocateReferralRowFragment as Row } from '../gql/graphql';
import { useEnumLabel } from '../app/labels';
import { isOpenState } from './needs';
import { AgencyReferralsQuery, OpenReferralsQuery } from './operations';
import { TableScroll } from './table-scroll';

const PAGE = 20;
const URGENCY_ORDER = ['TONIGHT', 'WITHIN_72_HOURS', 'PLANNED'];

function ReferralTable({ caption, rows }: { caption: string; rows: Row[] }) {
  const { t } = useTranslation('advocate');
  const label = useEnumLabel();
  const { dateTime } = useFormat();
  return (
    <TableScroll label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('list.reference')}</th>
            <th scope="col">{t('list.state')}</th>
            <th scope="col">{t('list.urgency')}</th>
            <th scope="col">{t('list.submitted')}</th>
            <th scope="col">{t('list.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <Link to={r.id}>{t('list.open', { code: r.referenceCode })}</Link>
              </th>
              <td>{label('ReferralState', r.state) ?? r.state}</td>
              <td>{label('Urgency', r.urgency) ?? r.urgency}</td>
              <td>{dateTime(r.submittedAt)}</td>
              <td>{dateTime(r.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The closed referrals, newest first: pages read so far, "Show more" reads the next. */
function useClosedPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const index = cursors.length - 1;
  const [result] = useQuery({ query: AgencyReferralsQuery, variables: { first: PAGE, after: cursors[index] } });
  const [pages, setPages] = useState<Row[][]>([]);
  const edges = result.data?.referrals.edges;
  useEffect(() => {
    if (!edges) return;
    setPages((old) => {
      const next = old.slice(0, index);
      next[index] = edges.map((e) => e.node);
      return next;
    });
  }, [edges, index]);
  const pageInfo = result.data?.referrals.pageInfo;
  return {
    result,
    rows: pages.flat().filter((r) => !isOpenState(r.state)),
    more: pageInfo?.hasNextPage && pageInfo.endCursor ? () => setCursors([...cursors, pageInfo.endCursor!]) : null,
  };
}

export function ReferralList() {
  const { t } = useTranslation('advocate');
  const errorText = useErrorText();
  const [openResult] = useQuery({ query: OpenReferralsQuery });
  const closed = useClosedPages();

  const data = openResult.data;
  const lists = data
    ? [data.awaitingConsent, data.submitted, data.matching, data.offered, data.accepted, data.waitlisted, data.placed]
    : [];
  const open = lists
    .flatMap((l) => l.edges.map((e) => e.node))
    .sort(
      (a, b) =>
        URGENCY_ORDER.indexOf(a.urgency) - URGENCY_ORDER.indexOf(b.urgency) ||
        b.submittedAt.localeCompare(a.submittedAt),
    );
  const openTruncated = lists.some((l) => l.pageInfo.hasNextPage);
  const error = openResult.error ?? closed.result.error;

  return (
    <Page title={t('list.title')}>
      {error && (
        <p className="banner error" role="alert">
          {errorText(error)}
        </p>
      )}
      <section aria-labelledby="open-title">
        <h2 id="open-title">{t('list.openTitle')}</h2>
        {!data && openResult.fetching ? (
          <Loading />
        ) : open.length === 0 ? (
          <p className="muted">{t('list.noOpen')}</p>
        ) : (
          <ReferralTable caption={t('list.openCaption', { count: open.length })} rows={open} />
        )}
        {openTruncated && <p className="muted">{t('list.openTruncated')}</p>}
      </section>
      <section aria-labelledby="closed-title">
        <h2 id="closed-title">{t('list.closedTitle')}</h2>
        {closed.rows.length === 0 ? (
          <p className="muted">{closed.result.fetching ? t('list.loading') : t('list.noClosed')}</p>
        ) : (
          <ReferralTable caption={t('list.closedCaption', { count: closed.rows.length })} rows={closed.rows} />
        )}
        {closed.more && (
          <button type="button" disabled={closed.result.fetching} onClick={closed.more}>
            {t('list.more')}
          </button>
        )}
      </section>
    </Page>
  );
}
