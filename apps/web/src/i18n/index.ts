// English and Spanish, one catalog per feature (namespaces), the same keys in both (a jest test checks parity).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import enCommon from './en/common.json';
import esCommon from './es/common.json';
import enEnums from './en/enums.json';
import esEnums from './es/enums.json';
import enErrors from './en/errors.json';
import esErrors from './es/errors.json';
import enStaff from './en/staff.json';
import esStaff from './es/staff.json';
import enAdvocate from './en/advocate.json';
import esAdvocate from './es/advocate.json';
import enCoordinator from './en/coordinator.json';
import esCoordinator from './es/coordinator.json';
import enAdmin from './en/admin.json';
import esAdmin from './es/admin.json';

export const resources = {
  en: {
    common: enCommon,
    enums: enEnums,
    errors: enErrors,
    staff: enStaff,
    advocate: enAdvocate,
    coordinator: enCoordinator,
    admin: enAdmin,
  },
  es: {
    common: esCommon,
    enums: esEnums,
    errors: esErrors,
    staff: esStaff,
    advocate: esAdvocate,
    coordinator: esCoordinator,
    admin: esAdmin,
  },
} as const;

export type Language = keyof typeof resources;
export const LANGUAGES: readonly Language[] = ['en', 'es'];
const STORAGE_KEY = 'shelterlink.language';

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'es') return saved;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export async function setupI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: initialLanguage(),
    fallbackLng: false,
    defaultNS: 'common',
    ns: Object.keys(resources.en),
    interpolation: { escapeValue: false },
    returnNull: false,
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
    resources: (typeof resources)['en'];
  }
}
