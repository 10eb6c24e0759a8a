import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, toApiError } from '../api/client';
import type { Ente } from '../api/types';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatDate, formatDayMonth, formatInteger } from '../format';
import { serviceLabel } from '../roles';
import { Link } from '../router';
import { useSession } from '../session';
import { kindLabel } from './EntiPage';

export function EnteDetailPage({ istat }: { istat: string }) {
  const { entiByIstat } = useSession();
  const [ente, setEnte] = useState<Ente | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    setEnte(null);
    setError(null);
    api<Ente>('GET', `/api/v1/enti/${encodeURIComponent(istat)}`)
      .then((e) => live && setEnte(e))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [istat]);

  const parent = ente?.parent ? entiByIstat.get(ente.parent) : undefined;
  const rows: [string, ReactNode][] = ente
    ? [
        ['Codice ISTAT', <span className="font-monospace">{ente.istat}</span>],
        ['Tipo', kindLabel(ente.kind)],
        ['Popolazione', formatInteger(ente.population)],
        ['Codice fiscale', <span className="font-monospace">{ente.codice_fiscale}</span>],
        ['Codice IPA', <span className="font-monospace">{ente.ipa_code}</span>],
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
      {!ente && !error && <Loading />}
      {ente && (
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
