// Form pieces for the admin screens: a labelled field that shows the API's BAD_USER_INPUT for its own name
// (aria-invalid and a described error), an error banner for everything else, and a confirmation dialog.
import { useId, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import type { CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { errorInfo, useErrorText } from '../app/errors';

/** The field a BAD_USER_INPUT (or CONFLICT) error names, if any; paths like "input.email" name "email". */
export function errorField(error: CombinedError | undefined): string | null {
  const info = errorInfo(error);
  if (!info?.field) return null;
  return info.field.split('.').pop() ?? null;
}

export function Field({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  error: CombinedError | undefined;
  hint?: string;
  children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  const errorText = useErrorText();
  const invalid = errorField(error) === name;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      {cloneElement(children, {
        id,
        name,
        'aria-invalid': invalid || undefined,
        'aria-describedby': describedBy,
      })}
      {invalid && (
        <span id={errorId} className="error">
          {errorText(error)}
        </span>
      )}
    </div>
  );
}

/** An error that no field shows (a field's own error is shown beside it, and announced here too). */
export function FormError({ error }: { error: CombinedError | undefined }) {
  const errorText = useErrorText();
  if (!error) return null;
  return (
    <p role="alert" className="banner error">
      {errorText(error)}
    </p>
  );
}

/** A modal confirmation: focus moves into it, stays there, and returns to what opened it. */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  children,
}: {
  open: boolean;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <ModalOverlay
      isOpen={open}
      onOpenChange={(isOpen) => {
        if (!isOpen) onCancel();
      }}
      isDismissable
      className="modal-overlay"
    >
      <Modal>
        <Dialog role="alertdialog" className="dialog">
          <Heading slot="title">{title}</Heading>
          <p>{body}</p>
          {children}
          <div className="row">
            <button type="button" autoFocus onClick={onCancel}>
              {t('actions.cancel')}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
              {confirmLabel}
            </button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
