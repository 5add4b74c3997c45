// Correct counts: absolute numbers for one pool, sent with the version read. When someone (a colleague, the
// workflow's holds) changed the pool meanwhile, the server answers VERSION_CONFLICT with the counts now, and the
// person chooses: keep mine, or use the current ones. Held beds are the workflow's: shown, never editable. Never
// queued offline (a replayed snapshot would overwrite newer counts).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../app/announcer';
import { errorInfo, useErrorText, type ErrorInfo } from '../app/errors';
import { Page } from '../app/page';
import { Loading, NotFound } from '../app/status-pages';
import { graphql } from '../gql';
import { useMyShelters } from './data';
import { useOnline } from '../app/online';
import type { PoolCounts } from './queue';

const SetBedCounts = graphql(`
  mutation StaffSetBedCounts($idempotencyKey: String, $input: SetBedCountsInput!) {
    setBedCounts(idempotencyKey: $idempotencyKey, input: $input) {
      id
      capacity
      occupied
      held
      outOfService
      available
      version
      updatedAt
    }
  }
`);

interface Values {
  occupied: string;
  outOfService: string;
  capacity: string;
}

const FIELDS = ['occupied', 'outOfService', 'capacity'] as const;

export function CorrectCounts() {
  const { poolId } = useParams();
  const { t } = useTranslation('staff');
  const { t: te } = useTranslation('enums');
  const announce = useAnnounce();
  const errorText = useErrorText();
  const online = useOnline();
  const { result, data, shelters, live } = useMyShelters();
  const [, setCounts] = useMutation(SetBedCounts);
  const shelter = shelters.find((s) => s.pools.some((p) => p.id === poolId));
  const pool = shelter?.pools.find((p) => p.id === poolId);
  const [values, setValues] = useState<Values | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [held, setHeld] = useState(0);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [conflict, setConflict] = useState<PoolCounts | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const errorId = useId();

  // the form starts from the counts (and the version) read when it opened
  useEffect(() => {
    if (pool && values === null) {
      setValues({
        occupied: String(pool.occupied ?? 0),
        outOfService: String(pool.outOfService ?? 0),
        capacity: String(pool.capacity),
      });
      setVersion(pool.version ?? 0);
      setHeld(pool.held ?? 0);
    }
  }, [pool, values]);

  if (result.fetching && !data) return <Loading />;
  if (!pool || !shelter) return data ? <NotFound /> : <Loading />;
  const poolLabel = te(`BedType.${pool.bedType}`);
  const title = t('correct.title', { pool: poolLabel });

  const send = async (expectedVersion: number) => {
    if (!values) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    const answer = await setCounts({
      idempotencyKey: `counts-${crypto.randomUUID()}`,
      input: {
        poolId: pool.id,
        expectedVersion,
        occupied: Number(values.occupied),
        outOfService: Number(values.outOfService),
        capacity: Number(values.capacity),
      },
    });
    setBusy(false);
    const after = answer.data?.setBedCounts;
    if (after) {
      setConflict(null);
      setVersion(after.version ?? expectedVersion + 1);
      setHeld(after.held ?? 0);
      setSaved(true);
      announce(t('correct.saved', { pool: poolLabel }));
      return;
    }
    const info = errorInfo(answer.error);
    const current = info?.extensions.current as PoolCounts | undefined;
    if (info?.code === 'VERSION_CONFLICT' && current) {
      setConflict(current);
      setHeld(current.held);
    } else setError(info);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (version !== null) void send(version);
  };

  const keepMine = () => {
    if (conflict) void send(conflict.version);
  };
  const useCurrent = () => {
    if (!conflict) return;
    setValues({
      occupied: String(conflict.occupied),
      outOfService: String(conflict.outOfService),
      capacity: String(conflict.capacity),
    });
    setVersion(conflict.version);
    setConflict(null);
    announce(t('correct.usingCurrent'));
  };

  const invalid = (field: string) => error?.code === 'BAD_USER_INPUT' && error.field === field;

  return (
    <Page title={title}>
      {live}
      <p>
        <Link to="/staff">{t('correct.back')}</Link>
      </p>
      <p>{t('correct.intro', { shelter: shelter.name })}</p>
      {!online && <p className="banner warning">{t('correct.offline')}</p>}
      {saved && <p className="banner success">{t('correct.saved', { pool: poolLabel })}</p>}
      {error && (
        <p className="banner error" role="alert" id={errorId}>
          {errorText(error)}
        </p>
      )}
      {conflict && (
        <div className="banner warning" role="alert">
          <h2 style={{ marginTop: 0 }}>{t('correct.conflictTitle')}</h2>
          <p>
            {t('correct.conflictBody', {
              occupied: conflict.occupied,
              held: conflict.held,
              outOfService: conflict.outOfService,
              capacity: conflict.capacity,
              available: conflict.available,
            })}
          </p>
          <div className="row">
            <button type="button" className="primary" disabled={busy || !online} onClick={keepMine}>
              {t('correct.keepMine')}
            </button>
            <button type="button" onClick={useCurrent}>
              {t('correct.useCurrent')}
            </button>
          </div>
        </div>
      )}
      {values && (
        <form onSubmit={submit} noValidate style={{ maxWidth: '24rem' }}>
          {FIELDS.map((field) => (
            <div className="field" key={field}>
              <label htmlFor={`correct-${field}`}>{t(`beds.fields.${field}`)}</label>
              <input
                id={`correct-${field}`}
                type="number"
                inputMode="numeric"
                min={0}
                step={1}
                required
                value={values[field]}
                aria-invalid={invalid(field) || undefined}
                aria-describedby={invalid(field) ? errorId : undefined}
                onChange={(e) => setValues({ ...values, [field]: e.target.value })}
              />
            </div>
          ))}
          <p>
            <strong>{t('beds.fields.held')}:</strong> {held} <span className="muted">{t('correct.heldNote')}</span>
          </p>
          <button type="submit" className="primary" disabled={busy || !online}>
            {busy ? t('beds.savingShort') : t('correct.save')}
          </button>
        </form>
      )}
    </Page>
  );
}
