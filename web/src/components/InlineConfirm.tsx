import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A question asked in place before an action that cannot be undone (merge, delete): it takes
 * the focus when it appears so screen readers read it, and Escape is the same as "Annulla".
 * In-page rather than window.confirm(), so it is styled, Italian and testable.
 */
export function InlineConfirm({
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy = false,
  danger = false,
}: {
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  danger?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const uid = useId();
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="group"
      aria-labelledby={`${uid}-question`}
      className="alert alert-warning cst-focus-target"
      data-testid="inline-confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) onCancel();
      }}
    >
      <div id={`${uid}-question`} className="mb-2">
        {children}
      </div>
      <div className="d-flex flex-wrap gap-2">
        <button type="button" className={`btn btn-sm ${danger ? 'btn-danger' : 'btn-primary'}`} onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
        <button type="button" className="btn btn-sm btn-outline-primary" onClick={onCancel} disabled={busy}>
          Annulla
        </button>
      </div>
    </div>
  );
}
