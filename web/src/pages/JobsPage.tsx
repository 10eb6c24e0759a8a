import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, query, toApiError } from '../api/client';
import type { Job, Page } from '../api/types';
import { Icon } from '../components/Icon';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { formatDateTime } from '../format';
import { hasRole } from '../roles';
import { useSession } from '../session';

const STATE_LABELS: Record<string, [string, string]> = {
  pending: ['In attesa', 'bg-secondary'],
  scheduled: ['Pianificata', 'bg-secondary'],
  queued: ['In coda', 'bg-secondary'],
  running: ['In esecuzione', 'bg-primary'],
  leased: ['In esecuzione', 'bg-primary'],
  done: ['Completata', 'bg-success'],
  succeeded: ['Completata', 'bg-success'],
  completed: ['Completata', 'bg-success'],
  failed: ['Fallita', 'bg-danger'],
  dead: ['Fallita definitivamente', 'bg-danger'],
  paused: ['Sospesa', 'bg-warning'],
  cancelled: ['Annullata', 'bg-secondary'],
};

function stateBadge(state: string) {
  const [label, cls] = STATE_LABELS[state.toLowerCase()] ?? [state, 'bg-secondary'];
  return <span className={`badge ${cls}`}>{label}</span>;
}

export function JobsPage() {
  const { me } = useSession();
  const canRun = !!me && hasRole(me.grants, 'cst_admin');
  const [status, setStatus] = useState<string | null>(null);
  const [running, setRunning] = useState<string | number | null>(null);
  const [items, setItems] = useState<Job[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  const load = useCallback(async (cursor: string | null) => {
    setError(null);
    try {
      const p = await api<Page<Job>>('GET', '/api/v1/jobs' + query({ limit: 100, cursor }));
      setItems((old) => (cursor ? [...(old ?? []), ...p.items] : p.items));
      setNext(p.next_cursor);
      setUpdatedAt(new Date());
    } catch (e) {
      setError(toApiError(e));
      if (!cursor) setItems([]);
    }
  }, []);

  useEffect(() => {
    void load(null);
  }, [load]);

  const runNow = async (j: Job) => {
    setRunning(j.id);
    setStatus(null);
    setError(null);
    try {
      await api<unknown>('POST', `/api/v1/jobs/${encodeURIComponent(String(j.id))}/run`);
      setStatus(`Attività ${j.kind} avviata.`);
      await load(null);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setRunning(null);
    }
  };

  return (
    <>
      <PageTitle title="Attività pianificate" lead="Le attività in background: scadenze SLA, verifiche di integrità, conservazione, controlli periodici.">
        Attività pianificate
      </PageTitle>
      <div className="d-flex align-items-center gap-3 mb-3">
        <button type="button" className="btn btn-outline-primary btn-icon" onClick={() => void load(null)}>
          <Icon name="refresh" className="icon-primary icon-sm" />
          <span>Aggiorna</span>
        </button>
        <span className="text-muted" aria-live="polite">
          {updatedAt ? `Aggiornato alle ${updatedAt.toLocaleTimeString('it-IT')}` : ''}
        </span>
      </div>
      <StatusMessage message={status} />
      <ProblemAlert error={error} />
      {!items && <Loading />}
      {items && items.length === 0 && !error && <p>Nessuna attività pianificata.</p>}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="jobs-table">
            <caption>Attività: {items.length}</caption>
            <thead>
              <tr>
                <th scope="col">Tipo</th>
                <th scope="col">Pianificazione</th>
                <th scope="col">Prossima esecuzione</th>
                <th scope="col">Stato</th>
                <th scope="col" className="text-end">Tentativi</th>
                <th scope="col">Ultimo errore</th>
                <th scope="col">Ultima esecuzione</th>
                {canRun && (
                  <th scope="col">
                    <span className="visually-hidden">Azioni</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((j) => (
                <tr key={String(j.id)}>
                  <th scope="row" className="font-monospace fw-normal">
                    {j.kind}
                  </th>
                  <td className="font-monospace">{j.schedule || <span className="text-muted">una tantum</span>}</td>
                  <td className="text-nowrap">{formatDateTime(j.next_run_at) || '—'}</td>
                  <td>{stateBadge(j.state)}</td>
                  <td className="text-end">{j.attempts}</td>
                  <td className="cst-detail">{j.last_error || '—'}</td>
                  <td className="text-nowrap">{formatDateTime(j.last_run_at) || 'mai'}</td>
                  {canRun && (
                    <td className="text-nowrap">
                      <button
                        type="button"
                        className="btn btn-outline-primary btn-xs"
                        disabled={running === j.id}
                        onClick={() => void runNow(j)}
                      >
                        Esegui ora<span className="visually-hidden"> {j.kind}</span>
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" className="btn btn-outline-primary" onClick={() => void load(next)}>
          Carica altri
        </button>
      )}
    </>
  );
}
