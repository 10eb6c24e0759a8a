import { useCallback, useMemo, useState } from 'react';
import { deletePosition, downloadNotice, getPosition, listReceipts, publishPosition } from '../../api/payments';
import type { Debtor, PaymentOption } from '../../api/types';
import { ActionStatus, useAction } from '../../components/ActionStatus';
import { Row } from '../../components/DefinitionRow';
import { InlineConfirm } from '../../components/InlineConfirm';
import { BackLink, Loading, NotLoaded } from '../../components/Page';
import { LoadMore } from '../../components/PagedListParts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoaded } from '../../components/useLoaded';
import { usePagedList } from '../../components/usePagedList';
import { formatDate, formatDateTime } from '../../format';
import {
  actorName,
  eventSentence,
  formatCents,
  formatIban,
  formatNoticeNumber,
  isPayable,
  mayManagePositions,
  PAY_POSITIONS_PATH,
  PositionBadge,
  statusLabel,
} from '../../payments';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { InvalidateForm } from './InvalidateForm';
import { positionsListPath } from './PositionsPanel';
import { ReceiptsTable } from './ReceiptsTable';

// One debt position: its data, the debtor, the payment options with their notice numbers and
// transfers, the receipts, the timeline, and the actions its state and the user's role allow:
// Pubblica and Elimina (a DRAFT), Annulla with a reason (DRAFT or VALID), Scarica avviso PDF
// (a payable one). Another ente's position answers 404 and is shown as not found.

const RECEIPTS_PAGE = 100;

type Asking = 'publish' | 'delete' | 'invalidate' | null;

