// Arrivals and residents: accepted offers awaiting arrival ("arrive by" in the shelter's time zone) and residents.
// Confirm intake, no-show, exit with a destination; each moves the bed counts. The identity only on an explicit
// "Show" (its own request, every read audited by the API), held in this component alone and never cached or kept.
import { useId, useRef, useState } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../app/announcer';
import { authedFetch } from '../app/client';
import { errorInfo, useErrorText, type ErrorInfo } from '../app/errors';
import { useFormat } from '../app/format';
import { useLive } from '../app/live';
import { Page } from '../app/page';
import { GRAPHQL_PATH } from '../app/session';
import { Loading } from '../app/status-pages';
import { graphql } from '../gql';
import type { ExitDestination, StaffArrivalsQuery } from '../gql/graphql';
import { useMyShelters, type MyShelter } from './data';
import { useOnline } from '../app/online';

const Arrivals = graphql(`
  query StaffArrivals {
    offers(stages: [AWAITING_ARRIVAL, RESIDENT], first: 50) {
      edges {
        node {
          id
          referenceCode
          shelterId
          stage
          status
          holdExpiresAt
          respondedAt
          intakeConfirmedAt
        }
      }
    }
  }
`);

const ConfirmIntake = graphql(`
  mutation StaffConfirmIntake($offerId: ID!, $idempotencyKey: String) {
    confirmIntake(offerId: $offerId, idempotencyKey: $idempotencyKey) {
      id
      stage
      status
    }
  }
`);
const RecordNoShow = graphql(`
  mutation StaffRecordNoShow($offerId: ID!, $idempotencyKey: String) {
    recordNoShow(offerId: $offerId, idempotencyKey: $idempotencyKey) {
      id
      stage
      status
    }
  }
`);
const RecordExit = graphql(`
  mutation StaffRecordExit($offerId: ID!, $destination: ExitDestination!, $idempotencyKey: String) {
    recordExit(offerId: $offerId, destination: $destination, idempotencyKey: $idempotencyKey) {
      id
      stage
      status
    }
  }
`);

// read outside urql's cache, so the identity is never kept beyond the component that shows it
const IDENTITY = `query StaffOfferIdentity($id: ID!) { offer(id: $id) { id identity { name dateOfBirth phone notes } } }`;

interface Identity {
  name: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  notes: string | null;
}

const EXIT_DESTINATIONS: ExitDestination[] = [
  'PERMANENT_HOUSING',
  'TRANSITIONAL_PROGRAMME',
  'OTHER_SHELTER',
  'FAMILY_OR_FRIENDS',
  'HOSPITAL_OR_TREATMENT',
  'RETURNED_TO_SITUATION',
  'UNKNOWN',
];

type Item = StaffArrivalsQuery['offers']['edges'][number]['node'];

const OFFER_UPDATED = `subscription StaffArrivalsUpdated($shelterId: ID!) {
  offerUpdated(shelterId: $shelterId) { offerId shelterId stage status }
}`;

function ShelterLive({ shelterId, onChange }: { shelterId: string; onChange: () => void }) {
  useLive(OFFER_UPDATED, { shelterId }, onChange);
  return null;
}

function IdentityPanel({ offerId, reference }: { offerId: string; reference: string }) {
  const { t } = useTranslation('staff');
  const errorText = useErrorText();
  const [identity, setIdentity] = useState<Identity | null | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const show = async () => {
    setBusy(true);
    setError(null);
    try {
      const response = await authedFetch(GRAPHQL_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: IDENTITY, variables: { id: offerId } }),
        cache: 'no-store',
      });
      const body = (await response.json()) as {
        data?: { offer: { identity: Identity | null } };
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
      if (body.data) setIdentity(body.data.offer.identity);
      else setError(errorInfo(body.errors?.[0] ?? { message: '', extensions: { code: 'UNKNOWN' } }));
    } catch {
      setError({ code: 'NETWORK', field: null, retryAfterSeconds: null, extensions: {} });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      {identity === undefined ? (
        <button type="button" disabled={busy} onClick={() => void show()}>
          {t('arrivals.showIdentity')}
          <span className="visually-hidden"> ({reference})</span>
        </button>
      ) : (
        <div className="banner info">
          {identity === null ? (
            <p style={{ margin: 0 }}>{t('arrivals.noIdentity')}</p>
          ) : (
            <dl className="needs">
              {(['name', 'dateOfBirth', 'phone', 'notes'] as const).map((k) =>
                identity[k] ? (
                  <div key={k} style={{ display: 'contents' }}>
                    <dt>{t(`arrivals.identity.${k}`)}</dt>
                    <dd>{identity[k]}</dd>
                  </div>
                ) : null,
              )}
            </dl>
          )}
          <button type="button" onClick={() => setIdentity(undefined)}>
            {t('arrivals.hideIdentity')}
            <span className="visually-hidden"> ({reference})</span>
          </button>
        </div>
      )}
      {error && (
        <p className="banner error" role="alert">
          {errorText(error)}
        </p>
      )}
    </div>
  );
}

