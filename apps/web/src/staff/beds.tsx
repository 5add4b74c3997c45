// My beds (the staff's home): each pool's counts, ± then Save (two taps), "Counts are still right" (one tap), what is
// waiting to send and the changes that need a person. Changes go through the offline queue (deltas, a key each).
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../app/announcer';
import { useErrorText, errorInfo } from '../app/errors';
import { useFormat } from '../app/format';
import { Page } from '../app/page';
import { useSession } from '../app/session';
import { Loading } from '../app/status-pages';
import { graphql } from '../gql';
import { useMyShelters, type MyPool, type MyShelter } from './data';
import { waitingFor, type QueueEntry } from './queue';
import { discard, onFlushed, saveChange, sendAgain, useQueue } from './queue-store';
import { useOnline } from '../app/online';

const ConfirmAvailability = graphql(`
  mutation StaffConfirmAvailability($shelterId: ID!, $idempotencyKey: String) {
    confirmAvailability(shelterId: $shelterId, idempotencyKey: $idempotencyKey) {
      shelterId
      availabilityVerifiedAt
    }
  }
`);

type Field = 'occupied' | 'outOfService';

function Stepper({
  field,
  poolLabel,
  value,
  changed,
  canAdd,
  onStep,
}: {
  field: Field;
  poolLabel: string;
  value: number;
  changed: boolean;
  canAdd: boolean;
  onStep: (delta: number) => void;
}) {
  const { t } = useTranslation('staff');
  const labelId = useId();
  return (
    <div className="stepper" role="group" aria-labelledby={labelId}>
      <span id={labelId} className="stepper-label">
        {t(`beds.fields.${field}`)}
      </span>
      <span className="row" style={{ flexWrap: 'nowrap' }}>
        <button
          type="button"
          aria-label={t(`beds.remove.${field}`, { pool: poolLabel })}
          disabled={value <= 0}
          onClick={() => onStep(-1)}
        >
          <span aria-hidden="true">−</span>
        </button>
        <span className="stepper-value">
          {value}
          {changed && <span className="visually-hidden"> {t('beds.notSaved')}</span>}
        </span>
        <button
          type="button"
          aria-label={t(`beds.add.${field}`, { pool: poolLabel })}
          disabled={!canAdd}
          onClick={() => onStep(1)}
        >
          <span aria-hidden="true">+</span>
        </button>
      </span>
    </div>
  );
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** A change the server refused, or one too old to send by itself: the server's counts and a person's choice. */
function NeedsAPerson({
  entry,
  pool,
  poolLabel,
  onEdit,
}: {
  entry: QueueEntry;
  pool: MyPool;
  poolLabel: string;
  onEdit: () => void;
}) {
  const { t } = useTranslation('staff');
  const errorText = useErrorText();
  const online = useOnline();
  const current = entry.current ?? pool;
  return (
    <div className="banner error" role="alert">
      <p style={{ marginTop: 0 }}>
        <strong>{entry.state === 'too-old' ? t('queue.tooOld') : t('queue.refused')}</strong>{' '}
        {entry.state === 'refused' &&
          errorText({ code: entry.errorCode ?? 'UNKNOWN', field: null, retryAfterSeconds: null, extensions: {} })}
      </p>
      <p>
        {t('queue.yourChange', {
          pool: poolLabel,
          occupied: signed(entry.occupiedDelta),
          outOfService: signed(entry.outOfServiceDelta),
        })}
      </p>
      <p>
        {t('queue.serverCounts', {
          occupied: current.occupied ?? 0,
          held: current.held ?? 0,
          outOfService: current.outOfService ?? 0,
          capacity: current.capacity,
          available: current.available,
        })}
      </p>
      <div className="row">
        <button type="button" className="primary" disabled={!online} onClick={() => void sendAgain(entry.id)}>
          {t('queue.sendAgain')}
        </button>
        <button type="button" onClick={onEdit}>
          {t('queue.edit')}
        </button>
        <button type="button" className="danger" onClick={() => void discard(entry.id)}>
          {t('queue.discard')}
        </button>
      </div>
    </div>
  );
}

function PoolCard({ pool, entries }: { pool: MyPool; entries: QueueEntry[] }) {
  const { t } = useTranslation('staff');
  const { t: te } = useTranslation('enums');
  const announce = useAnnounce();
  const headingId = useId();
  const poolLabel = te(`BedType.${pool.bedType}`);
  const [draft, setDraft] = useState<Record<Field, number>>({ occupied: 0, outOfService: 0 });
  const waiting = waitingFor(entries, pool.id);
  const occupied = (pool.occupied ?? 0) + waiting.occupied + draft.occupied;
  const outOfService = (pool.outOfService ?? 0) + waiting.outOfService + draft.outOfService;
  const free = pool.capacity - occupied - outOfService - (pool.held ?? 0);
  const dirty = draft.occupied !== 0 || draft.outOfService !== 0;
  const refused = entries.filter((e) => e.poolId === pool.id && e.state !== 'pending');

  const save = async () => {
    const change = draft;
    setDraft({ occupied: 0, outOfService: 0 });
    announce(t('beds.saving'));
    await saveChange(pool.id, change.occupied, change.outOfService);
  };

  return (
    <div className="card pool" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>{poolLabel}</h3>
      <p className="available">
        <span className="big">{pool.available}</span> {t('beds.available', { count: pool.available })}
      </p>
      {waiting.count > 0 && (
        <p className="banner info">
          {t('beds.waiting', {
            count: waiting.count,
            occupied: signed(waiting.occupied),
            outOfService: signed(waiting.outOfService),
          })}
        </p>
      )}
      {refused.map((entry) => (
        <NeedsAPerson
          key={entry.id}
          entry={entry}
          pool={pool}
          poolLabel={poolLabel}
          onEdit={() => {
            // the change goes back into the steppers, to adjust and save again
            setDraft((x) => ({
              occupied: x.occupied + entry.occupiedDelta,
              outOfService: x.outOfService + entry.outOfServiceDelta,
            }));
            void discard(entry.id);
          }}
        />
      ))}
      <Stepper
        field="occupied"
        poolLabel={poolLabel}
        value={occupied}
        changed={draft.occupied !== 0}
        canAdd={free > 0}
        onStep={(d) => setDraft((x) => ({ ...x, occupied: x.occupied + d }))}
      />
      <Stepper
        field="outOfService"
        poolLabel={poolLabel}
        value={outOfService}
        changed={draft.outOfService !== 0}
        canAdd={free > 0}
        onStep={(d) => setDraft((x) => ({ ...x, outOfService: x.outOfService + d }))}
      />
      <dl className="counts">
        <div>
          <dt>{t('beds.fields.held')}</dt>
          <dd>{pool.held ?? 0}</dd>
        </div>
        <div>
          <dt>{t('beds.fields.capacity')}</dt>
          <dd>{pool.capacity}</dd>
        </div>
      </dl>
      <div className="row">
        <button type="button" className="primary" disabled={!dirty} onClick={() => void save()}>
          {t('beds.save')}
          <span className="visually-hidden"> ({poolLabel})</span>
        </button>
        {dirty && (
          <button type="button" onClick={() => setDraft({ occupied: 0, outOfService: 0 })}>
            {t('beds.undo')}
            <span className="visually-hidden"> ({poolLabel})</span>
          </button>
        )}
        <Link className="button" to={`pools/${pool.id}/correct`}>
          {t('beds.correct')}
          <span className="visually-hidden"> ({poolLabel})</span>
        </Link>
      </div>
    </div>
  );
}

function ShelterSection({
  shelter,
  entries,
  refetch,
}: {
  shelter: MyShelter;
  entries: QueueEntry[];
  refetch: () => void;
}) {
  const { t } = useTranslation('staff');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const errorText = useErrorText();
  const online = useOnline();
  const headingId = useId();
  const [confirm, confirmNow] = useMutation(ConfirmAvailability);
  const [error, setError] = useState<string | null>(null);

  const confirmCounts = async () => {
    setError(null);
    const result = await confirmNow({ shelterId: shelter.id, idempotencyKey: `confirm-${crypto.randomUUID()}` });
    if (result.data) {
      announce(t('beds.confirmed', { shelter: shelter.name }));
      refetch();
    } else setError(errorText(errorInfo(result.error)));
  };

  return (
    <section aria-labelledby={headingId} className="stack">
      <h2 id={headingId}>{shelter.name}</h2>
      <p className="row">
        {shelter.stale && <span className="badge warning">{tc('time.stale')}</span>}
        <span>{tc('time.verified', { when: format.relative(shelter.availabilityVerifiedAt) })}</span>
        {shelter.status === 'PAUSED' && <span className="badge">{t('beds.paused')}</span>}
      </p>
      <div>
        <button type="button" disabled={!online || confirm.fetching} onClick={() => void confirmCounts()}>
          {t('beds.stillRight')}
          <span className="visually-hidden"> ({shelter.name})</span>
        </button>
        {!online && <p className="muted">{t('beds.confirmNeedsConnection')}</p>}
        {error && (
          <p className="banner error" role="alert">
            {error}
          </p>
        )}
      </div>
      {shelter.pools.length === 0 && <p className="muted">{t('beds.noPools')}</p>}
      {shelter.pools.map((pool) => (
        <PoolCard key={pool.id} pool={pool} entries={entries} />
      ))}
    </section>
  );
}

export function MyBeds() {
  const { t } = useTranslation('staff');
  const { user } = useSession();
  const announce = useAnnounce();
  const queue = useQueue().filter((e) => e.organisationId === user?.organisationId);
  const { result, data, shelters, live, refetch } = useMyShelters();
  const errorText = useErrorText();

  useEffect(
    () =>
      onFlushed((outcome) => {
        if (outcome.sent > 0) announce(t('beds.saved', { count: outcome.sent }));
        else if (outcome.retryInMs !== null) announce(t('beds.willRetry'));
        else if (outcome.refused > 0) announce(t('queue.refusedAnnounce'));
      }),
    [announce, t],
  );

  return (
    <Page title={t('beds.title')}>
      {live}
      {result.error && !data && (
        <p className="banner error" role="alert">
          {errorText(result.error)}
        </p>
      )}
      {result.fetching && !data && <Loading />}
      {data && shelters.length === 0 && <p>{t('beds.noShelters')}</p>}
      {shelters.map((shelter) => (
        <ShelterSection key={shelter.id} shelter={shelter} entries={queue} refetch={refetch} />
      ))}
    </Page>
  );
}
