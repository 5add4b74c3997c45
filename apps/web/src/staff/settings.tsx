// Shelter settings: intake hours, hold and response minutes, pause, default intake instructions, the main
// eligibility rules and the webhook. One form per part, each saved on its own; needs a connection.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../app/announcer';
import { errorInfo, useErrorText, type ErrorInfo } from '../app/errors';
import { Page } from '../app/page';
import { Loading } from '../app/status-pages';
import { graphql } from '../gql';
import type { Gender, StaffShelterSettingsQuery, TraffickingType } from '../gql/graphql';
import { useOnline } from '../app/online';

const ShelterSettings = graphql(`
  query StaffShelterSettings {
    shelters(mine: true, first: 50) {
      edges {
        node {
          id
          name
          status
          timeZone
          intakeAlwaysOpen
          intakeOpens
          intakeCloses
          intakeDays
          holdMinutes
          responseMinutes
          intakeInstructions
          eligibility {
            acceptsChildren
            acceptsTraffickingRelatedRecords
            acceptsUnaccompaniedMinors
            childMaxAge
            childMinAge
            curfew
            genders
            immigrationPolicy
            languages
            lgbtqAffirming
            maxAge
            maxChildren
            maxStayDays
            minAge
            petsAllowed
            programming
            requiresIdDocuments
            requiresLawEnforcementCooperation
            substanceUsePolicy
            traffickingTypes
            wheelchairAccessible
          }
        }
      }
    }
  }
`);

const UpdateShelter = graphql(`
  mutation StaffUpdateShelter($id: ID!, $input: UpdateShelterInput!) {
    updateShelter(id: $id, input: $input) {
      id
      status
      intakeAlwaysOpen
      intakeOpens
      intakeCloses
      intakeDays
      holdMinutes
      responseMinutes
      intakeInstructions
    }
  }
`);

const SetEligibility = graphql(`
  mutation StaffSetEligibility($shelterId: ID!, $eligibility: EligibilityInput!) {
    setEligibility(shelterId: $shelterId, eligibility: $eligibility) {
      id
      eligibility {
        genders
        minAge
        maxAge
        traffickingTypes
        languages
        petsAllowed
        wheelchairAccessible
        acceptsChildren
        lgbtqAffirming
      }
    }
  }
`);

const Webhook = graphql(`
  query StaffShelterWebhook($shelterId: ID!) {
    shelterWebhook(shelterId: $shelterId) {
      shelterId
      url
    }
  }
`);

const SetWebhook = graphql(`
  mutation StaffSetShelterWebhook($shelterId: ID!, $url: String) {
    setShelterWebhook(shelterId: $shelterId, url: $url) {
      shelterId
      url
    }
  }
`);

const WebhookSecret = graphql(`
  query StaffShelterWebhookSecret($shelterId: ID!) {
    shelterWebhook(shelterId: $shelterId) {
      shelterId
      signingSecret
    }
  }
`);

const RotateWebhookSecret = graphql(`
  mutation StaffRotateShelterWebhookSecret($shelterId: ID!) {
    rotateShelterWebhookSecret(shelterId: $shelterId) {
      shelterId
      signingSecret
    }
  }
`);

type Shelter = StaffShelterSettingsQuery['shelters']['edges'][number]['node'];

/**
 * The secret the shelter's own system checks each call's signature with: asked for only when Show is pressed (never
 * loaded with the page), hidden again on Hide; a new one replaces it at once (the old one stops being used).
 */
function WebhookSecretPanel({ shelterId, title }: { shelterId: string; title: string }) {
  const { t } = useTranslation('staff');
  const online = useOnline();
  const announce = useAnnounce();
  const [shown, setShown] = useState(false);
  const [secret] = useQuery({
    query: WebhookSecret,
    variables: { shelterId },
    pause: !shown,
    requestPolicy: 'network-only',
  });
  const [rotated, rotate] = useMutation(RotateWebhookSecret);
  const value = rotated.data?.rotateShelterWebhookSecret.signingSecret ?? secret.data?.shelterWebhook.signingSecret;
  return (
    <div className="field">
      <span className="label">{t('settings.webhookSecret')}</span>
      <span className="hint">{t('settings.webhookSecretHint')}</span>
      {shown && value && <code className="secret">{value}</code>}
      <div className="row">
        <button type="button" onClick={() => setShown(!shown)} disabled={!online && !shown}>
          {shown ? t('settings.hideSecret') : t('settings.showSecret')}
          <span className="visually-hidden"> ({title})</span>
        </button>
        <button
          type="button"
          disabled={!online || rotated.fetching}
          onClick={() =>
            void rotate({ shelterId }).then((answer) => {
              if (!answer.error) {
                setShown(true);
                announce(t('settings.secretRotated'));
              }
            })
          }
        >
          {t('settings.rotateSecret')}
          <span className="visually-hidden"> ({title})</span>
        </button>
      </div>
    </div>
  );
}

