import { useCallback, useMemo } from 'react';
import { getImport, importErrorsUrl, listImports } from '../../api/payments';
import type { ImportReport } from '../../api/types';
import { useEnteChoice } from '../../components/EnteSelect';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePagedList } from '../../components/usePagedList';
import { useShownReport } from '../../components/useShownReport';
import { formatBytes, formatDateTime, formatInteger } from '../../format';
import { IMPORT_MODES, ImportOutcomeBadge, importEnti, PAY_POSITIONS_PATH } from '../../payments';
import { Link } from '../../router';
import { useSession } from '../../session';
import { ImportForm } from './ImportForm';

// "Importa ruolo": a whole tax roll (TARI, school meals…) from the CSV an office's spreadsheet
// exports, checked row by row with the API's own rules; the report names the line and column of
// every error. Below, the ente's earlier imports, whose reports can be opened again.

const PAGE_SIZE = 20;

/** The columns of the file (docs/payments.md, "Columns"). */
const COLUMNS: [name: string, required: boolean, what: string][] = [
  ['codice', true, "Il codice della posizione nell'ente (per esempio TARI-2027-0001). Righe consecutive con lo stesso codice sono una posizione."],
  ['descrizione', true, "L'oggetto del debito."],
  ['tassonomia', true, "Uno dei codici di tassonomia dell'ente, per esempio 9/0101002IM/."],
  ['tipo_debitore', true, 'F persona fisica, G persona giuridica.'],
  ['codice_fiscale', true, 'Il codice fiscale (o la partita IVA) del debitore.'],
  ['nominativo', true, 'Nome e cognome, o ragione sociale.'],
  ['indirizzo, civico, cap, comune, provincia, nazione, email', false, 'Il recapito del debitore.'],
  ['importo', true, 'In euro, con al più due decimali e senza separatore delle migliaia: 1234,56 oppure 1234.56.'],
  ['scadenza', true, 'GG/MM/AAAA oppure AAAA-MM-GG.'],
  ['rata', false, "Vuota per il pagamento in un'unica soluzione; 1, 2, 3… per le rate, in ordine."],
  ['valida_fino', false, "L'ultimo giorno in cui si può pagare (data come la scadenza)."],
  ['causale', false, 'La causale del versamento; se vuota, la descrizione.'],
  ['iban', false, "Uno dei conti dell'ente; se vuoto, il conto predefinito."],
];

const OUTCOME_SENTENCES = {
  completed: 'Tutte le righe sono state importate.',
  partial: 'Sono state importate le posizioni valide; le righe con errori sono state scartate.',
  rejected: 'Nessuna posizione importata.',
} as const;

