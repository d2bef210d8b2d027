// A modal dialog over the app: closes on Escape and on a click outside it; the content
// is a form when it submits something.
import type { FormEvent, ReactNode } from 'react';

export function Modal({
  labelledBy,
  className,
  onClose,
  onSubmit,
  children,
}: {
  labelledBy: string;
  className: string;
  onClose(): void;
  onSubmit?: (e: FormEvent) => void;
  children: ReactNode;
}) {
  const props = {
    className: `panel ${className}`,
    role: 'dialog',
    'aria-modal': true,
    'aria-labelledby': labelledBy,
    onClick: (e: { stopPropagation(): void }) => e.stopPropagation(),
    onKeyDown: (e: { key: string }) => e.key === 'Escape' && onClose(),
  } as const;
  return (
    <div className="overlay" onClick={onClose}>
      {onSubmit ? (
        <form {...props} onSubmit={onSubmit}>
          {children}
        </form>
      ) : (
        <div {...props}>{children}</div>
      )}
    </div>
  );
}
