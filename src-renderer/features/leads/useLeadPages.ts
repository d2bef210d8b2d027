// Rows for a virtualised list of any length: only the pages the user can see are fetched
// (100 rows each), so 100 000 leads scroll without loading 100 000 rows.
import { useQueries, useQuery } from '@tanstack/react-query';
import type { LeadRow, ListInput } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import type { LeadsView } from '../../app/uiStore.js';
import { localDayStart } from '../../components/dates.js';

export const PAGE_SIZE = 100;

/** The list query a view stands for (without paging): also what "export" and saved views
 * mean by the view. */
export function leadListFilters(view: LeadsView): Omit<ListInput, 'limit' | 'offset'> {
  const filters: Record<string, string[]> = {};
  if (view.status) filters.status = [view.status];
  if (view.source) filters.source = [view.source];
  if (view.owner) filters.owner_id = [view.owner];
  if (view.campaign) filters.campaign_id = [view.campaign];
  if (view.grade) filters.grade = [view.grade];
  return {
    q: view.q.trim() || undefined,
    filters,
    sort: view.sort,
    ...(view.createdFrom ? { created_from: localDayStart(view.createdFrom) } : {}),
    ...(view.createdTo ? { created_to: localDayStart(view.createdTo, 1) } : {}),
    ...(view.overdue ? { overdue_before: localDayStart() } : {}),
    ...(Object.keys(view.custom).length
      ? { custom: Object.fromEntries(Object.entries(view.custom).map(([k, v]) => [k, [v]])) }
      : {}),
    ...(Object.keys(view.customRange).length ? { customRange: view.customRange } : {}),
  };
}

/** The part of a view that decides which rows, in which order (not how they are shown). */
function queryKeyOf(view: LeadsView) {
  const { columns: _columns, ...rest } = view;
  return rest;
}

function listInput(view: LeadsView, page: number): ListInput {
  return {
    ...leadListFilters(view),
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
    withTotal: page === 0,
  };
}

/** The first page with the total: shared (one request) by the table and the count. */
function useFirstPage(view: LeadsView) {
  return useQuery({
    queryKey: ['leads', 'list', queryKeyOf(view), 0],
    queryFn: () => api.call('leads.list', listInput(view, 0)),
    placeholderData: (prev) => prev,
  });
}

/** How many leads the view matches (for the toolbar's count). */
export function useLeadTotal(view: LeadsView): number {
  return useFirstPage(view).data?.total ?? 0;
}

export function useLeadPages(view: LeadsView, visiblePages: number[]) {
  const key = queryKeyOf(view);
  const first = useFirstPage(view);
  const rest = useQueries({
    queries: visiblePages
      .filter((p) => p > 0)
      .map((p) => ({
        queryKey: ['leads', 'list', key, p],
        queryFn: () => api.call('leads.list', listInput(view, p)),
      })),
  });
  const pages = new Map<number, LeadRow[]>();
  if (first.data) pages.set(0, first.data.rows);
  visiblePages
    .filter((p) => p > 0)
    .forEach((p, i) => {
      const rows = rest[i]?.data?.rows;
      if (rows) pages.set(p, rows);
    });
  return {
    total: first.data?.total ?? 0,
    isPending: first.isPending,
    error: first.error,
    rowAt: (index: number): LeadRow | undefined =>
      pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    /** Rows loaded so far, in list order (what "select all" and ranges work on). */
    loaded: (): { index: number; row: LeadRow }[] =>
      [...pages.entries()]
        .sort((a, b) => a[0] - b[0])
        .flatMap(([p, rows]) => rows.map((row, i) => ({ index: p * PAGE_SIZE + i, row }))),
  };
}
