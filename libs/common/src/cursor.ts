import { badInput } from './domain-error';

export const MAX_PAGE_SIZE = 100;

export function checkPageSize(first: number, field = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(field, `must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/** Opaque keyset cursors: base64url of a JSON tuple. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

// eslint-disable-next-line no-control-regex -- control characters are what a cursor must not carry
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A timestamp as `encodeCursor` writes one (Date.toISOString), nothing looser. */
export function isCursorTimestamp(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

/** A string without control characters (Postgres refuses NUL outright), or a number Postgres can take. */
function isCursorValue(v: unknown): v is string | number {
  return (typeof v === 'string' && !CONTROL.test(v)) || (typeof v === 'number' && Number.isFinite(v));
}

export function decodeCursor(cursor: string, arity: number, field = 'after'): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every(isCursorValue)) {
      return values;
    }
  } catch {
    // fall through to the input error
  }
  throw badInput(field, 'is not a valid cursor');
}
