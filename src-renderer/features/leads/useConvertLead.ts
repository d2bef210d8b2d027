// One-click conversion from anywhere a lead is shown: converts at once, lands on the new
// opportunity, and opens the options dialog when the lead matches several accounts or
// contacts (the service refuses to guess).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ConversionResult } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import i18n from '../../i18n/index.js';

/** A refusal worded for this action: already converted, deleted, no name. */
function refusal(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  if (/already converted/.test(err.message)) return i18n.t('convert.already');
  if (/deleted lead/.test(err.message)) return i18n.t('convert.deleted');
  if (/needs a name/.test(err.message)) return i18n.t('convert.needsName');
  return null;
}

export function useConvertLead() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const showOpportunity = useUi((s) => s.showOpportunity);
  const [dialogFor, setDialogFor] = useState<string | null>(null);
  const converted = (r: ConversionResult) => {
    setDialogFor(null);
    void queryClient.invalidateQueries({ queryKey: ['leads'] });
    void queryClient.invalidateQueries({ queryKey: ['opportunities'] });
    showToast(t('convert.done', { name: r.opportunity.name }));
    showOpportunity(r.opportunity.id);
  };
  const convert = useMutation({
    mutationFn: (id: string) => api.call('leads.convert', { id }),
    onSuccess: converted,
    onError: (err, id) => {
      const ambiguous =
        err instanceof ApiError &&
        err.code === 'CONFLICT' &&
        err.issues?.some((i) => i.path === 'account' || i.path === 'contact');
      if (ambiguous) setDialogFor(id);
      else showToast(refusal(err) ?? errorText(err));
    },
  });
  return {
    convert: (id: string) => !convert.isPending && convert.mutate(id),
    withOptions: (id: string) => setDialogFor(id),
    pending: convert.isPending,
    dialogFor,
    closeDialog: () => setDialogFor(null),
    converted,
  };
}
