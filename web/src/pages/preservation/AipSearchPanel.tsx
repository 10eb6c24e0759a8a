import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { EnteChooser } from '../../components/EnteSelect';
import { FilterButtons, FilterSelect, TextField, TextFilter } from '../../components/Field';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { listAddress, useFiltersInAddress } from '../../components/useFiltersInAddress';
import { usePagedList } from '../../components/usePagedList';
import { formatBytes, formatDateTime } from '../../format';
import { AIP_KINDS, aipPath, kindLabel, PRES_AIPS_PATH, searchAips, usePreservationEnte, type AipFilters } from '../../preservation';
import { Link } from '../../router';
import { DisposedBadge } from './Badges';

// "Pacchetti": the ente's AIPs searched by words of the title, document class, kind, dates of
// preservation and one Allegato 5 metadatum (its path and value, e.g. TipologiaDocumentale =
// Delibera), newest first, a page at a time. The filters are kept in the address, so that a
// package's page leads back to the same search; the ente is the console's (the header's).

const PAGE_SIZE = 50;
const LABELS: Record<string, string> = {
  q: 'Testo',
  classe: 'Classe documentale',
  tipo: 'Tipo',
  dal: 'Dal',
  al: 'Al',
  meta_path: 'Metadato',
  meta_value: 'Valore del metadato',
  cursor: 'Pagina',
  limit: 'Numero di risultati',
};
const BLANK: AipFilters = { ente: '', q: '', classe: '', tipo: '', dal: '', al: '', meta_path: '', meta_value: '' };

const ADDRESS = listAddress(PRES_AIPS_PATH);
/** The search with the filters of its last visit, for a package's "back" link. */
export const aipSearchPath = ADDRESS.path;

/** The server names a metadata filter by its parameter (meta.Path): it goes next to the path's field. */
function fieldOfProblem(field: string): string {
  return field.startsWith('meta.') || field === 'meta' ? 'meta_path' : field;
}

