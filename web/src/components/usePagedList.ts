import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, toApiError } from '../api/client';
import type { Page } from '../api/types';

/**
 * A cursor-paged list driven by filters: reloads from the first page whenever `filters` (or
 * `fetchPage`) change, ignoring answers that arrive after a newer request, and appends the next
 * page on `loadMore`. `fetchPage` must be stable (useCallback). `reload` reads the first page
 * again after a change, keeping the rows on screen until the answer arrives. Null `filters`: there
 * is nothing to list yet (no ente chosen), and nothing is read. `firstPage` is the first page's
 * whole answer, for what a list's API says beside its rows (the days missing a daily register).
 */
export function usePagedList<P extends Page<unknown>, F>(fetchPage: (filters: F, cursor: string | null) => Promise<P>, filters: F | null) {
  type T = P['items'][number];
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [firstPage, setFirstPage] = useState<P | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // Bumped by every request: an answer to an older one is dropped.
  const generation = useRef(0);

  const showFirst = (p: P) => {
    setItems(p.items);
    setNext(p.next_cursor);
    setFirstPage(p);
  };

  useEffect(() => {
    const mine = ++generation.current;
    const live = () => generation.current === mine;
    setItems(null);
    setFirstPage(null);
    setError(null);
    if (filters === null) {
      setNext(null);
      return;
    }
    fetchPage(filters, null)
      .then((p) => {
        if (!live()) return;
        showFirst(p);
      })
      .catch((e: unknown) => {
        if (!live()) return;
        setError(toApiError(e));
        setItems([]);
        setNext(null);
      });
    return () => {
      generation.current += 1;
    };
  }, [filters, fetchPage]);

  const reload = useCallback(async () => {
    if (filters === null) return;
    const mine = ++generation.current;
    try {
      const p = await fetchPage(filters, null);
      if (generation.current !== mine) return;
      setError(null);
      showFirst(p);
    } catch (e) {
      if (generation.current === mine) setError(toApiError(e));
    }
  }, [fetchPage, filters]);

  const loadMore = async () => {
    if (!next || filters === null) return;
    setLoadingMore(true);
    try {
      const p = await fetchPage(filters, next);
      setItems((old) => [...(old ?? []), ...p.items]);
      setNext(p.next_cursor);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setLoadingMore(false);
    }
  };

  return { items, next, firstPage, error, loadingMore, loadMore, reload };
}
