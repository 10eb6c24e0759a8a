import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, query, toApiError } from '../api/client';
import type { AuditEntry, AuditVerification, Grant, Page } from '../api/types';
import { EnteFilter } from '../components/EnteSelect';
import { FilterButtons, TextField } from '../components/Field';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert } from '../components/ProblemAlert';
import { usePagedList } from '../components/usePagedList';
import { formatDateTime, formatInteger } from '../format';
import { hasRole, roleLabel } from '../roles';
import { useSession } from '../session';

const PAGE_SIZE = 50;

interface Filters {
  ente: string;
  action: string;
  actor: string;
  from: string;
  to: string;
}

export function outcomeBadge(outcome: string) {
  const o = outcome.toLowerCase();
  const ok = ['ok', 'success', 'succeeded', 'allowed', 'done'].includes(o);
  const ko = ['error', 'failure', 'failed', 'denied', 'rejected'].includes(o);
  const label = ok ? 'Riuscita' : ko ? 'Fallita' : outcome;
  return <span className={`badge ${ok ? 'bg-success' : ko ? 'bg-danger' : 'bg-secondary'}`}>{label}</span>;
}

function isGrantList(v: unknown): v is Grant[] {
  return Array.isArray(v) && v.every((g) => g && typeof g === 'object' && 'role' in g);
}

/** Audit detail is free-form JSON: show it as "chiave: valore" pairs. */
function detailText(detail: unknown): string {
  if (detail === null || detail === undefined || detail === '') return '';
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'object' && !Array.isArray(detail)) {
    return Object.entries(detail as Record<string, unknown>)
      .map(([k, v]) => {
        if (isGrantList(v)) return `${k}: ${v.map((g) => `${roleLabel(g.role)}${g.ente ? ' ' + g.ente : ''}`).join(', ')}`;
        return `${k}: ${v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
      })
      .join('; ');
  }
  return JSON.stringify(detail);
}

/** Checks the audit log's hash chain on the server and reports the result. */
function ChainCheck() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api<AuditVerification>('GET', '/api/v1/audit/verify'));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="mb-4">
      <button type="button" className="btn btn-outline-primary" onClick={run} disabled={busy}>
        {busy ? 'Verifica in corso…' : 'Verifica integrità del registro'}
      </button>
      <div aria-live="polite" className="mt-3">
        {result?.intact && (
          <div className="alert alert-success" role="status">
            Catena di hash integra: {formatInteger(result.checked)} voci verificate.
          </div>
        )}
        {result && !result.intact && (
          <div className="alert alert-danger" role="alert">
            Catena di hash alterata
            {result.first_bad_seq !== null ? ` alla voce n. ${result.first_bad_seq}` : ''}. {result.problem}
          </div>
        )}
      </div>
      <ProblemAlert error={error} />
    </div>
  );
}

export function AuditPage() {
  const { me, selectedEnte, enti, allEnti, entiByIstat } = useSession();
  const blank: Filters = { ente: selectedEnte, action: '', actor: '', from: '', to: '' };
  const [draft, setDraft] = useState<Filters>(blank);
  const [applied, setApplied] = useState<Filters>(blank);

  // The ente chosen in the header is the default filter.
  useEffect(() => {
    setDraft((d) => ({ ...d, ente: selectedEnte }));
    setApplied((a) => ({ ...a, ente: selectedEnte }));
  }, [selectedEnte]);

  const fetchPage = useCallback(
    (f: Filters, cursor: string | null) =>
      api<Page<AuditEntry>>(
        'GET',
        '/api/v1/audit' + query({ ente: f.ente, action: f.action.trim(), actor: f.actor.trim(), from: f.from, to: f.to, limit: PAGE_SIZE, cursor }),
      ),
    [],
  );

  const { items, next, error, loadingMore, loadMore } = usePagedList(fetchPage, applied);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...draft });
  };
  const reset = () => {
    const b = { ...blank, ente: allEnti ? '' : selectedEnte };
    setDraft(b);
    setApplied(b);
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const fieldErrors = error?.fieldErrors() ?? {};

  return (
    <>
      <PageTitle title="Registro di audit" lead="Chi ha fatto cosa, quando e su quale ente. Il registro è in sola aggiunta e verificabile.">
        Registro di audit
      </PageTitle>
      {me && hasRole(me.grants, 'cst_admin', 'auditor') && <ChainCheck />}
      <form className="cst-panel cst-form mb-4" onSubmit={submit} aria-label="Filtri del registro di audit" data-testid="audit-filters">
        <div className="row">
          <EnteFilter choices={enti} all={allEnti ? 'Tutti gli enti' : null} value={draft.ente} onChange={set('ente')} error={fieldErrors.ente} />
          <TextField
            className="col-12 col-md-6 col-lg-4"
            label="Azione"
            name="action"
            value={draft.action}
            onChange={set('action')}
            hint="Per esempio user.create"
            error={fieldErrors.action}
          />
          <TextField className="col-12 col-md-6 col-lg-4" label="Utente" name="actor" value={draft.actor} onChange={set('actor')} error={fieldErrors.actor} />
          <TextField className="col-12 col-md-6 col-lg-4" label="Dal" name="from" type="date" value={draft.from} onChange={set('from')} error={fieldErrors.from} />
          <TextField className="col-12 col-md-6 col-lg-4" label="Al" name="to" type="date" value={draft.to} onChange={set('to')} error={fieldErrors.to} />
          <FilterButtons onReset={reset} submitLabel="Applica filtri" />
        </div>
      </form>
      <ProblemAlert error={error} />
      <p className="visually-hidden" aria-live="polite">
        {items ? `${items.length} voci${next ? ' mostrate, altre disponibili' : ''}` : ''}
      </p>
      {!items && <Loading />}
      {items && items.length === 0 && !error && <p>Nessuna voce corrisponde ai filtri.</p>}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="audit-table">
            <caption>Voci del registro: {items.length}{next ? ' (altre disponibili)' : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Data e ora</th>
                <th scope="col">Utente</th>
                <th scope="col">Ente</th>
                <th scope="col">Azione</th>
                <th scope="col">Oggetto</th>
                <th scope="col">Esito</th>
                <th scope="col">Dettagli</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.seq} data-action={a.action}>
                  <td className="text-nowrap">
                    <time dateTime={a.time}>{formatDateTime(a.time)}</time>
                  </td>
                  <td>{a.actor ?? <span className="text-muted">sistema</span>}</td>
                  <td>{a.ente ? entiByIstat.get(a.ente)?.name ?? a.ente : <span className="text-muted">—</span>}</td>
                  <td className="font-monospace">{a.action}</td>
                  <td>
                    {a.object_type}
                    {a.object_id !== null && a.object_id !== undefined && a.object_id !== '' && (
                      <span className="font-monospace"> {String(a.object_id)}</span>
                    )}
                  </td>
                  <td>{outcomeBadge(a.outcome)}</td>
                  <td className="cst-detail">{detailText(a.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" className="btn btn-outline-primary" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Caricamento…' : 'Carica altri'}
        </button>
      )}
    </>
  );
}
