// Dates, times and numbers through Intl, in the person's language.
import { useTranslation } from 'react-i18next';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function relativeTime(iso: string, language: string, now = Date.now()): string {
  const diff = Date.parse(iso) - now;
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms) return format.format(Math.round(diff / ms), unit);
  return format.format(0, 'minute');
}

export function useFormat() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return {
    relative: (iso: string) => relativeTime(iso, language),
    dateTime: (iso: string, timeZone?: string) =>
      new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso)),
    time: (iso: string, timeZone?: string) =>
      new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone }).format(new Date(iso)),
    date: (iso: string) => new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(iso)),
    number: (n: number) => new Intl.NumberFormat(language).format(n),
    distanceKm: (km: number) =>
      new Intl.NumberFormat(language, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }).format(km),
  };
}
