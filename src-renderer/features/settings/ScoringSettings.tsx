// Settings › Lead scoring: BANT points, fit rules (ordered by drag, switched on and off,
// tried on a sample lead), engagement, grade thresholds and the predictive fields. Saving
// validates the whole configuration in the service: a refused one changes nothing, and
// the page says which rule is wrong.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  activityKinds,
  predictiveFields,
  ruleFields,
  type FitRule,
  type ScoringConfig,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { formatNumber } from '../../components/format.js';
import { bantDimensions, type BantDimension } from '../../components/pickers.js';
import { SortableList } from '../../components/SortableList.js';
import { useDebounced } from '../../components/useDebounced.js';
import { ConditionEditor, fieldLabel } from './ConditionEditor.js';
import { ModelReportView } from './ModelReportView.js';
import { RuleIssues } from './RuleIssues.js';
import { RemoveButton, RuleSwitchAndName } from './RuleParts.js';
import { emptySample, sampleLead, SampleLeadForm, type SampleLeadDraft } from './SampleLead.js';

const dimensions = Object.keys(bantDimensions) as BantDimension[];

/** A number typed into a points box; an empty box is NaN, which the service refuses
 * with a message instead of silently scoring 0. */
const num = (text: string) => (text === '' ? Number.NaN : Number(text));
const shown = (n: number) => (Number.isFinite(n) ? n : '');