const GENDERS: Gender[] = ['WOMAN', 'MAN', 'NON_BINARY', 'TRANSGENDER_WOMAN', 'TRANSGENDER_MAN'];
const TRAFFICKING: TraffickingType[] = ['SEX', 'LABOUR'];
const DAYS = [1, 2, 3, 4, 5, 6, 7];

function weekday(day: number, language: string): string {
  // 2024-01-01 was a Monday (ISO day 1)
  return new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, day)),
  );
}

/** A form part: its heading, its error or success, its save button. */
function Part({
  title,
  onSubmit,
  error,
  saved,
  busy,
  children,
}: {
  title: string;
  onSubmit: () => void;
  error: ErrorInfo | null;
  saved: boolean;
  busy: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation('staff');
  const errorText = useErrorText();
  const online = useOnline();
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <form
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {error && (
          <p className="banner error" role="alert">
            {errorText(error)}
          </p>
        )}
        {saved && <p className="banner success">{t('settings.saved')}</p>}
        {children}
        <button type="submit" className="primary" disabled={busy || !online}>
          {t('settings.save')}
          <span className="visually-hidden"> ({title})</span>
        </button>
      </form>
    </section>
  );
}

function useSave() {
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);
  const announce = useAnnounce();
  const { t } = useTranslation('staff');
  const done = (result: { data?: unknown; error?: Parameters<typeof errorInfo>[0] }) => {
    if (result.data) {
      setError(null);
      setSaved(true);
      announce(t('settings.saved'));
    } else {
      setSaved(false);
      setError(errorInfo(result.error));
    }
  };
  return { error, saved, done, invalid: (field: string) => error?.code === 'BAD_USER_INPUT' && error.field === field };
}

function Num({
  id,
  label,
  value,
  onChange,
  invalid,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
  hint?: string;
}) {
  const { t } = useTranslation('staff');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <input
        id={id}
        type="number"
        inputMode="numeric"
        value={value}
        aria-invalid={invalid || undefined}
        aria-describedby={
          [hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
        }
        onChange={(e) => onChange(e.target.value)}
      />
      {invalid && (
        <span className="error" id={`${id}-error`}>
          {t('settings.checkField')}
        </span>
      )}
    </div>
  );
}

