import { useCallback, useMemo, useRef, useState } from 'react';
import { api, ApiError, query, toApiError } from '../../api/client';
import type { AvEndpoint, EndpointStatus, Page } from '../../api/types';
import {
  ENDPOINT_STATUSES,
  EndpointBadge,
  EnteScope,
  formatHours,
  mayCreateAgents,
  mayReadAvRecords,
  mayRetireEndpoint,
  useEnteName,
  yesNo,
} from '../../antivirus';
import { FilterSelect } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { InlineConfirm } from '../../components/InlineConfirm';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { usePagedList } from '../../components/usePagedList';
import { formatDateTime, formatInteger } from '../../format';
import { useSession } from '../../session';
import { AgentTokenForm } from './AgentTokenForm';
import { EndpointSummaryView } from './EndpointSummaryView';

// "Postazioni": the per-ente summary with its chart (the committee sees only that), the ente's
// endpoints as their agents last reported them, retiring one, and the agent tokens.

const PAGE_SIZE = 100;

interface Filters {
  ente: string;
  status: '' | EndpointStatus;
  /** Not sent: a new value reads the list again. */
  version: number;
}

export function EndpointsPanel() {
  const { me } = useSession();
  const g = me?.grants ?? [];
  // Bumped by "Aggiorna" and by a retirement: the summary and the list are read again.
  const [version, setVersion] = useState(0);
  const refresh = () => setVersion((v) => v + 1);
  return (
    <>
      <div className="d-flex justify-content-end mb-2">
        <button type="button" className="btn btn-outline-primary btn-sm btn-icon" onClick={refresh}>
          <Icon name="refresh" className="icon-primary icon-sm" />
          <span>Aggiorna</span>
        </button>
      </div>
      <EndpointSummaryView version={version} />
      {mayReadAvRecords(g) && <EndpointList version={version} onChanged={refresh} />}
      {mayCreateAgents(g) && <AgentTokenForm />}
    </>
  );
}

function EndpointList({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { me, selectedEnte } = useSession();
  const enteName = useEnteName();
  const [status, setStatus] = useState<Filters['status']>('');
  const filters = useMemo<Filters>(() => ({ ente: selectedEnte, status, version }), [selectedEnte, status, version]);
  const fetchPage = useCallback(
    (f: Filters, cursor: string | null) =>
      api<Page<AvEndpoint>>('GET', '/api/v1/antivirus/endpoints' + query({ ente: f.ente, status: f.status, limit: PAGE_SIZE, cursor })),
    [],
  );
  const { items, next, error, loadingMore, loadMore } = usePagedList(fetchPage, filters);
  const [retiring, setRetiring] = useState<AvEndpoint | null>(null);
  const [retireError, setRetireError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const grants = me?.grants ?? [];
  const canRetire = (items ?? []).some((e) => mayRetireEndpoint(grants, e.ente));

  const retire = async () => {
    if (!retiring) return;
    setBusy(true);
    setRetireError(null);
    try {
      await api<void>('DELETE', `/api/v1/antivirus/endpoints/${retiring.id}`);
      setDone(`Postazione ${retiring.hostname} ritirata.`);
      setRetiring(null);
      onChanged();
      // Its row (and the button used) went away: keep the focus on the page.
      setTimeout(() => statusRef.current?.focus(), 0);
    } catch (e) {
      setRetireError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="av-endpoints-title" data-testid="av-endpoints">
      <h2 className="h3" id="av-endpoints-title">
        Postazioni
      </h2>
      <EnteScope />
      <div className="row mt-4">
        <FilterSelect label="Stato" name="status" all="Tutte" labels={ENDPOINT_STATUSES} value={status} onChange={setStatus} />
      </div>
      <div ref={statusRef} tabIndex={-1} className="cst-focus-target">
        <StatusMessage message={done} />
      </div>
      <ProblemAlert error={error ?? retireError} />
      {retiring && (
        <InlineConfirm danger confirmLabel="Ritira" busy={busy} onConfirm={() => void retire()} onCancel={() => setRetiring(null)}>
          Ritirare la postazione {retiring.hostname} ({enteName(retiring.ente)})? Non sarà più controllata né conteggiata nel riepilogo.
        </InlineConfirm>
      )}
      <ListAnnouncement items={items} next={next} noun="postazioni" more="altre" />
      {!items && <Loading />}
      {items && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="endpoints-table">
            <ListCaption count={items.length} next={next} more="altre">
              Postazioni
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">Postazione</th>
                <th scope="col">Ente</th>
                <th scope="col">Antivirus</th>
                <th scope="col">Firme</th>
                <th scope="col">Ultima scansione completa</th>
                <th scope="col" className="text-end">
                  Rilevamenti
                </th>
                <th scope="col">Protezione in tempo reale</th>
                <th scope="col">Ultimo rapporto</th>
                <th scope="col">Stato</th>
                {canRetire && (
                  <th scope="col">
                    <span className="visually-hidden">Azioni</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={canRetire ? 10 : 9}>{error ? 'Elenco non disponibile.' : 'Nessuna postazione corrisponde ai filtri.'}</td>
                </tr>
              )}
              {items.map((e) => (
                <tr key={e.id} data-endpoint={e.hostname}>
                  <th scope="row" className="cst-detail">
                    {e.hostname}
                    {e.os && <span className="d-block small fw-normal">{e.os}</span>}
                  </th>
                  <td>{enteName(e.ente)}</td>
                  <td className="small">
                    {e.product ?? '—'}
                    {e.engine_version && <span className="d-block">motore {e.engine_version}</span>}
                  </td>
                  <td className="small">
                    {e.signature_version ?? '—'}
                    {e.signature_updated_at && (
                      <span className="d-block">
                        del <time dateTime={e.signature_updated_at}>{formatDateTime(e.signature_updated_at)}</time>
                        {e.signature_age_hours !== null && ` (${formatHours(e.signature_age_hours)} fa)`}
                      </span>
                    )}
                  </td>
                  <td className="small">{e.last_full_scan_at ? <time dateTime={e.last_full_scan_at}>{formatDateTime(e.last_full_scan_at)}</time> : '—'}</td>
                  <td className="text-end">{e.detections === null ? '—' : formatInteger(e.detections)}</td>
                  <td>{yesNo(e.realtime_protection)}</td>
                  <td className="small">
                    <time dateTime={e.last_report_at}>{formatDateTime(e.last_report_at)}</time>
                  </td>
                  <td>
                    <EndpointBadge status={e.status} />
                  </td>
                  {canRetire && (
                    <td>
                      {mayRetireEndpoint(grants, e.ente) && (
                        <button
                          type="button"
                          className="btn btn-outline-danger btn-xs"
                          onClick={() => {
                            setDone(null);
                            setRetireError(null);
                            setRetiring(e);
                          }}
                        >
                          Ritira<span className="visually-hidden"> {e.hostname}</span>
                        </button>
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
