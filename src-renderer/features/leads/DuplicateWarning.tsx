import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useDebounced } from '../../components/useDebounced.js';

export interface DuplicateProbe {
  name: string;
  company: string;
  email: string;
  phone: string;
  mobile?: string;
  excludeId?: string;
}

/** Live duplicate warning: as soon as an email, a phone or a name with a company is typed,
 * matching leads and contacts show (the local database answers, so it works offline).
 * Saving anyway stays one keystroke away; a matching lead can be opened instead. */
export function DuplicateWarning({
  probe,
  onOpen,
}: {
  probe: DuplicateProbe;
  onOpen?: (leadId: string) => void;
}) {
  const { t } = useTranslation();
  // Memoised on its fields: a fresh object each render would restart the debounce timer
  // on every render and, once it fired, re-render the form every 250 ms for ever.
  const typed = useMemo(
    () => ({
      name: probe.name,
      company: probe.company,
      email: probe.email,
      phone: probe.phone,
      mobile: probe.mobile ?? '',
      ...(probe.excludeId ? { exclude_id: probe.excludeId } : {}),
    }),
    [probe.name, probe.company, probe.email, probe.phone, probe.mobile, probe.excludeId],
  );
  const lookup = useDebounced(typed, 200);
  const wantsLookup =
    lookup.email.includes('@') ||
    lookup.phone.replace(/\D/g, '').length >= 6 ||
    lookup.mobile.replace(/\D/g, '').length >= 6 ||
    (lookup.name.trim() !== '' && lookup.company.trim() !== '');
  const duplicates = useQuery({
    queryKey: ['leads', 'duplicates', lookup],
    queryFn: () => api.call('leads.duplicates', lookup),
    enabled: wantsLookup,
  });
  const matches = wantsLookup ? (duplicates.data ?? []) : [];
  if (matches.length === 0) return null;
  return (
    <section className="duplicates" aria-label={t('form.duplicatesTitle')} aria-live="polite">
      <strong>{t('form.duplicatesTitle')}</strong>
      <ul>
        {matches.map((m) => (
          <li key={`${m.entity}:${m.id}`}>
            <span className="badge">{t(`form.duplicateEntity.${m.entity}`)}</span> {m.name}
            {m.company ? ` · ${m.company}` : ''}
            {m.phone ? ` · ${m.phone}` : ''}
            {m.email ? ` · ${m.email}` : ''}
            <span className="muted">
              {' '}
              — {m.reasons.map((r) => t(`form.duplicateReason.${r}`)).join(t('form.listSep'))}
            </span>
            {m.entity === 'leads' && onOpen && (
              <button type="button" className="link" onClick={() => onOpen(m.id)}>
                {t('form.openMatch')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <small className="muted">{t('form.duplicatesHint')}</small>
    </section>
  );
}
