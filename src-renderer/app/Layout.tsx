import { PanelLeftClose, PanelLeftOpen } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { LeadDetail } from '../features/leads/LeadDetail.js';
import { OpportunityPanel } from '../features/pipeline/OpportunityPanel.js';
import { HelpOverlay } from './HelpOverlay.js';
import { navIcons } from './navIcons.js';
import { useNarrowWindow } from './useNarrowWindow.js';
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
  // Icons only: the user's choice in a wide window; always in a narrow one (under
  // 1200 px), where the toggle opens the full sidebar over the page for a moment.
  const collapsedByChoice = useUi((s) => s.sidebarCollapsed);
  const setCollapsed = useUi((s) => s.setSidebarCollapsed);
  const narrow = useNarrowWindow();
  const [openOver, setOpenOver] = useState(false);
  useEffect(() => setOpenOver(false), [narrow, page]);
  const collapsed = narrow ? !openOver : collapsedByChoice;
  const toggle = () => (narrow ? setOpenOver(!openOver) : setCollapsed(!collapsedByChoice));
  const shellClass = [
    'shell',
    side ? 'with-detail' : '',
    narrow ? 'narrow' : '',
    collapsed ? 'nav-collapsed' : '',
    narrow && openOver ? 'nav-over' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const ToggleIcon = collapsed ? PanelLeftOpen : PanelLeftClose;
  return (
    <div className={shellClass}>
      <nav className="sidebar" aria-label={t('app.name')}>
        <div className="brand">
          <strong>{collapsed ? t('app.name').slice(0, 1) : t('app.name')}</strong>
          {!collapsed && <span className="muted">{t('app.tagline')}</span>}
        </div>
        <button
          type="button"
          className="nav nav-toggle"
          aria-expanded={!collapsed}
          aria-label={collapsed ? t('nav.expand') : t('nav.collapse')}
          title={collapsed ? t('nav.expand') : t('nav.collapse')}
          onClick={toggle}
        >
          <ToggleIcon size={18} aria-hidden />
        </button>
        <ul>
          {pages.map((p) => {
            const Icon = navIcons[p];
            return (
              <li key={p}>
                <button
                  className={p === page ? 'nav active' : 'nav'}
                  aria-current={p === page ? 'page' : undefined}
                  title={collapsed ? t(`nav.${p}`) : undefined}
                  onClick={() => setPage(p)}
                >
                  <Icon size={18} aria-hidden className="nav-icon" />
                  <span className="nav-label">{t(`nav.${p}`)}</span>
                </button>
              </li>
            );
          })}
        </ul>
        <div className="sidebar-foot">
          <SyncBadge />
          <button
            type="button"
            className="nav"
            title={collapsed ? t('help.open') : undefined}
            onClick={() => setHelpOpen(true)}
          >
            <span className="nav-label">{t('help.open')}</span> <kbd>?</kbd>
          </button>
          {!collapsed && <LanguageSwitch id="sidebar-language" />}
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
