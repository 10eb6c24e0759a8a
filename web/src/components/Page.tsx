import { useEffect, useRef, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { Link, usePath } from '../router';
import { ProblemAlert } from './ProblemAlert';

/**
 * The page heading. On each page change it sets document.title and moves
 * focus to the h1, so keyboard and screen-reader users start at the new content.
 */
export function PageTitle({
  children,
  title,
  lead,
  className = '',
}: {
  children: ReactNode;
  title: string;
  lead?: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  const path = usePath();
  useEffect(() => {
    document.title = `${title} – CST Centro Servizi Territoriale`;
  }, [title]);
  useEffect(() => {
    // Not on the first load, where the skip link must stay the first stop.
    if (document.activeElement && document.activeElement !== document.body) ref.current?.focus();
  }, [path]);
  return (
    <div className="cst-page-head">
      <h1 ref={ref} tabIndex={-1} className={`cst-page-title ${className}`.trim()}>
        {children}
      </h1>
      {lead && <p className="lead mb-0">{lead}</p>}
    </div>
  );
}

export function Loading({ label = 'Caricamento in corso…' }: { label?: string }) {
  return (
    <div className="d-flex align-items-center gap-3 my-4" role="status">
      <div className="progress-spinner progress-spinner-active size-sm" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** A record's page's way back to its list (with the list's last search). */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p>
      <Link to={to}>{children}</Link>
    </p>
  );
}

/**
 * What a record's page shows until the record arrives: the spinner or, when it cannot be read
 * (another ente's answers 404), the problem after `children` (the way back).
 */
export function NotLoaded({ error, children }: { error: ApiError | null; children?: ReactNode }) {
  if (!error) return <Loading />;
  return (
    <>
      {children}
      <ProblemAlert error={error} />
    </>
  );
}
