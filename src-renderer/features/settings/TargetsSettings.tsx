// Settings › Forecast › Targets: the team's and each rep's target for a month or a
// quarter, typed in place (also editable in the Forecast page's table).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useTeamSettings, useUsers } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { isoDay } from '../../components/dates.js';
import { ErrorWithIssues } from '../../components/ErrorWithIssues.js';
import { majorToMinor, minorToMajorText } from '../../components/format.js';

/** 'YYYY-MM' of today, the user's own. */
const thisMonth = () => isoDay().slice(0, 7);

export function TargetsSettings() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState(thisMonth);
  const [quarter, setQuarter] = useState(false);
  const quarterKey = `${period.slice(0, 4)}-Q${Math.ceil(Number(period.slice(5, 7)) / 3)}`;
  const key = quarter ? quarterKey : period;
  const users = useUsers();
  const settings = useTeamSettings();
  const targets = useQuery({
    queryKey: ['reports', 'targets', key],
    queryFn: () => api.call('targets.list', { periods: [key] }),
  });
  const currency = settings.data?.currency ?? 'CNY';
  const rows: { id: string | null; name: string }[] = [
    { id: null, name: t('forecast.team') },
    ...(users.data ?? [])
      .filter((u) => u.active !== 0)
      .map((u) => ({ id: u.id, name: u.name ?? '' })),
  ];
  return (
    <section aria-labelledby="targets-title" className="settings-section">
      <h3 id="targets-title">{t('targetsSettings.title')}</h3>
      <p className="hint">{t('targetsSettings.intro')}</p>
      <div className="row wrap">
        <label>
          {t('targetsSettings.month')}{' '}
          <input
            type="month"
            name="target-month"
            value={period}
            onChange={(e) => e.target.value && setPeriod(e.target.value)}
          />
        </label>
        <label>
          <input type="checkbox" checked={quarter} onChange={(e) => setQuarter(e.target.checked)} />{' '}
          {t('targetsSettings.wholeQuarter', { quarter: quarterKey })}
        </label>
      </div>
      <table className="report-table" data-testid="targets-table">
        <thead>
          <tr>
            <th>{t('fields.owner_id')}</th>
            <th className="num">{t('targetsSettings.target', { period: key, currency })}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const row = targets.data?.find((x) => x.user_id === r.id);
            return (
              <tr key={r.id ?? 'team'}>
                <th scope="row">{r.name}</th>
                <td className="num">
                  <TargetInput
                    key={`${key}:${row?.amount ?? ''}`}
                    label={t('targetsSettings.targetOf', { who: r.name, period: key })}
                    userId={r.id}
                    period={key}
                    currency={row?.currency ?? currency}
                    amount={row?.amount ?? null}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function TargetInput({
  label,
  userId,
  period,
  currency,
  amount,
}: {
  label: string;
  userId: string | null;
  period: string;
  currency: string;
  amount: number | null;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const stored = amount === null ? '' : minorToMajorText(amount, currency);
  const [text, setText] = useState(stored);
  const [bad, setBad] = useState(false);
  const save = useMutation({
    mutationFn: (value: number | null) =>
      api.call('targets.set', { user_id: userId, period, amount: value, currency }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
      showToast(t('forecast.targetSaved', { period }));
    },
  });
  const commit = () => {
    if (text === stored) return;
    const value = text.trim() === '' ? null : majorToMinor(text, currency);
    if (value !== null && Number.isNaN(value)) return setBad(true);
    setBad(false);
    save.mutate(value);
  };
  return (
    <>
      <input
        className="target-input"
        inputMode="decimal"
        aria-label={label}
        aria-invalid={bad || undefined}
        placeholder="—"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {bad && <small className="error">{t('errors.amount')}</small>}
      <ErrorWithIssues error={save.error} />
    </>
  );
}
