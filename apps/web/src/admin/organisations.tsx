// Organisations: the list, a new one, and renaming one.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { OrganisationKind } from '../gql/graphql';
import { useAnnounce } from '../app/announcer';
import { Page } from '../app/page';
import { Loading } from '../app/status-pages';
import { Field, FormError } from './form';

export const AdminOrganisations = graphql(`
  query AdminOrganisations {
    organisations {
      id
      name
      kind
    }
  }
`);

const AdminCreateOrganisation = graphql(`
  mutation AdminCreateOrganisation($input: CreateOrganisationInput!) {
    createOrganisation(input: $input) {
      id
      name
      kind
    }
  }
`);

const AdminRenameOrganisation = graphql(`
  mutation AdminRenameOrganisation($id: ID!, $input: RenameOrganisationInput!) {
    renameOrganisation(id: $id, input: $input) {
      id
      name
      kind
    }
  }
`);

export const ORGANISATION_KINDS: OrganisationKind[] = ['SHELTER_PROVIDER', 'REFERRAL_AGENCY', 'COORDINATING_BODY'];

function RenameForm({ id, name, onDone }: { id: string; name: string; onDone: () => void }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const announce = useAnnounce();
  const [value, setValue] = useState(name);
  const [result, rename] = useMutation(AdminRenameOrganisation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await rename({ id, input: { name: value } });
    if (!answer.error) {
      announce(t('organisations.renamed', { name: value }));
      onDone();
    }
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)}>
      <Field label={t('organisations.newName', { name })} name="name" error={result.error}>
        <input value={value} onChange={(e) => setValue(e.target.value)} required autoFocus />
      </Field>
      <FormError error={result.error} />
      <div className="row">
        <button type="submit" className="primary" disabled={result.fetching}>
          {tc('actions.save')}
        </button>
        <button type="button" onClick={onDone}>
          {tc('actions.cancel')}
        </button>
      </div>
    </form>
  );
}

export function Organisations() {
  const { t } = useTranslation('admin');
  const { t: te } = useTranslation('enums');
  const announce = useAnnounce();
  const [{ data, fetching, error }, refetch] = useQuery({ query: AdminOrganisations });
  const [created, create] = useMutation(AdminCreateOrganisation);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrganisationKind>('SHELTER_PROVIDER');
  const [renaming, setRenaming] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await create({ input: { name, kind } });
    if (!answer.error) {
      announce(t('organisations.created', { name }));
      setName('');
      refetch({ requestPolicy: 'network-only' });
    }
  };

  return (
    <Page title={t('organisations.title')}>
      <section aria-labelledby="new-organisation" className="card">
        <h2 id="new-organisation">{t('organisations.createTitle')}</h2>
        <form onSubmit={(e) => void submit(e)}>
          <Field label={t('organisations.name')} name="name" error={created.error}>
            <input value={name} onChange={(e) => setName(e.target.value)} required />
          </Field>
          <Field label={t('organisations.kind')} name="kind" error={created.error}>
            <select value={kind} onChange={(e) => setKind(e.target.value as OrganisationKind)}>
              {ORGANISATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {te(`OrganisationKind.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          <FormError error={created.error} />
          <button type="submit" className="primary" disabled={created.fetching}>
            {t('organisations.create')}
          </button>
        </form>
      </section>
      <FormError error={error} />
      {!data && fetching && <Loading />}
      {data && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="organisations-caption">
          <table>
            <caption id="organisations-caption">{t('organisations.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('organisations.name')}</th>
                <th scope="col">{t('organisations.kind')}</th>
                <th scope="col">{t('columns.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {[...data.organisations]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((o) => (
                  <tr key={o.id}>
                    <th scope="row">{o.name}</th>
                    <td>{te(`OrganisationKind.${o.kind}`)}</td>
                    <td>
                      {renaming === o.id ? (
                        <RenameForm id={o.id} name={o.name} onDone={() => setRenaming(null)} />
                      ) : (
                        <button type="button" onClick={() => setRenaming(o.id)}>
                          {t('organisations.rename', { name: o.name })}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
