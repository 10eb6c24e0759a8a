import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, toApiError } from '../../api/client';
import { downloadNotices, listPositions, PRINTABLE_STATUSES, type PositionFilters } from '../../api/payments';
import type { PositionStatus } from '../../api/types';
import { SelectField, TextField } from '../../components/Field';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { usePagedList } from '../../components/usePagedList';
import { formatDate, formatDateTime } from '../../format';
import { formatCents, PAY_POSITIONS_PATH, POSITION_STATUSES, PositionBadge, positionEnti, positionPath } from '../../payments';
import { seesAllEnti } from '../../roles';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';

// "Posizioni debitorie": what the debtors owe the enti, searched by ente, state, debtor, notice
// number or text, newest first, a page at a time. The filters applied are kept in the address
// (?status=VALID&…), so that a position's page leads back to the same search. "Stampa avvisi"
// prints, in one PDF, the notices of the payable positions among those matching.

const PAGE_SIZE = 50;
const FILTER_KEYS = ['ente', 'status', 'debtor_fiscal_code', 'notice_number', 'q'] as const;
const LABELS: Record<(typeof FILTER_KEYS)[number], string> = {
  ente: 'Ente',
  status: 'Stato',
  debtor_fiscal_code: 'Codice fiscale del debitore',
  notice_number: 'Numero avviso',
  q: 'Testo',
};
const BLANK: PositionFilters = { ente: '', status: '', debtor_fiscal_code: '', notice_number: '', q: '' };

/** The search of the list's last visit (its address's query), for a position's "back" link. */
let lastSearch = '';
export const positionsListPath = () => PAY_POSITIONS_PATH + lastSearch;

function filtersFromSearch(search: string, fallbackEnte: string): PositionFilters {
  const q = new URLSearchParams(search);
  const f: PositionFilters = { ...BLANK, ente: q.has('ente') ? (q.get('ente') ?? '') : fallbackEnte };
  const status = q.get('status') ?? '';
  if (status in POSITION_STATUSES) f.status = status as PositionStatus;
  f.debtor_fiscal_code = q.get('debtor_fiscal_code') ?? '';
  f.notice_number = q.get('notice_number') ?? '';
  f.q = q.get('q') ?? '';
  return f;
}

