// Settings › Lead assignment rules: an ordered list (drag to reorder), each with
// conditions and a target — one rep, or a pool taking turns or by fewest open leads, with
// an optional daily cap — plus the default owner and when the rules apply. A sample lead
// shows which rule would take it and who would get it, before anything is saved.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  assignmentFields,
  assignmentStrategies,
  type AssignmentConfig,
  type AssignmentStrategy,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUsers } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { UserSelect } from '../../components/pickers.js';
import { SortableList } from '../../components/SortableList.js';
import { useDebounced } from '../../components/useDebounced.js';
import { ConditionEditor, type ConditionDraft } from './ConditionEditor.js';
import { RuleIssues } from './RuleIssues.js';
import { RemoveButton, RuleSwitchAndName } from './RuleParts.js';
import { emptySample, sampleLead, SampleLeadForm, type SampleLeadDraft } from './SampleLead.js';

interface RuleDraft {
  /** Stays with the rule while it is dragged; saved rules use their id. */
  key: string;
  id?: string;
  name: string;
  enabled: boolean;
  conditions: ConditionDraft[];
  strategy: AssignmentStrategy;
  userId: string | null;
  pool: string[];
  dailyCapacity: number | null;
}

interface Draft {
  rules: RuleDraft[];
  defaultOwnerId: string | null;
  onCapture: boolean;
  onImport: boolean;
}

const toDraft = (c: AssignmentConfig): Draft => ({
  ...c,
  rules: c.rules.map((r) => ({ ...r, key: r.id })),
});

const toInput = (d: Draft) => ({
  ...d,
  rules: d.rules.map(({ key: _key, ...r }) => r),
});

