import { useCallback, useMemo } from 'react';
import { listRegistrations, type RegistrationFilters } from '../../api/protocol';
import { EnteFilter } from '../../components/EnteSelect';
import { FilterButtons, FilterSelect, TextField, TextFilter } from '../../components/Field';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { listAddress, useFiltersInAddress } from '../../components/useFiltersInAddress';
import { usePagedList } from '../../components/usePagedList';
import { formatDateTime } from '../../format';
import {
  flowLabel,
  FLOWS,
  PROT_REGISTER_PATH,
  PROTOCOL_STATUSES,
  readableEnti,
  RegistrationBadge,
  registrationNumber,
  registrationPath,
} from '../../protocol';
import { Link } from '../../router';
import { useSession } from '../../session';

// "Registro": the ente's registrations searched by ente, year, text, flow, dates and state, newest
// first, a page at a time. The filters applied are kept in the address (?q=…&flow=incoming), so
// that a registration's page leads back to the same search. An annulled registration stays in the
// list, marked "Annullata".

const PAGE_SIZE = 50;
const LABELS: Record<keyof RegistrationFilters, string> = {
  ente: 'Ente',
  year: 'Anno',
  q: 'Testo',
  flow: 'Flusso',
  from: 'Dal',
  to: 'Al',
  status: 'Stato',
};
const BLANK: RegistrationFilters = { ente: '', year: '', q: '', flow: '', from: '', to: '', status: '' };

const ADDRESS = listAddress(PROT_REGISTER_PATH);
/** The register with the search of its last visit, for a registration's "back" link. */
export const registerListPath = ADDRESS.path;

export function RegistrationsPanel() {
  const { me, enti, entiByIstat } = useSession();
  const choices = useMemo(() => readableEnti(me?.grants ?? [], enti), [me, enti]);
  const { draft, setDraft, applied, manyEnti, submit, reset, set } = useFiltersInAddress({
    address: ADDRESS,
    blank: BLANK,
    choices,
    codes: { flow: FLOWS, status: PROTOCOL_STATUSES },
  });
  const fetchPage = useCallback((f: RegistrationFilters, cursor: string | null) => listRegistrations(f, PAGE_SIZE, cursor), []);
  const { items, next, error, loadingMore, loadMore } = usePagedList(fetchPage, applied);
  const fieldErrors = error?.fieldErrors() ?? {};

  return (
    <section aria-labelledby="prot-register-title" data-testid="protocol-register">
      <h2 className="h3" id="prot-register-title">
        Registro
      </h2>
      <p>
        Le registrazioni di protocollo, dalla più recente. Cerca per parole dell'oggetto o del nome di mittenti e destinatari, per
        flusso, date o stato; apri una registrazione per vederne tutti i dati, i documenti con la loro impronta e la segnatura.
      </p>
      <form role="search" aria-label="Cerca nel registro di protocollo" className="cst-panel cst-form mb-4" onSubmit={submit} data-testid="registrations-filters">
        <div className="row">
          {manyEnti && <EnteFilter choices={choices} value={draft.ente} onChange={set('ente')} error={fieldErrors.ente} />}
          <TextFilter hint="Parole dell'oggetto o del nome di un corrispondente." value={draft.q} onChange={set('q')} error={fieldErrors.q} />
          <TextField
            className="col-12 col-md-6 col-lg-4"
            label="Anno"
            name="year"
            inputMode="numeric"
            autoComplete="off"
            maxLength={4}
            hint="L'anno del registro, per esempio 2026."
            value={draft.year}
            onChange={set('year')}
            error={fieldErrors.year}
          />
          <FilterSelect
            label="Flusso"
            name="flow"
            all="Tutti i flussi"
            labels={FLOWS}
            value={draft.flow}
            onChange={(v) => setDraft((d) => ({ ...d, flow: v }))}
          />
          <TextField className="col-12 col-md-6 col-lg-4" label="Dal" name="from" type="date" value={draft.from} onChange={set('from')} error={fieldErrors.from} />
          <TextField className="col-12 col-md-6 col-lg-4" label="Al" name="to" type="date" value={draft.to} onChange={set('to')} error={fieldErrors.to} />
          <FilterSelect
            label="Stato"
            name="status"
            all="Tutti gli stati"
            labels={PROTOCOL_STATUSES}
            value={draft.status}
            onChange={(v) => setDraft((d) => ({ ...d, status: v }))}
          />
          <FilterButtons onReset={reset} />
        </div>
      </form>

      <ProblemAlert error={error} fieldLabels={LABELS} />
      <ListAnnouncement items={items} next={next} noun="registrazioni" more="altre" />
      {!items && <Loading />}
      {items && items.length === 0 && !error && (
        <div className="callout">
          <div className="callout-title">Nessuna registrazione</div>
          <p>Nessuna registrazione di protocollo corrisponde ai filtri.</p>
        </div>
      )}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table table-hover cst-table" data-testid="registrations-table">
            <ListCaption count={items.length} next={next} more="altre">
              Registrazioni di protocollo
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">Numero</th>
                <th scope="col">Data</th>
                {manyEnti && <th scope="col">Ente</th>}
                <th scope="col">Flusso</th>
                <th scope="col">Oggetto</th>
                <th scope="col">Corrispondenti</th>
                <th scope="col">Classifica</th>
                <th scope="col">Stato</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-registration={r.id} data-number={registrationNumber(r)} data-status={r.status}>
                  <th scope="row" className="text-nowrap">
                    <Link to={registrationPath(r.id)} className="font-monospace" aria-label={`Registrazione n. ${registrationNumber(r)}`}>
                      {registrationNumber(r)}
                    </Link>
                  </th>
                  <td className="small text-nowrap">
                    <time dateTime={r.registered_at}>{formatDateTime(r.registered_at)}</time>
                  </td>
                  {manyEnti && <td>{entiByIstat.get(r.ente)?.name ?? r.ente}</td>}
                  <td className="text-nowrap">{flowLabel(r.flow)}</td>
                  <td className="cst-detail">
                    {r.subject}
                    {r.reserved && <span className="d-block small">Riservata</span>}
                  </td>
                  <td className="cst-detail">
                    {r.correspondents.length === 0 ? (
                      <span className="small">Nessuno (documento interno)</span>
                    ) : (
                      r.correspondents.map((c) => c.display_name).join(', ')
                    )}
                  </td>
                  <td className="small">
                    <span className="font-monospace">{r.class_code}</span>
                    <span className="d-block">{r.class_description}</span>
                  </td>
                  <td>
                    <RegistrationBadge status={r.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore next={next} loading={loadingMore} onLoadMore={loadMore} label="Carica altri" />
    </section>
  );
}
