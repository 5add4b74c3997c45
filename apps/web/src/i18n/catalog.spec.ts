/**
 * The translation catalogs agree with each other and with the API.
 *
 * Every `<lang>/<namespace>.json` beside this file is checked, whatever namespaces exist: the same files in every
 * language, the same keys (nested keys joined with dots) and `{{placeholders}}`, i18next plural forms exactly as
 * the language's plural rules ask, nothing empty or left in English, no forbidden words. `enums.json` must label
 * every value of every enum in the committed SDL and nothing else; `errors.json` every code the API declares.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kind, parse } from 'graphql';

const I18N_DIR = __dirname;
const REPO_ROOT = resolve(__dirname, '../../../..');
const SCHEMA_PATH = join(REPO_ROOT, 'apps/api/schema.gql');
/** The one place the API declares the codes a client sees in `extensions.code`. */
const ERROR_CODES_PATH = join(REPO_ROOT, 'libs/common/src/domain-error.ts');

/** The language every other catalog is compared with. */
const SOURCE_LANG = 'en';
const REQUIRED_LANGS = ['en', 'es'];
const REQUIRED_NAMESPACES = ['enums', 'errors'];

/** Words the same in English and Spanish (names, endonyms, abbreviations): a translation made only of these (and placeholders) may equal English. */
const SAME_IN_BOTH = new Set([
  'ShelterLink',
  'English',
  'Español',
  'OK',
  'No',
  'Total',
  'Error',
  'CSV',
  'HSDS',
  'HMIS',
  'LGBTQ+',
  'km',
]);

/** Never in any catalog: the people ShelterLink serves are survivors. */
const FORBIDDEN = [/v[ií]ctim/iu];

/** Errors the app raises itself (not an API code), and the variants of API codes it needs. */
const CLIENT_ERROR_CODES = ['NETWORK', 'UNKNOWN'];
const ERROR_VARIANTS: Record<string, string[]> = { TOO_MANY_ATTEMPTS_WAIT: ['seconds'] };

const PLURAL_SUFFIX = /^(.+?)(_ordinal)?_(zero|one|two|few|many|other)$/;

type Catalog = Map<string, string>;

interface PluralGroup {
  ordinal: boolean;
  categories: Set<string>;
}

/** A catalog as i18next reads it: keys joined with dots; plural forms grouped under their base key. */
interface Keys {
  /** every key that is not a plural form */
  plain: Set<string>;
  /** base key (with `_ordinal` for ordinal plurals) → the plural categories present */
  plurals: Map<string, PluralGroup>;
}

const languages = (): string[] =>
  readdirSync(I18N_DIR)
    .filter((name) => statSync(join(I18N_DIR, name)).isDirectory())
    .sort();

const namespaces = (lang: string): string[] =>
  readdirSync(join(I18N_DIR, lang))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Flattens a catalog; anything but nested objects with string leaves is reported in `problems`. */
function flatten(value: unknown, prefix: string, into: Catalog, problems: string[]): Catalog {
  if (!isObject(value)) {
    problems.push(`${prefix || '(root)'} must be an object of strings`);
    return into;
  }
  if (prefix && Object.keys(value).length === 0) problems.push(`${prefix} is an empty object`);
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof child === 'string') into.set(path, child);
    else if (isObject(child)) flatten(child, path, into, problems);
    else problems.push(`${path} is a ${Array.isArray(child) ? 'list' : typeof child}, not a string`);
  }
  return into;
}

const cache = new Map<string, { catalog: Catalog; problems: string[] }>();

function load(lang: string, namespace: string): { catalog: Catalog; problems: string[] } {
  const path = join(I18N_DIR, lang, `${namespace}.json`);
  let loaded = cache.get(path);
  if (!loaded) {
    const problems: string[] = [];
    loaded = { catalog: flatten(readJson(path), '', new Map(), problems), problems };
    cache.set(path, loaded);
  }
  return loaded;
}

const catalog = (lang: string, namespace: string): Catalog => load(lang, namespace).catalog;

function keysOf(entries: Catalog): Keys {
  const keys: Keys = { plain: new Set(), plurals: new Map() };
  for (const key of entries.keys()) {
    const match = PLURAL_SUFFIX.exec(key);
    if (!match) {
      keys.plain.add(key);
      continue;
    }
    const [, base, ordinal, category] = match as unknown as [string, string, string | undefined, string];
    const groupKey = ordinal ? `${base}_ordinal` : base;
    const group = keys.plurals.get(groupKey) ?? { ordinal: Boolean(ordinal), categories: new Set<string>() };
    group.categories.add(category);
    keys.plurals.set(groupKey, group);
  }
  return keys;
}

