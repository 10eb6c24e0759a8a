import { useCallback, useRef, useState } from 'react';
import { ApiError, toApiError } from '../api/client';

/**
 * A report shown above a list: the one a form just produced (`show`) or one reopened from the
 * list (`open`, read with `load`). Either way the focus moves to `ref`, so that a screen reader
 * reads it. `load` must be stable (a module function or useCallback).
 */
export function useShownReport<T>(load: (id: number) => Promise<T>) {
  const [report, setReport] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  const show = useCallback((r: T | null, e: ApiError | null) => {
    setReport(r);
    setError(e);
    setTimeout(() => ref.current?.focus(), 0);
  }, []);

  const open = useCallback(
    async (id: number) => {
      try {
        show(await load(id), null);
      } catch (e) {
        show(null, toApiError(e));
      }
    },
    [load, show],
  );

  return { report, error, ref, show, open };
}
