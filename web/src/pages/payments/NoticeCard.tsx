import { useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { CitizenNotice, CitizenNoticeState } from '../../api/types';
import { useAction } from '../../components/ActionStatus';
import { Row } from '../../components/DefinitionRow';
import { formatDate, formatDateTime } from '../../format';
import { CitizenStateBadge, formatCents, formatNoticeNumber } from '../../payments';

// One pagoPA notice as its debtor reads it: amount, due date, state, the notice PDF while it is
// payable and, once paid, the receipt (downloaded, or printed alone). Shown by the lookup without
// login (NoticeLookupPage) and by the logged-in debtor's own list (MyPaymentsPage).

/** What the page says about each state, after the badge. */
const STATE_SENTENCES: Record<CitizenNoticeState, string> = {
  da_pagare:
    'Si può pagare entro la scadenza con pagoPA: app IO, home banking, sportelli bancari e postali, tabaccherie e ricevitorie ' +
    'aderenti, indicando il numero avviso o inquadrando il codice QR stampato sull’avviso.',
  pagato: 'Il pagamento è registrato: qui sotto i dati della ricevuta.',
  scaduto: 'Il termine per pagare questo avviso è passato: per sapere come regolarizzare rivolgiti all’ente.',
  annullato: 'L’ente ha annullato questo avviso: non va pagato. Per informazioni rivolgiti all’ente.',
};

/** The downloads of notices and receipts from a list of cards: one at a time, with its outcome. */
export function useNoticeDownloads() {
  const files = useAction();
  return {
    ...files,
    noticeFetched: (what: () => Promise<void>) => void files.download(what, 'Avviso di pagamento scaricato.'),
    receiptFetched: (what: () => Promise<void>) => void files.download(what, 'Ricevuta scaricata.'),
  };
}

/**
 * Prints the receipt alone: the page marks its section and the body for the print style sheet
 * (everything else hidden), and drops the marks once the browser is done printing.
 */
export function usePrintReceipt() {
  const [printing, setPrinting] = useState<string | null>(null);
  // The pending "afterprint" handler: a browser whose print() returns at once sends it later.
  const pending = useRef<(() => void) | null>(null);
  const print = (key: string) => {
    if (pending.current) window.removeEventListener('afterprint', pending.current);
    const done = () => {
      pending.current = null;
      document.body.classList.remove('cst-printing');
      setPrinting(null);
    };
    pending.current = done;
    flushSync(() => setPrinting(key));
    document.body.classList.add('cst-printing');
    window.addEventListener('afterprint', done, { once: true });
    window.print();
  };
  return { printing, print };
}

/** One notice as its debtor reads it, with its downloads and, once paid, its receipt. */
export function NoticeCard({
  notice: n,
  fiscalCode,
  printing,
  busy,
  onNotice,
  onReceipt,
  onPrint,
  level = 2,
}: {
  notice: CitizenNotice;
  fiscalCode: string;
  printing: boolean;
  busy: boolean;
  onNotice: () => void;
  onReceipt: () => void;
  onPrint: () => void;
  /** The card's heading level (its receipt's is the next one): 3 inside a page's sections. */
  level?: 2 | 3;
}) {
  const Title = level === 2 ? 'h2' : 'h3';
  const Sub = level === 2 ? 'h3' : 'h4';
  const id = `notice-${n.ente}-${n.notice_number}`;
  const r = n.receipt;
  return (
    <section
      className={`cst-panel mb-4${printing ? ' cst-print-area' : ' cst-no-print-when-printing'}`}
      aria-labelledby={`${id}-title`}
      data-testid="notice-result"
      data-state={n.state}
      data-ente={n.ente}
    >
      {printing && (
        <p className="small mb-2">
          CST – Centro Servizi Territoriale, verifica di un avviso di pagamento pagoPA, stampata il {formatDateTime(new Date().toISOString())}
        </p>
      )}
      <Title className="h4" id={`${id}-title`}>
        Avviso n. <span className="font-monospace">{formatNoticeNumber(n.notice_number)}</span>
      </Title>
      <p data-testid="notice-state">
        Stato: <CitizenStateBadge state={n.state} />
        <span className="d-block mt-1 cst-no-print">{STATE_SENTENCES[n.state]}</span>
      </p>
      <dl className="cst-dl mb-4" data-testid="notice-data">
        <Row term="Ente">{n.ente_name}</Row>
        <Row term="Causale">
          {n.description}
          {n.option_description && n.option_description !== n.description && <span className="d-block small">{n.option_description}</span>}
        </Row>
        <Row term="Importo">{formatCents(n.amount_cents)}</Row>
        <Row term="Scadenza">{formatDate(n.due_date)}</Row>
        {n.instalment && (
          <Row term="Rata">{n.instalment_number > 0 ? `Rata ${n.instalment_number} di ${n.instalments}` : 'Rata di un piano di pagamento'}</Row>
        )}
        <Row term="Codice fiscale dell’ente">
          <span className="font-monospace">{n.creditor_fiscal_code}</span>
        </Row>
      </dl>
      {n.notice_pdf && (
        <div className="d-flex flex-wrap gap-2 mb-2 cst-no-print">
          <button type="button" className="btn btn-primary" onClick={onNotice} disabled={busy}>
            Scarica l’avviso (PDF)
          </button>
        </div>
      )}
      {r && (
        <section aria-labelledby={`${id}-receipt-title`} data-testid="notice-receipt" data-receipt={r.receipt_id}>
          <Sub className="h5" id={`${id}-receipt-title`}>
            Ricevuta di pagamento
          </Sub>
          <dl className="cst-dl mb-3">
            <Row term="Data e ora del pagamento">
              <time dateTime={r.payment_date_time}>{formatDateTime(r.payment_date_time)}</time>
            </Row>
            <Row term="Importo pagato">{formatCents(r.amount_cents)}</Row>
            <Row term="Prestatore del servizio di pagamento (PSP)">{r.psp}</Row>
            <Row term="Identificativo della ricevuta">
              <span className="font-monospace">{r.receipt_id}</span>
            </Row>
            <Row term="Codice fiscale del debitore">
              <span className="font-monospace">{fiscalCode}</span>
            </Row>
          </dl>
          <div className="d-flex flex-wrap gap-2 cst-no-print">
            <button type="button" className="btn btn-outline-primary" onClick={onReceipt} disabled={busy}>
              Scarica la ricevuta (XML)
            </button>
            <button type="button" className="btn btn-outline-primary" onClick={onPrint}>
              Stampa<span className="visually-hidden"> la ricevuta</span>
            </button>
          </div>
        </section>
      )}
    </section>
  );
}
