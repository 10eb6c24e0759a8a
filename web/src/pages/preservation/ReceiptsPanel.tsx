import { useCallback, useEffect, useMemo } from 'react';
import { ActionStatus, useAction } from '../../components/ActionStatus';
import { EnteChooser } from '../../components/EnteSelect';
import { Loading } from '../../components/Page';
import { ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePagedList } from '../../components/usePagedList';
import { formatBytes, formatDateTime } from '../../format';
import { aipPath, downloadReceiptXml, listReceipts, sourceLabel, usePreservationEnte, type IngestReceipt } from '../../preservation';
import { Link } from '../../router';
import { OutcomeBadge } from './Badges';

// "Versamenti": the ente's receipts (rapporti di versamento), newest first, accepted and rejected:
// for an accepted one the objects with their format and SHA-256 and the package it became; for a
// rejected one every problem the checks found (nothing of it was kept). Each receipt downloads as
// the signed XML document.

const PAGE_SIZE = 50;

export function ReceiptsPanel() {
  const { ente, choose, choices } = usePreservationEnte();
  const files = useAction();
  const filters = useMemo(() => (ente ? { ente } : null), [ente]);
  const fetchPage = useCallback((f: { ente: string }, cursor: string | null) => listReceipts(f.ente, PAGE_SIZE, cursor), []);
  const { items, next, error, loadingMore, loadMore } = usePagedList(fetchPage, filters);

  // Another ente: without the last one's download outcome.
  useEffect(() => {
    files.clear();
  }, [ente]); // only a change of ente

  return (
    <section aria-labelledby="pres-sips-title" data-testid="preservation-sips">
      <h2 className="h3" id="pres-sips-title">
        Versamenti
      </h2>
      <p>
        Ogni versamento (pacchetto di versamento, SIP) riceve un rapporto di versamento firmato con il sigillo del servizio, sia
        quando è accettato sia quando è rifiutato: il rapporto di un versamento rifiutato elenca ogni problema trovato, e del
        versamento non si conserva altro.
      </p>
      <EnteChooser choices={choices} ente={ente} onChange={choose} prompt="Scegli l'ente di cui vedere i versamenti." testId="preservation-ente" />
      <ActionStatus action={files} />
      <ProblemAlert error={error} />
      {ente && items === null && !error && <Loading />}
      {items && items.length === 0 && !error && (
        <div className="callout">
          <div className="callout-title">Nessun versamento</div>
          <p>L'ente non ha ancora versato documenti in conservazione.</p>
        </div>
      )}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="receipts-table">
            <ListCaption count={items.length} next={next} more="altri">
              Rapporti di versamento
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">Ricevuto</th>
                <th scope="col">Esito</th>
                <th scope="col">Provenienza</th>
                <th scope="col">Oggetti</th>
                <th scope="col">Pacchetto o problemi</th>
                <th scope="col">
                  <span className="visually-hidden">Rapporto</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <ReceiptRow key={r.id} receipt={r} busy={files.busy} onDownload={() => void files.download(() => downloadReceiptXml(r), 'Rapporto di versamento scaricato.')} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore next={next} loading={loadingMore} onLoadMore={loadMore} label="Mostra altri versamenti" />
    </section>
  );
}

function ReceiptRow({ receipt: r, busy, onDownload }: { receipt: IngestReceipt; busy: boolean; onDownload: () => void }) {
  const when = formatDateTime(r.received_at);
  return (
    <tr data-receipt={r.id} data-outcome={r.outcome}>
      <th scope="row" className="small text-nowrap fw-normal">
        <time dateTime={r.received_at}>{when}</time>
        <span className="d-block font-monospace">{r.id}</span>
      </th>
      <td>
        <OutcomeBadge outcome={r.outcome} />
      </td>
      <td className="small">
        {sourceLabel(r.source)}
        <span className="d-block">da {r.submitted_by}</span>
      </td>
      <td className="small cst-detail">
        {r.objects.length === 0 ? (
          '—'
        ) : (
          <ul className="list-unstyled mb-0">
            {r.objects.map((o, i) => (
              <li key={i} className="mb-1">
                {o.name}{' '}
                <span className="text-nowrap">
                  ({o.format}, {formatBytes(o.size)})
                </span>
                <span className="d-block font-monospace text-break" title="SHA-256">
                  <span className="visually-hidden">SHA-256: </span>
                  {o.sha256}
                </span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="small cst-detail">
        {r.outcome === 'accepted' && r.aip_id && (
          <Link to={aipPath(r.aip_id)} className="font-monospace" aria-label={`Pacchetto ${r.aip_id}`}>
            {r.aip_id}
          </Link>
        )}
        {r.problems.length > 0 && (
          <ul className="mb-0 ps-3" data-testid="receipt-problems">
            {r.problems.map((p, i) => (
              <li key={i}>
                {p.field && <span className="font-monospace">{p.field}</span>}
                {p.field ? ': ' : ''}
                {p.message}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="text-nowrap">
        <button type="button" className="btn btn-outline-primary btn-xs" disabled={busy} onClick={onDownload}>
          Rapporto (XML)<span className="visually-hidden"> del versamento del {when}</span>
        </button>
      </td>
    </tr>
  );
}
