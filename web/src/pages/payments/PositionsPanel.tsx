import { useCallback, useId, useMemo } from 'react';
import { downloadNotices, listPositions, PRINTABLE_STATUSES, type PositionFilters } from '../../api/payments';
import type { PositionStatus } from '../../api/types';
import { useAction } from '../../components/ActionStatus';
import { EnteFilter } from '../../components/EnteSelect';
import { FilterButtons, SelectField, TextField, TextFilter } from '../../components/Field';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { listAddress, useFiltersInAddress } from '../../components/useFiltersInAddress';
import { usePagedList } from '../../components/usePagedList';
import { formatDate, formatDateTime } from '../../format';
import { formatCents, PAY_POSITIONS_PATH, POSITION_STATUSES, PositionBadge, positionEnti, positionPath } from '../../payments';
import { Link } from '../../router';
import { useSession } from '../../session';

// "Posizioni debitorie": what the debtors owe the enti, searched by ente, state, debtor, notice
// number or text, newest first, a page at a time. The filters applied are kept in the address
// (?status=VALID&…), so that a position's page leads back to the same search. "Stampa avvisi"
// prints, in one PDF, the notices of the payable positions among those matching.

const PAGE_SIZE = 50;
const LABELS: Record<keyof PositionFilters, string> = {
  ente: 'Ente',
  status: 'Stato',
  debtor_fiscal_code: 'Codice fiscale del debitore',
  notice_number: 'Numero avviso',
  q: 'Testo',
};
const BLANK: PositionFilters = { ente: '', status: '', debtor_fiscal_code: '', notice_number: '', q: '' };

const ADDRESS = listAddress(PAY_POSITIONS_PATH);
/** The positions with the search of their last visit, for a position's "back" link. */
export const positionsListPath = ADDRESS.path;

export function PositionsPanel() {
  const { me, enti, entiByIstat } = useSession();
  const choices = useMemo(() => positionEnti(me?.grants ?? [], enti), [me, enti]);
  // "Stampa avvisi": its outcome belongs to the search it printed.
  const print = useAction();
  const { draft, applied, manyEnti, submit, reset, set } = useFiltersInAddress({
    address: ADDRESS,
    blank: BLANK,
    choices,
    codes: { status: POSITION_STATUSES },
    onApply: print.clear,
  });
  const fetchPage = useCallback((f: PositionFilters, cursor: string | null) => listPositions(f, PAGE_SIZE, cursor), []);
  const { items, next, error, loadingMore, loadMore } = usePagedList(fetchPage, applied);
  const uid = useId();

  const fieldErrors = error?.fieldErrors() ?? {};

  const printable = applied.status === '' || PRINTABLE_STATUSES.includes(applied.status);

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
          {manyEnti && <EnteFilter choices={choices} value={draft.ente} onChange={set('ente')} error={fieldErrors.ente} />}
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
          <TextFilter hint="Parole della descrizione o del nome del debitore." value={draft.q} onChange={set('q')} error={fieldErrors.q} />
          <FilterButtons onReset={reset} />
        </div>
      </form>

      <div className="d-flex flex-wrap align-items-start gap-3 mb-3" data-testid="positions-print">
        <button
          type="button"
          className="btn btn-outline-primary"
          onClick={() => void print.download(() => downloadNotices(applied), 'PDF degli avvisi scaricato.')}
          disabled={print.busy || !printable}
          aria-describedby={`${uid}-print-hint`}
        >
          {print.busy ? 'Preparazione degli avvisi…' : 'Stampa avvisi'}
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
      <ProblemAlert error={print.error} fieldLabels={LABELS} />
      <StatusMessage message={print.message} />

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
