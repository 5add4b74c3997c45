// Offers: each open offer to the organisation's shelters, live (offerReceived, offerUpdated), with a countdown to
// the answer deadline (screen readers hear thresholds only) and the de-identified needs. Accept (instructions
// pre-filled with the shelter's default) or Decline (a reason required). Answers are never queued: offline, the
// screen says so and the buttons are disabled.
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../app/announcer';
import { useCountdown } from '../app/countdown';
import { errorInfo, useErrorText, type ErrorInfo } from '../app/errors';
import { useFormat } from '../app/format';
import { useLive } from '../app/live';
import { Page } from '../app/page';
import { Loading } from '../app/status-pages';
import { graphql } from '../gql';
import type { DeclineReason, StaffOpenOffersQuery } from '../gql/graphql';
import { useMyShelters, type MyShelter } from './data';
import { NeedsList } from './needs';
import { useOnline } from '../app/online';

const OpenOffers = graphql(`
  query StaffOpenOffers {
    offers(stages: [OPEN], first: 50) {
      edges {
        node {
          id
          referenceCode
          shelterId
          stage
          status
          offeredAt
          respondBy
          needs {
            age
            gender
            urgency
            traffickingTypes
            languages
            childrenAges
            servicesNeeded
            wheelchairUser
            hasPets
            substanceUse
            immigrationStatus
            lgbtqAffirmingRequired
            hasTraffickingRelatedRecord
            hasIdDocuments
            cannotKeepCurfew
            requiresVoluntaryProgramming
            willingToInvolveLawEnforcement
            minimumStayDays
          }
        }
      }
    }
  }
`);

const RespondToOffer = graphql(`
  mutation StaffRespondToOffer($offerId: ID!, $input: RespondToOfferInput!, $idempotencyKey: String) {
    respondToOffer(offerId: $offerId, input: $input, idempotencyKey: $idempotencyKey) {
      id
      stage
      status
      intakeInstructions
      holdExpiresAt
      declineReason
    }
  }
`);

type OpenOffer = StaffOpenOffersQuery['offers']['edges'][number]['node'];

const DECLINE_REASONS: DeclineReason[] = [
  'NO_BED_AVAILABLE',
  'NOT_ELIGIBLE',
  'CANNOT_MEET_NEEDS',
  'SAFETY_CONCERN',
  'STAFFING',
  'OTHER',
];

const OFFER_RECEIVED = `subscription StaffOfferReceived($shelterId: ID!) {
  offerReceived(shelterId: $shelterId) { offerId shelterId respondBy }
}`;
const OFFER_UPDATED = `subscription StaffOfferUpdated($shelterId: ID!) {
  offerUpdated(shelterId: $shelterId) { offerId shelterId stage status }
}`;

/** Each shelter's offers, live: a new one is announced, any change refetches. */
function ShelterOffersLive({ shelterId, onChange }: { shelterId: string; onChange: (isNew: boolean) => void }) {
  useLive(OFFER_RECEIVED, { shelterId }, (data) => onChange(data !== null));
  useLive(OFFER_UPDATED, { shelterId }, () => onChange(false));
  return null;
}

const THRESHOLDS = [5, 1];

/** The time left to answer: the text moves for the eye; screen readers hear 5 and 1 minutes left only. */
function Countdown({ deadline, reference }: { deadline: string; reference: string }) {
  const { t } = useTranslation('staff');
  const format = useFormat();
  const announce = useAnnounce();
  const onThreshold = useCallback(
    (minutes: number) => announce(t('offers.thresholdAnnounce', { count: minutes, reference })),
    [announce, reference, t],
  );
  const { ms, minutes, clock } = useCountdown(deadline, THRESHOLDS, onThreshold);
  return (
    <p role="timer" className={minutes <= 5 ? 'banner warning' : 'banner info'}>
      {ms === 0 ? t('offers.deadlinePassed') : t('offers.answerBy', { time: format.time(deadline), clock })}
    </p>
  );
}

