import type { ReactNode } from 'react';

// The pieces every cursor-paged list (usePagedList) shows around its table, worded alike: the
// count announced to screen readers, the table's caption and the "Carica altri" button.

/** "altri" or "altre", agreeing with the rows' noun: "altre disponibili". */
type More = 'altri' | 'altre';

/** Announces, politely, how many rows are listed once they arrive: "3 postazioni in elenco, altre disponibili". */
export function ListAnnouncement({ items, next, noun, more }: { items: readonly unknown[] | null; next: string | null; noun: string; more: More }) {
  return (
    <p className="visually-hidden" aria-live="polite">
      {items ? `${items.length} ${noun} in elenco${next ? `, ${more} disponibili` : ''}` : ''}
    </p>
  );
}

/** The table's caption: "Postazioni: 3 (altre disponibili)". */
export function ListCaption({ count, next, more, children }: { count: number; next: string | null; more: More; children: ReactNode }) {
  return (
    <caption>
      {children}: {count}
      {next ? ` (${more} disponibili)` : ''}
    </caption>
  );
}

/**
 * Appends the next page; nothing when there is none. `label`: the button's text ("Carica altri");
 * `disabled`: another action of the page is running (a download), so the button waits.
 */
export function LoadMore({
  next,
  loading,
  onLoadMore,
  label = 'Carica altri',
  disabled = false,
}: {
  next: string | null;
  loading: boolean;
  onLoadMore: () => Promise<void>;
  label?: string;
  disabled?: boolean;
}) {
  if (!next) return null;
  return (
    <button type="button" className="btn btn-outline-primary" onClick={() => void onLoadMore()} disabled={loading || disabled}>
      {loading ? 'Caricamento…' : label}
    </button>
  );
}
