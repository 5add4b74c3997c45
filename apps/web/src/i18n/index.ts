// English and Spanish, one catalog per feature (namespace), the same keys in both (a jest test checks parity).
// Catalogs load on demand, each its own small chunk: the namespaces a person's screens use (the shared ones at start,
// their role's with its section), in both languages.
import i18next, { type BackendModule, type ReadCallback, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';

export type Language = 'en' | 'es';
export const LANGUAGES: readonly Language[] = ['en', 'es'];
/** Loaded before the first screen: the shell's words, enum labels and error messages. */
const SHARED = ['common', 'enums', 'errors'] as const;
const STORAGE_KEY = 'shelterlink.language';

const catalogs = import.meta.glob<ResourceKey>('./*/*.json', { import: 'default' });

const backend: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language: string, namespace: string, callback: ReadCallback) {
    const load = catalogs[`./${language}/${namespace}.json`];
    if (!load) return callback(new Error(`no catalog ${language}/${namespace}`), false);
    load().then(
      (data) => callback(null, data),
      (error: Error) => callback(error, true), // a network failure: i18next retries
    );
  },
};

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'es') return saved;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** The role section the address points at, whose catalog is worth loading with the shared ones. */
function sectionNamespace(): string[] {
  const section = /^\/app\/(staff|advocate|coordinator|admin)(\/|$)/.exec(window.location.pathname)?.[1];
  return section ? [section] : [];
}

export async function setupI18n(): Promise<void> {
  await i18next
    .use(backend)
    .use(initReactI18next)
    .init({
      lng: initialLanguage(),
      supportedLngs: [...LANGUAGES],
      fallbackLng: false,
      load: 'currentOnly',
      // both languages load (side by side, a few kB each), so switching works offline too: a phone at a shelter
      // may lose its connection at any time
      preload: [...LANGUAGES],
      defaultNS: 'common',
      ns: [...SHARED, ...sectionNamespace()],
      interpolation: { escapeValue: false },
      returnNull: false,
      react: { useSuspense: true },
    });
  document.documentElement.lang = i18next.language;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
    localStorage.setItem(STORAGE_KEY, lng);
  });
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      common: typeof import('./en/common.json');
      enums: typeof import('./en/enums.json');
      errors: typeof import('./en/errors.json');
      staff: typeof import('./en/staff.json');
      advocate: typeof import('./en/advocate.json');
      coordinator: typeof import('./en/coordinator.json');
      admin: typeof import('./en/admin.json');
    };
  }
}