export function AipSearchPanel() {
  const { ente, choose, choices } = usePreservationEnte();
  // The ente is chosen above the form, for every section alike: the address keeps the rest.
  const { draft, setDraft, applied, submit, reset, set } = useFiltersInAddress({ address: ADDRESS, blank: BLANK, choices: [], codes: { tipo: AIP_KINDS } });
  const [metaError, setMetaError] = useState<string | undefined>();
  const filters = useMemo(() => (ente ? { ...applied, ente } : null), [applied, ente]);
  const fetchPage = useCallback((f: AipFilters, cursor: string | null) => searchAips(f.ente, f, PAGE_SIZE, cursor), []);
  const { items, next, error, loadingMore, loadMore } = usePagedList(fetchPage, filters);
  const fieldErrors: Record<string, string> = {};
  for (const [f, m] of Object.entries(error?.fieldErrors() ?? {})) fieldErrors[fieldOfProblem(f)] ??= m;
  const problemLabels = Object.fromEntries((error?.problem.errors ?? []).map((e) => [e.field, LABELS[fieldOfProblem(e.field)] ?? e.field]));

  // A metadatum is a path and a value: one without the other is not a filter.
  const search = (e: FormEvent) => {
    const onlyOne = !!draft.meta_path.trim() !== !!draft.meta_value.trim();
    if (onlyOne) {
      e.preventDefault();
      setMetaError(draft.meta_path.trim() ? 'Scrivi il valore del metadato, o togli il percorso.' : 'Scrivi il percorso del metadato, o togli il valore.');
      return;
    }
    setMetaError(undefined);
    submit(e);
  };

  return (
    <section aria-labelledby="pres-aips-title" data-testid="preservation-aips">
      <h2 className="h3" id="pres-aips-title">
        Pacchetti
      </h2>
      <p>
        I pacchetti di archiviazione (AIP) dell'ente, dal più recente. Cerca per parole del titolo, classe documentale, tipo, data di
        conservazione o per un metadato dell'Allegato 5; apri un pacchetto per vederne i file con la loro impronta e scaricarli.
      </p>
      <EnteChooser choices={choices} ente={ente} onChange={choose} prompt="Scegli l'ente di cui cercare i pacchetti." testId="preservation-ente" />
      {ente && (
        <form role="search" aria-label="Cerca nei pacchetti conservati" className="cst-panel cst-form mb-4" onSubmit={search} noValidate data-testid="aips-filters">
          <div className="row">
            <TextFilter hint="Parole del titolo del pacchetto." value={draft.q} onChange={set('q')} error={fieldErrors.q} />
            <TextField
              className="col-12 col-md-6 col-lg-4"
              label="Classe documentale"
              name="classe"
              autoComplete="off"
              spellCheck={false}
              hint="Per esempio registro-giornaliero-protocollo."
              value={draft.classe}
              onChange={set('classe')}
              error={fieldErrors.classe}
            />
            <FilterSelect label="Tipo" name="tipo" all="Tutti i tipi" labels={AIP_KINDS} value={draft.tipo} onChange={(v) => setDraft((d) => ({ ...d, tipo: v }))} />
            <TextField className="col-12 col-md-6 col-lg-4" label="Dal" name="dal" type="date" hint="Conservati da questo giorno." value={draft.dal} onChange={set('dal')} error={fieldErrors.dal} />
            <TextField className="col-12 col-md-6 col-lg-4" label="Al" name="al" type="date" hint="Conservati fino a questo giorno." value={draft.al} onChange={set('al')} error={fieldErrors.al} />
            <div className="w-100" />
            <TextField
              className="col-12 col-md-6 col-lg-4"
              label="Metadato"
              name="meta_path"
              autoComplete="off"
              spellCheck={false}
              hint="Il percorso nei metadati dell'Allegato 5, per esempio TipologiaDocumentale o DatiDiRegistrazione.TipologiaDiFlusso."
              value={draft.meta_path}
              onChange={set('meta_path')}
              error={fieldErrors.meta_path ?? (draft.meta_path.trim() ? undefined : metaError)}
            />
            <TextField
              className="col-12 col-md-6 col-lg-4"
              label="Valore del metadato"
              name="meta_value"
              autoComplete="off"
              hint="Il valore cercato, per intero."
              value={draft.meta_value}
              onChange={set('meta_value')}
              error={fieldErrors.meta_value ?? (draft.meta_path.trim() && !draft.meta_value.trim() ? metaError : undefined)}
            />
            <FilterButtons
              onReset={() => {
                setMetaError(undefined);
                reset();
              }}
            />
          </div>
        </form>
      )}

      <ProblemAlert error={error} fieldLabels={problemLabels} />
      <ListAnnouncement items={items} next={next} noun="pacchetti" more="altri" />
      {ente && !items && !error && <Loading />}
      {items && items.length === 0 && !error && (
        <div className="callout">
          <div className="callout-title">Nessun pacchetto</div>
          <p>Nessun pacchetto conservato corrisponde ai filtri.</p>
        </div>
      )}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table table-hover cst-table" data-testid="aips-table">
            <ListCaption count={items.length} next={next} more="altri">
              Pacchetti conservati
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">Titolo</th>
                <th scope="col">Classe documentale</th>
                <th scope="col">Tipo</th>
                <th scope="col">Conservato il</th>
                <th scope="col" className="text-end">
                  Documenti
                </th>
                <th scope="col">Stato</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-aip={a.id} data-disposed={a.disposal ? 'true' : undefined}>
                  <th scope="row" className="cst-detail">
                    <Link to={aipPath(a.id)}>{a.title}</Link>
                    <span className="d-block small fw-normal font-monospace">{a.id}</span>
                  </th>
                  <td className="font-monospace small">{a.document_class ?? '—'}</td>
                  <td className="small">{kindLabel(a.kind)}</td>
                  <td className="small text-nowrap">
                    <time dateTime={a.created_at}>{formatDateTime(a.created_at)}</time>
                  </td>
                  <td className="text-end text-nowrap">{formatBytes(a.documents_bytes)}</td>
                  <td>{a.disposal ? <DisposedBadge /> : <span className="badge bg-success">Conservato</span>}</td>
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
