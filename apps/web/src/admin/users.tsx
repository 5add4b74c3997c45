// Users: the list (optionally of one organisation), a new user with role, organisation and regions, deactivation
// (confirmed) and reactivation. A user's role is fixed once created (the API has no way to change it).
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { OrganisationKind, Role } from '../gql/graphql';
import { useAnnounce } from '../app/announcer';
import { useSession } from '../app/session';
import { Page } from '../app/page';
import { Loading } from '../app/status-pages';
import { regionsInScope } from '../coordinator/logic';
import { ConfirmDialog, errorField, Field, FormError } from './form';
import { AdminOrganisations } from './organisations';
import { AdminRegions } from './regions';

const AdminUsers = graphql(`
  query AdminUsers($organisationId: ID) {
    users(organisationId: $organisationId) {
      id
      email
      displayName
      role
      active
      createdAt
      organisationId
      regions {
        id
        name
      }
    }
  }
`);

const AdminCreateUser = graphql(`
  mutation AdminCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
      email
    }
  }
`);

const AdminDeactivateUser = graphql(`
  mutation AdminDeactivateUser($id: ID!) {
    deactivateUser(id: $id) {
      id
      active
    }
  }
`);

const AdminReactivateUser = graphql(`
  mutation AdminReactivateUser($id: ID!) {
    reactivateUser(id: $id) {
      id
      active
    }
  }
`);

const AdminUpdateUserRegions = graphql(`
  mutation AdminUpdateUserRegions($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
      regions {
        id
        name
      }
    }
  }
`);

const ROLES: Role[] = ['SHELTER_STAFF', 'HOTLINE_ADVOCATE', 'REGIONAL_COORDINATOR', 'ADMIN'];

/** Which kind of organisation each role belongs to (admins to none), as the API requires. */
const KIND_FOR_ROLE: Record<Role, OrganisationKind | null> = {
  SHELTER_STAFF: 'SHELTER_PROVIDER',
  HOTLINE_ADVOCATE: 'REFERRAL_AGENCY',
  REGIONAL_COORDINATOR: 'COORDINATING_BODY',
  ADMIN: null,
};

