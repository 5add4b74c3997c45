// One referral's timeline: where it stands, who acts next and by when, the offers in order (intake instructions
// first once a shelter accepted), the consents (with Revoke), Withdraw; live through referralUpdated.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { useAnnounce } from '../app/announcer';
import { errorInfo, useErrorText } from '../app/errors';
import { useFormat } from '../app/format';
import { useLive } from '../app/live';
import { Page } from '../app/page';
import { Loading, NotFound } from '../app/status-pages';
import type { AdvocateReferralTimelineQuery } from '../gql/graphql';
import { ConsentDialog } from './consent-dialog';
import { Countdown } from './countdown';
import { useEnumLabel } from '../app/labels';
import { canWithdraw, isOpenState, newIdempotencyKey } from './needs';
import {
  ReferralTimelineQuery,
  ReferralUpdatedSubscription,
  RevokeConsentMutation,
  WithdrawReferralMutation,
} from './operations';

type Referral = AdvocateReferralTimelineQuery['referral'];

const WITHDRAW_REASONS = ['foundElsewhere', 'noLongerWanted', 'unreachable', 'duplicate', 'other'] as const;

function NextStep({ referral }: { referral: Referral }) {
  const { t } = useTranslation('advocate');
  const { dateTime } = useFormat();
  const current = referral.offers.find((o) => o.status === 'OPEN' || o.status === 'ACCEPTED');
  switch (referral.state) {
    case 'AWAITING_CONSENT':
    case 'SUBMITTED':
      return (
        <>
          <p>
            {referral.consentDeadline
              ? t('timeline.next.consent', { when: dateTime(referral.consentDeadline) })
              : t('timeline.next.consentNoDeadline')}
          </p>
          {referral.consentDeadline && <Countdown deadline={referral.consentDeadline} label="consent" />}
        </>
      );
    case 'MATCHING':
      return <p>{t('timeline.next.matching')}</p>;
    case 'OFFERED':
      return current ? (
        <>
          <p>{t('timeline.next.offered', { shelter: current.shelterName, when: dateTime(current.respondBy) })}</p>
          <Countdown deadline={current.respondBy} label="answer" />
        </>
      ) : (
        <p>{t('timeline.next.matching')}</p>
      );
    case 'ACCEPTED':
      return current?.holdExpiresAt ? (
        <>
          <p>{t('timeline.next.accepted', { shelter: current.shelterName, when: dateTime(current.holdExpiresAt) })}</p>
          <Countdown deadline={current.holdExpiresAt} label="arrival" />
        </>
      ) : (
        <p>{t('timeline.next.acceptedNoTime', { shelter: current?.shelterName ?? '' })}</p>
      );
    case 'WAITLISTED':
      return <p>{t('timeline.next.waitlisted')}</p>;
    case 'PLACED':
      return <p>{t('timeline.next.placed')}</p>;
    case 'EXITED':
    case 'EXPIRED':
    case 'WITHDRAWN':
    case 'CONSENT_REVOKED':
      return <p>{t('timeline.next.closed')}</p>;
  }
}

