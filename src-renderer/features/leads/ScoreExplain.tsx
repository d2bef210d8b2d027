import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  defaultScoringConfig,
  type LeadRow,
  type ScoreBreakdown,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useFieldLabel } from '../../api/queries.js';
import { formatNumber } from '../../components/format.js';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** "Why is this lead 82?": the score, its grade, and every part that made it. */
export function ScoreExplain({ lead }: { lead: LeadRow }) {
  const { t, i18n } = useTranslation();
  const breakdown = useQuery({
    // Under 'leads': a change to the lead or its activities (a new score) refetches it.
    queryKey: ['leads', 'score', lead.id, lead.scored_at],
    queryFn: () => api.call('leads.score', { id: lead.id }),
  });
  const labelOf = useFieldLabel((f) => t(`fields.${f}`, { defaultValue: f }));
  const why: ScoreBreakdown | null | undefined = breakdown.data;
  if (!why || lead.score === null) return null;
  const percent = (p: number) =>
    new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(p);
  // Built-in rules keep their name in the UI language until someone renames them.
  const ruleName = (r: { id: string; name: string }) =>
    defaultScoringConfig.rules.some((d) => d.id === r.id && d.name === r.name)
      ? t(`score.builtIn.${r.id}`, { defaultValue: r.name })
      : r.name;
  const factorValue = (field: string, value: string) =>
    value === '(none)'
      ? t('score.noValue')
      : t(`score.values.${field}.${value}`, {
          defaultValue: t(`bant.${field}.${value}`, { defaultValue: value }),
        });
  return (
    <section className="detail-section score-explain" aria-label={t('score.title')}>
      <h3>
        {t('score.title')}{' '}
        <span className={`grade grade-${why.grade}`} data-testid="lead-score">
          {formatNumber(why.score, i18n.language)} · {t(`grade.${why.grade}`)}
        </span>
      </h3>
      <table className="breakdown">
        <tbody>
          {why.bant.map((b) => (
            <tr key={b.dimension}>
              <td>{t(`bant.${b.dimension}.label`)}</td>
              <td>{t(`bant.${b.dimension}.${b.level}`)}</td>
              <td className="num">{signed(b.points)}</td>
            </tr>
          ))}
          {why.rules.map((r) => (
            <tr key={r.id}>
              <td>{t('score.rule')}</td>
              <td>{ruleName(r)}</td>
              <td className="num">{signed(r.points)}</td>
            </tr>
          ))}
          <tr>
            <td>{t('score.engagement')}</td>
            <td>{t('score.activities', { count: why.engagement.activities })}</td>
            <td className="num">{signed(why.engagement.points)}</td>
          </tr>
          <tr className="total">
            <td colSpan={2}>{t('score.points')}</td>
            <td className="num">{why.points}</td>
          </tr>
        </tbody>
      </table>
      {why.predictive ? (
        <div className="predictive">
          <p>{t('score.probability', { value: percent(why.predictive.probability) })}</p>
          <ul className="factors">
            {why.predictive.factors.map((f) => (
              <li key={f.field} className={f.weight > 0 ? 'up' : 'down'}>
                {f.weight > 0 ? '↑' : '↓'} {labelOf(f.field)}: {factorValue(f.field, f.value)}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">{t('score.noHistory')}</p>
      )}
    </section>
  );
}