/** A coordinator's regions, changed in place (their sessions end, so their next request reads the new scope). */
function RegionsEditor({
  user,
  onDone,
}: {
  user: { id: string; email: string; regions: { id: string }[] };
  onDone: () => void;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const announce = useAnnounce();
  const [regions] = useQuery({ query: AdminRegions });
  const [result, update] = useMutation(AdminUpdateUserRegions);
  const [chosen, setChosen] = useState(user.regions.map((r) => r.id));
  const all = regions.data?.regions ?? [];
  const tree = regionsInScope(
    all,
    all.filter((r) => !r.parentId).map((r) => r.id),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await update({ id: user.id, input: { regionIds: chosen } });
    if (!answer.error) {
      announce(t('users.regionsSaved', { email: user.email }));
      onDone();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <fieldset aria-invalid={errorField(result.error) === 'regionIds' || undefined}>
        <legend>{t('users.regionsOf', { email: user.email })}</legend>
        {tree.map((r) => (
          <label key={r.id} className="checkbox" style={{ paddingInlineStart: `${r.depth * 1.5}rem` }}>
            <input
              type="checkbox"
              checked={chosen.includes(r.id)}
              onChange={(e) =>
                setChosen((ids) => (e.target.checked ? [...ids, r.id] : ids.filter((id) => id !== r.id)))
              }
            />
            {r.name}
          </label>
        ))}
      </fieldset>
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

function CreateUser({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation('admin');
  const { t: te } = useTranslation('enums');
  const announce = useAnnounce();
  const [organisations] = useQuery({ query: AdminOrganisations });
  const [regions] = useQuery({ query: AdminRegions });
  const [created, create] = useMutation(AdminCreateUser);
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('SHELTER_STAFF');
  const [organisationId, setOrganisationId] = useState('');
  const [regionIds, setRegionIds] = useState<string[]>([]);
  const kind = KIND_FOR_ROLE[role];
  const choices = (organisations.data?.organisations ?? [])
    .filter((o) => o.kind === kind)
    .sort((a, b) => a.name.localeCompare(b.name));
  const allRegions = regions.data?.regions ?? [];
  const tree = regionsInScope(
    allRegions,
    allRegions.filter((r) => !r.parentId).map((r) => r.id),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await create({
      input: {
        displayName,
        email,
        password,
        role,
        organisationId: kind ? organisationId || null : null,
        regionIds: role === 'REGIONAL_COORDINATOR' ? regionIds : [],
      },
    });
    if (!answer.error) {
      announce(t('users.created', { email }));
      setDisplayName('');
      setEmail('');
      setPassword('');
      setRegionIds([]);
      onCreated();
    }
  };

  return (
    <section aria-labelledby="new-user" className="card">
      <h2 id="new-user">{t('users.createTitle')}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <Field label={t('users.displayName')} name="displayName" error={created.error}>
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required autoComplete="off" />
        </Field>
        <Field label={t('users.email')} name="email" error={created.error}>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" />
        </Field>
        <Field label={t('users.password')} name="password" error={created.error} hint={t('users.passwordHint')}>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={12}
            autoComplete="new-password"
          />
        </Field>
        <Field label={t('users.role')} name="role" error={created.error}>
          <select
            value={role}
            onChange={(e) => {
              setRole(e.target.value as Role);
              setOrganisationId('');
            }}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {te(`Role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        {kind && (
          <Field
            label={t('users.organisation')}
            name="organisationId"
            error={created.error}
            hint={t('users.organisationHint', { kind: te(`OrganisationKind.${kind}`) })}
          >
            <select value={organisationId} onChange={(e) => setOrganisationId(e.target.value)} required>
              <option value="">{t('users.chooseOrganisation')}</option>
              {choices.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        {role === 'REGIONAL_COORDINATOR' && (
          <fieldset aria-describedby="regions-hint">
            <legend>{t('users.regions')}</legend>
            <p id="regions-hint" className="hint muted">
              {t('users.regionsHint')}
            </p>
            {tree.map((r) => (
              <label key={r.id} className="checkbox" style={{ paddingInlineStart: `${r.depth * 1.5}rem` }}>
                <input
                  type="checkbox"
                  checked={regionIds.includes(r.id)}
                  onChange={(e) =>
                    setRegionIds((ids) => (e.target.checked ? [...ids, r.id] : ids.filter((id) => id !== r.id)))
                  }
                />
                {r.name}
              </label>
            ))}
          </fieldset>
        )}
        <FormError error={created.error} />
        <button type="submit" className="primary" disabled={created.fetching}>
          {t('users.create')}
        </button>
      </form>
    </section>
  );
}

export function Users() {
  const { t } = useTranslation('admin');
  const { t: te } = useTranslation('enums');
  const announce = useAnnounce();
  const me = useSession().user;
  const [organisationId, setOrganisationId] = useState('');
  const [organisations] = useQuery({ query: AdminOrganisations });
  const [{ data, fetching, error }, refetch] = useQuery({
    query: AdminUsers,
    variables: { organisationId: organisationId || null },
  });
  const [deactivated, deactivate] = useMutation(AdminDeactivateUser);
  const [reactivated, reactivate] = useMutation(AdminReactivateUser);
  const [confirming, setConfirming] = useState<{ id: string; email: string } | null>(null);
  const [editingRegions, setEditingRegions] = useState<string | null>(null);
  const orgName = (id: string | null | undefined) =>
    organisations.data?.organisations.find((o) => o.id === id)?.name ?? t('users.noOrganisation');

  const confirmDeactivate = async () => {
    if (!confirming) return;
    const answer = await deactivate({ id: confirming.id });
    if (!answer.error) announce(t('users.deactivated', { email: confirming.email }));
    setConfirming(null);
  };
  const doReactivate = async (id: string, email: string) => {
    const answer = await reactivate({ id });
    if (!answer.error) announce(t('users.reactivated', { email }));
  };

  const users = [...(data?.users ?? [])].sort((a, b) => a.email.localeCompare(b.email));
  return (
    <Page title={t('users.title')}>
      <CreateUser onCreated={() => refetch({ requestPolicy: 'network-only' })} />
      <h2>{t('users.listTitle')}</h2>
      <div className="field">
        <label htmlFor="users-organisation">{t('users.filter')}</label>
        <select id="users-organisation" value={organisationId} onChange={(e) => setOrganisationId(e.target.value)}>
          <option value="">{t('users.allOrganisations')}</option>
          {[...(organisations.data?.organisations ?? [])]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
        </select>
      </div>
      <FormError error={error ?? deactivated.error ?? reactivated.error} />
      {!data && fetching && <Loading />}
      {data && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="users-caption">
          <table>
            <caption id="users-caption">{t('users.caption', { count: users.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.email')}</th>
                <th scope="col">{t('users.displayName')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.organisation')}</th>
                <th scope="col">{t('users.regions')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{t('columns.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.email}</th>
                  <td>{u.displayName}</td>
                  <td>{te(`Role.${u.role}`)}</td>
                  <td>{u.organisationId ? orgName(u.organisationId) : t('users.noOrganisation')}</td>
                  <td>
                    {editingRegions === u.id ? (
                      <RegionsEditor user={u} onDone={() => setEditingRegions(null)} />
                    ) : (
                      <>
                        {u.regions.map((r) => r.name).join(', ')}
                        {u.role === 'REGIONAL_COORDINATOR' && (
                          <>
                            <br />
                            <button type="button" onClick={() => setEditingRegions(u.id)}>
                              {t('users.changeRegions')}
                              <span className="visually-hidden"> {u.email}</span>
                            </button>
                          </>
                        )}
                      </>
                    )}
                  </td>
                  <td>
                    {u.active ? (
                      <span className="badge success">{t('users.active')}</span>
                    ) : (
                      <span className="badge danger">{t('users.inactive')}</span>
                    )}
                  </td>
                  <td>
                    {u.id === me?.id ? (
                      <span className="muted">{t('users.you')}</span>
                    ) : u.active ? (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => setConfirming({ id: u.id, email: u.email })}
                      >
                        {t('users.deactivateShort')}
                        <span className="visually-hidden"> {u.email}</span>
                      </button>
                    ) : (
                      <button type="button" onClick={() => void doReactivate(u.id, u.email)}>
                        {t('users.reactivateShort')}
                        <span className="visually-hidden"> {u.email}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={t('users.confirmTitle', { email: confirming?.email ?? '' })}
        body={t('users.confirmBody')}
        confirmLabel={t('users.confirmDeactivate')}
        busy={deactivated.fetching}
        onConfirm={() => void confirmDeactivate()}
        onCancel={() => setConfirming(null)}
      />
    </Page>
  );
}