function AcceptDialog({
  offer,
  shelter,
  onClose,
}: {
  offer: OpenOffer;
  shelter: MyShelter | undefined;
  onClose: (done: boolean) => void;
}) {
  const { t } = useTranslation('staff');
  const { t: tc } = useTranslation();
  const errorText = useErrorText();
  const online = useOnline();
  const [instructions, setInstructions] = useState(shelter?.intakeInstructions ?? '');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [state, respond] = useMutation(RespondToOffer);
  const [key] = useState(() => `accept-${crypto.randomUUID()}`);
  const errorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const answer = await respond({
      offerId: offer.id,
      idempotencyKey: key,
      input: { accept: true, ...(instructions.trim() ? { intakeInstructions: instructions.trim() } : {}) },
    });
    if (answer.data) onClose(true);
    else setError(errorInfo(answer.error));
  };
  const invalid = error?.code === 'BAD_USER_INPUT';

  return (
    <ModalOverlay isOpen onOpenChange={(open) => !open && onClose(false)} isDismissable className="modal-overlay">
      <Modal>
        <Dialog className="dialog">
          <form onSubmit={(e) => void submit(e)}>
            <Heading slot="title">{t('offers.acceptTitle', { reference: offer.referenceCode })}</Heading>
            {error && (
              <p className="banner error" role="alert" id={errorId}>
                {errorText(error)}
              </p>
            )}
            <div className="field">
              <label htmlFor="accept-instructions">{t('offers.instructions')}</label>
              <span className="hint" id="accept-instructions-hint">
                {t('offers.instructionsHint')}
              </span>
              <textarea
                id="accept-instructions"
                value={instructions}
                rows={4}
                aria-invalid={invalid || undefined}
                aria-describedby={invalid ? `accept-instructions-hint ${errorId}` : 'accept-instructions-hint'}
                onChange={(e) => setInstructions(e.target.value)}
              />
            </div>
            <div className="row">
              <button type="submit" className="primary" disabled={!online || state.fetching}>
                {t('offers.acceptConfirm')}
              </button>
              <button type="button" onClick={() => onClose(false)}>
                {tc('actions.cancel')}
              </button>
            </div>
          </form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function DeclineDialog({ offer, onClose }: { offer: OpenOffer; onClose: (done: boolean) => void }) {
  const { t } = useTranslation('staff');
  const { t: tc } = useTranslation();
  const { t: te } = useTranslation('enums');
  const errorText = useErrorText();
  const online = useOnline();
  const [reason, setReason] = useState<DeclineReason | ''>('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [state, respond] = useMutation(RespondToOffer);
  const [key] = useState(() => `decline-${crypto.randomUUID()}`);
  const reasonError = useId();
  const select = useRef<HTMLSelectElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!reason) {
      setMissing(true);
      select.current?.focus();
      return;
    }
    const answer = await respond({
      offerId: offer.id,
      idempotencyKey: key,
      input: { accept: false, declineReason: reason, ...(note.trim() ? { note: note.trim() } : {}) },
    });
    if (answer.data) onClose(true);
    else setError(errorInfo(answer.error));
  };
  const invalid = missing || (error?.code === 'BAD_USER_INPUT' && error.field === 'declineReason');

  return (
    <ModalOverlay isOpen onOpenChange={(open) => !open && onClose(false)} isDismissable className="modal-overlay">
      <Modal>
        <Dialog className="dialog">
          <form onSubmit={(e) => void submit(e)} noValidate>
            <Heading slot="title">{t('offers.declineTitle', { reference: offer.referenceCode })}</Heading>
            {error && (
              <p className="banner error" role="alert">
                {errorText(error)}
              </p>
            )}
            <div className="field">
              <label htmlFor="decline-reason">{t('offers.reason')}</label>
              <select
                id="decline-reason"
                ref={select}
                value={reason}
                required
                aria-invalid={invalid || undefined}
                aria-describedby={invalid ? reasonError : undefined}
                onChange={(e) => {
                  setReason(e.target.value as DeclineReason | '');
                  setMissing(false);
                }}
              >
                <option value="">{t('offers.chooseReason')}</option>
                {DECLINE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {te(`DeclineReason.${r}`)}
                  </option>
                ))}
              </select>
              {invalid && (
                <span className="error" id={reasonError} role="alert">
                  {t('offers.reasonRequired')}
                </span>
              )}
            </div>
            <div className="field">
              <label htmlFor="decline-note">
                {t('offers.note')} <span className="muted">({tc('form.optional')})</span>
              </label>
              <span className="hint" id="decline-note-hint">
                {t('offers.noteHint')}
              </span>
              <textarea
                id="decline-note"
                value={note}
                rows={3}
                aria-describedby="decline-note-hint"
                onChange={(e) => setNote(e.target.value)}
              />
            </div>
            <div className="row">
              <button type="submit" className="danger" disabled={!online || state.fetching}>
                {t('offers.declineConfirm')}
              </button>
              <button type="button" onClick={() => onClose(false)}>
                {tc('actions.cancel')}
              </button>
            </div>
          </form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function OfferCard({ offer, shelter }: { offer: OpenOffer; shelter: MyShelter | undefined }) {
  const { t } = useTranslation('staff');
  const { t: te } = useTranslation('enums');
  const announce = useAnnounce();
  const online = useOnline();
  const headingId = useId();
  const [dialog, setDialog] = useState<'accept' | 'decline' | null>(null);

  const closed = (kind: 'accept' | 'decline') => (done: boolean) => {
    setDialog(null);
    if (done)
      announce(
        kind === 'accept'
          ? t('offers.accepted', { reference: offer.referenceCode })
          : t('offers.declined', { reference: offer.referenceCode }),
      );
  };

  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t('offers.offerTitle', { reference: offer.referenceCode })}
        {offer.needs && <span className="visually-hidden"> · {te(`Urgency.${offer.needs.urgency}`)}</span>}
      </h2>
      {shelter && <p className="muted">{t('offers.forShelter', { shelter: shelter.name })}</p>}
      <Countdown deadline={offer.respondBy} reference={offer.referenceCode} />
      {offer.needs ? <NeedsList needs={offer.needs} /> : <p>{t('offers.needsHidden')}</p>}
      <div className="row">
        <button type="button" className="primary" disabled={!online} onClick={() => setDialog('accept')}>
          {t('offers.accept')}
          <span className="visually-hidden"> ({offer.referenceCode})</span>
        </button>
        <button type="button" className="danger" disabled={!online} onClick={() => setDialog('decline')}>
          {t('offers.decline')}
          <span className="visually-hidden"> ({offer.referenceCode})</span>
        </button>
      </div>
      {dialog === 'accept' && <AcceptDialog offer={offer} shelter={shelter} onClose={closed('accept')} />}
      {dialog === 'decline' && <DeclineDialog offer={offer} onClose={closed('decline')} />}
    </article>
  );
}

