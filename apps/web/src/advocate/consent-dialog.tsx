// The consent dialog: the words to read to the survivor, the scopes, how consent was given and when it ends.
import { useRef, useState, type FormEvent } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { useAnnounce } from '../app/announcer';
import { errorInfo, useErrorText } from '../app/errors';
import { useFormat } from '../app/format';
import type { ConsentMethod, ConsentScope } from '../gql/graphql';
import { useEnumLabel } from '../app/labels';
import { newIdempotencyKey } from './needs';
import { RecordConsentMutation } from './operations';

const METHODS: ConsentMethod[] = ['VERBAL_HOTLINE', 'WRITTEN', 'E_SIGNATURE'];
const DURATIONS_DAYS = [1, 7, 30, 90];

interface Props {
  referralId: string;
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  /** Shelters that could receive the identity (only offered with an identity given and an offer made) */
  identityRecipients: { shelterId: string; shelterName: string }[];
  onRecorded: () => void;
}

export function ConsentDialog({ referralId, isOpen, onOpenChange, identityRecipients, onRecorded }: Props) {
  const { t } = useTranslation('advocate');
  const label = useEnumLabel();
  const errorText = useErrorText();
  const announce = useAnnounce();
  const { dateTime } = useFormat();
  const [scopes, setScopes] = useState<ConsentScope[]>(
    identityRecipients.length > 0 ? [] : ['SHARE_NEEDS_WITH_CANDIDATE_SHELTERS'],
  );
  const [method, setMethod] = useState<ConsentMethod>('VERBAL_HOTLINE');
  const [days, setDays] = useState(30);
  const [recipient, setRecipient] = useState(identityRecipients[0]?.shelterId ?? '');
  const [error, setError] = useState<string | null>(null);
  const [invalidField, setInvalidField] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);
  const [, recordConsent] = useMutation(RecordConsentMutation);
  const expiresAt = new Date(Date.now() + days * 86_400_000).toISOString();
  const available: ConsentScope[] = [
    'SHARE_NEEDS_WITH_CANDIDATE_SHELTERS',
    ...(identityRecipients.length > 0 ? (['SHARE_IDENTITY_WITH_RECIPIENT'] as const) : []),
    'FOLLOW_UP_CONTACT',
  ];

  const toggle = (scope: ConsentScope, on: boolean) => {
    key.current = null;
    setScopes(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));
  };

  const submit = async (event: FormEvent, close: () => void) => {
    event.preventDefault();
    setError(null);
    setInvalidField(null);
    if (scopes.length === 0) {
      setInvalidField('scopes');
      setError(t('consent.chooseScope'));
      return;
    }
    key.current ??= newIdempotencyKey(() => crypto.randomUUID());
    setBusy(true);
    const result = await recordConsent({
      referralId,
      input: {
        scopes,
        method,
        expiresAt,
        recipientShelterId: scopes.includes('SHARE_IDENTITY_WITH_RECIPIENT') ? recipient || null : null,
      },
      idempotencyKey: key.current,
    });
    setBusy(false);
    if (result.data) {
      announce(t('consent.recorded'));
      onRecorded();
      close();
      return;
    }
    const info = errorInfo(result.error);
    if (info?.code === 'BAD_USER_INPUT' && info.field) setInvalidField(info.field.split('.').pop() ?? null);
    setError(errorText(result.error));
  };

  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={onOpenChange} isDismissable className="modal-overlay">
      <Modal className="dialog advocate-dialog">
        <Dialog aria-describedby="consent-words-intro" style={{ outline: 'none' }}>
          {({ close }) => (
            <form onSubmit={(e) => void submit(e, close)} noValidate>
              <Heading slot="title" level={2} style={{ marginTop: 0 }}>
                {t('consent.title')}
              </Heading>
              <p id="consent-words-intro">{t('consent.readThis')}</p>
              <blockquote className="advocate-words">
                <p>{t('consent.words.needs')}</p>
                {scopes.includes('SHARE_IDENTITY_WITH_RECIPIENT') && <p>{t('consent.words.identity')}</p>}
                {scopes.includes('FOLLOW_UP_CONTACT') && <p>{t('consent.words.followUp')}</p>}
                <p>{t('consent.words.rights', { date: dateTime(expiresAt) })}</p>
              </blockquote>
              <fieldset aria-describedby={invalidField === 'scopes' ? 'consent-error' : undefined}>
                <legend>{t('consent.scopes')}</legend>
                {available.map((scope) => (
                  <label key={scope} className="checkbox">
                    <input
                      type="checkbox"
                      checked={scopes.includes(scope)}
                      onChange={(e) => toggle(scope, e.target.checked)}
                    />
                    {label('ConsentScope', scope)}
                  </label>
                ))}
              </fieldset>
              {scopes.includes('SHARE_IDENTITY_WITH_RECIPIENT') && (
                <div className="field">
                  <label htmlFor="consent-recipient">{t('consent.recipient')}</label>
                  <select
                    id="consent-recipient"
                    value={recipient}
                    onChange={(e) => setRecipient(e.target.value)}
                    aria-invalid={invalidField === 'recipientShelterId' || undefined}
                    aria-describedby={invalidField === 'recipientShelterId' ? 'consent-error' : undefined}
                  >
                    {identityRecipients.map((r) => (
                      <option key={r.shelterId} value={r.shelterId}>
                        {r.shelterName}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <fieldset role="radiogroup">
                <legend>{t('consent.method')}</legend>
                {METHODS.map((m) => (
                  <label key={m} className="checkbox">
                    <input
                      type="radio"
                      name="consent-method"
                      value={m}
                      checked={method === m}
                      onChange={() => {
                        key.current = null;
                        setMethod(m);
                      }}
                    />
                    {label('ConsentMethod', m)}
                  </label>
                ))}
              </fieldset>
              <div className="field">
                <label htmlFor="consent-expiry">{t('consent.expiry')}</label>
                <select
                  id="consent-expiry"
                  value={days}
                  aria-describedby={`consent-expiry-when${invalidField === 'expiresAt' ? ' consent-error' : ''}`}
                  aria-invalid={invalidField === 'expiresAt' || undefined}
                  onChange={(e) => {
                    key.current = null;
                    setDays(Number(e.target.value));
                  }}
                >
                  {DURATIONS_DAYS.map((d) => (
                    <option key={d} value={d}>
                      {t('consent.days', { count: d })}
                    </option>
                  ))}
                </select>
                <span className="hint" id="consent-expiry-when">
                  {t('consent.expiresOn', { date: dateTime(expiresAt) })}
                </span>
              </div>
              {error && (
                <p className="banner error" role="alert" id="consent-error">
                  {error}
                </p>
              )}
              <div className="row">
                <button type="submit" className="primary" disabled={busy}>
                  {busy ? t('consent.working') : t('consent.submit')}
                </button>
                <button type="button" onClick={close}>
                  {t('consent.cancel')}
                </button>
              </div>
            </form>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
