// Server prose is never shown: an error's stable code (extensions.code) becomes catalog text.
import type { CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import type { GraphQLErrorShape } from './session';

export interface ErrorInfo {
  code: string;
  field: string | null;
  retryAfterSeconds: number | null;
  extensions: Record<string, unknown>;
}

/** The first error's code and details, from urql's CombinedError or a raw GraphQL error. */
export function errorInfo(error: CombinedError | GraphQLErrorShape | null | undefined): ErrorInfo | null {
  if (!error) return null;
  if ('graphQLErrors' in error) {
    const first = error.graphQLErrors[0];
    if (!first) return { code: 'NETWORK', field: null, retryAfterSeconds: null, extensions: {} };
    return fromExtensions(first.extensions);
  }
  return fromExtensions(error.extensions ?? {});
}

function fromExtensions(extensions: Record<string, unknown>): ErrorInfo {
  const code = typeof extensions.code === 'string' ? extensions.code : 'UNKNOWN';
  return {
    code,
    field: typeof extensions.field === 'string' ? extensions.field : null,
    retryAfterSeconds: typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : null,
    extensions,
  };
}

/** Text for an error, in the person's language. */
export function useErrorText(): (error: CombinedError | GraphQLErrorShape | ErrorInfo | null | undefined) => string {
  const { t, i18n } = useTranslation('errors');
  return (error) => {
    if (!error) return '';
    const info = 'code' in error && !('message' in error) ? error : errorInfo(error as CombinedError);
    if (!info) return '';
    if (info.code === 'TOO_MANY_ATTEMPTS' && info.retryAfterSeconds !== null)
      return t('TOO_MANY_ATTEMPTS_WAIT', { seconds: info.retryAfterSeconds });
    const key = info.code as 'UNKNOWN';
    return i18n.exists(`errors:${key}`) ? t(key) : t('UNKNOWN');
  };
}
