import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../src-main/contract/index.js';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';

const LANG_KEY = 'leadbook.lang';

export function detectLocale(stored: string | null, browser: readonly string[]): Locale {
  if (stored === 'zh-CN' || stored === 'en') return stored;
  const first = browser.find((l) => /^(zh|en)/i.test(l)) ?? 'en';
  return first.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const initialLocale = detectLocale(
  localStorage.getItem(LANG_KEY),
  navigator.languages ?? [navigator.language],
);

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLocale,
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
document.documentElement.lang = initialLocale;

export function setLocale(locale: Locale): void {
  localStorage.setItem(LANG_KEY, locale);
  document.documentElement.lang = locale;
  void i18next.changeLanguage(locale);
}

export default i18next;
