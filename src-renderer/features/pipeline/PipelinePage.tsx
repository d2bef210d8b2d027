import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { StageRow } from '../../../src-main/contract/index.js';
import { Page } from '../../components/Page.js';
import { api } from '../../api/client.js';
import { errorText } from '../../components/errors.js';
import { formatMoney } from '../../components/format.js';
import { useUi } from '../../app/uiStore.js';

/** Read-only board: each stage with its deals, in board order. Drag-and-drop, totals and
 * stale flags come with the pipeline issue. */
export function PipelinePage() {
  const { t, i18n } = useTranslation();
  const openId = useUi((s) => s.openOpportunityId);
  const stages = useQuery({
    queryKey: ['stages', 'board'],
    queryFn: () =>
      api.call('stages.list', { sort: { field: 'sort_order', dir: 'asc' }, limit: 100 }),
  });
  const columns = useQueries({
    queries: (stages.data?.rows ?? []).map((s: StageRow) => ({
      queryKey: ['opportunities', 'stage', s.id],
      queryFn: () =>
        api.call('opportunities.list', {
          filters: { stage_id: [s.id] },
          sort: { field: 'stage_position', dir: 'asc' },
          limit: 50,
        }),
    })),
  });
  if (stages.error)
    return (
      <p role="alert" className="error">
        {errorText(stages.error)}
      </p>
    );
  const stageName = (s: StageRow) => (i18n.language === 'zh-CN' ? s.name_zh : s.name_en);
  return (
    <Page title={t('pipeline.title')}>
      <div className="board">
        {(stages.data?.rows ?? []).map((s, i) => {
          const list = columns[i]?.data;
          return (
            <section key={s.id} className="column" aria-label={stageName(s) ?? ''}>
              <header>
                <strong>{stageName(s)}</strong> <span className="muted">{s.probability}%</span>
                <div className="muted">{t('pipeline.deals', { count: list?.total ?? 0 })}</div>
              </header>
              {list?.rows.length === 0 && <p className="muted">{t('pipeline.empty')}</p>}
              {list?.rows.map((o) => (
                <article
                  key={o.id}
                  className={o.id === openId ? 'card current' : 'card'}
                  aria-current={o.id === openId ? 'true' : undefined}
                >
                  <div>{o.name}</div>
                  <div className="muted">{formatMoney(o.amount, o.currency, i18n.language)}</div>
                </article>
              ))}
            </section>
          );
        })}
      </div>
    </Page>
  );
}
