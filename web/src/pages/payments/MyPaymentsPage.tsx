import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../../api/client';
import { downloadMyNotice, downloadMyReceipt, listMyNotices } from '../../api/payments';
import type { CitizenNotice, MyNotices } from '../../api/types';
import { Loading, PageTitle } from '../../components/Page';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { formatCents, PUBLIC_NOTICE_PATH } from '../../payments';
import { Link } from '../../router';
import { NoticeCard, useNoticeDownloads, usePrintReceipt } from './NoticeCard';

// "I miei pagamenti" (/i-miei-pagamenti): the pagoPA notices of every Comune whose debtor has the
// fiscal code of the logged-in account, those to pay first, then the paid, expired and cancelled
// ones with their receipts. The server decides which are the user's (GET /api/v1/payments/mine);
// an account without a fiscal code is told how to get one bound.

/** Notice numbers that more than one ente issued to this debtor: their downloads name the ente. */
function sharedNumbers(items: CitizenNotice[]): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const n of items) (seen.has(n.notice_number) ? shared : seen).add(n.notice_number);
  return shared;
}

export function MyPaymentsPage() {
  const [mine, setMine] = useState<MyNotices | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const files = useNoticeDownloads();
  const receipt = usePrintReceipt();

  const load = useCallback(() => {
    setError(null);
    listMyNotices().then(setMine, (err) => setError(toApiError(err)));
  }, []);
  useEffect(load, [load]);

  const title = (
    <PageTitle title="I miei pagamenti" lead="Gli avvisi di pagamento pagoPA intestati al tuo codice fiscale, di tutti i Comuni serviti dal CST.">
      I miei pagamenti
    </PageTitle>
  );
  if (error)
    return (
      <div data-testid="my-payments">
        {title}
        <ProblemAlert error={error} />
        <button type="button" className="btn btn-outline-primary" onClick={load}>
          Riprova
        </button>
      </div>
    );
  if (!mine) return <Loading />;

  const toPay = mine.items.filter((n) => n.state === 'da_pagare');
  const others = mine.items.filter((n) => n.state !== 'da_pagare');
  const shared = sharedNumbers(mine.items);
  const total = toPay.reduce((sum, n) => sum + n.amount_cents, 0);
  const card = (n: CitizenNotice) => {
    const key = `${n.ente}-${n.notice_number}`;
    const several = shared.has(n.notice_number);
    return (
      <NoticeCard
        key={key}
        notice={n}
        fiscalCode={mine.fiscal_code ?? ''}
        printing={receipt.printing === key}
        busy={files.busy}
        onNotice={() => files.noticeFetched(() => downloadMyNotice(n, several))}
        onReceipt={() => files.receiptFetched(() => downloadMyReceipt(n, several))}
        onPrint={() => receipt.print(key)}
        level={3}
      />
    );
  };

  return (
    <div data-testid="my-payments" data-fiscal-code={mine.fiscal_code ?? ''}>
      {title}
      {!mine.fiscal_code ? (
        <div className="alert alert-info" role="status" data-testid="my-payments-no-fiscal-code">
          <p className="mb-1">Al tuo utente non è associato un codice fiscale, quindi non possiamo mostrarti avvisi di pagamento.</p>
          <p className="mb-0">
            Chiedi al referente del tuo Comune o al CST di associarlo; intanto puoi <Link to={PUBLIC_NOTICE_PATH}>verificare un avviso</Link> con il
            suo numero e il codice fiscale del debitore.
          </p>
        </div>
      ) : (
        <>
          <p className="cst-no-print" data-testid="my-payments-summary">
            Codice fiscale <span className="font-monospace">{mine.fiscal_code}</span>:{' '}
            {toPay.length === 0
              ? 'nessun avviso da pagare.'
              : `${toPay.length === 1 ? '1 avviso da pagare' : `${toPay.length} avvisi da pagare`}, in tutto ${formatCents(total)}.`}
          </p>
          {mine.truncated && (
            <p className="alert alert-warning cst-no-print" role="status">
              Sono mostrati gli avvisi più recenti; per uno più vecchio usa la <Link to={PUBLIC_NOTICE_PATH}>verifica di un avviso</Link>.
            </p>
          )}
          <div className="cst-no-print">
            <StatusMessage message={files.message} />
            <ProblemAlert error={files.error} />
          </div>
          <section aria-labelledby="my-to-pay" data-testid="my-payments-to-pay">
            <h2 className="h3 cst-no-print" id="my-to-pay">
              Da pagare
            </h2>
            {toPay.length === 0 ? <p className="cst-no-print">Nessun avviso da pagare.</p> : toPay.map(card)}
          </section>
          <section aria-labelledby="my-others" data-testid="my-payments-others">
            <h2 className="h3 cst-no-print" id="my-others">
              Pagati, scaduti e annullati
            </h2>
            {others.length === 0 ? <p className="cst-no-print">Nessuno.</p> : others.map(card)}
          </section>
        </>
      )}
    </div>
  );
}
