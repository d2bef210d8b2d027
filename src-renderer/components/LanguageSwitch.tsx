import { useTranslation } from 'react-i18next';
import { locales, type Locale } from '../../src-main/contract/index.js';
import { setLocale } from '../i18n/index.js';

const names: Record<Locale, string> = { 'zh-CN': '简体中文', en: 'English' };

export function LanguageSwitch({ id = 'language-switch' }: { id?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <label className="inline-field" htmlFor={id}>
      <span className="sr-only">{t('app.language')}</span>
      <select
        id={id}
        aria-label={t('app.language')}
        value={i18n.language}
        onChange={(e) => setLocale(e.target.value as Locale)}
      >
        {locales.map((l) => (
          <option key={l} value={l}>
            {names[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
