// The opportunity beside the board: where a conversion lands. Read-only for now — what
// it is, for whom, how much, where in the funnel, and the lead it came from; editing and
// the stage timeline come with the rest of the pipeline work.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useNames } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { formatMoney } from '../../components/format.js';

export function OpportunityPanel({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const showOpportunity = useUi((s) => s.showOpportunity);
  const openLead = useUi((s) => s.openLead);
  const setPage = useUi((s) => s.setPage);
  const names = useNames();
  const opp = useQuery({
    queryKey: ['opportunities', 'detail', id],
    queryFn: () => api.call('opportunities.get', { id }),
  });
  const account = useQuery({
    queryKey: ['accounts', 'detail', opp.data?.account_id],
    queryFn: () => api.call('accounts.get', { id: opp.data!.account_id! }),
    enabled: !!opp.data?.account_id,
  });
  const contact = useQuery({
    queryKey: ['contacts', 'detail', opp.data?.contact_id],
    queryFn: () => api.call('contacts.get', { id: opp.data!.contact_id! }),
    enabled: !!opp.data?.contact_id,
  });
  const stage = useQuery({
    queryKey: ['stages', 'detail', opp.data?.stage_id],
    queryFn: () => api.call('stages.get', { id: opp.data!.stage_id! }),
    enabled: !!opp.data?.stage_id,
  });
  const close = () => showOpportunity(null);
  if (opp.error)
    return (
      <aside className="detail panel" role="alert">
        {errorText(opp.error)} <button onClick={close}>{t('form.close')}</button>
      </aside>
    );
  const o = opp.data;
  if (!o) return <aside className="detail panel">{t('app.loading')}</aside>;
  const stageName = stage.data
    ? i18n.language === 'zh-CN'
      ? stage.data.name_zh
      : stage.data.name_en
    : '';
  const rows: [string, string][] = [
    [t('opportunity.account'), account.data?.name ?? ''],
    [t('opportunity.contact'), contact.data?.name ?? ''],
    [t('opportunity.amount'), formatMoney(o.amount, o.currency, i18n.language)],
    [t('opportunity.stage'), stageName ? `${stageName} · ${stage.data?.probability ?? 0}%` : ''],
    [t('opportunity.expectedClose'), o.expected_close_date ?? ''],
    [t('fields.owner_id'), o.owner_id ? (names.users.get(o.owner_id) ?? '') : ''],
    [t('fields.source'), o.source ? t(`source.${o.source}`) : ''],
    [t('fields.campaign_id'), o.campaign_id ? (names.campaigns.get(o.campaign_id) ?? '') : ''],
  ];
  return (
    <aside
      className="detail panel"
      aria-label={t('opportunity.title', { name: o.name })}
      data-testid="opportunity-panel"
    >
      <header className="detail-head">
        <h2>{o.name}</h2>
        <button type="button" aria-label={t('form.close')} onClick={close}>
          ✕
        </button>
      </header>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v || '—'}</dd>
          </div>
        ))}
      </dl>
      {o.lead_id && (
        <button
          type="button"
          className="link"
          onClick={() => {
            setPage('leads');
            openLead(o.lead_id);
          }}
        >
          {t('opportunity.openLead')}
        </button>
      )}
    </aside>
  );
}
