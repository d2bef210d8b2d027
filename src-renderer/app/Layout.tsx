import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { useUi, type Page } from './uiStore.js';

const pages: Page[] = ['leads', 'pipeline', 'activities', 'reports', 'settings'];

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const page = useUi((s) => s.page);
  const setPage = useUi((s) => s.setPage);
  const toast = useUi((s) => s.toast);
  const showToast = useUi((s) => s.showToast);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => showToast(null), 3000);
    return () => clearTimeout(timer);
  }, [toast, showToast]);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('app.name')}>
        <div className="brand">
          <strong>{t('app.name')}</strong>
          <span className="muted">{t('app.tagline')}</span>
        </div>
        <ul>
          {pages.map((p) => (
            <li key={p}>
              <button
                className={p === page ? 'nav active' : 'nav'}
                aria-current={p === page ? 'page' : undefined}
                onClick={() => setPage(p)}
              >
                {t(`nav.${p}`)}
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <LanguageSwitch id="sidebar-language" />
        </div>
      </nav>
      <main className="content">{children}</main>
      {toast && (
        <div className="toast" role="status">
          {toast}
        </div>
      )}
    </div>
  );
}
