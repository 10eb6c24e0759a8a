import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Ente } from '../api/types';
import { navigate } from '../router';
import { useSession } from '../session';

/** A list's filters, as text fields (empty: not filtered); `ente` follows the header's selector. */
type Filters<F> = { ente: string } & { [K in keyof F]: string };

/**
 * A searchable list's address. `path()` is the list's address with the search of its last visit,
 * for its records' "back" links, which so lead back to the same search.
 */
export interface ListAddress {
  base: string;
  path: () => string;
  remember: (search: string) => void;
}

export function listAddress(base: string): ListAddress {
  let last = '';
  return {
    base,
    path: () => base + last,
    remember: (search) => {
      last = search;
    },
  };
}

/** The filters in an address's query; those not there are blank, the ente the header's. */
function filtersFromSearch<F extends Filters<F>>(search: string, blank: F, fallbackEnte: string, codes: Partial<Record<keyof F, object>>): F {
  const q = new URLSearchParams(search);
  const f: F = { ...blank, ente: q.has('ente') ? (q.get('ente') ?? '') : fallbackEnte };
  for (const k of Object.keys(blank) as (keyof F & string)[]) {
    if (k === 'ente') continue;
    const value = q.get(k) ?? '';
    const known = codes[k];
    // A code the list does not know (an address typed or kept from an older version) is not a filter.
    if (!known || value in known) f[k] = value as F[typeof k];
  }
  return f;
}

/** "?q=…&flow=incoming": the filters set, in `blank`'s order; "" when none is. */
function searchOf<F extends Filters<F>>(f: F, blank: F): string {
  const q = new URLSearchParams();
  for (const k of Object.keys(blank) as (keyof F & string)[]) if (f[k].trim()) q.set(k, f[k].trim());
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * The filters of a searchable list, kept in its address (?q=…&status=…) so that a record's page
 * leads back to the same search: the form's `draft` and the `applied` filters the list shows.
 * With several `choices` the list is filtered by ente, starting from the header's and following
 * it when it changes afterwards.
 */
export function useFiltersInAddress<F extends Filters<F>>({
  address,
  blank,
  choices,
  codes = {},
  onApply,
}: {
  address: ListAddress;
  /** Every filter, empty, in the order they go in the address. */
  blank: F;
  choices: readonly Ente[];
  /** The filters whose value must be one of these codes (a state, a flow): another in the address is dropped. */
  codes?: Partial<Record<keyof F, object>>;
  /** Called with every search applied, to clear what the last one left on screen. */
  onApply?: (f: F) => void;
}) {
  const { selectedEnte } = useSession();
  const manyEnti = choices.length > 1;
  const headerEnte = manyEnti && choices.some((e) => e.istat === selectedEnte) ? selectedEnte : '';
  const [draft, setDraft] = useState<F>(() => filtersFromSearch(window.location.search, blank, headerEnte, codes));
  const [applied, setApplied] = useState<F>(draft);

  const apply = (f: F) => {
    setApplied(f);
    onApply?.(f);
    navigate(address.base + searchOf(f, blank), true);
  };

  // The ente chosen in the header afterwards becomes the filter (as in the other lists).
  const seenHeader = useRef(selectedEnte);
  useEffect(() => {
    if (seenHeader.current === selectedEnte) return;
    seenHeader.current = selectedEnte;
    setDraft((d) => ({ ...d, ente: headerEnte }));
    apply({ ...applied, ente: headerEnte });
  }, [selectedEnte]); // only a change of the header: the rest is read as it is now

  useEffect(() => {
    address.remember(searchOf(applied, blank));
  }, [applied]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply({ ...draft });
  };
  const reset = () => {
    const b = { ...blank, ente: headerEnte };
    setDraft(b);
    apply(b);
  };
  /** The onChange of filter `k`'s field. */
  const set = (k: keyof F) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  return { draft, setDraft, applied, manyEnti, submit, reset, set };
}
