// UI state only (which page, filters, open panels); server data lives in the query cache.
import { create } from 'zustand';
import type { LeadSource, LeadStatus } from '../../src-main/contract/index.js';

export type Page = 'leads' | 'pipeline' | 'activities' | 'reports' | 'settings';
export type Theme = 'system' | 'light' | 'dark';
export type LeadSortField =
  'name' | 'company' | 'title' | 'email' | 'phone' | 'source' | 'status' | 'grade' | 'created_at';

export interface LeadsView {
  q: string;
  status: LeadStatus | '';
  source: LeadSource | '';
  sort: { field: LeadSortField; dir: 'asc' | 'desc' };
}

interface UiState {
  page: Page;
  theme: Theme;
  leads: LeadsView;
  creatingLead: boolean;
  toast: string | null;
  setPage(page: Page): void;
  setTheme(theme: Theme): void;
  setLeads(patch: Partial<LeadsView>): void;
  setCreatingLead(open: boolean): void;
  showToast(text: string | null): void;
}

const THEME_KEY = 'leadbook.theme';
const storedTheme = localStorage.getItem(THEME_KEY);

export const useUi = create<UiState>((set) => ({
  page: 'leads',
  theme: storedTheme === 'light' || storedTheme === 'dark' ? storedTheme : 'system',
  leads: { q: '', status: '', source: '', sort: { field: 'created_at', dir: 'desc' } },
  creatingLead: false,
  toast: null,
  setPage: (page) => set({ page }),
  setTheme: (theme) => {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  setLeads: (patch) => set((s) => ({ leads: { ...s.leads, ...patch } })),
  setCreatingLead: (creatingLead) => set({ creatingLead }),
  showToast: (toast) => set({ toast }),
}));
