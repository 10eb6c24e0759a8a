import { useRef, useState } from 'react';
import { ApiError, toApiError } from '../api/client';
import { ProblemAlert, StatusMessage } from './ProblemAlert';

/**
 * An action started from a page (a download, a change of state) and its outcome: one at a time
 * (`busy` disables the buttons), its message or its problem. `report` shows an outcome and moves
 * the focus to `ref`, held by <ActionStatus>, since the button used may be gone; a failed action
 * is reported so. A page that does not show <ActionStatus> keeps the focus where it is.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  /** Forgets the last outcome (a new action, a form opened, another ente chosen). */
  const clear = () => {
    setMessage(null);
    setError(null);
  };

  const report = (m: string | null, e: ApiError | null) => {
    setMessage(m);
    setError(e);
    setTimeout(() => ref.current?.focus(), 0);
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    clear();
    try {
      await action();
    } catch (e) {
      report(null, toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  /** Saves a file; `saved` says so once it is saved (the focus stays on the button). */
  const download = (save: () => Promise<void>, saved: string) =>
    run(async () => {
      await save();
      setMessage(saved);
    });

  return { busy, message, error, ref, clear, report, run, download };
}

export type Action = ReturnType<typeof useAction>;

/** Where an action's outcome is shown and the focus goes after it (see useAction). */
export function ActionStatus({ action }: { action: Pick<Action, 'ref' | 'message' | 'error'> }) {
  return (
    <div ref={action.ref} tabIndex={-1} className="cst-focus-target">
      <StatusMessage message={action.message} />
      <ProblemAlert error={action.error} />
    </div>
  );
}
