// Needs and preview (the advocate's home): the needs form, a live preview of the order ShelterLink will try, and
// submission (identity optional and collapsed). Everything typed stays in React state: never storage, never the URL.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation } from 'urql';
import { useAnnounce } from '../app/announcer';
import { errorInfo, useErrorText } from '../app/errors';
import { Page } from '../app/page';
import type { NeedsInput } from '../gql/graphql';
import { NeedsFields, type RegionOption } from './needs-form';
import {
  EMPTY_NEEDS,
  formFieldOf,
  newIdempotencyKey,
  placesFrom,
  toNeedsInput,
  validateNeeds,
  type DirectoryEntry,
  type FieldError,
  type NeedsForm,
} from './needs';
import { AdvocatePlacesQuery, SubmitReferralMutation } from './operations';
import { Preview } from './preview';

interface IdentityForm {
  name: string;
  dateOfBirth: string;
  phone: string;
  notes: string;
}
const EMPTY_IDENTITY: IdentityForm = { name: '', dateOfBirth: '', phone: '', notes: '' };

/** The region tree and the directory's towns, read once (every page of the directory). */
function usePlaces() {
  const client = useClient();
  const [regions, setRegions] = useState<RegionOption[]>([]);
  const [directory, setDirectory] = useState<DirectoryEntry[]>([]);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      let after: string | null = null;
      const entries: DirectoryEntry[] = [];
      for (let page = 0; page < 20; page++) {
        const result = await client
          .query(AdvocatePlacesQuery, { after }, { requestPolicy: 'network-only' })
          .toPromise();
        if (cancelled) return;
        if (!result.data) {
          setFailed(true);
          return;
        }
        if (page === 0) setRegions(result.data.regions);
        entries.push(...result.data.shelters.edges.map((e) => e.node));
        if (!result.data.shelters.pageInfo.hasNextPage) break;
        after = result.data.shelters.pageInfo.endCursor ?? null;
      }
      setDirectory(entries);
    })();
    return () => {
      cancelled = true;
    };
  }, [client]);
  const places = useMemo(() => placesFrom(regions, directory), [regions, directory]);
  return { regions, places, failed };
}

function randomKey(): string {
  return crypto.randomUUID();
}

