// Picks an account or a contact by typing part of its name (full-text search, pinyin
// initials too): ↑↓ move through the matches, Enter takes one, Esc leaves the field as
// it was. Where the caller allows it, the last option creates a new record by that name.
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { useDebounced } from './useDebounced.js';

export interface PickedRecord {
  id: string;
  name: string;
}

export function RecordPicker({
  entity,
  label,
  current,
  accountId,
  disabled,
  onPick,
  onCreate,
}: {
  entity: 'accounts' | 'contacts';
  label: string;
  /** The linked record's name, or null when none is linked. */
  current: string | null;
  /** Contacts: those of this account first (only those, when it has any). */
  accountId?: string | null;
  disabled?: boolean;
  onPick(record: PickedRecord | null): void;
  /** Offered as "New … “text”" when given. */
  onCreate?(name: string): void;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const [text, setText] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const q = useDebounced(text ?? '', 150);
  const editing = text !== null;
  const matches = useQuery({
    queryKey: [entity, 'picker', q, accountId ?? null],
    enabled: editing,
    queryFn: async () => {
      const base = { limit: 8, withTotal: false, ...(q.trim() ? { q: q.trim() } : {}) };
      if (entity === 'contacts' && accountId) {
        const own = await api.call('contacts.list', {
          ...base,
          filters: { account_id: [accountId] },
        });
        if (own.rows.length) return own.rows.map((r) => ({ id: r.id, name: r.name }));
      }
      const rows = (await api.call(`${entity}.list`, base)).rows;
      return rows.map((r) => ({ id: r.id, name: r.name }));
    },
  });
  const typed = (text ?? '').trim();
  const options: { key: string; label: string; pick(): void }[] = [
    ...(matches.data ?? []).map((m) => ({
      key: m.id,
      label: m.name,
      pick: () => onPick(m),
    })),
    ...(onCreate && typed && !(matches.data ?? []).some((m) => m.name === typed)
      ? [
          {
            key: '__new',
            label: t(`picker.new.${entity}`, { name: typed }),
            pick: () => onCreate(typed),
          },
        ]
      : []),
  ];
  const finish = (option?: (typeof options)[number]) => {
    option?.pick();
    setText(null);
    setActive(0);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, options.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      finish(options[active]);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      finish();
    }
  };
  return (
    <div className="field picker">
      <span id={`${listId}-label`}>{label}</span>
      {editing ? (
        <>
          <input
            role="combobox"
            aria-labelledby={`${listId}-label`}
            aria-expanded={options.length > 0}
            aria-controls={listId}
            aria-activedescendant={options[active] ? `${listId}-${active}` : undefined}
            autoFocus
            value={text}
            placeholder={t('picker.search')}
            onChange={(e) => {
              setText(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
            // Leaving the field without choosing changes nothing; a click on an option
            // lands first (mousedown), so this does not swallow it.
            onBlur={() => finish()}
          />
          <ul role="listbox" id={listId} className="picker-options">
            {options.map((o, i) => (
              <li
                key={o.key}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  finish(o);
                }}
              >
                {o.label}
              </li>
            ))}
            {matches.isSuccess && options.length === 0 && (
              <li className="muted">{t('picker.none')}</li>
            )}
          </ul>
        </>
      ) : (
        <div className="row">
          <button
            type="button"
            className="link"
            aria-labelledby={`${listId}-label`}
            aria-describedby={`${listId}-value`}
            disabled={disabled}
            onClick={() => setText('')}
          >
            <span id={`${listId}-value`}>{current ?? t('form.none')}</span>
          </button>
          {current !== null && !disabled && (
            <button
              type="button"
              className="link"
              aria-label={t('picker.clear', { what: label })}
              onClick={() => onPick(null)}
            >
              ×
            </button>
          )}
        </div>
      )}
    </div>
  );
}
