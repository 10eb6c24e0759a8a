import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';

/**
 * Shows an API problem (detail + per-field errors). Rendered inside a live
 * region so screen readers announce it when it appears.
 */
export function ProblemAlert({ error, fieldLabels = {} }: { error: ApiError | null; fieldLabels?: Record<string, string> }) {
  const detail = error?.problem.detail;
  const first = error?.problem.errors?.[0];
  // The server's detail is often just the first field error again ("codice_fiscale: ..."),
  // which the list below already shows with the field's label.
  const showDetail =
    !!detail &&
    detail.toLowerCase() !== (error?.problem.title ?? '').toLowerCase() &&
    !(first && first.field && detail === `${first.field}: ${first.message}`);
  return (
    <div aria-live="assertive" aria-atomic="true">
      {error && (
        <div className="alert alert-danger" role="alert">
          <p className="fw-semibold mb-1">{error.problem.title || 'Si è verificato un errore'}</p>
          {showDetail && <p className="mb-1">{detail}</p>}
          {error.problem.errors && error.problem.errors.length > 0 && (
            <ul className="mb-0">
              {error.problem.errors.map((e, i) => (
                <li key={i}>
                  {fieldLabels[e.field] ? <strong>{fieldLabels[e.field]}: </strong> : e.field ? <strong>{e.field}: </strong> : null}
                  {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** A short success (or info) message announced politely. */
export function StatusMessage({ message, variant = 'success' }: { message: ReactNode; variant?: 'success' | 'info' }) {
  return (
    <div aria-live="polite" aria-atomic="true">
      {message && (
        <div className={`alert alert-${variant}`} role="status">
          {message}
        </div>
      )}
    </div>
  );
}
