import { useEffect, useState } from 'react';
import { ApiError, toApiError } from '../api/client';

/**
 * What a page reads for one key (a record's id, the ente chosen): read again whenever the key
 * changes, an answer that arrives for an older key dropped. A null key reads nothing (no ente
 * chosen yet). `load` must be stable (a module function or useCallback). `setData` keeps what
 * was read up to date after a change the page made itself (a record saved, a row added).
 */
export function useLoaded<T>(key: string | null, load: (key: string) => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    setData(null);
    setError(null);
    if (key === null) return;
    let live = true;
    load(key)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [key, load]);

  return { data, setData, error };
}
