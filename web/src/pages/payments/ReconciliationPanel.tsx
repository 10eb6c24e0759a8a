import { useCallback, useMemo, useState } from 'react';
import { flowXmlUrl, getFlow, listAnomalies, listFlows } from '../../api/payments';
import type { AnomaliesPage, ReconciliationFlow } from '../../api/types';
import { EnteFilter, useEnteChoice } from '../../components/EnteSelect';
import { Loading } from '../../components/Page';
import { ListAnnouncement, ListCaption, LoadMore } from '../../components/PagedListParts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePagedList } from '../../components/usePagedList';
import { useShownReport } from '../../components/useShownReport';
import { formatDate, formatDateTime, formatInteger } from '../../format';
import { FlowBadge, formatCents, mayManageSomePositions, positionEnti, positionPath } from '../../payments';
import { Link } from '../../router';
import { useSession } from '../../session';
import { AccountingExportForm } from './AccountingExportForm';
import { AnomalyText, FlowReport } from './FlowReport';
import { FlowUploadForm } from './FlowUploadForm';

// "Riconciliazione": the PSPs' reconciliation files (Flussi di Rendicontazione, FdR). Whoever
// writes an ente's positions uploads a flow and reads its report: every payment matched with its
// receipt, anomalies named with GovPay's codes, positions PAID → REPORTED. Every reader of the
// positions sees the open anomalies, the flows imported (whose reports open again) and downloads
// the accounting export. Users with several enti choose one, or all of theirs, for the lists.

const PAGE_SIZE = 20;

type EnteFilter = { ente: string };

