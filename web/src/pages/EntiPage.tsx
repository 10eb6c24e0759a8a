import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, query, toApiError } from '../api/client';
import type { Ente, Page } from '../api/types';
import { Icon } from '../components/Icon';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { formatDate, formatInteger } from '../format';
import { hasRole, serviceLabel } from '../roles';
import { Link } from '../router';
import { useSession } from '../session';
import { EnteForm } from './EnteForm';

const PAGE_SIZE = 200;

export function kindLabel(kind: string): string {
  return kind === 'provincia' ? 'Provincia' : kind === 'comune' ? 'Comune' : kind;
}

export function EntiPage() {
  const { me, refreshEnti } = useSession();
  // Only the CST administrator manages the registry; every other role reads it.
  const canManage = !!me && hasRole(me.grants, 'cst_admin');
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState<ReactNode>(null);
  const [reload, setReload] = useState(0);
  const newButton = useRef<HTMLButtonElement>(null);
  const [q, setQ] = useState('');
  const [appliedQ, setAppliedQ] = useState('');
  const [items, setItems] = useState<Ente[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const searchId = useId();

  // Filter as the user types, after a short pause.
  useEffect(() => {
    const t = setTimeout(() => setAppliedQ(q.trim()), 250);
    return () => clearTimeout(t);
  }, [q]);

  useEffect(() => {
    let live = true;
    setError(null);
    api<Page<Ente>>('GET', '/api/v1/enti' + query({ limit: PAGE_SIZE, q: appliedQ }))
      .then((p) => {
        if (!live) return;
        setItems(p.items);
        setNext(p.next_cursor);
      })
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [appliedQ, reload]);

  const closeForm = () => {
    setCreating(false);
    // The form goes away: give the focus back to the button that opened it.
    setTimeout(() => newButton.current?.focus(), 0);
  };

  const onCreated = (e: Ente) => {
    setStatus(
      <>
        Ente {e.name} ({e.istat}) registrato. <Link to={`/enti/${encodeURIComponent(e.istat)}`}>Apri la scheda</Link>
      </>,
    );
    closeForm();
    setReload((n) => n + 1);
    refreshEnti();
  };

  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const p = await api<Page<Ente>>('GET', '/api/v1/enti' + query({ limit: PAGE_SIZE, q: appliedQ, cursor: next }));
      setItems((old) => [...(old ?? []), ...p.items]);
      setNext(p.next_cursor);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <PageTitle title="Enti" lead="La Provincia e i Comuni aderenti al Centro Servizi Territoriale.">
        Enti
      </PageTitle>
      <StatusMessage message={status} />
      {canManage && (
        <div className="mb-4">
          <button
            ref={newButton}
            type="button"
            className="btn btn-primary mb-3"
            aria-expanded={creating}
            onClick={() => {
              setStatus(null);
              setCreating((c) => !c);
            }}
          >
            Nuovo ente
          </button>
          {creating && <EnteForm onSaved={onCreated} onCancel={closeForm} />}
        </div>
      )}
      <form role="search" className="cst-filter mb-4" onSubmit={(e) => { e.preventDefault(); setAppliedQ(q.trim()); }}>
        <div className="form-group mb-0">
          <label htmlFor={searchId} className="active">
            Filtra gli enti
          </label>
          <div className="input-group">
            <span className="input-group-text" aria-hidden="true">
              <Icon name="search" className="icon-sm" />
            </span>
            <input
              id={searchId}
              type="search"
              className="form-control"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              aria-describedby={`${searchId}-hint`}
              autoComplete="off"
            />
          </div>
          <small id={`${searchId}-hint`} className="form-text">
            Nome, codice ISTAT, codice fiscale o codice IPA.
          </small>
        </div>
      </form>
      <ProblemAlert error={error} />
      <p className="visually-hidden" aria-live="polite">
        {items ? `${items.length} enti${next ? ' mostrati, altri disponibili' : ' trovati'}` : ''}
      </p>
      {!items && !error && <Loading />}
      {items && items.length === 0 && <div className="callout"><div className="callout-title">Nessun ente trovato</div><p>Prova con un altro filtro.</p></div>}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table table-hover cst-table" data-testid="enti-table">
            <caption>
              Enti: {formatInteger(items.length)}
              {next ? ' mostrati' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">ISTAT</th>
                <th scope="col">Nome</th>
                <th scope="col">Tipo</th>
                <th scope="col" className="text-end">Popolazione</th>
                <th scope="col">Codice fiscale</th>
                <th scope="col">Codice IPA</th>
                <th scope="col">Data adesione</th>
                <th scope="col">Servizi sottoscritti</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.istat}>
                  <td className="font-monospace">{e.istat}</td>
                  <th scope="row" className="cst-ente-name">
                    <Link to={`/enti/${encodeURIComponent(e.istat)}`}>{e.name}</Link>
                  </th>
                  <td>{kindLabel(e.kind)}</td>
                  <td className="text-end">{formatInteger(e.population)}</td>
                  <td className="font-monospace">{e.codice_fiscale}</td>
                  <td className="font-monospace">{e.ipa_code ?? ''}</td>
                  <td>{formatDate(e.adhesion_date) || <span className="text-muted">non aderente</span>}</td>
                  <td className="cst-services">{e.services.length ? e.services.map(serviceLabel).join(', ') : '—'}</td>
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
