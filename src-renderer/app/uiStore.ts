// UI state only (which page, filters, open panels); server data lives in the query cache.
import { create } from 'zustand';
import type { Grade, LeadSource, LeadStatus } from '../../src-main/contract/index.js';

export type Page =
  | 'home'
  | 'capture'
  | 'leads'
  | 'imports'
  | 'duplicates'
  | 'pipeline'
  | 'forecast'
  | 'activities'
  | 'reports'
  | 'settings';
export const pages: readonly Page[] = [
  'home',
  'capture',
  'leads',
  'imports',
  'duplicates',
  'pipeline',
  'forecast',
  'activities',
  'reports',
  'settings',
];
export type Theme = 'system' | 'light' | 'dark';

/** Columns the leads table can show; each sorts on the lead column of the same name. */
export const leadColumnFields = [
  'name',
  'company',
  'title',
  'email',
  'phone',
  'mobile',
  'wechat',
  'source',
  'status',
  'owner_id',
  'campaign_id',
  'grade',
  'score',
  'industry',
  'city',
  'next_step_date',
  'created_at',
  'updated_at',
] as const;
/** A built-in column, or a custom field's (`cf.<key>`). */
export type LeadSortField = (typeof leadColumnFields)[number] | `cf.${string}`;
/** Whether a stored column name is one this version can show. */
export const isLeadColumn = (c: unknown): c is LeadSortField =>
  (leadColumnFields as readonly unknown[]).includes(c) ||
  (typeof c === 'string' && /^cf\.[a-z][a-z0-9_]{0,39}$/.test(c));
/** The score and grade come right after the name: they are why a rep opens the list. */
export const defaultLeadColumns: LeadSortField[] = [
  'name',
  'grade',
  'score',
  'company',
  'title',
  'phone',
  'email',
  'source',
  'status',
  'owner_id',
  'campaign_id',
  'created_at',
];

/** Either end of a range of a number (a number) or a date (YYYY-MM-DD) field. */
export interface CustomRange {
  min?: number | string;
  max?: number | string;
}

/** Everything that decides which leads the list shows and how: a saved view stores this. */
export interface LeadsView {
  q: string;
  status: LeadStatus | '';
  source: LeadSource | '';
  owner: string;
  campaign: string;
  grade: Grade | '';
  /** YYYY-MM-DD, inclusive, in the user's time zone. */
  createdFrom: string;
  createdTo: string;
  overdue: boolean;
  /** Custom field key → the value (stored form) the leads must hold. */
  custom: Record<string, string>;
  /** Custom number or date field key → the range its value must lie in. */
  customRange: Record<string, CustomRange>;
  sort: { field: LeadSortField; dir: 'asc' | 'desc' };
  /** In the order shown; the name is always first (pinned). */
  columns: LeadSortField[];
  /** Column → its width in pixels, when the user resized it. */
  widths: Record<string, number>;
}

/** What decides which leads the list shows (not how its columns look): a change of it
 * starts the list from the top again and clears the selection. */
export const leadsFilterKey = (view: LeadsView) =>
  JSON.stringify({ ...view, columns: undefined, widths: undefined });

export const defaultLeadsView: LeadsView = {
  q: '',
  status: '',
  source: '',
  owner: '',
  campaign: '',
  grade: '',
  createdFrom: '',
  createdTo: '',
  overdue: false,
  custom: {},
  customRange: {},
  sort: { field: 'created_at', dir: 'desc' },
  columns: defaultLeadColumns,
  widths: {},
};

export const settingsTabs = [
  'general',
  'scoring',
  'assignment',
  'fields',
  'stages',
  'forecast',
  'sync',
  'security',
  'backups',
  'data',
] as const;
export type SettingsTab = (typeof settingsTabs)[number];

interface UiState {
  page: Page;
  theme: Theme;
  leads: LeadsView;
  /** The lead open in the detail panel. */
  openLeadId: string | null;
  /** The user's choice for a wide window (a narrow one always starts with icons only). */
  sidebarCollapsed: boolean;
  helpOpen: boolean;
  /** The opportunity to show on the pipeline page (just converted). */
  openOpportunityId: string | null;
  /** The Settings tab shown (kept while moving between pages). */
  settingsTab: SettingsTab;
  /** An invite link that opened the app, waiting in Join a team for the person to confirm. */
  joinLink: string | null;
  /** Notices at the bottom, newest last: a few at once, so one never hides another (an
   * import stopping while a captured lead is saved). */
  toasts: Toast[];
  setPage(page: Page): void;
  setTheme(theme: Theme): void;
  setLeads(patch: Partial<LeadsView>): void;
  openLead(id: string | null): void;
  setSidebarCollapsed(collapsed: boolean): void;
  setHelpOpen(open: boolean): void;
  setSettingsTab(tab: SettingsTab): void;
  /** Shows Settings › Team sync with this invite link filled in (null: taken). */
  offerJoinLink(link: string | null): void;
  /** Goes to the pipeline with this opportunity shown. */
  showOpportunity(id: string | null): void;
  showToast(text: string, undo?: () => void): void;
  dismissToast(id: number): void;
}

