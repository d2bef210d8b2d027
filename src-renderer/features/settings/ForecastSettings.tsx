// Settings › Forecast: what deals in other currencies are worth in the team's (the
// forecast and the reports add them with these rates, and say so), and the probabilities
// that put a deal in commit, best case or pipeline.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ForecastThresholds } from '../../../src-main/contract/index.js';
import { useTeamSettings } from '../../api/queries.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { ErrorWithIssues } from '../../components/ErrorWithIssues.js';
import { RemoveButton } from './RuleParts.js';

interface RateDraft {
  key: string;
  currency: string;
  rate: string;
}

export function ForecastSettings() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const settings = useTeamSettings();
  const [rates, setRates] = useState<RateDraft[] | null>(null);
  const [thresholds, setThresholds] = useState<ForecastThresholds | null>(null);
  const nextKey = useRef(0);
  useEffect(() => {
    if (!settings.data) return;
    setRates(
      Object.entries(settings.data.exchangeRates).map(([currency, rate]) => ({
        key: `r-${nextKey.current++}`,
        currency,
        rate: String(rate),
      })),
    );
    setThresholds(settings.data.forecastThresholds);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (patch: {
      exchangeRates: Record<string, number>;
      forecastThresholds: ForecastThresholds;
    }) => api.call('settings.update', patch),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['settings'] });
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
      showToast(t('forecastSettings.saved'));
    },
  });
  if (!rates || !thresholds || !settings.data) return null;
  const base = settings.data.currency;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const exchangeRates = Object.fromEntries(
      rates
        .filter((r) => r.currency.trim() !== '')
        // A rate that is not a number is sent as such and refused with its reason.
        .map((r) => [r.currency.trim().toUpperCase(), Number(r.rate.replace(',', '.'))]),
    );
    save.mutate({ exchangeRates, forecastThresholds: thresholds });
  };
  const setRate = (i: number, patch: Partial<RateDraft>) =>
    setRates(rates.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <section aria-labelledby="forecast-settings-title" className="settings-section">
      <h2 id="forecast-settings-title">{t('forecastSettings.title')}</h2>
      <form onSubmit={submit}>
        <h3>{t('forecastSettings.rates')}</h3>
        <p className="hint">{t('forecastSettings.ratesIntro', { base })}</p>
        <ul className="rule-list">
          {rates.map((r, i) => (
            <li key={r.key} className="rule-row" data-testid="rate-row">
              <span>1</span>
              <input
                aria-label={t('forecastSettings.currency')}
                className="currency-code"
                maxLength={3}
                value={r.currency}
                onChange={(e) => setRate(i, { currency: e.target.value.toUpperCase() })}
              />
              <span>=</span>
              <input
                aria-label={t('forecastSettings.rate', { currency: r.currency || '…', base })}
                inputMode="decimal"
                className="points"
                value={r.rate}
                onChange={(e) => setRate(i, { rate: e.target.value })}
              />
              <span>{base}</span>
              <RemoveButton onClick={() => setRates(rates.filter((_, j) => j !== i))} />
            </li>
          ))}
        </ul>
        <button
          type="button"
          onClick={() =>
            setRates([...rates, { key: `r-${nextKey.current++}`, currency: '', rate: '' }])
          }
        >
          {t('forecastSettings.addRate')}
        </button>
        <h3>{t('forecastSettings.categories')}</h3>
        <p className="hint">{t('forecastSettings.categoriesIntro')}</p>
        <div className="row wrap">
          {(['commit', 'bestCase', 'pipeline'] as const).map((k) => (
            <label key={k} className="field">
              <span>{t(`forecastSettings.threshold.${k}`)}</span>
              <input
                type="number"
                min={0}
                max={100}
                className="points"
                value={Number.isFinite(thresholds[k]) ? thresholds[k] : ''}
                onChange={(e) =>
                  setThresholds({
                    ...thresholds,
                    [k]: e.target.value === '' ? Number.NaN : Number(e.target.value),
                  })
                }
              />
            </label>
          ))}
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('forecastSettings.save')}
          </button>
        </div>
        <ErrorWithIssues error={save.error} />
      </form>
    </section>
  );
}
