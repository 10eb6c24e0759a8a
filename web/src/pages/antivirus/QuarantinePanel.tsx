import { useCallback, useMemo, useRef, useState } from 'react';
import { api, query } from '../../api/client';
import type { Page, QuarantineRecord, QuarantineStatus } from '../../api/types';
import { EnteScope, isAvAdmin, QUARANTINE_STATUSES, QuarantineBadge, useEnteName } from '../../antivirus';
import { FilterSelect } from '../../components/Field';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { usePagedList } from '../../components/usePagedList';
import { formatBytes, formatDateTime } from '../../format';
import { ticketPath } from '../../helpdesk';
import { Link } from '../../router';
import { useSession } from '../../session';
import { QuarantineDecision, type Decision } from './QuarantineDecision';

// "Quarantena": the infected uploads refused by the platform. Everyone who may read them sees the
// records; only the CST administrator downloads the content, releases a false positive or discards it.

const PAGE_SIZE = 50;
const BASE = '/api/v1/antivirus/quarantine';

interface Filters {
  ente: string;
  status: '' | QuarantineStatus;
}

export function contentUrl(r: QuarantineRecord): string {
  return `${BASE}/${encodeURIComponent(r.id)}/content`;
}

export function QuarantinePanel() {
  const { me, selectedEnte } = useSession();
  const admin = !!me && isAvAdmin(me.grants);
  const enteName = useEnteName();
  const [status, setStatus] = useState<Filters['status']>('');
  const filters = useMemo<Filters>(() => ({ ente: selectedEnte, status }), [selectedEnte, status]);
  const fetchPage = useCallback(
    (f: Filters, cursor: string | null) =>
      api<Page<QuarantineRecord>>('GET', BASE + query({ ente: f.ente, status: f.status, limit: PAGE_SIZE, cursor })),
    [],
  );
  const { items, next, error, loadingMore, loadMore, reload } = usePagedList(fetchPage, filters);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);

  const decide = (d: Decision) => {
    setDone(null);
    setDeciding(d);
  };
  const onDecided = (r: QuarantineRecord) => {
    setDeciding(null);
    setDone(
      r.status === 'released'
        ? `File «${r.filename}» rilasciato${r.released_upload_id ? `: ora è il caricamento ${r.released_upload_id}` : ''}.`
        : `Contenuto di «${r.filename}» eliminato; la registrazione resta.`,
    );
    void reload();
    // The buttons used went away with the decision: keep the focus on the page.
    setTimeout(() => statusRef.current?.focus(), 0);
  };

  return (
    <section aria-labelledby="av-quarantine-title" data-testid="av-quarantine">
      <h2 className="h3" id="av-quarantine-title">
        Quarantena
      </h2>
      <p>
        I file infetti rifiutati al caricamento, con la firma trovata.{' '}
        {admin
          ? 'Puoi scaricarne il contenuto, rilasciare un falso positivo o eliminarlo, indicando il motivo (registrato nel registro di audit).'
          : "Solo l'amministratore del CST può scaricarne il contenuto, rilasciarli o eliminarli."}
      </p>
      <EnteScope />
      <div className="row mt-4">
        <FilterSelect label="Stato" name="status" all="Tutti" labels={QUARANTINE_STATUSES} value={status} onChange={setStatus} />
      </div>
      <div ref={statusRef} tabIndex={-1} className="cst-focus-target">
        <StatusMessage message={done} />
      </div>
      <ProblemAlert error={error} />
      {deciding && <QuarantineDecision key={`${deciding.record.id}-${deciding.action}`} decision={deciding} onDone={onDecided} onCancel={() => setDeciding(null)} />}
      <ListAnnouncement items={items} next={next} noun="file" more="altri" />
      {!items && <Loading />}
      {items && items.length === 0 && !error && <p>Nessun file in quarantena.</p>}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="quarantine-table">
            <ListCaption count={items.length} next={next} more="altri">
              File in quarantena
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Ente</th>
                <th scope="col">Firma</th>
                <th scope="col">Rilevato</th>
                <th scope="col">Stato</th>
                <th scope="col">Segnalazione</th>
                {admin && (
                  <th scope="col">
                    <span className="visually-hidden">Azioni</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-quarantine={r.id}>
                  <th scope="row" className="cst-detail">
                    {r.filename || <span className="text-muted">senza nome</span>}
                    <span className="d-block small fw-normal">
                      {formatBytes(r.size)}, {r.content_type}
                    </span>
                    <span className="d-block small fw-normal font-monospace" title="SHA-256">
                      <span className="visually-hidden">SHA-256: </span>
                      {r.sha256}
                    </span>
                  </th>
                  <td>{enteName(r.ente)}</td>
                  <td className="font-monospace cst-detail">{r.signature}</td>
                  <td className="small">
                    <time dateTime={r.detected_at}>{formatDateTime(r.detected_at)}</time>
                    <span className="d-block">
                      da {r.actor}, via <span className="font-monospace">{r.source}</span>
                    </span>
                  </td>
                  <td className="small">
                    <QuarantineBadge status={r.status} />
                    {r.decided_at && (
                      <span className="d-block">
                        {r.decided_by} il <time dateTime={r.decided_at}>{formatDateTime(r.decided_at)}</time>
                      </span>
                    )}
                    {r.reason && <span className="d-block cst-detail">Motivo: {r.reason}</span>}
                    {r.released_upload_id && <span className="d-block">Caricamento {r.released_upload_id}</span>}
                  </td>
                  <td>{r.ticket_id !== null ? <Link to={ticketPath(r.ticket_id)}>n. {r.ticket_id}</Link> : '—'}</td>
                  {admin && (
                    <td className="text-nowrap">
                      {r.status !== 'discarded' && (
                        <a className="btn btn-outline-primary btn-xs me-2" href={contentUrl(r)} download={r.filename || undefined}>
                          Scarica<span className="visually-hidden"> «{r.filename}» (file infetto)</span>
                        </a>
                      )}
                      {r.status === 'held' && (
                        <>
                          <button type="button" className="btn btn-outline-primary btn-xs me-2" onClick={() => decide({ record: r, action: 'release' })}>
                            Rilascia<span className="visually-hidden"> «{r.filename}»</span>
                          </button>
                          <button type="button" className="btn btn-outline-danger btn-xs" onClick={() => decide({ record: r, action: 'discard' })}>
                            Elimina<span className="visually-hidden"> «{r.filename}»</span>
                          </button>
                        </>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore next={next} loading={loadingMore} onLoadMore={loadMore} />
    </section>
  );
}