function IntakePart({ shelter }: { shelter: Shelter }) {
  const { t, i18n } = useTranslation('staff');
  const [state, update] = useMutation(UpdateShelter);
  const save = useSave();
  const [form, setForm] = useState({
    paused: shelter.status === 'PAUSED',
    intakeAlwaysOpen: shelter.intakeAlwaysOpen,
    intakeOpens: shelter.intakeOpens ?? '',
    intakeCloses: shelter.intakeCloses ?? '',
    intakeDays: shelter.intakeDays,
    holdMinutes: String(shelter.holdMinutes),
    responseMinutes: String(shelter.responseMinutes),
    intakeInstructions: shelter.intakeInstructions ?? '',
  });
  const p = `s-${shelter.id}`;
  const submit = async () => {
    const result = await update({
      id: shelter.id,
      input: {
        status: form.paused ? 'PAUSED' : 'ACTIVE',
        intakeAlwaysOpen: form.intakeAlwaysOpen,
        ...(form.intakeAlwaysOpen
          ? {}
          : { intakeOpens: form.intakeOpens, intakeCloses: form.intakeCloses, intakeDays: form.intakeDays }),
        holdMinutes: Number(form.holdMinutes),
        responseMinutes: Number(form.responseMinutes),
        intakeInstructions: form.intakeInstructions,
      },
    });
    save.done(result);
  };
  return (
    <Part
      title={t('settings.intake')}
      onSubmit={() => void submit()}
      error={save.error}
      saved={save.saved}
      busy={state.fetching}
    >
      <label className="checkbox">
        <input type="checkbox" checked={form.paused} onChange={(e) => setForm({ ...form, paused: e.target.checked })} />
        {t('settings.paused')}
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.intakeAlwaysOpen}
          onChange={(e) => setForm({ ...form, intakeAlwaysOpen: e.target.checked })}
        />
        {t('settings.alwaysOpen')}
      </label>
      {!form.intakeAlwaysOpen && (
        <>
          <fieldset>
            <legend>{t('settings.days')}</legend>
            {DAYS.map((day) => (
              <label className="checkbox" key={day}>
                <input
                  type="checkbox"
                  checked={form.intakeDays.includes(day)}
                  onChange={(e) =>
                    setForm({
                      ...form,
                      intakeDays: e.target.checked
                        ? [...form.intakeDays, day].sort()
                        : form.intakeDays.filter((d) => d !== day),
                    })
                  }
                />
                {weekday(day, i18n.language)}
              </label>
            ))}
          </fieldset>
          <div className="row">
            {(['intakeOpens', 'intakeCloses'] as const).map((field) => (
              <div className="field" key={field}>
                <label htmlFor={`${p}-${field}`}>{t(`settings.${field}`, { zone: shelter.timeZone })}</label>
                <input
                  id={`${p}-${field}`}
                  type="time"
                  value={form[field]}
                  aria-invalid={save.invalid(field) || undefined}
                  onChange={(e) => setForm({ ...form, [field]: e.target.value })}
                />
              </div>
            ))}
          </div>
        </>
      )}
      <Num
        id={`${p}-hold`}
        label={t('settings.holdMinutes')}
        hint={t('settings.holdHint')}
        value={form.holdMinutes}
        invalid={save.invalid('holdMinutes')}
        onChange={(v) => setForm({ ...form, holdMinutes: v })}
      />
      <Num
        id={`${p}-response`}
        label={t('settings.responseMinutes')}
        hint={t('settings.responseHint')}
        value={form.responseMinutes}
        invalid={save.invalid('responseMinutes')}
        onChange={(v) => setForm({ ...form, responseMinutes: v })}
      />
      <div className="field">
        <label htmlFor={`${p}-instructions`}>{t('settings.instructions')}</label>
        <span className="hint" id={`${p}-instructions-hint`}>
          {t('settings.instructionsHint')}
        </span>
        <textarea
          id={`${p}-instructions`}
          rows={4}
          value={form.intakeInstructions}
          aria-describedby={`${p}-instructions-hint`}
          aria-invalid={save.invalid('intakeInstructions') || undefined}
          onChange={(e) => setForm({ ...form, intakeInstructions: e.target.value })}
        />
      </div>
    </Part>
  );
}

