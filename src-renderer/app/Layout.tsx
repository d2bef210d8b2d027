import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { LeadDetail } from '../features/leads/LeadDetail.js';
import { OpportunityPanel } from '../features/pipeline/OpportunityPanel.js';
import { HelpOverlay } from './HelpOverlay.js';
import { SyncBadge } from './SyncBadge.js';
import { pages, useUi, type Toast } from './uiStore.js';

const TOAST_MS = 3000;
const UNDO_TOAST_MS = 8000;

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const page = useUi((s) => s.page);
  const setPage = useUi((s) => s.setPage);
  const toasts = useUi((s) => s.toasts);
  const openLeadId = useUi((s) => s.openLeadId);
  // The opportunity panel belongs to the pipeline page; a lead panel takes its place.
  const openOpportunityId = useUi((s) => (s.page === 'pipeline' ? s.openOpportunityId : null));
  const side = openLeadId ? 'lead' : openOpportunityId ? 'opportunity' : null;
  const helpOpen = useUi((s) => s.helpOpen);
  const setHelpOpen = useUi((s) => s.setHelpOpen);
  return (
    <div className={side ? 'shell with-detail' : 'shell'}>
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
          <SyncBadge />
          <button type="button" className="nav" onClick={() => setHelpOpen(true)}>
            {t('help.open')} <kbd>?</kbd>
          </button>
          <LanguageSwitch id="sidebar-language" />
        </div>
      </nav>
      <main className="content">{children}</main>
      {openLeadId && <LeadDetail id={openLeadId} />}
      {side === 'opportunity' && openOpportunityId && <OpportunityPanel id={openOpportunityId} />}
      {helpOpen && <HelpOverlay onClose={() => setHelpOpen(false)} />}
      {toasts.length > 0 && (
        <div className="toasts">
          {toasts.map((toast) => (
            <ToastView key={toast.id} toast={toast} />
          ))}
        </div>
      )}
    </div>
  );
}

/** One notice: gone after a few seconds (longer when it offers Undo). */
function ToastView({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  const dismiss = useUi((s) => s.dismissToast);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(toast.id), toast.undo ? UNDO_TOAST_MS : TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  return (
    <div className="toast" role="status">
      <span>{toast.text}</span>
      {toast.undo && (
        <button
          type="button"
          onClick={() => {
            toast.undo?.();
            dismiss(toast.id);
          }}
        >
          {t('app.undo')}
        </button>
      )}
    </div>
  );
}
