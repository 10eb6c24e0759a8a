import type { Receipt } from '../../api/types';
import { receiptXmlUrl } from '../../api/payments';
import { ListCaption } from '../../components/PagedListParts';
import { formatDateTime } from '../../format';
import { formatCents, formatNoticeNumber } from '../../payments';

// A position's receipts as the pagoPA node sent them: who collected (PSP), how much and when, the
// outcome, and the anomaly of a receipt the position could not take (money collected for a
// cancelled position, a plan paid the other way): highlighted, since the office must act on it.

export function ReceiptsTable({ receipts, next }: { receipts: readonly Receipt[]; next: string | null }) {
  return (
    <div className="table-responsive">
      <table className="table cst-table" data-testid="position-receipts">
        <ListCaption count={receipts.length} next={next} more="altre">
          Ricevute
        </ListCaption>
        <thead>
          <tr>
            <th scope="col">Ricevuta</th>
            <th scope="col">PSP</th>
            <th scope="col" className="text-end">
              Importo
            </th>
            <th scope="col">Data del pagamento</th>
            <th scope="col">Esito</th>
            <th scope="col">
              <span className="visually-hidden">File</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {receipts.map((r) => (
            <tr key={r.id} data-receipt={r.receipt_id} data-anomaly={r.anomaly ? 'true' : undefined} className={r.anomaly ? 'table-warning' : undefined}>
              <th scope="row" className="cst-detail">
                <span className="font-monospace">{r.receipt_id}</span>
                <span className="d-block small fw-normal">
                  Avviso <span className="font-monospace">{formatNoticeNumber(r.notice_number)}</span>
                </span>
              </th>
              <td className="cst-detail">
                {r.psp.name}
                <span className="d-block small font-monospace">{r.psp.id}</span>
              </td>
              <td className="text-end text-nowrap">
                {formatCents(r.amount_cents)}
                {r.fee_cents !== null && r.fee_cents > 0 && <span className="d-block small">commissione {formatCents(r.fee_cents)}</span>}
              </td>
              <td className="small text-nowrap">
                {r.payment_date_time ? <time dateTime={r.payment_date_time}>{formatDateTime(r.payment_date_time)}</time> : '—'}
                <span className="d-block">
                  ricevuta il <time dateTime={r.received_at}>{formatDateTime(r.received_at)}</time>
                </span>
              </td>
              <td className="cst-detail">
                {r.outcome === 'OK' ? <span className="badge bg-success">Pagamento eseguito</span> : <span className="badge bg-secondary">Pagamento non eseguito</span>}
                {r.anomaly && (
                  <span className="d-block mt-1" data-testid="receipt-anomaly">
                    <span className="badge bg-danger">Anomalia</span> {r.anomaly}
                  </span>
                )}
              </td>
              <td className="text-nowrap">
                <a className="btn btn-outline-primary btn-xs" href={receiptXmlUrl(r.id)} download>
                  receipt.xml<span className="visually-hidden"> della ricevuta {r.receipt_id}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