export default function Offers() {
  const { t } = useTranslation('staff');
  const announce = useAnnounce();
  const errorText = useErrorText();
  const online = useOnline();
  const { shelters } = useMyShelters();
  const [result, reexecute] = useQuery({ query: OpenOffers });
  const last = useRef(result.data);
  if (result.data) last.current = result.data;
  const data = result.data ?? last.current;
  const offers = data?.offers.edges.map((e) => e.node) ?? [];

  const onChange = (isNew: boolean) => {
    reexecute({ requestPolicy: 'network-only' });
    if (isNew) announce(t('offers.newOffer'));
  };

  return (
    <Page title={t('offers.title')}>
      {shelters.map((s) => (
        <ShelterOffersLive key={s.id} shelterId={s.id} onChange={onChange} />
      ))}
      {!online && <p className="banner warning">{t('offers.offline')}</p>}
      {result.error && !data && (
        <p className="banner error" role="alert">
          {errorText(result.error)}
        </p>
      )}
      {result.fetching && !data && <Loading />}
      {data && offers.length === 0 && <p>{t('offers.none')}</p>}
      {offers.map((offer) => (
        <OfferCard key={offer.id} offer={offer} shelter={shelters.find((s) => s.id === offer.shelterId)} />
      ))}
    </Page>
  );
}
