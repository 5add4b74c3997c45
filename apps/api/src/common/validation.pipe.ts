import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { badInput } from '@shelterlink/common';

/**
 * Characters no text field takes: C0 controls but tab and line breaks (NUL among them, which Postgres refuses), DEL
 * and the C1 controls (which terminals read as escapes), unpaired UTF-16 surrogates, and bidirectional overrides
 * and isolates (which make text read differently from what it is).
 */
const FORBIDDEN_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Invisible characters (zero-width space, word joiner, BOM, soft hyphen): taken out of names, where they only hide
 * differences. Joiners (U+200C, U+200D) stay: some scripts and emoji need them.
 */
const INVISIBLE = /[\u00AD\u200B\u2060\uFEFF]/g;
const NAME_FIELDS = new Set(['name', 'displayName', 'city']);

/** What the client sent: REST bodies, queries and path parameters, and GraphQL arguments (GqlParamtype.ARGS, 3). */
const CLIENT_INPUT = new Set<unknown>(['body', 'query', 'param', 3]);

/**
 * Validates every input and argument; the first failure names its field in `extensions.field`. Before that, every
 * string is checked for FORBIDDEN_CHARACTERS (BAD_USER_INPUT naming the field) and names lose invisible spaces.
 */
class ShelterLinkValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const input = CLIENT_INPUT.has(metadata.type) ? cleanText(value, [], metadata.data ?? 'input') : value;
    return super.transform(input, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ShelterLinkValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    validateCustomDecorators: false,
    exceptionFactory: (errors) => {
      const [path, message] = firstError(errors, []);
      return badInput(path, message);
    },
  });
}

/**
 * The value with its strings checked (and names cleaned), at any depth. A refusal names the field as validation
 * does: by its path inside the argument (`argument` itself when the argument is a plain string).
 */
function cleanText(value: unknown, path: string[], argument: string): unknown {
  if (typeof value === 'string') {
    if (FORBIDDEN_CHARACTERS.test(value)) {
      throw badInput(
        path.join('.') || argument,
        'contains characters that are not allowed (control characters, unpaired surrogates or direction overrides)',
      );
    }
    return NAME_FIELDS.has(path.at(-1) ?? argument) ? value.replace(INVISIBLE, '') : value;
  }
  if (Array.isArray(value)) return value.map((item) => cleanText(item, path, argument));
  if (isPlainObject(value)) {
    // GraphQL hands resolvers null-prototype objects: rebuild them as plain ones
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, cleanText(item, [...path, key], argument)]),
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === null || prototype === Object.prototype;
}

function firstError(errors: ValidationError[], prefix: string[]): [string, string] {
  const error = errors[0];
  const path = [...prefix, error.property];
  if (error.constraints) {
    const message = Object.values(error.constraints)[0] ?? 'is invalid';
    // class-validator starts messages with the property name; keep only the explanation
    return [
      path.join('.'),
      message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    ];
  }
  if (error.children?.length) return firstError(error.children, path);
  return [path.join('.'), 'is invalid'];
}
