import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { formatPercent } from '../../components/format.js';

/** "Rebuilding the search index… 42 %" while an upgrade's re-index runs in the background
 * (search answers from the old index meanwhile); lists refresh when it is done. */
export function SearchIndexNote() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const state = useQuery({
    queryKey: ['search', 'index'],
    queryFn: () => api.call('search.indexState', {}),
    refetchInterval: (q) => (q.state.data?.rebuilding ? 1000 : false),
  });
  const rebuilding = state.data?.rebuilding ?? false;
  const was = useRef(false);
  useEffect(() => {
    if (was.current && !rebuilding) void queryClient.invalidateQueries({ queryKey: ['leads'] });
    was.current = rebuilding;
  }, [rebuilding, queryClient]);
  if (!state.data?.rebuilding) return null;
  const { done, total } = state.data;
  return (
    <p role="status" className="muted search-index-note" data-testid="search-index-note">
      {t('leads.searchIndexRebuilding', {
        share: formatPercent(total ? done / total : 0, i18n.language),
      })}
    </p>
  );
}