function EligibilityPart({ shelter }: { shelter: Shelter }) {
  const { t } = useTranslation('staff');
  const { t: te } = useTranslation('enums');
  const [state, setEligibility] = useMutation(SetEligibility);
  const save = useSave();
  const e = shelter.eligibility;
  const [form, setForm] = useState({
    genders: e.genders,
    traffickingTypes: e.traffickingTypes,
    minAge: String(e.minAge),
    maxAge: String(e.maxAge),
    languages: e.languages.join(', '),
    petsAllowed: e.petsAllowed,
    wheelchairAccessible: e.wheelchairAccessible,
    acceptsChildren: e.acceptsChildren,
    lgbtqAffirming: e.lgbtqAffirming,
  });
  const p = `e-${shelter.id}`;
  const submit = async () => {
    const { __typename, ...rest } = e as typeof e & { __typename?: string };
    void __typename;
    const result = await setEligibility({
      shelterId: shelter.id,
      eligibility: {
        ...rest,
        genders: form.genders,
        traffickingTypes: form.traffickingTypes,
        minAge: Number(form.minAge),
        maxAge: Number(form.maxAge),
        languages: form.languages
          .split(',')
          .map((l) => l.trim().toLowerCase())
          .filter(Boolean),
        petsAllowed: form.petsAllowed,
        wheelchairAccessible: form.wheelchairAccessible,
        acceptsChildren: form.acceptsChildren,
        lgbtqAffirming: form.lgbtqAffirming,
      },
    });
    save.done(result);
  };
  const toggle = <T,>(list: T[], value: T, on: boolean): T[] =>
    on ? [...list, value] : list.filter((x) => x !== value);
  return (
    <Part
      title={t('settings.eligibility')}
      onSubmit={() => void submit()}
      error={save.error}
      saved={save.saved}
      busy={state.fetching}
    >
      <fieldset>
        <legend>{t('settings.genders')}</legend>
        {GENDERS.map((g) => (
          <label className="checkbox" key={g}>
            <input
              type="checkbox"
              checked={form.genders.includes(g)}
              onChange={(ev) => setForm({ ...form, genders: toggle(form.genders, g, ev.target.checked) })}
            />
            {te(`Gender.${g}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('settings.trafficking')}</legend>
        {TRAFFICKING.map((x) => (
          <label className="checkbox" key={x}>
            <input
              type="checkbox"
              checked={form.traffickingTypes.includes(x)}
              onChange={(ev) =>
                setForm({ ...form, traffickingTypes: toggle(form.traffickingTypes, x, ev.target.checked) })
              }
            />
            {te(`TraffickingType.${x}`)}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <Num
          id={`${p}-min`}
          label={t('settings.minAge')}
          value={form.minAge}
          invalid={save.invalid('minAge')}
          onChange={(v) => setForm({ ...form, minAge: v })}
        />
        <Num
          id={`${p}-max`}
          label={t('settings.maxAge')}
          value={form.maxAge}
          invalid={save.invalid('maxAge')}
          onChange={(v) => setForm({ ...form, maxAge: v })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${p}-languages`}>{t('settings.languages')}</label>
        <span className="hint" id={`${p}-languages-hint`}>
          {t('settings.languagesHint')}
        </span>
        <input
          id={`${p}-languages`}
          value={form.languages}
          aria-describedby={`${p}-languages-hint`}
          aria-invalid={save.invalid('languages') || undefined}
          onChange={(ev) => setForm({ ...form, languages: ev.target.value })}
        />
      </div>
      {(['petsAllowed', 'wheelchairAccessible', 'acceptsChildren', 'lgbtqAffirming'] as const).map((flag) => (
        <label className="checkbox" key={flag}>
          <input
            type="checkbox"
            checked={form[flag]}
            onChange={(ev) => setForm({ ...form, [flag]: ev.target.checked })}
          />
          {t(`settings.flags.${flag}`)}
        </label>
      ))}
    </Part>
  );
}

function WebhookPart({ shelter }: { shelter: Shelter }) {
  const { t } = useTranslation('staff');
  const [result] = useQuery({ query: Webhook, variables: { shelterId: shelter.id } });
  const [state, setWebhook] = useMutation(SetWebhook);
  const save = useSave();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (url === null && result.data) setUrl(result.data.shelterWebhook.url ?? '');
  }, [result.data, url]);
  const id = `w-${shelter.id}`;
  const submit = async () => {
    save.done(await setWebhook({ shelterId: shelter.id, url: url?.trim() ? url.trim() : null }));
  };
  return (
    <Part
      title={t('settings.webhook')}
      onSubmit={() => void submit()}
      error={save.error}
      saved={save.saved}
      busy={state.fetching}
    >
      <div className="field">
        <label htmlFor={id}>{t('settings.webhookUrl')}</label>
        <span className="hint" id={`${id}-hint`}>
          {t('settings.webhookHint')}
        </span>
        <input
          id={id}
          type="url"
          value={url ?? ''}
          aria-describedby={save.invalid('url') ? `${id}-hint ${id}-error` : `${id}-hint`}
          aria-invalid={save.invalid('url') || undefined}
          onChange={(ev) => setUrl(ev.target.value)}
        />
        {save.invalid('url') && (
          <span className="error" id={`${id}-error`}>
            {t('settings.checkField')}
          </span>
        )}
      </div>
      <WebhookSecretPanel shelterId={shelter.id} title={t('settings.webhook')} />
    </Part>
  );
}

export default function Settings() {
  const { t } = useTranslation('staff');
  const errorText = useErrorText();
  const online = useOnline();
  const [result] = useQuery({ query: ShelterSettings });
  const shelters = result.data?.shelters.edges.map((e) => e.node) ?? [];
  return (
    <Page title={t('settings.title')}>
      {!online && <p className="banner warning">{t('settings.offline')}</p>}
      {result.error && !result.data && (
        <p className="banner error" role="alert">
          {errorText(result.error)}
        </p>
      )}
      {result.fetching && !result.data && <Loading />}
      {shelters.map((shelter) => (
        <section key={shelter.id} aria-label={shelter.name}>
          <h2>{shelter.name}</h2>
          <IntakePart shelter={shelter} />
          <EligibilityPart shelter={shelter} />
          <WebhookPart shelter={shelter} />
        </section>
      ))}
    </Page>
  );
}
