// Settings › the predictive model's backtest (the same report as `leadbook report
// scoring`): how well the chance to win, learned from older closed leads, predicted the
// newest ones. Run on request: it reads every closed lead.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useFieldLabel, useNames } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { formatNumber } from '../../components/format.js';
import { fieldLabel } from './ConditionEditor.js';

export function ModelReportView() {
  const { t, i18n } = useTranslation();
  const labelOf = useFieldLabel((f) => fieldLabel(f, t));
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const report = useMutation({ mutationFn: () => api.call('scoring.report', {}) });
  const rebuild = useMutation({
    mutationFn: () => api.call('scoring.rebuildModel', {}),
    onSuccess: (m) => {
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      void queryClient.invalidateQueries({ queryKey: ['scoring', 'rescore'] });
      showToast(
        m.inBackground
          ? t('model.rebuiltBackground', { won: m.won, lost: m.lost })
          : t('model.rebuilt', { won: m.won, lost: m.lost, rescored: m.rescored }),
      );
      report.mutate();
    },
  });
  const fmt = (n: number | null, digits = 3) =>
    n === null
      ? '—'
      : new Intl.NumberFormat(i18n.language, {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        }).format(n);
  const pct = (n: number) =>
    new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(n);
  const names = useNames();
  const r = report.data;
  return (
    <section aria-labelledby="model-title" className="model-report">
      <h3 id="model-title">{t('model.title')}</h3>
      <p className="hint">{t('model.intro')}</p>
      <div className="row">
        <button type="button" onClick={() => report.mutate()} disabled={report.isPending}>
          {t('model.run')}
        </button>
        <button type="button" onClick={() => rebuild.mutate()} disabled={rebuild.isPending}>
          {t('model.rebuild')}
        </button>
      </div>
      {(report.error || rebuild.error) && (
        <p role="alert" className="error">
          {errorText(report.error ?? rebuild.error)}
        </p>
      )}
      {r && (
        <div data-testid="model-report">
          <p>
            {t('model.counts', {
              closed: formatNumber(r.closed, i18n.language),
              trainWon: r.train.won,
              trainLost: r.train.lost,
              testWon: r.test.won,
              testLost: r.test.lost,
            })}
          </p>
          {r.auc === null ? (
            <p>{t('model.notEnough')}</p>
          ) : (
            <>
              <dl className="figures">
                <dt>{t('model.auc')}</dt>
                <dd data-testid="model-auc">{fmt(r.auc)}</dd>
                <dt>{t('model.logLoss')}</dt>
                <dd>{fmt(r.logLoss)}</dd>
                <dt>{t('model.baseline')}</dt>
                <dd>{fmt(r.baselineLogLoss)}</dd>
                {r.holdout && (
                  <>
                    <dt>{t('model.holdout', { test: r.holdout.test })}</dt>
                    <dd data-testid="model-holdout-auc">{fmt(r.holdout.auc)}</dd>
                    <dt>{t('model.logistic')}</dt>
                    <dd data-testid="model-logistic-auc">{fmt(r.holdout.logisticAuc)}</dd>
                  </>
                )}
              </dl>
              <table className="calibration">
                <caption>{t('model.calibration')}</caption>
                <thead>
                  <tr>
                    <th>{t('model.decile')}</th>
                    <th>{t('model.predicted')}</th>
                    <th>{t('model.actual')}</th>
                    <th>{t('model.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.calibration.map((c) => (
                    <tr key={c.decile}>
                      <td>{c.decile}</td>
                      <td className="num">{pct(c.predicted)}</td>
                      <td className="num">{pct(c.actual)}</td>
                      <td className="num">{c.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {r.topFactors.length > 0 && (
            <table className="factors">
              <caption>{t('model.factors')}</caption>
              <thead>
                <tr>
                  <th>{t('model.factor')}</th>
                  <th>{t('model.weight')}</th>
                  <th>{t('model.wonLost')}</th>
                </tr>
              </thead>
              <tbody>
                {r.topFactors.map((f) => (
                  <tr key={`${f.field}=${f.value}`}>
                    <td>
                      {labelOf(f.field)} ={' '}
                      {f.field === 'campaign_id'
                        ? (names.campaigns.get(f.value) ?? f.value)
                        : t(`score.values.${f.field}.${f.value}`, {
                            defaultValue: t(`bant.${f.field}.${f.value}`, {
                              defaultValue: t(`source.${f.value}`, { defaultValue: f.value }),
                            }),
                          })}
                    </td>
                    <td className="num">{fmt(f.weight, 2)}</td>
                    <td className="num">
                      {f.won} / {f.lost}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
