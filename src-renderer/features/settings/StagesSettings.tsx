// Settings › Pipeline stages: names in both languages, order (drag), win probability,
// kind, and after how many days a deal in it is stale. Removing a stage that holds deals
// first asks where they go.
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  stageKinds,
  type ApiIssue,
  type StageKind,
  type StageRow,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { issueText } from '../../components/errors.js';
import { ErrorWithIssues } from '../../components/ErrorWithIssues.js';
import { localName } from '../../components/format.js';
import { SortableList } from '../../components/SortableList.js';
import { RemoveButton } from './RuleParts.js';

interface StageDraft {
  key: string;
  id?: string;
  name_zh: string;
  name_en: string;
  probability: number;
  kind: StageKind;
  stale_days: number | null;
}

const toDraft = (s: StageRow): StageDraft => ({
  key: s.id,
  id: s.id,
  name_zh: s.name_zh ?? '',
  name_en: s.name_en ?? '',
  probability: s.probability ?? 0,
  kind: (s.kind ?? 'open') as StageKind,
  stale_days: s.stale_days,
});

export function StagesSettings() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const stored = useQuery({
    queryKey: ['stages', 'board'],
    queryFn: () =>
      api.call('stages.list', { sort: { field: 'sort_order', dir: 'asc' }, limit: 100 }),
  });
  const rows = stored.data?.rows ?? [];
  const counts = useQueries({
    queries: rows.map((s) => ({
      queryKey: ['opportunities', 'stage-count', s.id],
      queryFn: () => api.call('opportunities.list', { filters: { stage_id: [s.id] }, limit: 1 }),
    })),
  });
  const countOf = (id: string | undefined) =>
    id ? (counts[rows.findIndex((r) => r.id === id)]?.data?.total ?? 0) : 0;
  const [draft, setDraft] = useState<StageDraft[] | null>(null);
  const [moving, setMoving] = useState<{ id: string; to: string } | null>(null);
  const nextKey = useRef(0);
  useEffect(() => {
    if (stored.data) setDraft(stored.data.rows.map(toDraft));
  }, [stored.data]);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['stages'] });
    void queryClient.invalidateQueries({ queryKey: ['opportunities'] });
  };
  const save = useMutation({
    mutationFn: (d: StageDraft[]) =>
      api.call('stages.saveAll', { stages: d.map(({ key: _key, ...s }) => s) }),
    onSuccess: () => {
      refresh();
      showToast(t('stages.saved'));
    },
  });
  const remove = useMutation({
    mutationFn: (v: { id: string; moveTo?: string }) => api.call('stages.remove', v),
    onSuccess: (r) => {
      setMoving(null);
      refresh();
      showToast(t('stages.removed', { count: r.moved }));
    },
  });
  if (!draft) return null;
  const set = (i: number, patch: Partial<StageDraft>) =>
    setDraft(draft.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const name = (s: StageDraft) => localName(s, i18n.language);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!save.isPending) save.mutate(draft);
  };
  return (
    <section aria-labelledby="stages-title" className="settings-section">
      <h2 id="stages-title">{t('stages.title')}</h2>
      <p className="hint">{t('stages.intro')}</p>
      <form onSubmit={submit}>
        <SortableList
          items={draft}
          idOf={(s) => s.key}
          labelOf={name}
          onReorder={setDraft}
          className="rule-list"
        >
          {(s, i) => (
            <div className="rule-row" data-testid="stage-row">
              <input
                aria-label={t('stages.nameZh')}
                value={s.name_zh}
                onChange={(e) => set(i, { name_zh: e.target.value })}
              />
              <input
                aria-label={t('stages.nameEn')}
                value={s.name_en}
                onChange={(e) => set(i, { name_en: e.target.value })}
              />
              <label>
                <input
                  type="number"
                  className="points"
                  aria-label={t('stages.probability')}
                  value={Number.isFinite(s.probability) ? s.probability : ''}
                  onChange={(e) =>
                    set(i, {
                      probability: e.target.value === '' ? Number.NaN : Number(e.target.value),
                    })
                  }
                />
                %
              </label>
              <select
                aria-label={t('stages.kind')}
                value={s.kind}
                onChange={(e) => set(i, { kind: e.target.value as StageKind })}
              >
                {stageKinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`stages.kinds.${k}`)}
                  </option>
                ))}
              </select>
              <input
                type="number"
                className="points"
                aria-label={t('stages.staleDays')}
                title={t('stages.staleDays')}
                placeholder={t('stages.noLimit')}
                value={s.stale_days ?? ''}
                onChange={(e) =>
                  set(i, { stale_days: e.target.value === '' ? null : Number(e.target.value) })
                }
              />
              {!s.id ? (
                <RemoveButton onClick={() => setDraft(draft.filter((_, j) => j !== i))} />
              ) : moving?.id === s.id ? (
                <span className="row">
                  {t('stages.deals', { count: countOf(s.id) })}{' '}
                  <select
                    aria-label={t('stages.moveTo')}
                    value={moving.to}
                    onChange={(e) => setMoving({ id: s.id!, to: e.target.value })}
                  >
                    {draft
                      .filter((x) => x.id && x.id !== s.id && x.kind === s.kind)
                      .map((x) => (
                        <option key={x.key} value={x.id}>
                          {name(x)}
                        </option>
                      ))}
                  </select>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => remove.mutate({ id: s.id!, moveTo: moving.to })}
                  >
                    {t('stages.removeMove')}
                  </button>
                </span>
              ) : (
                <RemoveButton
                  onClick={() =>
                    countOf(s.id)
                      ? setMoving({
                          id: s.id!,
                          to:
                            draft.find((x) => x.id && x.id !== s.id && x.kind === s.kind)?.id ?? '',
                        })
                      : remove.mutate({ id: s.id! })
                  }
                />
              )}
            </div>
          )}
        </SortableList>
        <button
          type="button"
          onClick={() =>
            setDraft([
              ...draft,
              {
                key: `new-${nextKey.current++}`,
                name_zh: t('stages.newStage'),
                name_en: 'New stage',
                probability: 50,
                kind: 'open',
                stale_days: null,
              },
            ])
          }
        >
          {t('stages.add')}
        </button>
        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('stages.save')}
          </button>
          <button
            type="button"
            onClick={() => stored.data && (setDraft(stored.data.rows.map(toDraft)), save.reset())}
          >
            {t('scoring.reset')}
          </button>
        </div>
        <ErrorWithIssues error={save.error ?? remove.error} describe={stageIssue} />
      </form>
    </section>
  );

  function stageIssue(issue: ApiIssue): string {
    if (/needs (at least one open|a won|a lost) stage/.test(issue.message))
      return t('stages.needsKinds');
    if (/last \w+ stage/.test(issue.message)) return t('stages.cannotRemove');
    const m = /^stages\.(\d+)\.(\w+)/.exec(issue.path);
    if (!m) return issueText(issue);
    const field = fieldKeys[m[2]!] ?? 'kind';
    return t('rules.issueLine', {
      where: `${t('stages.row', { n: Number(m[1]) + 1 })} · ${t(`stages.${field}`)}`,
      what: issueText(issue),
    });
  }
}

const fieldKeys: Record<string, 'nameZh' | 'nameEn' | 'probability' | 'kind' | 'staleDays'> = {
  name_zh: 'nameZh',
  name_en: 'nameEn',
  probability: 'probability',
  kind: 'kind',
  stale_days: 'staleDays',
};
