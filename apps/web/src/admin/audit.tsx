// The security audit trail, newest first, a page at a time, optionally of some kinds only.
import { useState } from 'react';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { AuditKind } from '../gql/graphql';
import { useFormat } from '../app/format';
import { useEnumLabel } from '../app/labels';
import { Page } from '../app/page';
import { Loading } from '../app/status-pages';
import { FormError } from './form';
import { AdminOrganisations } from './organisations';
import { AdminRegions } from './regions';

const AdminAuditEvents = graphql(`
  query AdminAuditEvents($first: Int!, $after: String, $kinds: [AuditKind!]) {
    auditEvents(first: $first, after: $after, kinds: $kinds) {
      edges {
        node {
          id
          kind
          occurredAt
          actorUserId
          actorRole
          subjectType
          subjectId
          address
          detail {
            key
            value
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

const AdminAuditUsers = graphql(`
  query AdminAuditUsers {
    users {
      id
      email
    }
  }
`);

const PAGE = 25;

/** The kinds a person may filter by (the SDL's AuditKind; a newer kind still shows in the unfiltered trail). */
const KINDS = [
  'LOGIN_SUCCEEDED',
  'LOGIN_FAILED',
  'LOGIN_THROTTLED',
  'SIGNED_OUT',
  'REFRESH_TOKEN_REUSED',
  'ACCESS_REFUSED',
  'RATE_LIMITED',
  'IDENTITY_READ',
  'EXPORT_DOWNLOADED',
  'ORGANISATION_CREATED',
  'ORGANISATION_RENAMED',
  'REGION_CREATED',
  'REGION_UPDATED',
  'USER_CREATED',
  'USER_UPDATED',
  'USER_DEACTIVATED',
  'USER_REACTIVATED',
] as const satisfies readonly AuditKind[];

export function Audit() {
  const { t } = useTranslation('admin');
  const { t: te, i18n } = useTranslation('enums');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [{ data, fetching, error }] = useQuery({
    query: AdminAuditEvents,
    variables: { first: PAGE, after, kinds: kind ? [kind] : null },
    requestPolicy: 'network-only',
  });
  const [users] = useQuery({ query: AdminAuditUsers });
  const emailOf = (id: string | null | undefined) => users.data?.users.find((u) => u.id === id)?.email ?? null;
  // a kind newer than this build's catalog reads as its code rather than nothing
  const kindLabel = (k: AuditKind) =>
    i18n.exists(`enums:AuditKind.${k}`) ? te(`AuditKind.${k}` as 'AuditKind.LOGIN_FAILED') : k;
  const events = data?.auditEvents.edges.map((e) => e.node) ?? [];
  const pageInfo = data?.auditEvents.pageInfo;

  const [organisations] = useQuery({ query: AdminOrganisations });
  const [regions] = useQuery({ query: AdminRegions });
  const organisationName = (id: string) => organisations.data?.organisations.find((o) => o.id === id)?.name;
  const regionName = (id: string) => regions.data?.regions.find((r) => r.id === id)?.name;

  const subject = (type: string | null | undefined, id: string | null | undefined) => {
    if (!id) return '';
    if (type === 'user') return emailOf(id) ?? id;
    const named = type === 'organisation' ? organisationName(id) : type === 'region' ? regionName(id) : undefined;
    const key = `audit.subjectTypes.${type ?? ''}`;
    const kindOf = i18n.exists(`admin:${key}`) ? t(key as 'audit.subjectTypes.region') : null;
    return [kindOf, named ?? id].filter(Boolean).join(' ');
  };

  // an entry's details in words: a known key's label, roles and kinds by their labels, organisations and regions by
  // name (the API stores codes and ids only); anything newer than this build reads as it is
  const detailKey = (key: string) =>
    i18n.exists(`admin:audit.detailKeys.${key}`) ? t(`audit.detailKeys.${key}` as 'audit.detailKeys.fields') : key;
  const label = useEnumLabel();
  const detailValue = (key: string, value: string | null | undefined) => {
    if (value === null || value === undefined) return '';
    if (key === 'role' || key === 'roleFrom' || key === 'roleTo') return label('Role', value) ?? value;
    if (key === 'organisationKind') return label('OrganisationKind', value) ?? value;
    if (key === 'organisationFrom' || key === 'organisationTo')
      return value === 'none' ? t('users.noOrganisation') : (organisationName(value) ?? value);
    if (key === 'regionId') return regionName(value) ?? value;
    if (key === 'fields') return value.split(',').map(detailKey).join(', ');
    if (key === 'everywhere') return value === 'true' ? t('audit.yes') : t('audit.no');
    return value;
  };

  return (
    <Page title={t('audit.title')}>
      <div className="field">
        <label htmlFor="audit-kind">{t('audit.kind')}</label>
        <select
          id="audit-kind"
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as AuditKind | '');
            setCursors([null]);
          }}
        >
          <option value="">{t('audit.allKinds')}</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </div>
      <FormError error={error} />
      {!data && fetching && <Loading />}
      {data && (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="audit-caption">
            <table aria-busy={fetching || undefined}>
              <caption id="audit-caption">{t('audit.caption', { page: format.number(cursors.length) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.what')}</th>
                  <th scope="col">{t('audit.who')}</th>
                  <th scope="col">{t('audit.subject')}</th>
                  <th scope="col">{t('audit.address')}</th>
                  <th scope="col">{t('audit.details')}</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td>{format.dateTime(e.occurredAt)}</td>
                    <th scope="row">{kindLabel(e.kind)}</th>
                    <td>
                      {e.actorUserId ? (emailOf(e.actorUserId) ?? e.actorUserId) : t('audit.nobody')}
                      {e.actorRole && (
                        <>
                          <br />
                          <span className="muted">{te(`Role.${e.actorRole}`)}</span>
                        </>
                      )}
                    </td>
                    <td>{subject(e.subjectType, e.subjectId)}</td>
                    <td>{e.address ?? ''}</td>
                    <td>
                      {e.detail.length > 0 && (
                        <ul className="plain-list">
                          {e.detail.map((d) => (
                            <li key={d.key}>
                              {detailKey(d.key)}: {detailValue(d.key, d.value)}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
                {events.length === 0 && (
                  <tr>
                    <td colSpan={6}>{t('audit.none')}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <div className="row">
            {cursors.length > 1 && (
              <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
                {tc('actions.previous')}
              </button>
            )}
            {pageInfo?.hasNextPage && (
              <button type="button" onClick={() => setCursors((c) => [...c, pageInfo.endCursor ?? null])}>
                {tc('actions.next')}
              </button>
            )}
          </div>
        </>
      )}
    </Page>
  );
}
