import type { ApiError } from '../api/client';

/**
 * Shows an API problem (detail + per-field errors). Rendered inside a live
 * region so screen readers announce it when it appears.
 */
export function ProblemAlert({ error, fieldLabels = {} }: { error: ApiError | null; fieldLabels?: Record<string, string> }) {
  return (
    <div aria-live="assertive" aria-atomic="true">
      {error && (
        <div className="alert alert-danger" role="alert">
          <p className="fw-semibold mb-1">{error.problem.title || 'Si è verificato un errore'}</p>
          {error.problem.detail && error.problem.detail.toLowerCase() !== (error.problem.title ?? "").toLowerCase() && <p className="mb-1">{error.problem.detail}</p>}
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

/** A short success message announced politely. */
export function StatusMessage({ message }: { message: string | null }) {
  return (
    <div aria-live="polite" aria-atomic="true">
      {message && (
        <div className="alert alert-success" role="status">
          {message}
        </div>
      )}
    </div>
  );
}
