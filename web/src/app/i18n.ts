import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../i18n/en.json';

export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Record<string, unknown> }>> = {
  fr: () => import('../i18n/fr.json'),
  es: () => import('../i18n/es.json'),
};

function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** The first of the browser's preferred languages that Casebook speaks, else English. */
export function browserLanguage(): Language {
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** The user's setting wins; without one we follow the browser. Non-English bundles load on demand. */
export async function setLanguage(wanted: string | null | undefined): Promise<void> {
  const language = wanted && isLanguage(wanted) ? wanted : browserLanguage();
  if (language !== 'en' && !i18next.hasResourceBundle(language, 'translation')) {
    const bundle = await loaders[language]();
    i18next.addResourceBundle(language, 'translation', bundle.default, true, true);
  }
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

export async function initI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  await setLanguage(browserLanguage());
}
