import { useCallback, useMemo, useState } from 'react';
import { api, query } from '../../api/client';
import type { Page, ScanResult, ScanVerdict } from '../../api/types';
import { EnteScope, mayScan, reasonLabel, useEnteName, VerdictBadge, VERDICTS } from '../../antivirus';
import { FilterSelect } from '../../components/Field';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePagedList } from '../../components/usePagedList';
import { formatBytes, formatDateTime, formatInteger } from '../../format';
import { useSession } from '../../session';
import { ScanForm } from './ScanForm';

// The scanning service: the form for whoever may scan, then the ente's history of scan requests.

const PAGE_SIZE = 50;

interface Filters {
  ente: string;
  verdict: '' | ScanVerdict;
}

export function ScanPanel() {
  const { me, selectedEnte } = useSession();
  const enteName = useEnteName();
  const [verdict, setVerdict] = useState<Filters['verdict']>('');
  const filters = useMemo<Filters>(() => ({ ente: selectedEnte, verdict }), [selectedEnte, verdict]);
  const fetchPage = useCallback(
    (f: Filters, cursor: string | null) =>
      api<Page<ScanResult>>('GET', '/api/v1/antivirus/scans' + query({ ente: f.ente, verdict: f.verdict, limit: PAGE_SIZE, cursor })),
    [],
  );
  const { items, next, error, loadingMore, loadMore, reload } = usePagedList(fetchPage, filters);
  // A role without the history (the server's answer): say so instead of showing an error.
  const noHistory = error?.status === 403;

  return (
    <>
      {me && mayScan(me.grants) && <ScanForm onScanned={() => void reload()} />}
      <section aria-labelledby="av-scans-title" data-testid="av-scans">
        <h2 className="h3" id="av-scans-title">
          Storico delle verifiche
        </h2>
        {noHistory ? (
          <p>Lo storico delle verifiche non è disponibile per il tuo ruolo.</p>
        ) : (
          <>
            <EnteScope />
            <div className="row mt-4">
              <FilterSelect label="Esito" name="verdict" all="Tutti" labels={VERDICTS} value={verdict} onChange={setVerdict} />
            </div>
            <ProblemAlert error={error} />
            <ListAnnouncement items={items} next={next} noun="verifiche" more="altre" />
            {!items && <Loading />}
            {items && items.length === 0 && !error && <p>Nessuna verifica registrata.</p>}
            {items && items.length > 0 && (
              <div className="table-responsive">
                <table className="table cst-table" data-testid="scans-table">
                  <ListCaption count={items.length} next={next} more="altre">
                    Verifiche
                  </ListCaption>
                  <thead>
                    <tr>
                      <th scope="col">File</th>
                      <th scope="col">Ente</th>
                      <th scope="col">Esito</th>
                      <th scope="col">Verificato</th>
                      <th scope="col" className="text-end">
                        Durata
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((s) => (
                      <tr key={s.id} data-scan={s.id}>
                        <th scope="row" className="cst-detail">
                          {s.filename}
                          <span className="d-block small fw-normal">{formatBytes(s.size)}</span>
                          <span className="d-block small fw-normal font-monospace">
                            <span className="visually-hidden">SHA-256: </span>
                            {s.sha256}
                          </span>
                        </th>
                        <td>{enteName(s.ente)}</td>
                        <td className="cst-detail">
                          <VerdictBadge verdict={s.verdict} />
                          {s.signature && <span className="d-block small font-monospace">{s.signature}</span>}
                          {s.reason && <span className="d-block small">{reasonLabel(s.reason)}</span>}
                        </td>
                        <td className="small">
                          <time dateTime={s.scanned_at}>{formatDateTime(s.scanned_at)}</time>
                          <span className="d-block">da {s.actor}</span>
                        </td>
                        <td className="text-end text-nowrap">{formatInteger(s.duration_ms)} ms</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <LoadMore next={next} loading={loadingMore} onLoadMore={loadMore} />
          </>
        )}
      </section>
    </>
  );
}