function WithdrawDialog({
  referralId,
  isOpen,
  onOpenChange,
  onDone,
}: {
  referralId: string;
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('advocate');
  const errorText = useErrorText();
  const announce = useAnnounce();
  const [reason, setReason] = useState<(typeof WITHDRAW_REASONS)[number] | ''>('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [reasonMissing, setReasonMissing] = useState(false);
  const key = useRef<string | null>(null);
  const [{ fetching }, withdraw] = useMutation(WithdrawReferralMutation);

  const submit = async (event: FormEvent, close: () => void) => {
    event.preventDefault();
    setError(null);
    if (!reason) {
      setReasonMissing(true);
      return;
    }
    key.current ??= newIdempotencyKey(() => crypto.randomUUID());
    const words = [t(`withdraw.reasons.${reason}`), note.trim()].filter(Boolean).join(': ');
    const result = await withdraw({ referralId, reason: words, idempotencyKey: key.current });
    if (result.data) {
      announce(t('withdraw.done'));
      onDone();
      close();
    } else setError(errorText(result.error));
  };

  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={onOpenChange} isDismissable className="modal-overlay">
      <Modal className="dialog advocate-dialog">
        <Dialog role="alertdialog" style={{ outline: 'none' }} aria-describedby="withdraw-body">
          {({ close }) => (
            <form onSubmit={(e) => void submit(e, close)} noValidate>
              <Heading slot="title" level={2} style={{ marginTop: 0 }}>
                {t('withdraw.title')}
              </Heading>
              <p id="withdraw-body">{t('withdraw.body')}</p>
              <div className="field">
                <label htmlFor="withdraw-reason">{t('withdraw.reason')}</label>
                <select
                  id="withdraw-reason"
                  value={reason}
                  required
                  aria-invalid={reasonMissing || undefined}
                  aria-describedby={reasonMissing ? 'withdraw-reason-error' : undefined}
                  onChange={(e) => {
                    key.current = null;
                    setReasonMissing(false);
                    setReason(e.target.value as typeof reason);
                  }}
                >
                  <option value="">{t('needs.choose')}</option>
                  {WITHDRAW_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`withdraw.reasons.${r}`)}
                    </option>
                  ))}
                </select>
                {reasonMissing && (
                  <span className="error" id="withdraw-reason-error">
                    {t('withdraw.reasonRequired')}
                  </span>
                )}
              </div>
              <div className="field">
                <label htmlFor="withdraw-note">{t('withdraw.note')}</label>
                <span className="hint" id="withdraw-note-hint">
                  {t('withdraw.noteHint')}
                </span>
                <textarea
                  id="withdraw-note"
                  aria-describedby="withdraw-note-hint"
                  value={note}
                  onChange={(e) => {
                    key.current = null;
                    setNote(e.target.value);
                  }}
                />
              </div>
              {error && (
                <p className="banner error" role="alert">
                  {error}
                </p>
              )}
              <div className="row">
                <button type="submit" className="danger" disabled={fetching}>
                  {t('withdraw.confirm')}
                </button>
                <button type="button" className="primary" onClick={close}>
                  {t('withdraw.keep')}
                </button>
              </div>
            </form>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function RevokeDialog({
  consentId,
  onClose,
  onDone,
}: {
  consentId: string | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('advocate');
  const errorText = useErrorText();
  const announce = useAnnounce();
  const [error, setError] = useState<string | null>(null);
  const key = useRef<string | null>(null);
  const [{ fetching }, revoke] = useMutation(RevokeConsentMutation);
  const confirm = async (close: () => void) => {
    if (!consentId) return;
    key.current ??= newIdempotencyKey(() => crypto.randomUUID());
    const result = await revoke({ consentId, idempotencyKey: key.current });
    if (result.data) {
      announce(t('consents.revoked'));
      onDone();
      close();
    } else setError(errorText(result.error));
  };
  return (
    <ModalOverlay
      isOpen={consentId !== null}
      onOpenChange={(open) => !open && onClose()}
      isDismissable
      className="modal-overlay"
    >
      <Modal className="dialog advocate-dialog">
        <Dialog role="alertdialog" style={{ outline: 'none' }} aria-describedby="revoke-body">
          {({ close }) => (
            <>
              <Heading slot="title" level={2} style={{ marginTop: 0 }}>
                {t('consents.revokeTitle')}
              </Heading>
              <p id="revoke-body">{t('consents.revokeBody')}</p>
              {error && (
                <p className="banner error" role="alert">
                  {error}
                </p>
              )}
              <div className="row">
                <button type="button" className="danger" disabled={fetching} onClick={() => void confirm(close)}>
                  {t('consents.revokeConfirm')}
                </button>
                <button type="button" className="primary" onClick={close}>
                  {t('consents.keep')}
                </button>
              </div>
            </>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function Timeline({ referral, refetch }: { referral: Referral; refetch: () => void }) {
  const { t } = useTranslation('advocate');
  const label = useEnumLabel();
  const { dateTime } = useFormat();
  const location = useLocation();
  const navigate = useNavigate();
  const askConsent = (location.state as { askConsent?: boolean } | null)?.askConsent === true;
  const awaitingConsent = referral.state === 'AWAITING_CONSENT' || referral.state === 'SUBMITTED';
  const [consentOpen, setConsentOpen] = useState(askConsent && awaitingConsent);
  const [withdrawOpen, setWithdrawOpen] = useState(false);
  const [revoking, setRevoking] = useState<string | null>(null);

  // the hint to ask for consent is used once: Back or a reload does not open the dialog again
  useEffect(() => {
    if (askConsent) void navigate('.', { replace: true, state: null });
  }, [askConsent, navigate]);

  const accepted = referral.offers.find((o) => o.status === 'ACCEPTED' && o.intakeInstructions);
  const open = isOpenState(referral.state);
  const activeConsents = referral.consents.filter((c) => !c.revokedAt);
  const identityRecipients =
    referral.hasIdentity && open
      ? referral.offers
          .filter((o) => o.status === 'OPEN' || o.status === 'ACCEPTED')
          .map((o) => ({ shelterId: o.shelterId, shelterName: o.shelterName }))
      : [];
  const stateLabel = (s: string) => label('ReferralState', s) ?? s;

  return (
    <Page title={t('timeline.title', { code: referral.referenceCode })}>
      {accepted && (
        <section className="banner success" aria-labelledby="intake-title">
          <h2 id="intake-title" style={{ marginTop: 0 }}>
            {t('timeline.intakeTitle', { shelter: accepted.shelterName })}
          </h2>
          <p style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{accepted.intakeInstructions}</p>
        </section>
      )}
      <section className="card" aria-labelledby="state-title">
        <h2 id="state-title">{t('timeline.stateTitle')}</h2>
        <p>
          <strong>{stateLabel(referral.state)}</strong>
          {' · '}
          {label('Urgency', referral.urgency)}
          {' · '}
          {t('timeline.submitted', { when: dateTime(referral.submittedAt) })}
        </p>
        <h3>{t('timeline.nextTitle')}</h3>
        <NextStep referral={referral} />
        <div className="row">
          {awaitingConsent && (
            <button type="button" className="primary" onClick={() => setConsentOpen(true)}>
              {t('consent.open')}
            </button>
          )}
          {identityRecipients.length > 0 && (
            <button type="button" onClick={() => setConsentOpen(true)}>
              {t('consent.openIdentity')}
            </button>
          )}
          {canWithdraw(referral.state) && (
            <button type="button" className="danger" onClick={() => setWithdrawOpen(true)}>
              {t('withdraw.open')}
            </button>
          )}
        </div>
      </section>

      <section aria-labelledby="offers-title">
        <h2 id="offers-title">{t('timeline.offersTitle')}</h2>
        {referral.offers.length === 0 ? (
          <p className="muted">{t('timeline.noOffers')}</p>
        ) : (
          <ol className="advocate-timeline">
            {referral.offers.map((o) => (
              <li key={o.id}>
                <strong>{o.shelterName}</strong>
                {' · '}
                {label('OfferStatus', o.status) ?? o.status}
                {o.status === 'OPEN' && <> · {t('timeline.respondBy', { when: dateTime(o.respondBy) })}</>}
                {o.status === 'ACCEPTED' && o.holdExpiresAt && (
                  <> · {t('timeline.arriveBy', { when: dateTime(o.holdExpiresAt) })}</>
                )}
                {/* a reason that only repeats the status ("Declined · Declined") is left out */}
                {o.closedReason && o.closedReason !== o.status && (
                  <> · {label('OfferClosedReason', o.closedReason) ?? o.closedReason}</>
                )}
                <br />
                <span className="muted">{t('timeline.offeredAt', { when: dateTime(o.offeredAt) })}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="consents-title">
        <h2 id="consents-title">{t('consents.title')}</h2>
        {referral.consents.length === 0 ? (
          <p className="muted">{t('consents.none')}</p>
        ) : (
          <ul className="advocate-timeline">
            {referral.consents.map((c) => (
              <li key={c.id}>
                {c.scopes.map((s) => label('ConsentScope', s) ?? s).join('; ')}
                <br />
                <span className="muted">
                  {label('ConsentMethod', c.method)}
                  {' · '}
                  {t('consents.recordedAt', { when: dateTime(c.recordedAt) })}
                  {' · '}
                  {c.revokedAt
                    ? t('consents.revokedAt', { when: dateTime(c.revokedAt) })
                    : t('consents.expiresAt', { when: dateTime(c.expiresAt) })}
                </span>
                {!c.revokedAt && open && (
                  <div>
                    <button type="button" className="danger" onClick={() => setRevoking(c.id)}>
                      {t('consents.revoke', {
                        scopes: c.scopes.map((s) => label('ConsentScope', s) ?? s).join('; '),
                      })}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {activeConsents.length === 0 && !awaitingConsent && open && <p className="muted">{t('consents.noneActive')}</p>}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('timeline.historyTitle')}</h2>
        <ol className="advocate-timeline">
          {referral.events.map((e, i) => (
            <li key={`${e.occurredAt}-${i}`}>
              {dateTime(e.occurredAt)}
              {': '}
              {e.fromState === e.toState
                ? stateLabel(e.toState)
                : t('timeline.moved', { from: stateLabel(e.fromState), to: stateLabel(e.toState) })}
              {label('ReferralEventReason', e.reasonCode) && <> ({label('ReferralEventReason', e.reasonCode)})</>}
            </li>
          ))}
        </ol>
      </section>

      {consentOpen && (
        <ConsentDialog
          referralId={referral.id}
          isOpen={consentOpen}
          onOpenChange={setConsentOpen}
          identityRecipients={awaitingConsent ? [] : identityRecipients}
          onRecorded={refetch}
        />
      )}
      <WithdrawDialog referralId={referral.id} isOpen={withdrawOpen} onOpenChange={setWithdrawOpen} onDone={refetch} />
      <RevokeDialog consentId={revoking} onClose={() => setRevoking(null)} onDone={refetch} />
    </Page>
  );
}

export function ReferralTimeline() {
  const { id = '' } = useParams();
  const { t } = useTranslation('advocate');
  const errorText = useErrorText();
  const announce = useAnnounce();
  const label = useEnumLabel();
  const [result, reexecute] = useQuery({ query: ReferralTimelineQuery, variables: { id } });
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const state = result.data?.referral.state;
  const lastState = useRef<string | undefined>(undefined);

  useLive(ReferralUpdatedSubscription, { referralId: id }, refetch);

  useEffect(() => {
    if (state && lastState.current && lastState.current !== state)
      announce(t('timeline.announce', { state: label('ReferralState', state) ?? state }));
    lastState.current = state;
  }, [state, announce, t, label]);

  if (result.error && !result.data) {
    if (['NOT_FOUND', 'BAD_USER_INPUT'].includes(errorInfo(result.error)?.code ?? '')) return <NotFound />;
    return (
      <Page title={t('timeline.errorTitle')}>
        <p className="banner error" role="alert">
          {errorText(result.error)}
        </p>
      </Page>
    );
  }
  if (!result.data) return <Loading />;
  return <Timeline referral={result.data.referral} refetch={refetch} />;
}