export function ImportPanel() {
  const { me, enti, entiByIstat } = useSession();
  const choices = useMemo(() => importEnti(me?.grants ?? [], enti), [me, enti]);
  const [ente, pickEnte] = useEnteChoice(choices);
  const enteName = entiByIstat.get(ente)?.name ?? ente;
  const { report, error: reportError, ref: reportRef, show, open } = useShownReport(getImport);

  const filters = useMemo(() => ({ ente }), [ente]);
  const fetchPage = useCallback((f: { ente: string }, cursor: string | null) => listImports(f.ente, PAGE_SIZE, cursor), []);
  const past = usePagedList(fetchPage, filters);

  return (
    <section aria-labelledby="pay-import-title" data-testid="payments-import">
      <h2 className="h3" id="pay-import-title">
        Importa ruolo
      </h2>
      <p>
        Un intero ruolo (TARI, mensa scolastica, …) in una volta, dal file CSV esportato dal foglio di calcolo dell'ufficio. Ogni riga
        è controllata con le stesse regole delle posizioni create una per una; il resoconto indica riga e colonna di ogni errore.
      </p>
      {choices.length === 0 && enti.length > 0 && (
        <div className="alert alert-warning" role="alert">
          Nessun ente di cui tu possa importare un ruolo.
        </div>
      )}
      <ImportForm choices={choices} ente={ente} pickEnte={pickEnte} enteName={enteName} onImported={(r) => {
        show(r, null);
        void past.reload();
      }} />

      <div ref={reportRef} tabIndex={-1} className="cst-focus-target">
        <ProblemAlert error={reportError} />
        {report && <ImportReportView report={report} />}
      </div>

      <h3 className="h4 mt-4" id="pay-import-columns-title">
        Le colonne del file
      </h3>
      <p>
        La prima riga dà i nomi delle colonne, in qualunque ordine (maiuscole e spazi non contano: «Codice Fiscale» è codice_fiscale).
        Ogni riga successiva è un modo di pagare: un'unica soluzione o una rata. Le colonne della posizione si leggono dalla sua prima
        riga; le righe seguenti possono lasciarle vuote. Gli errori indicano la riga del file, contando l'intestazione come riga 1.
      </p>
      <div className="table-responsive">
        <table className="table cst-table" aria-labelledby="pay-import-columns-title" data-testid="import-columns">
          <thead>
            <tr>
              <th scope="col">Colonna</th>
              <th scope="col">Obbligatoria</th>
              <th scope="col">Contenuto</th>
            </tr>
          </thead>
          <tbody>
            {COLUMNS.map(([name, required, what]) => (
              <tr key={name}>
                <th scope="row" className="font-monospace">
                  {name}
                </th>
                <td>{required ? 'Sì' : 'No'}</td>
                <td className="cst-detail">{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3 className="h4 mt-4" id="pay-imports-title">
        Importazioni precedenti
      </h3>
      <ProblemAlert error={past.error} />
      <ListAnnouncement items={past.items} next={past.next} noun="importazioni" more="altre" />
      {!past.items && <Loading />}
      {past.items && past.items.length === 0 && !past.error && <p>Nessuna importazione{ente ? ` per ${enteName}` : ''}.</p>}
      {past.items && past.items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="imports-table">
            <ListCaption count={past.items.length} next={past.next} more="altre">
              Importazioni{ente ? ` di ${enteName}` : ''}
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">N.</th>
                <th scope="col">Eseguita</th>
                {!ente && <th scope="col">Ente</th>}
                <th scope="col">Modalità</th>
                <th scope="col">Esito</th>
                <th scope="col" className="text-end">
                  Righe importate
                </th>
                <th scope="col" className="text-end">
                  Posizioni create
                </th>
                <th scope="col" className="text-end">
                  Errori
                </th>
                <th scope="col">
                  <span className="visually-hidden">Azioni</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {past.items.map((r) => (
                <tr key={r.id} data-import={r.id}>
                  <th scope="row" className="font-monospace">
                    {r.id}
                  </th>
                  <td className="small text-nowrap">
                    <time dateTime={r.started_at}>{formatDateTime(r.started_at)}</time>
                    <span className="d-block">da {r.by}</span>
                  </td>
                  {!ente && <td>{entiByIstat.get(r.ente)?.name ?? r.ente}</td>}
                  <td className="small">
                    {IMPORT_MODES[r.mode] ?? r.mode}
                    {r.publish && <span className="d-block">pubblicate subito</span>}
                  </td>
                  <td>
                    <ImportOutcomeBadge outcome={r.outcome} />
                  </td>
                  <td className="text-end text-nowrap">
                    {formatInteger(r.rows_accepted)} di {formatInteger(r.rows)}
                  </td>
                  <td className="text-end">{formatInteger(r.positions_created)}</td>
                  <td className="text-end">{formatInteger(r.errors_total)}</td>
                  <td className="text-nowrap">
                    <button type="button" className="btn btn-outline-primary btn-xs me-2" onClick={() => void open(r.id)}>
                      Resoconto<span className="visually-hidden"> dell'importazione n. {r.id}</span>
                    </button>
                    {r.errors_total > 0 && (
                      <a className="btn btn-outline-primary btn-xs" href={importErrorsUrl(r.id)} download>
                        Errori (CSV)<span className="visually-hidden"> dell'importazione n. {r.id}</span>
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore next={past.next} loading={past.loadingMore} onLoadMore={past.loadMore} label="Altri risultati" />
    </section>
  );
}

/** One import's report: the outcome, the totals and the errors by line and column. */
export function ImportReportView({ report: r }: { report: ImportReport }) {
  const { entiByIstat } = useSession();
  const errors = r.errors ?? [];
  const rejectedWhy =
    r.outcome === 'rejected'
      ? r.mode === 'all_or_nothing'
        ? ' Con la modalità «tutto o niente» basta un errore: correggi il file e caricalo di nuovo.'
        : ' Nessuna posizione del file era valida.'
      : '';
  return (
    <section className="cst-panel mb-4" aria-labelledby={`import-${r.id}-title`} data-testid="import-report" data-outcome={r.outcome}>
      <h3 className="h4" id={`import-${r.id}-title`}>
        Resoconto dell'importazione n. {r.id}
      </h3>
      <p>
        <ImportOutcomeBadge outcome={r.outcome} /> {OUTCOME_SENTENCES[r.outcome]}
        {rejectedWhy}
      </p>
      <dl className="cst-dl mb-4" data-testid="import-totals">
        <div className="row py-1">
          <dt className="col-12 col-md-4">Ente</dt>
          <dd className="col-12 col-md-8 mb-0">
            {entiByIstat.get(r.ente)?.name ?? r.ente} ({r.ente})
          </dd>
        </div>
        <div className="row py-1">
          <dt className="col-12 col-md-4">Modalità</dt>
          <dd className="col-12 col-md-8 mb-0">
            {IMPORT_MODES[r.mode] ?? r.mode}
            {r.publish ? ', posizioni pubblicate subito' : ', posizioni in bozza'}
          </dd>
        </div>
        <div className="row py-1">
          <dt className="col-12 col-md-4">File</dt>
          <dd className="col-12 col-md-8 mb-0">
            {formatBytes(r.file_bytes)}, {formatInteger(r.lines)} righe compresa l'intestazione
          </dd>
        </div>
        <div className="row py-1">
          <dt className="col-12 col-md-4">Righe</dt>
          <dd className="col-12 col-md-8 mb-0" data-testid="import-rows">
            {formatInteger(r.rows)}: {formatInteger(r.rows_accepted)} importate, {formatInteger(r.rows_rejected)} scartate
          </dd>
        </div>
        <div className="row py-1">
          <dt className="col-12 col-md-4">Posizioni</dt>
          <dd className="col-12 col-md-8 mb-0" data-testid="import-positions">
            {formatInteger(r.positions_created)} create, {formatInteger(r.positions_rejected)} scartate
          </dd>
        </div>
        <div className="row py-1">
          <dt className="col-12 col-md-4">Eseguita</dt>
          <dd className="col-12 col-md-8 mb-0">
            <time dateTime={r.started_at}>{formatDateTime(r.started_at)}</time> da {r.by}
          </dd>
        </div>
      </dl>
      {r.positions_created > 0 && (
        <p>
          <Link to={`${PAY_POSITIONS_PATH}?ente=${encodeURIComponent(r.ente)}`}>Vai alle posizioni debitorie dell'ente</Link>
        </p>
      )}
      {r.errors_total > 0 && (
        <>
          <div className="table-responsive">
            <table className="table cst-table mb-2" data-testid="import-errors">
              <caption>
                Errori: {formatInteger(r.errors_total)}
                {errors.length < r.errors_total ? ` (elencati i primi ${formatInteger(errors.length)})` : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="text-end">
                    Riga
                  </th>
                  <th scope="col">Colonna</th>
                  <th scope="col">Messaggio</th>
                </tr>
              </thead>
              <tbody>
                {errors.map((e, i) => (
                  <tr key={i} data-line={e.line} data-column={e.column}>
                    <td className="text-end font-monospace">{e.line}</td>
                    <td className="font-monospace">{e.column}</td>
                    <td className="cst-detail">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <a className="btn btn-outline-primary btn-sm" href={importErrorsUrl(r.id)} download data-testid="import-errors-csv">
            Scarica gli errori (CSV)
          </a>
        </>
      )}
    </section>
  );
}