/** The key a value counts under for comparisons: a plural form counts under its base key. */
function groupKeyOf(key: string): string {
  const match = PLURAL_SUFFIX.exec(key);
  if (!match) return key;
  return match[2] ? `${match[1]}_ordinal` : match[1];
}

function pluralCategories(lang: string, ordinal: boolean): string[] {
  return [...new Intl.PluralRules(lang, { type: ordinal ? 'ordinal' : 'cardinal' }).resolvedOptions().pluralCategories]
    .map(String)
    .sort();
}

/** i18next also reads `key_zero` for a count of 0 in any language: allowed, if every language has it. */
const OPTIONAL_ZERO = 'zero';

/** Keys as a language-independent set: plain keys, plural bases, and the optional `_zero` forms. */
function comparableKeys(keys: Keys): string[] {
  const out = [...keys.plain];
  for (const [base, group] of keys.plurals) {
    out.push(`${base} (plural)`);
    if (!group.ordinal && group.categories.has(OPTIONAL_ZERO)) out.push(`${base}_zero`);
  }
  return out.sort();
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*-?\s*([^,}\s]+)[^}]*\}\}/g)].map((m) => m[1]);
}

/** Placeholders per key (plural forms together under their base key). */
function placeholdersByKey(entries: Catalog): Map<string, string[]> {
  const byKey = new Map<string, Set<string>>();
  for (const [key, value] of entries) {
    const group = groupKeyOf(key);
    const set = byKey.get(group) ?? new Set<string>();
    for (const name of placeholders(value)) set.add(name);
    byKey.set(group, set);
  }
  return new Map([...byKey].map(([key, set]) => [key, [...set].sort()]));
}

/** Words of a value outside its placeholders. */
const words = (text: string): string[] => text.replace(/\{\{[^}]*\}\}/g, ' ').match(/\p{L}[\p{L}\p{N}+'’-]*/gu) ?? [];

const difference = <T>(a: Iterable<T>, b: Iterable<T>): T[] => {
  const other = new Set(b);
  return [...a].filter((x) => !other.has(x));
};

function sdlEnums(): Map<string, string[]> {
  const document = parse(readFileSync(SCHEMA_PATH, 'utf8'));
  const enums = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION && definition.kind !== Kind.ENUM_TYPE_EXTENSION) continue;
    const values = enums.get(definition.name.value) ?? [];
    values.push(...(definition.values ?? []).map((value) => value.name.value));
    enums.set(definition.name.value, values);
  }
  return enums;
}