export function NewReferral() {
  const { t } = useTranslation('advocate');
  const errorText = useErrorText();
  const announce = useAnnounce();
  const navigate = useNavigate();
  const { regions, places, failed } = usePlaces();
  const [form, setForm] = useState<NeedsForm>(EMPTY_NEEDS);
  const [identity, setIdentity] = useState<IdentityForm>(EMPTY_IDENTITY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [previewNeeds, setPreviewNeeds] = useState<NeedsInput | null>(null);
  const [previewRun, setPreviewRun] = useState(0);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // one key per submission of these exact values: a retry (after an error) sends the same key
  const idempotencyKey = useRef<string | null>(null);
  const [, submitReferral] = useMutation(SubmitReferralMutation);
  const summary = useRef<HTMLParagraphElement>(null);

  const change = (next: NeedsForm) => {
    setForm(next);
    idempotencyKey.current = null;
    // a field that was marked wrong is checked again as it changes
    if (errors.length > 0) setErrors(validateNeeds(next).filter((e) => errors.some((old) => old.field === e.field)));
  };
  const changeIdentity = (next: IdentityForm) => {
    setIdentity(next);
    idempotencyKey.current = null;
  };

  const ready = useMemo(() => toNeedsInput(form, places), [form, places]);
  // the preview follows the form, debounced
  useEffect(() => {
    // an answer taken back: the preview no longer describes the form, so it goes
    if (!ready) return setPreviewNeeds(null);
    const timer = setTimeout(() => setPreviewNeeds(ready.needs), 400);
    return () => clearTimeout(timer);
  }, [ready]);

  const focusField = (field: keyof NeedsForm) => {
    const target = document.getElementById(`needs-${field}`);
    if (!target) return;
    const details = target.closest('details');
    if (details && !details.open) details.open = true;
    const focusable = target.matches('input, select, textarea')
      ? target
      : target.querySelector<HTMLElement>('input, select, textarea');
    focusable?.focus();
  };

  const showErrors = (found: FieldError[]) => {
    setErrors(found);
    announce(t('needs.errors.summary', { count: found.length }));
    if (found[0]) focusField(found[0].field);
  };

  const preview = () => {
    const found = validateNeeds(form);
    if (found.length > 0 || !ready) return showErrors(found);
    setErrors([]);
    setPreviewNeeds(ready.needs);
    setPreviewRun((n) => n + 1);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitError(null);
    const found = validateNeeds(form);
    if (found.length > 0 || !ready) return showErrors(found);
    setErrors([]);
    idempotencyKey.current ??= newIdempotencyKey(randomKey);
    const given: Partial<IdentityForm> = {};
    for (const [k, v] of Object.entries(identity) as [keyof IdentityForm, string][]) if (v.trim()) given[k] = v.trim();
    setSubmitting(true);
    const result = await submitReferral({
      input: {
        needs: ready.needs,
        regionId: ready.regionId,
        identity: Object.keys(given).length > 0 ? given : null,
      },
      idempotencyKey: idempotencyKey.current,
    });
    setSubmitting(false);
    const referral = result.data?.submitReferral;
    if (referral) {
      announce(t('submit.done', { code: referral.referenceCode }));
      void navigate(`referrals/${referral.id}`, { state: { askConsent: true } });
      return;
    }
    const info = errorInfo(result.error);
    const field = info?.code === 'BAD_USER_INPUT' ? formFieldOf(info.field) : null;
    if (field) showErrors([{ field, error: 'server' }]);
    setSubmitError(errorText(result.error));
    summary.current?.focus();
  };

  return (
    <Page title={t('needs.title')}>
      <p className="muted">{t('needs.intro')}</p>
      {failed && (
        <p className="banner error" role="alert">
          {t('needs.placesFailed')}
        </p>
      )}
      <div className="advocate-layout">
        <form noValidate onSubmit={(e) => void submit(e)} aria-labelledby="needs-form-title">
          <h2 id="needs-form-title">{t('needs.formTitle')}</h2>
          {errors.length > 0 && (
            <p className="banner error" role="alert">
              {t('needs.errors.summary', { count: errors.length })}
            </p>
          )}
          <NeedsFields form={form} onChange={change} errors={errors} regions={regions} places={places} />
          <details className="card advocate-details">
            <summary>{t('identity.legend')}</summary>
            <p className="muted">{t('identity.hint')}</p>
            <div className="field">
              <label htmlFor="identity-name">{t('identity.name')}</label>
              <input
                id="identity-name"
                autoComplete="off"
                value={identity.name}
                onChange={(e) => changeIdentity({ ...identity, name: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="identity-dob">{t('identity.dateOfBirth')}</label>
              <input
                id="identity-dob"
                type="date"
                autoComplete="off"
                value={identity.dateOfBirth}
                onChange={(e) => changeIdentity({ ...identity, dateOfBirth: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="identity-phone">{t('identity.phone')}</label>
              <input
                id="identity-phone"
                type="tel"
                autoComplete="off"
                value={identity.phone}
                onChange={(e) => changeIdentity({ ...identity, phone: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="identity-notes">{t('identity.notes')}</label>
              <textarea
                id="identity-notes"
                autoComplete="off"
                value={identity.notes}
                onChange={(e) => changeIdentity({ ...identity, notes: e.target.value })}
              />
            </div>
          </details>
          {submitError && (
            <p className="banner error" role="alert" tabIndex={-1} ref={summary}>
              {submitError}
            </p>
          )}
          <div className="row">
            <button type="button" onClick={preview}>
              {t('preview.button')}
            </button>
            <button type="submit" className="primary" disabled={submitting}>
              {submitting ? t('submit.working') : t('submit.button')}
            </button>
          </div>
        </form>
        <Preview needs={previewNeeds} run={previewRun} />
      </div>
    </Page>
  );
}
