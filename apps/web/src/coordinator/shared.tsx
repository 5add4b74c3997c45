// Small pieces the coordinator's screens share: a suppressed count in words, an error banner, "not found".
import type { CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { errorInfo, useErrorText } from '../app/errors';
import { useFormat } from '../app/format';
import { readCount, type SuppressedCountLike } from './logic';

/** A count of referrals: its number, or "fewer than 5" / "withheld" in words (never 0 or blank). */
export function Count({ count }: { count: SuppressedCountLike }) {
  const { t } = useTranslation('coordinator');
  const { number } = useFormat();
  const reading = readCount(count);
  if (reading.kind === 'value') return <>{number(reading.value)}</>;
  if (reading.kind === 'fewerThan') return <>{t('suppressed.fewerThan', { k: reading.k })}</>;
  return <>{t('suppressed.withheld')}</>;
}

/** The API answers NOT_FOUND for a region outside the coordinator's scope (and a malformed id is bad input). */
export function isNotFound(error: CombinedError | undefined): boolean {
  const code = errorInfo(error)?.code;
  return code === 'NOT_FOUND' || code === 'BAD_USER_INPUT';
}

export function ErrorBanner({ error }: { error: CombinedError | undefined }) {
  const errorText = useErrorText();
  if (!error) return null;
  return (
    <p role="alert" className="banner error">
      {errorText(error)}
    </p>
  );
}
