import { useCallback, useEffect, useMemo } from 'react';
import { downloadDailyRegister, listDailyRegisters } from '../../api/protocol';
import type { DailyRegister } from '../../api/types';
import { useAction } from '../../components/ActionStatus';
import { EnteChooser, useEnteChoice } from '../../components/EnteSelect';
import { Loading } from '../../components/Page';
import { LoadMore } from '../../components/PagedListParts';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { usePagedList } from '../../components/usePagedList';
import { formatBytes, formatDate, formatDateTime, formatInteger } from '../../format';
import { readableEnti } from '../../protocol';
import { useSession } from '../../session';

// "Registri giornalieri": the daily registers (registro giornaliero di protocollo, DPR 445/2000
// art. 53 c.2) that the server's job makes for every past day of one ente, newest first, each as
// PDF and JSON with their SHA-256; above them a warning with the past days still without one (the
// job makes yesterday's within the hour after midnight: a day listed there needs attention).

const PAGE_SIZE = 50;

export function DailyRegistersPanel() {
  const { me, enti } = useSession();
  const choices = useMemo(() => readableEnti(me?.grants ?? [], enti), [me, enti]);
  const [ente, pickEnte] = useEnteChoice(choices);
  const fetchPage = useCallback((istat: string, cursor: string | null) => listDailyRegisters(istat, PAGE_SIZE, cursor), []);
  const { items, next, firstPage, error, loadingMore, loadMore } = usePagedList(fetchPage, ente || null);
  const missing = firstPage?.missing ?? [];
  const files = useAction();
  // One thing at a time: a download, or the next page.
  const busy = files.busy || loadingMore;

  // Another ente: the outcome of the last download goes with the last ente's list.
  useEffect(() => files.clear(), [ente]);

  const save = (d: DailyRegister, kind: 'pdf' | 'json') =>
    files.download(() => downloadDailyRegister(d, kind), `Registro del ${formatDate(d.day)} scaricato (${kind.toUpperCase()}).`);

  return (
    <section aria-labelledby="prot-daily-title" data-testid="protocol-daily">
      <h2 className="h3" id="prot-daily-title">
        Registri giornalieri
      </h2>
      <p>
        Ogni giorno il sistema produce il registro giornaliero di protocollo del giorno precedente: l'elenco delle registrazioni del
        giorno e degli annullamenti eseguiti, in PDF/A-2b e in JSON, con la loro impronta SHA-256. Il registro è inviato alla conservazione
        entro la giornata lavorativa successiva.
      </p>
      <EnteChooser choices={choices} ente={ente} onChange={pickEnte} prompt="Scegli l'ente di cui vedere i registri giornalieri." />
      {missing.length > 0 && (
        <div className="alert alert-warning" role="alert" data-testid="daily-missing">
          <p className="fw-semibold mb-1">
            {missing.length === 1 ? 'Manca il registro giornaliero di un giorno' : `Mancano i registri giornalieri di ${missing.length} giorni`}
            : {missing.slice(0, 10).map(formatDate).join(', ')}
            {missing.length > 10 ? '…' : ''}.
          </p>
          <p className="mb-0">Il registro di un giorno è prodotto nell'ora successiva alla mezzanotte: se manca ancora, avvisa il CST.</p>
        </div>
      )}
      <StatusMessage message={files.message} />
      <ProblemAlert error={files.error ?? error} />
      {ente && items === null && !error && <Loading />}
      {items && items.length === 0 && !error && <p data-testid="daily-empty">Nessun registro giornaliero ancora: il primo è prodotto il giorno dopo la configurazione dell'AOO.</p>}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" aria-labelledby="prot-daily-title" data-testid="daily-table">
            <thead>
              <tr>
                <th scope="col">Giorno</th>
                <th scope="col">Registrazioni</th>
                <th scope="col">Annullamenti</th>
                <th scope="col">Prodotto</th>
                <th scope="col">Impronta SHA-256 (PDF)</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-day={d.day}>
                  <th scope="row">{formatDate(d.day)}</th>
                  <td>{formatInteger(d.registrations)}</td>
                  <td>{formatInteger(d.annulments)}</td>
                  <td>
                    <time dateTime={d.produced_at}>{formatDateTime(d.produced_at)}</time>
                  </td>
                  <td className="font-monospace small text-break">{d.pdf_sha256}</td>
                  <td>
                    <div className="d-flex flex-wrap gap-2">
                      <button type="button" className="btn btn-sm btn-outline-primary" disabled={busy} onClick={() => void save(d, 'pdf')}>
                        PDF/A<span className="visually-hidden"> del {formatDate(d.day)}</span> ({formatBytes(d.pdf_size)})
                      </button>
                      <button type="button" className="btn btn-sm btn-outline-primary" disabled={busy} onClick={() => void save(d, 'json')}>
                        JSON<span className="visually-hidden"> del {formatDate(d.day)}</span> ({formatBytes(d.json_size)})
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore next={next} loading={loadingMore} onLoadMore={loadMore} disabled={files.busy} />
    </section>
  );
}
