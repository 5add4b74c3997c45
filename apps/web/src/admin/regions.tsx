// Regions: the tree (state → county) as a list, and a new region under a parent.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import { useAnnounce } from '../app/announcer';
import { Page } from '../app/page';
import { Loading } from '../app/status-pages';
import { regionsInScope } from '../coordinator/logic';
import { Field, FormError } from './form';

export const AdminRegions = graphql(`
  query AdminRegions {
    regions {
      id
      name
      code
      parentId
    }
  }
`);

const AdminCreateRegion = graphql(`
  mutation AdminCreateRegion($input: CreateRegionInput!) {
    createRegion(input: $input) {
      id
      name
      code
      parentId
    }
  }
`);

export function Regions() {
  const { t } = useTranslation('admin');
  const announce = useAnnounce();
  const [{ data, fetching, error }, refetch] = useQuery({ query: AdminRegions });
  const [created, create] = useMutation(AdminCreateRegion);
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [parentId, setParentId] = useState('');
  const all = data?.regions ?? [];
  const tree = regionsInScope(
    all,
    all.filter((r) => !r.parentId).map((r) => r.id),
  );
  const nameOf = (id: string | null | undefined) => all.find((r) => r.id === id)?.name ?? '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await create({ input: { name, code, parentId: parentId || null } });
    if (!answer.error) {
      announce(t('regions.created', { name }));
      setName('');
      setCode('');
      refetch({ requestPolicy: 'network-only' });
    }
  };

  return (
    <Page title={t('regions.title')}>
      <section aria-labelledby="new-region" className="card">
        <h2 id="new-region">{t('regions.createTitle')}</h2>
        <form onSubmit={(e) => void submit(e)}>
          <Field label={t('regions.name')} name="name" error={created.error}>
            <input value={name} onChange={(e) => setName(e.target.value)} required />
          </Field>
          <Field label={t('regions.code')} name="code" error={created.error} hint={t('regions.codeHint')}>
            <input value={code} onChange={(e) => setCode(e.target.value)} required />
          </Field>
          <Field label={t('regions.parent')} name="parentId" error={created.error}>
            <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
              <option value="">{t('regions.noParent')}</option>
              {tree.map((r) => (
                <option key={r.id} value={r.id}>
                  {'\u00a0\u00a0'.repeat(r.depth)}
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
          <FormError error={created.error} />
          <button type="submit" className="primary" disabled={created.fetching}>
            {t('regions.create')}
          </button>
        </form>
      </section>
      <FormError error={error} />
      {!data && fetching && <Loading />}
      {data && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="regions-caption">
          <table>
            <caption id="regions-caption">{t('regions.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('regions.name')}</th>
                <th scope="col">{t('regions.code')}</th>
                <th scope="col">{t('regions.parent')}</th>
              </tr>
            </thead>
            <tbody>
              {tree.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.name}</th>
                  <td>{r.code}</td>
                  <td>{r.parentId ? nameOf(r.parentId) : t('regions.noParent')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