function NoShowDialog({ item, onClose }: { item: Item; onClose: (done: boolean) => void }) {
  const { t } = useTranslation('staff');
  const { t: tc } = useTranslation();
  const errorText = useErrorText();
  const online = useOnline();
  const [state, noShow] = useMutation(RecordNoShow);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [key] = useState(() => `noshow-${crypto.randomUUID()}`);
  const confirm = async () => {
    const answer = await noShow({ offerId: item.id, idempotencyKey: key });
    if (answer.data) onClose(true);
    else setError(errorInfo(answer.error));
  };
  return (
    <ModalOverlay isOpen onOpenChange={(open) => !open && onClose(false)} isDismissable className="modal-overlay">
      <Modal>
        <Dialog role="alertdialog" className="dialog">
          <Heading slot="title">{t('arrivals.noShowTitle', { reference: item.referenceCode })}</Heading>
          <p>{t('arrivals.noShowBody')}</p>
          {error && (
            <p className="banner error" role="alert">
              {errorText(error)}
            </p>
          )}
          <div className="row">
            <button type="button" autoFocus onClick={() => onClose(false)}>
              {tc('actions.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={!online || state.fetching}
              onClick={() => void confirm()}
            >
              {t('arrivals.noShowConfirm')}
            </button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function ExitDialog({ item, onClose }: { item: Item; onClose: (done: boolean) => void }) {
  const { t } = useTranslation('staff');
  const { t: tc } = useTranslation();
  const { t: te } = useTranslation('enums');
  const errorText = useErrorText();
  const online = useOnline();
  const [state, exit] = useMutation(RecordExit);
  const [destination, setDestination] = useState<ExitDestination | ''>('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [key] = useState(() => `exit-${crypto.randomUUID()}`);
  const errorId = useId();
  const select = useRef<HTMLSelectElement>(null);
  const confirm = async () => {
    if (!destination) {
      setMissing(true);
      select.current?.focus();
      return;
    }
    const answer = await exit({ offerId: item.id, destination, idempotencyKey: key });
    if (answer.data) onClose(true);
    else setError(errorInfo(answer.error));
  };
  return (
    <ModalOverlay isOpen onOpenChange={(open) => !open && onClose(false)} isDismissable className="modal-overlay">
      <Modal>
        <Dialog className="dialog">
          <Heading slot="title">{t('arrivals.exitTitle', { reference: item.referenceCode })}</Heading>
          {error && (
            <p className="banner error" role="alert">
              {errorText(error)}
            </p>
          )}
          <div className="field">
            <label htmlFor="exit-destination">{t('arrivals.destination')}</label>
            <select
              id="exit-destination"
              ref={select}
              value={destination}
              aria-invalid={missing || undefined}
              aria-describedby={missing ? errorId : undefined}
              onChange={(e) => {
                setDestination(e.target.value as ExitDestination | '');
                setMissing(false);
              }}
            >
              <option value="">{t('arrivals.chooseDestination')}</option>
              {EXIT_DESTINATIONS.map((d) => (
                <option key={d} value={d}>
                  {te(`ExitDestination.${d}`)}
                </option>
              ))}
            </select>
            {missing && (
              <span className="error" id={errorId} role="alert">
                {t('arrivals.destinationRequired')}
              </span>
            )}
          </div>
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={!online || state.fetching}
              onClick={() => void confirm()}
            >
              {t('arrivals.exitConfirm')}
            </button>
            <button type="button" onClick={() => onClose(false)}>
              {tc('actions.cancel')}
            </button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function ItemCard({ item, shelter, refetch }: { item: Item; shelter: MyShelter | undefined; refetch: () => void }) {
  const { t } = useTranslation('staff');
  const format = useFormat();
  const announce = useAnnounce();
  const errorText = useErrorText();
  const online = useOnline();
  const headingId = useId();
  const [intakeState, intake] = useMutation(ConfirmIntake);
  const [intakeKey] = useState(() => `intake-${crypto.randomUUID()}`);
  const [dialog, setDialog] = useState<'noShow' | 'exit' | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const timeZone = shelter?.timeZone;

  const confirmIntake = async () => {
    setError(null);
    const answer = await intake({ offerId: item.id, idempotencyKey: intakeKey });
    if (answer.data) {
      announce(t('arrivals.intakeDone', { reference: item.referenceCode }));
      refetch();
    } else setError(errorInfo(answer.error));
  };
  const closed = (message: string) => (done: boolean) => {
    setDialog(null);
    if (done) {
      announce(message);
      refetch();
    }
  };

  return (
    <article className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('arrivals.reference', { reference: item.referenceCode })}</h3>
      {shelter && <p className="muted">{t('offers.forShelter', { shelter: shelter.name })}</p>}
      {item.stage === 'AWAITING_ARRIVAL' && item.holdExpiresAt && (
        <p>
          <strong>{t('arrivals.arriveBy')}</strong> {format.dateTime(item.holdExpiresAt, timeZone)}
          {timeZone && <span className="muted"> ({timeZone})</span>}
        </p>
      )}
      {item.stage === 'RESIDENT' && item.intakeConfirmedAt && (
        <p>
          <strong>{t('arrivals.since')}</strong> {format.dateTime(item.intakeConfirmedAt, timeZone)}
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {errorText(error)}
        </p>
      )}
      <div className="row">
        {item.stage === 'AWAITING_ARRIVAL' ? (
          <>
            <button
              type="button"
              className="primary"
              disabled={!online || intakeState.fetching}
              onClick={() => void confirmIntake()}
            >
              {t('arrivals.confirmIntake')}
              <span className="visually-hidden"> ({item.referenceCode})</span>
            </button>
            <button type="button" className="danger" disabled={!online} onClick={() => setDialog('noShow')}>
              {t('arrivals.noShow')}
              <span className="visually-hidden"> ({item.referenceCode})</span>
            </button>
          </>
        ) : (
          <button type="button" disabled={!online} onClick={() => setDialog('exit')}>
            {t('arrivals.exit')}
            <span className="visually-hidden"> ({item.referenceCode})</span>
          </button>
        )}
      </div>
      <IdentityPanel offerId={item.id} reference={item.referenceCode} />
      {dialog === 'noShow' && (
        <NoShowDialog item={item} onClose={closed(t('arrivals.noShowDone', { reference: item.referenceCode }))} />
      )}
      {dialog === 'exit' && (
        <ExitDialog item={item} onClose={closed(t('arrivals.exitDone', { reference: item.referenceCode }))} />
      )}
    </article>
  );
}

export default function ArrivalsScreen() {
  const { t } = useTranslation('staff');
  const errorText = useErrorText();
  const online = useOnline();
  const { shelters } = useMyShelters();
  const [result, reexecute] = useQuery({ query: Arrivals });
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const last = useRef(result.data);
  if (result.data) last.current = result.data;
  const data = result.data ?? last.current;
  const items = data?.offers.edges.map((e) => e.node) ?? [];
  const arriving = items.filter((i) => i.stage === 'AWAITING_ARRIVAL');
  const residents = items.filter((i) => i.stage === 'RESIDENT');
  const shelterOf = (item: Item) => shelters.find((s) => s.id === item.shelterId);

  return (
    <Page title={t('arrivals.title')}>
      {shelters.map((s) => (
        <ShelterLive key={s.id} shelterId={s.id} onChange={refetch} />
      ))}
      {!online && <p className="banner warning">{t('arrivals.offline')}</p>}
      {result.error && !data && (
        <p className="banner error" role="alert">
          {errorText(result.error)}
        </p>
      )}
      {result.fetching && !data && <Loading />}
      <section aria-labelledby="arriving-heading">
        <h2 id="arriving-heading">{t('arrivals.arriving')}</h2>
        {data && arriving.length === 0 && <p>{t('arrivals.noneArriving')}</p>}
        {arriving.map((item) => (
          <ItemCard key={item.id} item={item} shelter={shelterOf(item)} refetch={refetch} />
        ))}
      </section>
      <section aria-labelledby="residents-heading">
        <h2 id="residents-heading">{t('arrivals.residents')}</h2>
        {data && residents.length === 0 && <p>{t('arrivals.noResidents')}</p>}
        {residents.map((item) => (
          <ItemCard key={item.id} item={item} shelter={shelterOf(item)} refetch={refetch} />
        ))}
      </section>
    </Page>
  );
}