export interface Toast {
  id: number;
  text: string;
  undo?: () => void;
}
const MAX_TOASTS = 3;
let toastSeq = 0;

const THEME_KEY = 'leadbook.theme';
const COLUMNS_KEY = 'leadbook.leadColumns';
const WIDTHS_KEY = 'leadbook.leadColumnWidths';
const SIDEBAR_KEY = 'leadbook.sidebarCollapsed';
// Guarded so the module's constants can be imported outside a browser (tests).
const storage: Pick<Storage, 'getItem' | 'setItem'> | null =
  typeof localStorage === 'undefined' ? null : localStorage;
const storedTheme = storage?.getItem(THEME_KEY);

function storedColumns(): LeadSortField[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(COLUMNS_KEY) ?? 'null');
    return Array.isArray(parsed) ? withNameFirst(parsed) : defaultLeadColumns;
  } catch {
    return defaultLeadColumns;
  }
}

/** Stored columns as this version shows them: known ones, once each, the name first (it
 * is pinned on the left); none known → the default columns. */
export function withNameFirst(columns: readonly unknown[]): LeadSortField[] {
  const valid = [...new Set(columns.filter(isLeadColumn))];
  if (!valid.length) return defaultLeadColumns;
  return ['name', ...valid.filter((c) => c !== 'name')];
}

/** Stored widths as this version takes them: column → whole pixels. */
export function validWidths(value: unknown): Record<string, number> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (e): e is [string, number] =>
        isLeadColumn(e[0]) && typeof e[1] === 'number' && Number.isInteger(e[1]) && e[1] > 0,
    ),
  );
}

function storedWidths(): Record<string, number> {
  try {
    return validWidths(JSON.parse(storage?.getItem(WIDTHS_KEY) ?? 'null'));
  } catch {
    return {};
  }
}

export const useUi = create<UiState>((set) => ({
  // Home: the dashboard a rep opens the app for (an empty database starts on the leads).
  page: 'home',
  theme: storedTheme === 'light' || storedTheme === 'dark' ? storedTheme : 'system',
  leads: { ...defaultLeadsView, columns: storedColumns(), widths: storedWidths() },
  sidebarCollapsed: storage?.getItem(SIDEBAR_KEY) === '1',
  openLeadId: null,
  helpOpen: false,
  settingsTab: 'general',
  joinLink: null,
  openOpportunityId: null,
  toasts: [],
  setPage: (page) => set({ page }),
  setTheme: (theme) => {
    storage?.setItem(THEME_KEY, theme);
    set({ theme });
  },
  setLeads: (patch) =>
    set((s) => {
      if (patch.columns) storage?.setItem(COLUMNS_KEY, JSON.stringify(patch.columns));
      if (patch.widths) storage?.setItem(WIDTHS_KEY, JSON.stringify(patch.widths));
      return { leads: { ...s.leads, ...patch } };
    }),
  openLead: (openLeadId) => set({ openLeadId }),
  setSidebarCollapsed: (sidebarCollapsed) => {
    storage?.setItem(SIDEBAR_KEY, sidebarCollapsed ? '1' : '0');
    set({ sidebarCollapsed });
  },
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setSettingsTab: (settingsTab) => set({ settingsTab }),
  offerJoinLink: (joinLink) =>
    set(joinLink ? { joinLink, page: 'settings', settingsTab: 'sync' } : { joinLink: null }),
  showOpportunity: (openOpportunityId) =>
    set(
      openOpportunityId
        ? { openOpportunityId, page: 'pipeline', openLeadId: null }
        : { openOpportunityId },
    ),
  showToast: (text, undo) =>
    set((s) => ({
      toasts: [...s.toasts, { id: ++toastSeq, text, ...(undo && { undo }) }].slice(-MAX_TOASTS),
    })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
