import { useId, type ReactNode } from 'react';

/** A page of the app: a titled region with optional actions beside the title. */
export function Page({
  title,
  actions,
  className,
  children,
}: {
  title: string;
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className={className ? `page ${className}` : 'page'} aria-labelledby={id}>
      <header className="page-head">
        <h1 id={id}>{title}</h1>
        {actions}
      </header>
      {children}
    </section>
  );
}