export function AssignmentSettings() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const users = useUsers();
  const stored = useQuery({
    queryKey: ['assignment', 'config'],
    queryFn: () => api.call('assignment.getConfig', {}),
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  const nextKey = useRef(0);
  useEffect(() => {
    if (stored.data) setDraft(toDraft(stored.data));
  }, [stored.data]);
  const save = useMutation({
    mutationFn: (d: Draft) => api.call('assignment.updateConfig', toInput(d)),
    onSuccess: (saved) => {
      queryClient.setQueryData(['assignment', 'config'], saved);
      showToast(t('assignment.saved'));
    },
  });
  const [sample, setSample] = useState<SampleLeadDraft>(emptySample);
  const trial = useDebounced({ draft, sample: sampleLead(sample) }, 250);
  const tried = useQuery({
    queryKey: ['assignment', 'test', trial],
    queryFn: () =>
      api.call('assignment.test', { config: toInput(trial.draft!), lead: trial.sample }),
    enabled: trial.draft !== null && Object.keys(trial.sample).length > 0,
    retry: false,
  });
  if (!draft) return null;
  const userName = (id: string | null) => {
    const u = (users.data ?? []).find((x) => x.id === id);
    return u ? `${u.name ?? ''}${u.active === 0 ? ` ${t('assignment.inactive')}` : ''}` : '—';
  };
  const setRule = (i: number, patch: Partial<RuleDraft>) =>
    setDraft({ ...draft, rules: draft.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const setCondition = (i: number, k: number, c: ConditionDraft | null) =>
    setRule(i, {
      conditions: c
        ? draft.rules[i]!.conditions.map((x, j) => (j === k ? c : x))
        : draft.rules[i]!.conditions.filter((_, j) => j !== k),
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!save.isPending) save.mutate(draft);
  };
  const addRule = () =>
    setDraft({
      ...draft,
      rules: [
        ...draft.rules,
        {
          key: `new-${nextKey.current++}`,
          name: t('assignment.newRule'),
          enabled: true,
          conditions: [{ field: 'source', op: 'equals', value: 'event' }],
          strategy: 'round_robin',
          userId: null,
          pool: [],
          dailyCapacity: null,
        },
      ],
    });
  const result = tried.data;
  return (
    <section aria-labelledby="assignment-title" className="settings-section">
      <h2 id="assignment-title">{t('assignment.title')}</h2>
      <p className="hint">{t('assignment.intro')}</p>
      <form onSubmit={submit}>
        <SortableList
          items={draft.rules}
          idOf={(r) => r.key}
          labelOf={(r) => r.name}
          onReorder={(rules) => setDraft({ ...draft, rules })}
          className="rule-list"
        >
          {(rule, i) => (
            <div className="assignment-rule" data-testid="assignment-rule">
              <div className="rule-row">
                <RuleSwitchAndName
                  enabled={rule.enabled}
                  name={rule.name}
                  onChange={(patch) => setRule(i, patch)}
                />
                <RemoveButton
                  onClick={() =>
                    setDraft({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })
                  }
                />
              </div>
              <fieldset className="conditions">
                <legend>{t('assignment.conditions')}</legend>
                {rule.conditions.length === 0 && (
                  <p className="hint">{t('assignment.noConditions')}</p>
                )}
                {rule.conditions.map((c, k) => (
                  <div key={k} className="rule-row">
                    <ConditionEditor
                      idPrefix={`assign-${i}-${k}`}
                      fields={assignmentFields}
                      value={c}
                      onChange={(next) => setCondition(i, k, next)}
                    />
                    <RemoveButton onClick={() => setCondition(i, k, null)} />
                  </div>
                ))}
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    setRule(i, {
                      conditions: [
                        ...rule.conditions,
                        { field: 'source', op: 'equals', value: '' },
                      ],
                    })
                  }
                >
                  {t('assignment.addCondition')}
                </button>
              </fieldset>
              <div className="rule-row">
                <label className="field">
                  <span>{t('assignment.strategy')}</span>
                  <select
                    aria-label={t('assignment.strategy')}
                    value={rule.strategy}
                    onChange={(e) => setRule(i, { strategy: e.target.value as AssignmentStrategy })}
                  >
                    {assignmentStrategies.map((s) => (
                      <option key={s} value={s}>
                        {t(`assignment.strategies.${s}`)}
                      </option>
                    ))}
                  </select>
                </label>
                {rule.strategy === 'user' ? (
                  <label className="field">
                    <span>{t('assignment.user')}</span>
                    <UserSelect
                      aria-label={t('assignment.user')}
                      emptyLabel="—"
                      value={rule.userId ?? ''}
                      onChange={(v) => setRule(i, { userId: v || null })}
                    />
                  </label>
                ) : (
                  <fieldset className="checks pool">
                    <legend>{t('assignment.pool')}</legend>
                    {(users.data ?? []).map((u) => (
                      <label key={u.id}>
                        <input
                          type="checkbox"
                          checked={rule.pool.includes(u.id)}
                          onChange={(e) =>
                            setRule(i, {
                              pool: e.target.checked
                                ? [...rule.pool, u.id]
                                : rule.pool.filter((x) => x !== u.id),
                            })
                          }
                        />{' '}
                        {userName(u.id)}
                      </label>
                    ))}
                  </fieldset>
                )}
                <label className="field">
                  <span>{t('assignment.dailyCapacity')}</span>
                  <input
                    type="number"
                    min={1}
                    placeholder={t('assignment.noLimit')}
                    value={rule.dailyCapacity ?? ''}
                    onChange={(e) =>
                      setRule(i, {
                        dailyCapacity: e.target.value === '' ? null : Number(e.target.value),
                      })
                    }
                  />
                </label>
              </div>
            </div>
          )}
        </SortableList>
        <button type="button" onClick={addRule}>
          {t('assignment.addRule')}
        </button>
        <div className="grid narrow">
          <label className="field">
            <span>{t('assignment.defaultOwner')}</span>
            <UserSelect
              id="assignment-default-owner"
              emptyLabel={t('assignment.defaultNone')}
              value={draft.defaultOwnerId ?? ''}
              onChange={(v) => setDraft({ ...draft, defaultOwnerId: v || null })}
            />
          </label>
          {(['onCapture', 'onImport'] as const).map((k) => (
            <label key={k} className="check">
              <input
                type="checkbox"
                checked={draft[k]}
                onChange={(e) => setDraft({ ...draft, [k]: e.target.checked })}
              />{' '}
              {t(`assignment.${k}`)}
            </label>
          ))}
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('assignment.save')}
          </button>
          <button
            type="button"
            onClick={() => stored.data && (setDraft(toDraft(stored.data)), save.reset())}
          >
            {t('scoring.reset')}
          </button>
        </div>
        <RuleIssues error={save.error} intro={t('scoring.invalid')} />
      </form>
      <details className="sample">
        <summary>{t('scoring.sample')}</summary>
        <SampleLeadForm idPrefix="assign-sample" value={sample} onChange={setSample} />
        {result && (
          <p data-testid="assignment-sample-result">
            {result.ownerId === null
              ? t('assignment.sampleNobody')
              : t('assignment.sampleResult', {
                  owner: userName(result.ownerId),
                  rule:
                    result.ruleIndex === null
                      ? t('assignment.byDefault')
                      : t('assignment.byRule', {
                          n: result.ruleIndex + 1,
                          name: draft.rules[result.ruleIndex]?.name ?? '',
                        }),
                })}
          </p>
        )}
      </details>
    </section>
  );
}
