import { forwardRef, useId, type InputHTMLAttributes, type ReactNode } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & {
  label: ReactNode;
  /** The API's message for this field, shown under it; marks the input invalid. */
  error?: string | undefined;
  hint?: ReactNode;
  wide?: boolean;
  onValue(value: string): void;
};

/** A labelled input with its hint and error message under it, tied together for screen
 * readers (aria-invalid, aria-describedby). */
export const TextField = forwardRef<HTMLInputElement, Props>(function TextField(
  { label, error, hint, wide = false, onValue, ...input },
  ref,
) {
  const errorId = useId();
  return (
    <label className={wide ? 'field wide' : 'field'}>
      <span>{label}</span>
      <input
        ref={ref}
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => onValue(e.target.value)}
      />
      {hint && <small className="muted">{hint}</small>}
      {error && (
        <small id={errorId} className="error">
          {error}
        </small>
      )}
    </label>
  );
});
