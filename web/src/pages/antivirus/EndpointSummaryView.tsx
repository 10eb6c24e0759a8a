import { lazy, Suspense, useEffect, useState } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import type { EndpointSummary } from '../../api/types';
import { hoursText } from '../../antivirus';
import { Loading } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatInteger } from '../../format';

// "Postazioni per ente": how many endpoints of each ente are protected, outdated or silent, as a
// table (also the chart's text alternative) and a stacked bar chart. `version` bumps reload it.

// Chart.js comes with the chart, in a chunk of its own loaded only here.
const EndpointsChart = lazy(() => import('./EndpointsChart'));

export function EndpointSummaryView({ version }: { version: number }) {
  const [summary, setSummary] = useState<EndpointSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    api<EndpointSummary>('GET', '/api/v1/antivirus/endpoints/summary')
      .then((s) => {
        if (!live) return;
        setSummary(s);
        setError(null);
      })
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [version]);

  return (
    <section aria-labelledby="av-summary-title" className="mb-5" data-testid="av-endpoint-summary">
      <h2 className="h3" id="av-summary-title">
        Postazioni per ente
      </h2>
      <ProblemAlert error={error} />
      {!summary && !error && <Loading />}
      {summary && (
        <>
          <p>
            Una postazione è <strong>non aggiornata</strong> quando le sue firme hanno più di {hoursText(summary.outdated_after_hours)} (o
            non sono note), <strong>silente</strong> quando non invia un rapporto da più di {hoursText(summary.silent_after_hours)}.
          </p>
          {summary.items.length === 0 ? (
            <p>Nessuna postazione ha ancora inviato un rapporto.</p>
          ) : (
            <div className="row">
              <div className="col-12 col-xl-6">
                <SummaryTable summary={summary} />
              </div>
              <div className="col-12 col-xl-6 mb-4">
                <Suspense fallback={<Loading label="Caricamento del grafico…" />}>
                  <EndpointsChart items={summary.items} />
                </Suspense>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function SummaryTable({ summary }: { summary: EndpointSummary }) {
  const cells = (c: EndpointSummary['totals']) => (
    <>
      <td className="text-end">{formatInteger(c.protected)}</td>
      <td className="text-end">{formatInteger(c.outdated)}</td>
      <td className="text-end">{formatInteger(c.silent)}</td>
      <td className="text-end">{formatInteger(c.total)}</td>
    </>
  );
  return (
    <div className="table-responsive">
      <table className="table cst-table" data-testid="endpoint-summary-table">
        <caption>Stato delle postazioni per ente</caption>
        <thead>
          <tr>
            <th scope="col">Ente</th>
            <th scope="col" className="text-end">
              Protette
            </th>
            <th scope="col" className="text-end">
              Non aggiornate
            </th>
            <th scope="col" className="text-end">
              Silenti
            </th>
            <th scope="col" className="text-end">
              Totale
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.items.map((i) => (
            <tr key={i.ente} data-ente={i.ente}>
              <th scope="row">{i.name || i.ente}</th>
              {cells(i)}
            </tr>
          ))}
        </tbody>
        <tfoot className="cst-report-total">
          <tr>
            <th scope="row">Totale</th>
            {cells(summary.totals)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
