// Rows for a virtualised list of any length: only the pages the user can see are fetched
// (100 rows each), so 100 000 leads scroll without loading 100 000 rows.
import { useQueries, useQuery } from '@tanstack/react-query';
import type { LeadRow, ListInput } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import type { LeadsView } from '../../app/uiStore.js';

export const PAGE_SIZE = 100;

function listInput(view: LeadsView, page: number): ListInput {
  const filters: Record<string, string[]> = {};
  if (view.status) filters.status = [view.status];
  if (view.source) filters.source = [view.source];
  return {
    q: view.q.trim() || undefined,
    filters,
    sort: view.sort,
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
    withTotal: page === 0,
  };
}

export function useLeadPages(view: LeadsView, visiblePages: number[]) {
  const first = useQuery({
    queryKey: ['leads', 'list', view, 0],
    queryFn: () => api.call('leads.list', listInput(view, 0)),
    placeholderData: (prev) => prev,
  });
  const rest = useQueries({
    queries: visiblePages
      .filter((p) => p > 0)
      .map((p) => ({
        queryKey: ['leads', 'list', view, p],
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
  };
}