function searchOf(f: PositionFilters): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k].trim()) q.set(k, f[k].trim());
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function PositionsPanel() {
  const { me, enti, entiByIstat, selectedEnte } = useSession();
  const grants = me?.grants ?? [];
  const choices = useMemo(() => positionEnti(me?.grants ?? [], enti), [me, enti]);
  const manyEnti = choices.length > 1;
  const headerEnte = manyEnti && choices.some((e) => e.istat === selectedEnte) ? selectedEnte : '';
  const [draft, setDraft] = useState<PositionFilters>(() => filtersFromSearch(window.location.search, headerEnte));
  const [applied, setApplied] = useState<PositionFilters>(draft);
  const fetchPage = useCallback((f: PositionFilters, cursor: string | null) => listPositions(f, PAGE_SIZE, cursor), []);
  const { items, next, error, loadingMore, loadMore } = usePagedList(fetchPage, applied);
  const [printing, setPrinting] = useState(false);
  const [printError, setPrintError] = useState<ApiError | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const uid = useId();

  const apply = (f: PositionFilters) => {
    setApplied(f);
    setPrintError(null);
    setPrinted(null);
    navigate(PAY_POSITIONS_PATH + searchOf(f), true);
  };

  // The ente chosen in the header afterwards becomes the filter (as in the service desk's list).
  const seenHeader = useRef(selectedEnte);
  useEffect(() => {
    if (seenHeader.current === selectedEnte) return;
    seenHeader.current = selectedEnte;
    const f = { ...applied, ente: headerEnte };
    setDraft((d) => ({ ...d, ente: headerEnte }));
    apply(f);
  }, [selectedEnte]); // only a change of the header: the rest is read as it is now

  useEffect(() => {
    lastSearch = searchOf(applied);
  }, [applied]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply({ ...draft });
  };
  const reset = () => {
    const b = { ...BLANK, ente: headerEnte };
    setDraft(b);
    apply(b);
  };
  const set = (k: keyof PositionFilters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const fieldErrors = error?.fieldErrors() ?? {};

  const printable = applied.status === '' || PRINTABLE_STATUSES.includes(applied.status);
  const print = async () => {
    setPrinting(true);
    setPrintError(null);
    setPrinted(null);
    try {
      await downloadNotices(applied);
      setPrinted('PDF degli avvisi scaricato.');
    } catch (e) {
      setPrintError(toApiError(e));
    } finally {
      setPrinting(false);
    }
  };

  return (
    <section aria-labelledby="pay-positions-title" data-testid="payments-positions">
      <h2 className="h3" id="pay-positions-title">
        Posizioni debitorie
      </h2>
      <p>
        Ogni posizione è un debito verso un ente, con uno o più avvisi pagoPA: il pagamento in un'unica soluzione e, se previste, le
        rate. Cerca per stato, debitore, numero avviso o testo; apri una posizione per vederne gli avvisi, la cronologia e le ricevute.
      </p>
      <form role="search" aria-label="Cerca tra le posizioni debitorie" className="cst-panel cst-form mb-4" onSubmit={submit} data-testid="positions-filters">
        <div className="row">
          {manyEnti && (
            <SelectField className="col-12 col-md-6 col-lg-4" label="Ente" name="ente" value={draft.ente} onChange={set('ente')} error={fieldErrors.ente}>
              <option value="">{seesAllEnti(grants) ? 'Tutti gli enti' : 'Tutti i miei enti'}</option>
              {choices.map((x) => (
                <option key={x.istat} value={x.istat}>
                  {x.name} ({x.istat})
                </option>
              ))}
            </SelectField>
          )}
          <SelectField className="col-12 col-md-6 col-lg-4" label="Stato" name="status" value={draft.status} onChange={set('status')} error={fieldErrors.status}>
            <option value="">Tutti gli stati</option>
            {(Object.keys(POSITION_STATUSES) as PositionStatus[]).map((s) => (
              <option key={s} value={s}>
                {POSITION_STATUSES[s][0]}
              </option>
            ))}
          </SelectField>
          <TextField
            className="col-12 col-md-6 col-lg-4"
            label="Codice fiscale del debitore"
            name="debtor_fiscal_code"
            autoComplete="off"
            spellCheck={false}
            maxLength={16}
            value={draft.debtor_fiscal_code}
            onChange={set('debtor_fiscal_code')}
            error={fieldErrors.debtor_fiscal_code}
          />
          <TextField
            className="col-12 col-md-6 col-lg-4"
            label="Numero avviso"
            name="notice_number"
            inputMode="numeric"
            autoComplete="off"
            hint="18 cifre; gli spazi non contano."
            value={draft.notice_number}
            onChange={set('notice_number')}
            error={fieldErrors.notice_number}
          />
          <TextField
            className="col-12 col-md-6 col-lg-4"
            label="Testo"
            name="q"
            type="search"
            autoComplete="off"
            hint="Parole della descrizione o del nome del debitore."
            value={draft.q}
            onChange={set('q')}
            error={fieldErrors.q}
          />
          <div className="col-12 col-lg-4 d-flex align-items-start gap-2 cst-filter-buttons">
            <button type="submit" className="btn btn-primary">
              Cerca
            </button>
            <button type="button" className="btn btn-outline-primary" onClick={reset}>
              Azzera
            </button>
          </div>
        </div>
      </form>

      <div className="d-flex flex-wrap align-items-start gap-3 mb-3" data-testid="positions-print">
        <button
          type="button"
          className="btn btn-outline-primary"
          onClick={() => void print()}
          disabled={printing || !printable}
          aria-describedby={`${uid}-print-hint`}
        >
          {printing ? 'Preparazione degli avvisi…' : 'Stampa avvisi'}
        </button>
        <p id={`${uid}-print-hint`} className="small mb-0 flex-grow-1">
          {printable
            ? 'Un solo PDF con gli avvisi delle posizioni che corrispondono ai filtri applicati, tutte e non solo quelle in elenco, ' +
              'ma soltanto se pagabili (pubblicate o pagate in parte): bozze, annullate, scadute e pagate non hanno un avviso da ' +
              'stampare. Al massimo 5000 avvisi per volta: oltre, restringi la ricerca.'
            : `Le posizioni nello stato «${POSITION_STATUSES[applied.status as PositionStatus][0]}» non hanno un avviso da stampare: ` +
              'si stampano solo quelle pubblicate o pagate in parte.'}
        </p>
      </div>
      <ProblemAlert error={printError} fieldLabels={LABELS} />
      <StatusMessage message={printed} />

      <ProblemAlert error={error} fieldLabels={LABELS} />
      <ListAnnouncement items={items} next={next} noun="posizioni" more="altre" />
      {!items && <Loading />}
      {items && items.length === 0 && !error && (
        <div className="callout">
          <div className="callout-title">Nessuna posizione</div>
          <p>Nessuna posizione debitoria corrisponde ai filtri.</p>
        </div>
      )}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table table-hover cst-table" data-testid="positions-table">
            <ListCaption count={items.length} next={next} more="altre">
              Posizioni debitorie
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">Posizione</th>
                <th scope="col">Debitore</th>
                {manyEnti && <th scope="col">Ente</th>}
                <th scope="col" className="text-end">
                  Importo
                </th>
                <th scope="col">Stato</th>
                <th scope="col">Aggiornata</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} data-position={p.id} data-reference={p.reference}>
                  <th scope="row" className="cst-detail">
                    <Link to={positionPath(p.id)} className="font-monospace">
                      {p.reference}
                    </Link>
                    <span className="d-block small fw-normal">{p.description}</span>
                  </th>
                  <td className="cst-detail">
                    {p.debtor.name}
                    <span className="d-block small font-monospace">{p.debtor.fiscal_code}</span>
                  </td>
                  {manyEnti && <td>{entiByIstat.get(p.ente)?.name ?? p.ente}</td>}
                  <td className="text-end text-nowrap">
                    {formatCents(p.amount_cents)}
                    {p.options_count > 1 && <span className="d-block small">{p.options_count} opzioni di pagamento</span>}
                  </td>
                  <td className="small">
                    <PositionBadge status={p.status} />
                    {p.valid_until && <span className="d-block">pagabile fino al {formatDate(p.valid_until)}</span>}
                  </td>
                  <td className="small text-nowrap">
                    <time dateTime={p.updated_at}>{formatDateTime(p.updated_at)}</time>
                    <span className="d-block">da {p.updated_by}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore next={next} loading={loadingMore} onLoadMore={loadMore} label="Altri risultati" />
    </section>
  );
}
