// Settings › Stages › Lost reasons: the list a rep picks from when a deal is lost (the
// lost-reason report ranks them). Order is the order offered; free text stays possible.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeamSettings } from '../../api/queries.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { ErrorWithIssues } from '../../components/ErrorWithIssues.js';
import { SortableList } from '../../components/SortableList.js';
import { RemoveButton } from './RuleParts.js';

interface ReasonDraft {
  key: string;
  text: string;
}

export function LostReasonsSettings() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const settings = useTeamSettings();
  const [draft, setDraft] = useState<ReasonDraft[] | null>(null);
  const nextKey = useRef(0);
  const fromStored = (reasons: readonly string[]) =>
    reasons.map((text) => ({ key: `r-${nextKey.current++}`, text }));
  useEffect(() => {
    if (settings.data) setDraft(fromStored(settings.data.lostReasons));
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (reasons: string[]) => api.call('settings.update', { lostReasons: reasons }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['settings'] });
      showToast(t('lostReasons.saved'));
    },
  });
  if (!draft) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Blank lines are dropped rather than refused (an emptied field means "remove"), and
    // a reason typed twice is kept once.
    const reasons = [...new Set(draft.map((d) => d.text.trim()).filter(Boolean))];
    if (!save.isPending) save.mutate(reasons);
  };
  return (
    <section aria-labelledby="lost-reasons-title" className="settings-section">
      <h2 id="lost-reasons-title">{t('lostReasons.title')}</h2>
      <p className="hint">{t('lostReasons.intro')}</p>
      <form onSubmit={submit}>
        <SortableList
          items={draft}
          idOf={(d) => d.key}
          labelOf={(d) => d.text}
          onReorder={setDraft}
          className="rule-list"
        >
          {(d, i) => (
            <div className="rule-row" data-testid="lost-reason-row">
              <input
                className="rule-name"
                aria-label={t('lostReasons.reason', { n: i + 1 })}
                value={d.text}
                maxLength={100}
                onChange={(e) =>
                  setDraft(draft.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)))
                }
              />
              <RemoveButton onClick={() => setDraft(draft.filter((_, j) => j !== i))} />
            </div>
          )}
        </SortableList>
        <button
          type="button"
          disabled={draft.length >= 30}
          onClick={() => setDraft([...draft, { key: `r-${nextKey.current++}`, text: '' }])}
        >
          {t('lostReasons.add')}
        </button>
        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('lostReasons.save')}
          </button>
          <button
            type="button"
            onClick={() => {
              if (settings.data) setDraft(fromStored(settings.data.lostReasons));
              save.reset();
            }}
          >
            {t('scoring.reset')}
          </button>
        </div>
        <ErrorWithIssues error={save.error} />
      </form>
    </section>
  );
}
