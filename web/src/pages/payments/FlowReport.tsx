import { flowXmlUrl } from '../../api/payments';
import type { FlowAnomaly, ReconciliationFlow } from '../../api/types';
import { Row } from '../../components/DefinitionRow';
import { formatDate, formatDateTime, formatInteger } from '../../format';
import { FlowBadge, FlowRowBadge, formatCents, positionPath } from '../../payments';
import { Link } from '../../router';
import { useSession } from '../../session';

// One reconciliation file's report: who sent it and when the money was settled, the totals it
// declares beside those computed from its rows, its state, and every reported payment with our
// match (IUV, IUR, transfer index, amount, outcome) and its anomaly, highlighted with GovPay's
// code and the server's text, since the office must act on it.

/** "declared" beside "computed", with a mark when they differ. */
function Compared({ declared, computed }: { declared: string; computed: string }) {
  return (
    <>
      {declared} dichiarati, {computed} calcolati dai pagamenti
      {declared !== computed && (
        <span className="d-block">
          <span className="badge bg-danger">Non corrispondono</span>
        </span>
      )}
    </>
  );
}

/** An anomaly as the office reads it: the code (GovPay's) and the text. */
export function AnomalyText({ anomaly }: { anomaly: FlowAnomaly }) {
  return (
    <>
      <span className="badge bg-danger font-monospace me-1" data-code={anomaly.code}>
        {anomaly.code}
      </span>
      {anomaly.message}
    </>
  );
}

const STATE_SENTENCES = {
  ACQUIRED: 'Ogni pagamento del flusso corrisponde a una nostra ricevuta; le posizioni saldate sono rendicontate.',
  ANOMALOUS: 'Il flusso ha anomalie, evidenziate qui sotto: vanno verificate. Le anomalie non cambiano lo stato delle posizioni.',
} as const;

export function FlowReport({ flow: f }: { flow: ReconciliationFlow }) {
  const { entiByIstat } = useSession();
  const rows = f.rows ?? [];
  const psp = f.psp.name ? `${f.psp.name} (${f.psp.id})` : f.psp.id;
  return (
    <section className="cst-panel mb-4" aria-labelledby={`flow-${f.id}-title`} data-testid="flow-report" data-state={f.state} data-flow={f.flow_id}>
      <h3 className="h4" id={`flow-${f.id}-title`}>
        Resoconto del flusso <span className="font-monospace">{f.flow_id}</span>
      </h3>
      <p data-testid="flow-state">
        <FlowBadge state={f.state} /> {STATE_SENTENCES[f.state] ?? ''}
      </p>
      {!f.current && (
        <div className="alert alert-warning" role="note">
          Sostituito da una revisione successiva dello stesso flusso
          {f.superseded_by !== null && <> (resoconto n. {f.superseded_by})</>}: i suoi pagamenti non contano più.
        </div>
      )}
      {f.anomalies.length > 0 && (
        <div className="alert alert-danger" data-testid="flow-anomalies">
          <p className="fw-semibold mb-1">Anomalie del flusso</p>
          <ul className="mb-0">
            {f.anomalies.map((a, i) => (
              <li key={i}>
                <AnomalyText anomaly={a} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <dl className="cst-dl mb-4" data-testid="flow-header">
        <Row term="Ente">
          {entiByIstat.get(f.ente)?.name ?? f.ente} ({f.ente}), codice fiscale <span className="font-monospace">{f.receiver.fiscal_code}</span>
        </Row>
        <Row term="PSP" testId="flow-psp">
          {psp}
          {f.bic && <span className="d-block small">BIC della banca di riversamento: {f.bic}</span>}
        </Row>
        <Row term="Data del flusso">
          <time dateTime={f.flow_date_time}>{formatDateTime(f.flow_date_time)}</time>
        </Row>
        <Row term="Data regolamento" testId="flow-settlement-date">
          {formatDate(f.settlement_date)}
          <span className="d-block small">
            Identificativo del regolamento (bonifico) <span className="font-monospace">{f.settlement_ref}</span>
          </span>
        </Row>
        <Row term="Numero dei pagamenti" testId="flow-count">
          <Compared declared={formatInteger(f.declared_count)} computed={formatInteger(f.rows_count)} />
        </Row>
        <Row term="Importo totale" testId="flow-total">
          <Compared declared={formatCents(f.declared_total_cents)} computed={formatCents(f.total_cents)} />
        </Row>
        <Row term="Esito dei pagamenti" testId="flow-rows">
          {formatInteger(f.rows_ok)} riconciliati, {formatInteger(f.rows_anomalous)} con anomalia
          {f.rows_other_intermediary > 0 && `, ${formatInteger(f.rows_other_intermediary)} di altri intermediari`}
        </Row>
        <Row term="Posizioni rendicontate" testId="flow-reported">
          {formatInteger(f.positions_reported)}
        </Row>
        <Row term="Acquisito">
          <time dateTime={f.imported_at}>{formatDateTime(f.imported_at)}</time> da {f.imported_by}
        </Row>
      </dl>
      {rows.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="flow-rows-table">
            <caption>Pagamenti del flusso: {formatInteger(rows.length)}</caption>
            <thead>
              <tr>
                <th scope="col" className="text-end">
                  N.
                </th>
                <th scope="col">IUV</th>
                <th scope="col">IUR</th>
                <th scope="col" className="text-end">
                  Indice
                </th>
                <th scope="col" className="text-end">
                  Importo
                </th>
                <th scope="col">Esito</th>
                <th scope="col">Stato</th>
                <th scope="col">Anomalia</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.id}
                  data-iur={r.iur}
                  data-state={r.state}
                  data-anomaly={r.anomaly ? r.anomaly.code : undefined}
                  className={r.anomaly ? 'table-warning' : undefined}
                >
                  <th scope="row" className="text-end font-monospace">
                    {r.seq}
                  </th>
                  <td className="font-monospace cst-detail">
                    {r.iuv}
                    {r.position_id !== null && (
                      <span className="d-block">
                        <Link to={positionPath(r.position_id)}>
                          Posizione<span className="visually-hidden"> del pagamento {r.seq}</span>
                        </Link>
                      </span>
                    )}
                  </td>
                  <td className="font-monospace cst-detail">{r.iur}</td>
                  <td className="text-end">{r.transfer_index}</td>
                  <td className="text-end text-nowrap">{formatCents(r.amount_cents)}</td>
                  <td className="small">
                    {r.outcome} <span className="text-nowrap">(codice {r.outcome_code})</span>
                    <span className="d-block">il {formatDate(r.outcome_date)}</span>
                  </td>
                  <td>
                    <FlowRowBadge state={r.state} />
                  </td>
                  <td className="cst-detail" data-testid="flow-row-anomaly">
                    {r.anomaly ? <AnomalyText anomaly={r.anomaly} /> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <a className="btn btn-outline-primary btn-sm" href={flowXmlUrl(f.id)} download>
        Scarica il flusso (XML)<span className="visually-hidden"> {f.flow_id}</span>
      </a>
    </section>
  );
}