export function ReconciliationPanel() {
  const { me, enti, entiByIstat } = useSession();
  const grants = useMemo(() => me?.grants ?? [], [me]);
  const choices = useMemo(() => positionEnti(grants, enti), [grants, enti]);
  const manyEnti = choices.length > 1;
  const [ente, pickEnte] = useEnteChoice(choices);
  const canImport = mayManageSomePositions(grants);
  const enteName = useCallback((istat: string) => entiByIstat.get(istat)?.name ?? istat, [entiByIstat]);
  const { report, error: reportError, ref: reportRef, show, open } = useShownReport(getFlow);

  const filters = useMemo<EnteFilter>(() => ({ ente }), [ente]);
  const fetchFlows = useCallback((f: EnteFilter, cursor: string | null) => listFlows(f.ente, PAGE_SIZE, cursor), []);
  const flows = usePagedList(fetchFlows, filters);
  // The first page of the anomalies also lists the flows with anomalies of their own.
  const [flowsWithAnomalies, setFlowsWithAnomalies] = useState<ReconciliationFlow[]>([]);
  const fetchAnomalies = useCallback(async (f: EnteFilter, cursor: string | null): Promise<AnomaliesPage> => {
    const page = await listAnomalies(f.ente, PAGE_SIZE, cursor);
    if (!cursor) setFlowsWithAnomalies(page.flows ?? []);
    return page;
  }, []);
  const anomalies = usePagedList(fetchAnomalies, filters);

  const openButton = (f: { id: number; flow_id: string }) => (
    <button type="button" className="btn btn-outline-primary btn-xs" onClick={() => void open(f.id)}>
      Resoconto<span className="visually-hidden"> del flusso {f.flow_id}</span>
    </button>
  );

  const scope = ente ? ` di ${enteName(ente)}` : '';

  return (
    <section aria-labelledby="pay-reconciliation-title" data-testid="payments-reconciliation">
      <h2 className="h3" id="pay-reconciliation-title">
        Riconciliazione
      </h2>
      <p>
        Ogni giorno il PSP (banca, Poste, circuito) riversa all’ente con un unico bonifico i pagamenti che ha incassato e pubblica sul
        nodo pagoPA il flusso di rendicontazione che li elenca. Caricando il flusso, ogni pagamento è confrontato con la sua ricevuta:
        le posizioni pagate diventano «Rendicontate», le differenze sono segnalate come anomalie da verificare.
      </p>

      {canImport ? (
        <FlowUploadForm
          onImported={(flow) => {
            show(flow, null);
            void flows.reload();
            void anomalies.reload();
          }}
        />
      ) : (
        <p className="small">Il caricamento dei flussi è riservato a chi gestisce le posizioni debitorie dell’ente.</p>
      )}

      <div ref={reportRef} tabIndex={-1} className="cst-focus-target">
        <ProblemAlert error={reportError} />
        {report && <FlowReport flow={report} />}
      </div>

      {manyEnti && (
        <div className="row">
          <EnteFilter label="Flussi e anomalie dell’ente" choices={choices} value={ente} onChange={(e) => pickEnte(e.target.value)} />
        </div>
      )}

      <h3 className="h4 mt-4" id="pay-anomalies-title">
        Anomalie aperte
      </h3>
      <p>
        I pagamenti con un’anomalia nei flussi in vigore (non sostituiti da una revisione): ricevuta mancante, importo diverso, pagamento
        ripetuto… Il codice è quello di GovPay.
      </p>
      <ProblemAlert error={anomalies.error} />
      {flowsWithAnomalies.length > 0 && (
        <div className="mb-3" data-testid="flows-with-anomalies">
          <p className="fw-semibold mb-1">Flussi con anomalie proprie</p>
          <ul>
            {flowsWithAnomalies.map((f) => (
              <li key={f.id} data-flow={f.flow_id} className="mb-2">
                <span className="font-monospace">{f.flow_id}</span> ({f.psp.name ?? f.psp.id}, regolamento del {formatDate(f.settlement_date)}){' '}
                {openButton(f)}
                <ul>
                  {f.anomalies.map((a, i) => (
                    <li key={i}>
                      <AnomalyText anomaly={a} />
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ListAnnouncement items={anomalies.items} next={anomalies.next} noun="pagamenti con anomalia" more="altri" />
      {!anomalies.items && <Loading />}
      {anomalies.items && anomalies.items.length === 0 && !anomalies.error && (
        <p data-testid="no-anomalies">Nessun pagamento con anomalia{scope}.</p>
      )}
      {anomalies.items && anomalies.items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="anomalies-table">
            <ListCaption count={anomalies.items.length} next={anomalies.next} more="altri">
              Pagamenti con anomalia{scope}
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">Flusso</th>
                <th scope="col">IUV e IUR</th>
                <th scope="col" className="text-end">
                  Importo
                </th>
                <th scope="col">Anomalia</th>
                <th scope="col">
                  <span className="visually-hidden">Azioni</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {anomalies.items.map((a) => (
                <tr key={a.id} data-iur={a.iur} data-anomaly={a.anomaly?.code}>
                  <th scope="row" className="cst-detail">
                    <span className="font-monospace">{a.flow.flow_id}</span>
                    <span className="d-block small fw-normal">
                      {!ente && `${enteName(a.flow.ente)}, `}PSP {a.flow.psp_id}, regolamento del {formatDate(a.flow.settlement_date)}, pagamento n.{' '}
                      {a.seq}
                    </span>
                  </th>
                  <td className="cst-detail font-monospace">
                    <span className="d-block">
                      <span className="visually-hidden">IUV </span>
                      {a.iuv}
                    </span>
                    <span className="d-block">
                      <span className="visually-hidden">IUR </span>
                      {a.iur}
                      {a.transfer_index !== 1 && ` (indice ${a.transfer_index})`}
                    </span>
                    {a.position_id !== null && (
                      <Link to={positionPath(a.position_id)} className="small">
                        Posizione<span className="visually-hidden"> del pagamento {a.iur}</span>
                      </Link>
                    )}
                  </td>
                  <td className="text-end text-nowrap">{formatCents(a.amount_cents)}</td>
                  <td className="cst-detail">{a.anomaly && <AnomalyText anomaly={a.anomaly} />}</td>
                  <td className="text-nowrap">{openButton({ id: a.flow.id, flow_id: a.flow.flow_id })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore next={anomalies.next} loading={anomalies.loadingMore} onLoadMore={anomalies.loadMore} label="Altre anomalie" />

      <h3 className="h4 mt-4" id="pay-flows-title">
        Flussi acquisiti
      </h3>
      <ProblemAlert error={flows.error} />
      <ListAnnouncement items={flows.items} next={flows.next} noun="flussi" more="altri" />
      {!flows.items && <Loading />}
      {flows.items && flows.items.length === 0 && !flows.error && <p data-testid="no-flows">Nessun flusso acquisito{scope}.</p>}
      {flows.items && flows.items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="flows-table">
            <ListCaption count={flows.items.length} next={flows.next} more="altri">
              Flussi{scope}
            </ListCaption>
            <thead>
              <tr>
                <th scope="col">Flusso</th>
                {!ente && <th scope="col">Ente</th>}
                <th scope="col">Data regolamento</th>
                <th scope="col" className="text-end">
                  Pagamenti
                </th>
                <th scope="col" className="text-end">
                  Importo
                </th>
                <th scope="col">Stato</th>
                <th scope="col">Acquisito</th>
                <th scope="col">
                  <span className="visually-hidden">Azioni</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {flows.items.map((f) => (
                <tr key={f.id} data-flow={f.flow_id} data-id={f.id} data-state={f.state}>
                  <th scope="row" className="cst-detail">
                    <span className="font-monospace">{f.flow_id}</span>
                    <span className="d-block small fw-normal">PSP {f.psp.name ? `${f.psp.name} (${f.psp.id})` : f.psp.id}</span>
                  </th>
                  {!ente && <td>{enteName(f.ente)}</td>}
                  <td className="text-nowrap">{formatDate(f.settlement_date)}</td>
                  <td className="text-end">
                    {formatInteger(f.rows_count)}
                    {f.rows_anomalous > 0 && <span className="d-block small">{formatInteger(f.rows_anomalous)} con anomalia</span>}
                  </td>
                  <td className="text-end text-nowrap">{formatCents(f.total_cents)}</td>
                  <td className="small">
                    <FlowBadge state={f.state} />
                    {!f.current && <span className="d-block">sostituito da una revisione</span>}
                  </td>
                  <td className="small text-nowrap">
                    <time dateTime={f.imported_at}>{formatDateTime(f.imported_at)}</time>
                    <span className="d-block">da {f.imported_by}</span>
                  </td>
                  <td className="text-nowrap">
                    <span className="me-2">{openButton(f)}</span>
                    <a className="btn btn-outline-primary btn-xs" href={flowXmlUrl(f.id)} download>
                      XML<span className="visually-hidden"> del flusso {f.flow_id}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore next={flows.next} loading={flows.loadingMore} onLoadMore={flows.loadMore} label="Altri flussi" />

      <div className="mt-4">
        <AccountingExportForm key={ente} choices={choices} ente={ente} enteName={enteName} />
      </div>
    </section>
  );
}
