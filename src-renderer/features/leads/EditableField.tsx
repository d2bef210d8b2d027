import { useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';

/** A field of a record that saves itself: on Enter or when focus leaves, if the text
 * changed. Esc puts back the stored value. After a refused save the typed text stays so
 * the user can correct it; the message shows under the field. */
export function EditableField({
  name,
  label,
  value,
  error,
  disabled,
  type = 'text',
  multiline = false,
  hint,
  onSave,
}: {
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  disabled?: boolean;
  type?: 'text' | 'tel' | 'date';
  multiline?: boolean;
  hint?: ReactNode;
  onSave(value: string): void;
}) {
  const [text, setText] = useState(value);
  const [dirty, setDirty] = useState(false);
  // A new stored value (saved here, or synced from elsewhere) replaces the text unless
  // the user is in the middle of changing it.
  useEffect(() => {
    if (!dirty) setText(value);
  }, [value, dirty]);
  useEffect(() => {
    if (!error) setDirty(false);
  }, [value, error]);
  const commit = () => {
    if (text !== value) {
      setDirty(true);
      onSave(text);
    } else setDirty(false);
  };
  const common = {
    name,
    value: text,
    disabled,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${name}-error` : undefined,
    onBlur: commit,
    onChange: (e: { target: { value: string } }) => {
      setDirty(true);
      setText(e.target.value);
    },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setText(value);
        setDirty(false);
        e.stopPropagation();
      } else if (e.key === 'Enter' && (!multiline || e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        commit();
      }
    },
  };
  return (
    <label className={multiline ? 'field wide' : 'field'}>
      <span>{label}</span>
      {multiline ? <textarea rows={3} {...common} /> : <input type={type} {...common} />}
      {hint && <small className="muted">{hint}</small>}
      {error && (
        <small id={`${name}-error`} className="error">
          {error}
        </small>
      )}
    </label>
  );
}
