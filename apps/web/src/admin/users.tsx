// Users: the list (optionally of one organisation), a new user with role, organisation and regions, a user's role,
// organisation and regions changed in place (their sign-ins end), deactivation (confirmed) and reactivation.
import { Fragment, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { OrganisationKind, Role, UpdateUserInput } from '../gql/graphql';
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

const AdminUpdateUserAccess = graphql(`
  mutation AdminUpdateUserAccess($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
      role
      organisationId
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

/** Regions to choose from, as a tree (a coordinator sees the regions chosen and the areas within them). */
function RegionChoices({
  legend,
  chosen,
  onChange,
  error,
}: {
  legend: string;
  chosen: string[];
  onChange: (ids: string[]) => void;
  error: CombinedError | undefined;
}) {
  const { t } = useTranslation('admin');
  const hintId = useId();
  const [regions] = useQuery({ query: AdminRegions });
  const all = regions.data?.regions ?? [];
  const tree = regionsInScope(
    all,
    all.filter((r) => !r.parentId).map((r) => r.id),
  );
  return (
    <fieldset aria-describedby={hintId} aria-invalid={errorField(error) === 'regionIds' || undefined}>
      <legend>{legend}</legend>
      <p id={hintId} className="hint muted">
        {t('users.regionsHint')}
      </p>
      {tree.map((r) => (
        <label key={r.id} className="checkbox" style={{ paddingInlineStart: `${r.depth * 1.5}rem` }}>
          <input
            type="checkbox"
            checked={chosen.includes(r.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, r.id] : chosen.filter((id) => id !== r.id))}
          />
          {r.name}
        </label>
      ))}
    </fieldset>
  );
}

/** The role, and the organisation of the kind that role belongs to (admins belong to none). */
function RoleAndOrganisation({
  role,
  organisationId,
  onRole,
  onOrganisation,
  error,
}: {
  role: Role;
  organisationId: string;
  onRole: (role: Role) => void;
  onOrganisation: (id: string) => void;
  error: CombinedError | undefined;
}) {
  const { t } = useTranslation('admin');
  const { t: te } = useTranslation('enums');
  const [organisations] = useQuery({ query: AdminOrganisations });
  const kind = KIND_FOR_ROLE[role];
  const choices = (organisations.data?.organisations ?? [])
    .filter((o) => o.kind === kind)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <Field label={t('users.role')} name="role" error={error}>
        <select value={role} onChange={(e) => onRole(e.target.value as Role)}>
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
          error={error}
          hint={t('users.organisationHint', { kind: te(`OrganisationKind.${kind}`) })}
        >
          <select value={organisationId} onChange={(e) => onOrganisation(e.target.value)} required>
            <option value="">{t('users.chooseOrganisation')}</option>
            {choices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </Field>
      )}
    </>
  );
}

interface EditedUser {
  id: string;
  email: string;
  role: Role;
  organisationId?: string | null;
  regions: { id: string }[];
}

/**
 * A user's role, organisation and regions, changed in place. Only what changed is sent; any change ends their
 * sign-ins, so their next request is made with the new access (they are told to expect it).
 */
function AccessEditor({ user, onDone }: { user: EditedUser; onDone: () => void }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const announce = useAnnounce();
  const [result, update] = useMutation(AdminUpdateUserAccess);
  const titleId = useId();
  const hintId = useId();
  const title = useRef<HTMLHeadingElement>(null);
  // opened: focus moves into the editor (its heading), so a keyboard or screen reader starts there
  useEffect(() => title.current?.focus(), []);
  const [role, setRole] = useState<Role>(user.role);
  const [organisationId, setOrganisationId] = useState(user.organisationId ?? '');
  const [regionIds, setRegionIds] = useState(user.regions.map((r) => r.id));
  const chooseRole = (next: Role) => {
    setRole(next);
    // the organisation stays when the new role belongs to the same kind
    setOrganisationId(KIND_FOR_ROLE[next] === KIND_FOR_ROLE[user.role] ? (user.organisationId ?? '') : '');
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: UpdateUserInput = {};
    const organisation = KIND_FOR_ROLE[role] ? organisationId || null : null;
    if (role !== user.role) input.role = role;
    if (organisation !== (user.organisationId ?? null)) input.organisationId = organisation;
    const before = user.regions.map((r) => r.id);
    const regions = role === 'REGIONAL_COORDINATOR' ? regionIds : [];
    if (regions.length !== before.length || regions.some((id) => !before.includes(id))) input.regionIds = regions;
    if (Object.keys(input).length === 0) {
      onDone();
      return;
    }
    const answer = await update({ id: user.id, input });
    if (!answer.error) {
      announce(t('users.accessSaved', { email: user.email }));
      onDone();
    }
  };
  return (
    <form id={`access-${user.id}`} onSubmit={(e) => void submit(e)} aria-labelledby={titleId} aria-describedby={hintId}>
      <h3 id={titleId} tabIndex={-1} ref={title}>
        {t('users.accessOf', { email: user.email })}
      </h3>
      <p id={hintId} className="hint muted">
        {t('users.accessHint')}
      </p>
      <RoleAndOrganisation
        role={role}
        organisationId={organisationId}
        onRole={chooseRole}
        onOrganisation={setOrganisationId}
        error={result.error}
      />
      {role === 'REGIONAL_COORDINATOR' && (
        <RegionChoices
          legend={t('users.regionsOf', { email: user.email })}
          chosen={regionIds}
          onChange={setRegionIds}
          error={result.error}
        />
      )}
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
  const announce = useAnnounce();
  const [created, create] = useMutation(AdminCreateUser);
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('SHELTER_STAFF');
  const [organisationId, setOrganisationId] = useState('');
  const [regionIds, setRegionIds] = useState<string[]>([]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await create({
      input: {
        displayName,
        email,
        password,
        role,
        organisationId: KIND_FOR_ROLE[role] ? organisationId || null : null,
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
        <RoleAndOrganisation
          role={role}
          organisationId={organisationId}
          onRole={(next) => {
            setRole(next);
            setOrganisationId('');
          }}
          onOrganisation={setOrganisationId}
          error={created.error}
        />
        {role === 'REGIONAL_COORDINATOR' && (
          <RegionChoices legend={t('users.regions')} chosen={regionIds} onChange={setRegionIds} error={created.error} />
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
  const [editing, setEditing] = useState<string | null>(null);
  // closed (saved or cancelled): focus goes back to the button that opened it, not to the top of the page
  const changeButtons = useRef(new Map<string, HTMLButtonElement>());
  const closeEditor = (id: string) => {
    setEditing(null);
    requestAnimationFrame(() => changeButtons.current.get(id)?.focus());
  };
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
                <Fragment key={u.id}>
                  <tr>
                    <th scope="row">{u.email}</th>
                    <td>{u.displayName}</td>
                    <td>{te(`Role.${u.role}`)}</td>
                    <td>{u.organisationId ? orgName(u.organisationId) : t('users.noOrganisation')}</td>
                    <td>{u.regions.map((r) => r.name).join(', ')}</td>
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
                      ) : (
                        <div className="row">
                          <button
                            type="button"
                            aria-expanded={editing === u.id}
                            aria-controls={editing === u.id ? `access-${u.id}` : undefined}
                            ref={(button) => {
                              if (button) changeButtons.current.set(u.id, button);
                              else changeButtons.current.delete(u.id);
                            }}
                            onClick={() => (editing === u.id ? closeEditor(u.id) : setEditing(u.id))}
                          >
                            {t('users.changeAccess')}
                            <span className="visually-hidden"> {u.email}</span>
                          </button>
                          {u.active ? (
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
                        </div>
                      )}
                    </td>
                  </tr>
                  {editing === u.id && (
                    <tr>
                      <td colSpan={7}>
                        <AccessEditor user={u} onDone={() => closeEditor(u.id)} />
                      </td>
                    </tr>
                  )}
                </Fragment>
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