function apiErrorCodes(): string[] {
  const source = readFileSync(ERROR_CODES_PATH, 'utf8');
  const union = /export\s+type\s+ErrorCode\s*=([^;]+);/.exec(source)?.[1];
  if (!union) throw new Error(`no \`export type ErrorCode = …;\` in ${ERROR_CODES_PATH}`);
  return [...union.matchAll(/'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]);
}

const LANGS = languages();
const OTHER_LANGS = LANGS.filter((lang) => lang !== SOURCE_LANG);
const NAMESPACES = namespaces(SOURCE_LANG);

describe('translation catalogs', () => {
  it('has every language and the namespaces the app needs', () => {
    expect(LANGS).toEqual(expect.arrayContaining(REQUIRED_LANGS));
    expect(NAMESPACES).toEqual(expect.arrayContaining(REQUIRED_NAMESPACES));
  });

  it.each(OTHER_LANGS)('has the same namespace files in %s as in en', (lang) => {
    expect(namespaces(lang)).toEqual(NAMESPACES);
  });

  it('knows the plural categories of every language (as Node reports them)', () => {
    for (const lang of LANGS) expect(pluralCategories(lang, false)).toContain('other');
  });

  describe.each(NAMESPACES)('%s', (namespace) => {
    it.each(LANGS)('%s is nested objects of non-empty strings', (lang) => {
      const { catalog: entries, problems } = load(lang, namespace);
      const empty = [...entries].filter(([, value]) => value.trim() === '').map(([key]) => key);
      expect(problems).toEqual([]);
      expect(empty).toEqual([]);
    });

    it.each(LANGS)('%s has no forbidden words', (lang) => {
      const found = [...catalog(lang, namespace)]
        .filter(([, value]) => FORBIDDEN.some((pattern) => pattern.test(value)))
        .map(([key, value]) => `${key}: ${value}`);
      expect(found).toEqual([]);
    });

    it.each(LANGS)('%s has exactly the plural forms its language needs', (lang) => {
      const wrong: string[] = [];
      for (const [base, group] of keysOf(catalog(lang, namespace)).plurals) {
        const required = pluralCategories(lang, group.ordinal);
        const present = [...group.categories].filter(
          (category) => group.ordinal || required.includes(OPTIONAL_ZERO) || category !== OPTIONAL_ZERO,
        );
        const missing = difference(required, present);
        const extra = difference(present, required);
        if (missing.length > 0 || extra.length > 0)
          wrong.push(`${base}: missing [${missing.join(', ')}], extra [${extra.join(', ')}]`);
      }
      expect(wrong).toEqual([]);
    });

    if (OTHER_LANGS.length === 0) return;

    it.each(OTHER_LANGS)('%s has the same keys as en', (lang) => {
      const source = comparableKeys(keysOf(catalog(SOURCE_LANG, namespace)));
      const target = comparableKeys(keysOf(catalog(lang, namespace)));
      expect({ missing: difference(source, target), extra: difference(target, source) }).toEqual({
        missing: [],
        extra: [],
      });
    });

    it.each(OTHER_LANGS)('%s has the same placeholders as en, key by key', (lang) => {
      const source = placeholdersByKey(catalog(SOURCE_LANG, namespace));
      const target = placeholdersByKey(catalog(lang, namespace));
      const different = [...source]
        .filter(([key]) => target.has(key))
        .filter(([key, names]) => names.join() !== (target.get(key) ?? []).join())
        .map(
          ([key, names]) =>
            `${key}: en {{${names.join('}}, {{')}}}, ${lang} {{${(target.get(key) ?? []).join('}}, {{')}}}`,
        );
      expect(different).toEqual([]);
    });

    it.each(OTHER_LANGS)('%s is translated (nothing left as in en, but words the same in both)', (lang) => {
      const source = catalog(SOURCE_LANG, namespace);
      const untranslated = [...catalog(lang, namespace)]
        .filter(([key, value]) => source.get(key) === value)
        .filter(([, value]) => !words(value).every((word) => SAME_IN_BOTH.has(word)))
        .map(([key, value]) => `${key}: ${value}`);
      expect(untranslated).toEqual([]);
    });
  });
});

describe('enum labels (enums.json) against apps/api/schema.gql', () => {
  const enums = sdlEnums();

  it('finds the enums in the SDL', () => {
    expect(enums.size).toBeGreaterThan(0);
  });

  it.each(LANGS)('%s labels every value of every enum, and nothing else', (lang) => {
    const labelled = keysOf(catalog(lang, 'enums')).plain;
    const expected = [...enums].flatMap(([name, values]) => values.map((value) => `${name}.${value}`));
    expect({ missing: difference(expected, labelled), extra: difference(labelled, expected) }).toEqual({
      missing: [],
      extra: [],
    });
  });
});

describe('error messages (errors.json) against the codes the API declares', () => {
  const codes = apiErrorCodes();
  const required = [...codes, ...CLIENT_ERROR_CODES, ...Object.keys(ERROR_VARIANTS)];

  it('finds the codes in libs/common', () => {
    expect(codes).toEqual(expect.arrayContaining(['UNAUTHENTICATED', 'INTERNAL_SERVER_ERROR']));
  });

  it.each(LANGS)('%s has a message for every code, and only for codes (or their variants)', (lang) => {
    const messages = catalog(lang, 'errors');
    const unknown = [...messages.keys()].filter(
      (key) => !required.includes(key) && !codes.some((code) => key.startsWith(`${code}_`)),
    );
    expect({ missing: difference(required, messages.keys()), unknown }).toEqual({ missing: [], unknown: [] });
  });

  it.each(LANGS)('%s gives each variant its placeholders', (lang) => {
    const messages = catalog(lang, 'errors');
    for (const [key, names] of Object.entries(ERROR_VARIANTS))
      expect(placeholders(messages.get(key) ?? '').sort()).toEqual([...names].sort());
  });
});
