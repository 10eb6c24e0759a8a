import { useCallback, useMemo } from 'react';
import { api, query } from '../../api/client';
import type { AntivirusEvent, Page } from '../../api/types';
import { EnteScope, EventBadge, useEnteName } from '../../antivirus';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePagedList } from '../../components/usePagedList';
import { formatDateTime } from '../../format';
import { ticketPath } from '../../helpdesk';
import { Link } from '../../router';
import { useSession } from '../../session';

// "Eventi": quarantines, the engine going down or stale and back, endpoints becoming outdated or
// silent and recovering; each with the service desk's ticket when one was opened.

const PAGE_SIZE = 50;

export function EventsPanel() {
  const { selectedEnte } = useSession();
  const enteName = useEnteName();
  const filters = useMemo(() => ({ ente: selectedEnte }), [selectedEnte]);
  const fetchPage = useCallback(
    (f: { ente: string }, cursor: string | null) =>
      api<Page<AntivirusEvent>>('GET', '/api/v1/antivirus/events' + query({ ente: f.ente, limit: PAGE_SIZE, cursor })),
    [],
  );
  const { items, next, error, loadingMore, loadMore } = usePagedList(fetchPage, filters);

  return (
    <section aria-labelledby="av-events-title" data-testid="av-events">
      <h2 className="h3" id="av-events-title">
        Eventi
      </h2>
      <p>Quarantene, guasti e ripristini del motore, firme obsolete, postazioni non aggiornate o silenti, dal più recente.</p>
      <EnteScope />
      <ProblemAlert error={error} />
      <ListAnnouncement items={items} next={next} noun="eventi" more="altri" />
      {!items && <Loading />}
      {items && items.length === 0 && !error && <p>Nessun evento registrato.</p>}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="events-table">
            <ListCaption count={items.length} next={next} more="altri">
              Eventi
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">Data e ora</th>
                <th scope="col">Tipo</th>
                <th scope="col">Evento</th>
                <th scope="col">Ente</th>
                <th scope="col">Segnalazione</th>
              </tr>
            </thead>
            <tbody>
              {items.map((ev) => (
                <tr key={ev.id} data-kind={ev.kind}>
                  <td className="text-nowrap small">
                    <time dateTime={ev.created_at}>{formatDateTime(ev.created_at)}</time>
                  </td>
                  <td>
                    <EventBadge kind={ev.kind} />
                  </td>
                  <th scope="row" className="cst-detail">
                    {ev.subject}
                    {ev.detail && <span className="d-block small fw-normal">{ev.detail}</span>}
                  </th>
                  <td>{enteName(ev.ente)}</td>
                  <td>{ev.ticket_id !== null ? <Link to={ticketPath(ev.ticket_id)}>n. {ev.ticket_id}</Link> : '—'}</td>
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
