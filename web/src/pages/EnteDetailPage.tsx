import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, toApiError } from '../api/client';
import type { Ente } from '../api/types';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { formatDate, formatDayMonth, formatInteger } from '../format';
import { hasRole, serviceLabel } from '../roles';
import { Link } from '../router';
import { useSession } from '../session';
import { EnteForm } from './EnteForm';
import { kindLabel } from './EntiPage';

export function EnteDetailPage({ istat }: { istat: string }) {
  const { me, entiByIstat, refreshEnti } = useSession();
  // Only the CST administrator manages the registry; every other role reads it.
  const canManage = !!me && hasRole(me.grants, 'cst_admin');
  const [ente, setEnte] = useState<Ente | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    setEnte(null);
    setError(null);
    setEditing(false);
    setStatus(null);
    api<Ente>('GET', `/api/v1/enti/${encodeURIComponent(istat)}`)
      .then((e) => live && setEnte(e))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [istat]);

  const closeForm = () => {
    setEditing(false);
    // The form goes away: give the focus back to the button that opened it.
    setTimeout(() => editButton.current?.focus(), 0);
  };

  const onSaved = (updated: Ente) => {
    setEnte(updated);
    setStatus('Modifiche salvate.');
    closeForm();
    refreshEnti();
  };

  const parent = ente?.parent ? entiByIstat.get(ente.parent) : undefined;
  const rows: [string, ReactNode][] = ente
    ? [
        ['Codice ISTAT', <span className="font-monospace">{ente.istat}</span>],
        ['Tipo', kindLabel(ente.kind)],
        ['Popolazione', formatInteger(ente.population)],
        ['Codice fiscale', <span className="font-monospace">{ente.codice_fiscale}</span>],
        ['Codice IPA', ente.ipa_code ? <span className="font-monospace">{ente.ipa_code}</span> : '—'],
        ['Codice catastale', ente.cadastral_code ? <span className="font-monospace">{ente.cadastral_code}</span> : '—'],
        ['Data di adesione', formatDate(ente.adhesion_date) || 'Non aderente'],
        ['Santo patrono', ente.patron ? `${ente.patron.name}, ${formatDayMonth(ente.patron.day, ente.patron.month)}` : '—'],
        [
          'Ente di appartenenza',
          ente.parent ? <Link to={`/enti/${encodeURIComponent(ente.parent)}`}>{parent?.name ?? ente.parent}</Link> : '—',
        ],
      ]
    : [];

  return (
    <>
      <nav className="breadcrumb-container" aria-label="Percorso di navigazione">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <Link to="/enti">Enti</Link>
            <span className="separator" aria-hidden="true">/</span>
          </li>
          <li className="breadcrumb-item active" aria-current="page">
            {ente?.name ?? istat}
          </li>
        </ol>
      </nav>
      <PageTitle title={ente?.name ?? `Ente ${istat}`}>{ente ? ente.name : `Ente ${istat}`}</PageTitle>
      <ProblemAlert error={error} />
      <StatusMessage message={status} />
      {!ente && !error && <Loading />}
      {ente && canManage && !editing && (
        <button
          ref={editButton}
          type="button"
          className="btn btn-primary mb-4"
          onClick={() => {
            setStatus(null);
            setEditing(true);
          }}
        >
          Modifica<span className="visually-hidden"> i dati di {ente.name}</span>
        </button>
      )}
      {ente && editing && <EnteForm ente={ente} onSaved={onSaved} onCancel={closeForm} />}
      {ente && !editing && (
        <div className="row">
          <div className="col-12 col-lg-7">
            <h2 className="h4">Dati anagrafici</h2>
            <dl className="row cst-dl">
              {rows.map(([k, v]) => (
                <div className="col-12 d-sm-flex border-bottom py-2" key={k}>
                  <dt className="col-sm-5">{k}</dt>
                  <dd className="col-sm-7 mb-0">{v}</dd>
                </div>
              ))}
            </dl>
          </div>
          <div className="col-12 col-lg-5">
            <h2 className="h4">Servizi sottoscritti</h2>
            {ente.services.length === 0 ? (
              <p>Nessun servizio sottoscritto.</p>
            ) : (
              <ul className="cst-service-list">
                {ente.services.map((s) => (
                  <li key={s}>{serviceLabel(s)}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </>
  );
}