/** "Via Roma 1, 26100 Cremona (CR)": the parts the position has, or null. */
function addressOf(d: Debtor): string | null {
  const street = [d.street, d.civic_number].filter(Boolean).join(' ');
  const city = [d.postal_code, d.city].filter(Boolean).join(' ') + (d.province ? ` (${d.province})` : '');
  const parts = [street, city.trim(), d.country && d.country !== 'IT' ? d.country : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** "Rata unica" for the single payment, "Rata 2 di 3" for an instalment. */
function optionNames(options: readonly PaymentOption[]): Map<number, string> {
  const plan = options.filter((o) => o.instalment).sort((a, b) => a.seq - b.seq);
  const names = new Map<number, string>();
  for (const o of options) names.set(o.id, o.instalment ? `Rata ${plan.indexOf(o) + 1} di ${plan.length}` : 'Rata unica');
  return names;
}

export function PositionDetail({ id }: { id: string }) {
  const { me, entiByIstat, setNotice } = useSession();
  const grants = me?.grants ?? [];
  const { data: position, setData: setPosition, error: loadError } = useLoaded(id, getPosition);
  const [asking, setAsking] = useState<Asking>(null);
  const action = useAction();

  const numericId = position?.id ?? Number(id);
  const receiptFilter = useMemo(() => ({ position: numericId }), [numericId]);
  const fetchReceipts = useCallback((f: { position: number }, cursor: string | null) => listReceipts(f.position, RECEIPTS_PAGE, cursor), []);
  const receipts = usePagedList(fetchReceipts, receiptFilter);

  const publish = () =>
    action.run(async () => {
      const p = await publishPosition(numericId);
      setPosition(p);
      setAsking(null);
      action.report('Posizione pubblicata: i suoi avvisi sono pagabili.', null);
    });

  const remove = () =>
    action.run(async () => {
      await deletePosition(numericId);
      setNotice({ text: `Bozza ${position?.reference ?? ''} eliminata.`, path: PAY_POSITIONS_PATH });
      navigate(positionsListPath());
    });

  if (!position)
    return (
      <NotLoaded error={loadError}>
        <BackToPositions />
      </NotLoaded>
    );

  const p = position;
  const manage = mayManagePositions(grants, p.ente);
  const names = optionNames(p.options);
  const paidOptions = new Set((receipts.items ?? []).filter((r) => r.outcome === 'OK' && !r.anomaly).map((r) => r.option_id));
  const address = addressOf(p.debtor);
  const actions = {
    publish: manage && p.status === 'DRAFT',
    invalidate: manage && (p.status === 'DRAFT' || p.status === 'VALID'),
    remove: manage && p.status === 'DRAFT',
    notice: isPayable(p.status),
  };
  const anyAction = actions.publish || actions.invalidate || actions.remove || actions.notice;

  return (
    <section aria-labelledby="pay-position-title" data-testid="position-detail" data-status={p.status}>
      <BackToPositions />
      <h2 className="h3" id="pay-position-title">
        Posizione <span className="font-monospace">{p.reference}</span>
      </h2>
      <p className="mb-1">{p.description}</p>
      <p data-testid="position-status">
        Stato: <PositionBadge status={p.status} />
        {p.status === 'INVALID' && p.invalid_reason && <span className="d-block small">Motivo dell'annullamento: {p.invalid_reason}</span>}
      </p>

      <ActionStatus action={action} />

      {anyAction && !asking && (
        <div className="d-flex flex-wrap gap-2 mb-4" data-testid="position-actions">
          {actions.notice && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void action.download(() => downloadNotice(p), 'Avviso di pagamento scaricato.')}
              disabled={action.busy}
            >
              Scarica avviso PDF
            </button>
          )}
          {actions.publish && (
            <button type="button" className="btn btn-primary" onClick={() => setAsking('publish')} disabled={action.busy}>
              Pubblica
            </button>
          )}
          {actions.invalidate && (
            <button type="button" className="btn btn-outline-danger" onClick={() => setAsking('invalidate')} disabled={action.busy}>
              Annulla la posizione
            </button>
          )}
          {actions.remove && (
            <button type="button" className="btn btn-outline-danger" onClick={() => setAsking('delete')} disabled={action.busy}>
              Elimina
            </button>
          )}
        </div>
      )}
      {asking === 'publish' && (
        <InlineConfirm confirmLabel="Pubblica la posizione" onConfirm={() => void publish()} onCancel={() => setAsking(null)} busy={action.busy}>
          Pubblicare la posizione {p.reference}? I suoi avvisi diventano pagabili su pagoPA; da quel momento la posizione non si può più
          eliminare, ma solo annullare.
        </InlineConfirm>
      )}
      {asking === 'delete' && (
        <InlineConfirm confirmLabel="Elimina la bozza" onConfirm={() => void remove()} onCancel={() => setAsking(null)} busy={action.busy} danger>
          Eliminare la bozza {p.reference}? Non si può annullare; i suoi numeri avviso non saranno più usati.
        </InlineConfirm>
      )}
      {asking === 'invalidate' && (
        <InvalidateForm
          position={p}
          onDone={(changed) => {
            setPosition(changed);
            setAsking(null);
            action.report('Posizione annullata: i suoi avvisi non sono più pagabili.', null);
          }}
          onCancel={() => setAsking(null)}
        />
      )}

      <div className="cst-panel mb-4">
        <dl className="cst-dl mb-0" data-testid="position-data">
          <Row term="Ente">
            {entiByIstat.get(p.ente)?.name ?? p.ente} ({p.ente})
          </Row>
          <Row term="Importo">{formatCents(p.amount_cents)}</Row>
          <Row term="Codice di tassonomia">
            <span className="font-monospace">{p.service_code}</span>
          </Row>
          <Row term="Pagabile fino al">{p.valid_until ? formatDate(p.valid_until) : 'senza scadenza'}</Row>
          <Row term="Creata">
            <time dateTime={p.created_at}>{formatDateTime(p.created_at)}</time> da {actorName(p.created_by)}
          </Row>
          <Row term="Ultima modifica">
            <time dateTime={p.updated_at}>{formatDateTime(p.updated_at)}</time> da {actorName(p.updated_by)}
          </Row>
        </dl>
      </div>

      <h3 className="h4" id="pay-debtor-title">
        Debitore
      </h3>
      <dl className="cst-dl mb-4" aria-labelledby="pay-debtor-title" data-testid="position-debtor">
        <Row term="Nominativo">{p.debtor.name}</Row>
        <Row term={p.debtor.type === 'G' ? 'Codice fiscale o partita IVA' : 'Codice fiscale'}>
          <span className="font-monospace">{p.debtor.fiscal_code}</span>{' '}
          <span className="small">({p.debtor.type === 'G' ? 'persona giuridica' : 'persona fisica'})</span>
        </Row>
        {address && <Row term="Indirizzo">{address}</Row>}
        {p.debtor.email && <Row term="Email">{p.debtor.email}</Row>}
      </dl>

      <h3 className="h4" id="pay-options-title">
        Avvisi di pagamento
      </h3>
      <p className="small">
        {p.options.some((o) => o.instalment) && p.options.some((o) => !o.instalment)
          ? "Il debitore può pagare in un'unica soluzione oppure a rate: ogni modalità ha il suo numero avviso."
          : 'Ogni avviso ha il suo numero, da comunicare a chi paga.'}
      </p>
      <div className="table-responsive">
        <table className="table cst-table" aria-labelledby="pay-options-title" data-testid="position-options">
          <thead>
            <tr>
              <th scope="col">Opzione</th>
              <th scope="col">Numero avviso</th>
              <th scope="col" className="text-end">
                Importo
              </th>
              <th scope="col">Scadenza</th>
              <th scope="col">Versamenti</th>
            </tr>
          </thead>
          <tbody>
            {p.options.map((o) => (
              <tr key={o.id} data-option={o.id} data-notice={o.notice_number}>
                <th scope="row">
                  {names.get(o.id)}
                  {o.description && <span className="d-block small fw-normal">{o.description}</span>}
                  {paidOptions.has(o.id) && (
                    <span className="d-block">
                      <span className="badge bg-success">Pagata</span>
                    </span>
                  )}
                </th>
                <td className="text-nowrap">
                  <span className="font-monospace" data-testid="notice-number">
                    {o.notice_number_printed || formatNoticeNumber(o.notice_number)}
                  </span>
                  <span className="d-block small">
                    IUV <span className="font-monospace">{o.iuv}</span>
                  </span>
                </td>
                <td className="text-end text-nowrap">{formatCents(o.amount_cents)}</td>
                <td className="text-nowrap">{formatDate(o.due_date)}</td>
                <td className="cst-detail">
                  <ul className="list-unstyled mb-0">
                    {o.transfers.map((t) => (
                      <li key={t.seq}>
                        <span className="text-nowrap">{formatCents(t.amount_cents)}</span> – {t.remittance}
                        <span className="d-block font-monospace">
                          <span className="visually-hidden">IBAN </span>
                          {formatIban(t.iban)}
                        </span>
                        {t.beneficiary_fiscal_code && <span className="d-block">a favore di {t.beneficiary_fiscal_code}</span>}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3 className="h4" id="pay-receipts-title">
        Ricevute
      </h3>
      <ProblemAlert error={receipts.error} />
      {!receipts.items && <Loading />}
      {receipts.items && receipts.items.length === 0 && !receipts.error && (
        <p data-testid="position-no-receipts">Nessuna ricevuta: la posizione non risulta pagata.</p>
      )}
      {receipts.items && receipts.items.length > 0 && <ReceiptsTable receipts={receipts.items} next={receipts.next} />}
      <LoadMore next={receipts.next} loading={receipts.loadingMore} onLoadMore={receipts.loadMore} label="Altre ricevute" />

      <h3 className="h4 mt-4" id="pay-timeline-title">
        Cronologia
      </h3>
      <ol className="cst-timeline" aria-labelledby="pay-timeline-title" data-testid="position-timeline">
        {p.timeline.map((e, i) => (
          <li key={i} className="cst-timeline-item" data-event={e.event}>
            <p className="cst-timeline-head mb-1">
              <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            </p>
            <p className="mb-1">
              <strong>{actorName(e.actor)}</strong> {eventSentence(e)}
              {e.to_status && (
                <span className="small">
                  {' '}
                  ({e.from_status ? `da ${statusLabel(e.from_status)} a ${statusLabel(e.to_status)}` : statusLabel(e.to_status)})
                </span>
              )}
            </p>
            {e.reason && <p className="mb-0 small cst-ticket-text">{e.event === 'invalidate' ? `Motivo: ${e.reason}` : e.reason}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function BackToPositions() {
  return <BackLink to={positionsListPath()}>Torna alle posizioni debitorie</BackLink>;
}