const newRuleId = () => `rule-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export function ScoringSettings() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const stored = useQuery({
    queryKey: ['scoring', 'config'],
    queryFn: () => api.call('scoring.getConfig', {}),
  });
  const [draft, setDraft] = useState<ScoringConfig | null>(null);
  useEffect(() => {
    if (stored.data) setDraft(stored.data);
  }, [stored.data]);
  const save = useMutation({
    mutationFn: (config: ScoringConfig) => api.call('scoring.updateConfig', config),
    onSuccess: (saved) => {
      queryClient.setQueryData(['scoring', 'config'], saved);
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      void queryClient.invalidateQueries({ queryKey: ['scoring', 'rescore'] });
      showToast(t('scoring.savedPlain'));
    },
  });
  const [sample, setSample] = useState<SampleLeadDraft>(emptySample);
  const trial = useDebounced({ draft, sample: sampleLead(sample) }, 250);
  const tried = useQuery({
    queryKey: ['scoring', 'test', trial],
    queryFn: () => api.call('scoring.test', { config: trial.draft!, lead: trial.sample }),
    enabled: trial.draft !== null && Object.keys(trial.sample).length > 0,
    retry: false,
  });
  if (!draft) return null;
  const setRule = (i: number, patch: Partial<FitRule>) =>
    setDraft({
      ...draft,
      rules: draft.rules.map((r, j) => (j === i ? ({ ...r, ...patch } as FitRule) : r)),
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!save.isPending) save.mutate(draft);
  };
  return (
    <section aria-labelledby="scoring-title" className="settings-section">
      <h2 id="scoring-title">{t('scoring.title')}</h2>
      <p className="hint">{t('scoring.intro')}</p>
      <form onSubmit={submit} className="scoring-form">
        <h3>{t('scoring.bant')}</h3>
        <table className="points-table">
          <tbody>
            {dimensions.map((d) => (
              <tr key={d}>
                <th scope="row">{t(`bant.${d}.label`)}</th>
                {bantDimensions[d].map((level: string) => {
                  const levels = draft.bant[d] as Record<string, number>;
                  return (
                    <td key={level}>
                      <label>
                        <span>{t(`bant.${d}.${level}` as 'bant.budget.none')}</span>
                        <input
                          type="number"
                          className="points"
                          value={shown(levels[level]!)}
                          onChange={(e) =>
                            setDraft({
                              ...draft,
                              bant: {
                                ...draft.bant,
                                [d]: { ...levels, [level]: num(e.target.value) },
                              },
                            })
                          }
                        />
                      </label>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>

        <h3>{t('scoring.fitRules')}</h3>
        <SortableList
          items={draft.rules}
          idOf={(r) => r.id}
          labelOf={(r) => r.name}
          onReorder={(rules) => setDraft({ ...draft, rules })}
          className="rule-list"
        >
          {(rule, i) => (
            <div className="rule-row" data-testid="fit-rule">
              <RuleSwitchAndName
                enabled={rule.enabled}
                name={rule.name}
                onChange={(patch) => setRule(i, patch)}
              />
              <ConditionEditor
                idPrefix={`fit-${i}`}
                fields={ruleFields}
                value={rule}
                onChange={(c) =>
                  setRule(i, { field: c.field as FitRule['field'], op: c.op, value: c.value })
                }
              />
              <input
                type="number"
                className="points"
                aria-label={t('rules.points')}
                value={shown(rule.points)}
                onChange={(e) => setRule(i, { points: num(e.target.value) })}
              />
              <RemoveButton
                onClick={() => setDraft({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })}
              />
            </div>
          )}
        </SortableList>
        <button
          type="button"
          onClick={() =>
            setDraft({
              ...draft,
              rules: [
                ...draft.rules,
                {
                  id: newRuleId(),
                  name: t('scoring.newRule'),
                  enabled: true,
                  field: 'title',
                  op: 'contains',
                  value: '',
                  points: 5,
                },
              ],
            })
          }
        >
          {t('scoring.addRule')}
        </button>

        <h3>{t('scoring.engagement')}</h3>
        <div className="grid">
          {activityKinds.map((k) => (
            <label key={k} className="field">
              <span>{t(`activities.kind.${k}`)}</span>
              <input
                type="number"
                className="points"
                value={shown(draft.engagement.points[k])}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    engagement: {
                      ...draft.engagement,
                      points: { ...draft.engagement.points, [k]: num(e.target.value) },
                    },
                  })
                }
              />
            </label>
          ))}
          <label className="field">
            <span>{t('scoring.halfLife')}</span>
            <input
              type="number"
              value={shown(draft.engagement.halfLifeDays)}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  engagement: { ...draft.engagement, halfLifeDays: num(e.target.value) },
                })
              }
            />
          </label>
          <label className="field">
            <span>{t('scoring.engagementMax')}</span>
            <input
              type="number"
              value={shown(draft.engagement.max)}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  engagement: { ...draft.engagement, max: num(e.target.value) },
                })
              }
            />
          </label>
        </div>

        <h3>{t('scoring.grades')}</h3>
        <div className="grid narrow">
          {(['hot', 'warm'] as const).map((g) => (
            <label key={g} className="field">
              <span>{t(`scoring.${g}`)}</span>
              <input
                type="number"
                id={`grade-${g}`}
                value={shown(draft.grades[g])}
                onChange={(e) =>
                  setDraft({ ...draft, grades: { ...draft.grades, [g]: num(e.target.value) } })
                }
              />
            </label>
          ))}
        </div>

        <h3>{t('scoring.predictive')}</h3>
        <fieldset className="checks">
          <legend>{t('scoring.predictiveFields')}</legend>
          {predictiveFields.map((f) => (
            <label key={f}>
              <input
                type="checkbox"
                checked={draft.predictive.fields.includes(f)}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    predictive: {
                      ...draft.predictive,
                      // Kept in the catalogue's order: the same choice is the same model.
                      fields: predictiveFields.filter((x) =>
                        x === f ? e.target.checked : draft.predictive.fields.includes(x),
                      ),
                    },
                  })
                }
              />{' '}
              {fieldLabel(f, t)}
            </label>
          ))}
        </fieldset>
        <div className="grid narrow">
          <label className="field">
            <span>{t('scoring.minClosed')}</span>
            <input
              type="number"
              value={shown(draft.predictive.minClosed)}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  predictive: { ...draft.predictive, minClosed: num(e.target.value) },
                })
              }
            />
          </label>
          <label className="field">
            <span>{t('scoring.weight')}</span>
            <input
              type="number"
              value={shown(Math.round(draft.predictive.weight * 100))}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  predictive: { ...draft.predictive, weight: num(e.target.value) / 100 },
                })
              }
            />
          </label>
        </div>

        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('scoring.save')}
          </button>
          <button
            type="button"
            onClick={() => stored.data && (setDraft(stored.data), save.reset())}
          >
            {t('scoring.reset')}
          </button>
        </div>
        <RescoreProgress />
        <RuleIssues error={save.error} intro={t('scoring.invalid')} />
      </form>

      <details className="sample">
        <summary>{t('scoring.sample')}</summary>
        <p className="hint">{t('scoring.sampleHint')}</p>
        <SampleLeadForm idPrefix="score-sample" value={sample} onChange={setSample} />
        {tried.data && (
          <p data-testid="score-sample-result">
            {t('scoring.sampleResult', {
              score: tried.data.score,
              grade: t(`grade.${tried.data.grade}`),
            })}{' '}
            {t('scoring.sampleRules', {
              rules: tried.data.rules.map((r) => r.name).join(', ') || t('scoring.noRules'),
            })}
          </p>
        )}
      </details>

      <ModelReportView />
    </section>
  );
}

/** "Rescoring… 23 000 / 100 000" while a big database is rescored in the background;
 * the lists refresh when it is done. */
function RescoreProgress() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const state = useQuery({
    queryKey: ['scoring', 'rescore'],
    queryFn: () => api.call('scoring.rescoreState', {}),
    refetchInterval: (q) => (q.state.data?.running ? 500 : false),
  });
  const running = state.data?.running ?? false;
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: ['leads'] });
    wasRunning.current = running;
  }, [running, queryClient]);
  if (!state.data?.running) return null;
  const { done, total } = state.data;
  return (
    <p role="status" className="rescore-progress">
      <progress max={Math.max(1, total)} value={done} />{' '}
      {t('scoring.rescoring', {
        done: formatNumber(done, i18n.language),
        total: formatNumber(total, i18n.language),
      })}
    </p>
  );
}
