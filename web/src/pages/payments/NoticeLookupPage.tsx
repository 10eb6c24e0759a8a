import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { ApiError, toApiError } from '../../api/client';
import { downloadPublicNotice, downloadPublicReceipt, lookupNotice } from '../../api/payments';
import type { CitizenNotice, CitizenNoticeState } from '../../api/types';
import { RequiredNote, SubmitButton, TextField } from '../../components/Field';
import { PageTitle } from '../../components/Page';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { formatDate, formatDateTime, sentence } from '../../format';
import { CitizenStateBadge, formatCents, formatNoticeNumber } from '../../payments';
import { Link } from '../../router';
import { useSession } from '../../session';

// "Verifica un avviso di pagamento" (/verifica-avviso), without login: whoever holds a pagoPA
// notice of one of the Comuni types its number and the debtor's fiscal code, and reads the amount,
// the due date and the state, downloads the notice PDF while it is payable and, once paid, the
// receipt (XML, or printed from the page). A wrong pair answers 404 and the page says only that
// nothing matches those data, never which of the two was wrong (the server does the same); a
// malformed key (400) is named next to its field.

type Field = 'notice_number' | 'fiscal_code';
const LABELS: Record<Field, string> = { notice_number: 'Numero avviso', fiscal_code: 'Codice fiscale del debitore' };

/** What the page says about each state, after the badge. */
const STATE_SENTENCES: Record<CitizenNoticeState, string> = {
  da_pagare:
    'Si può pagare entro la scadenza con pagoPA: app IO, home banking, sportelli bancari e postali, tabaccherie e ricevitorie ' +
    'aderenti, indicando il numero avviso o inquadrando il codice QR stampato sull’avviso.',
  pagato: 'Il pagamento è registrato: qui sotto i dati della ricevuta.',
  scaduto: 'Il termine per pagare questo avviso è passato: per sapere come regolarizzare rivolgiti all’ente.',
  annullato: 'L’ente ha annullato questo avviso: non va pagato. Per informazioni rivolgiti all’ente.',
};

/** The keys of the answer on screen: the downloads use the same ones, not what the form holds now. */
interface Lookup {
  items: CitizenNotice[];
  fiscalCode: string;
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="row py-1">
      <dt className="col-12 col-md-4">{term}</dt>
      <dd className="col-12 col-md-8 mb-0">{children}</dd>
    </div>
  );
}

/**
 * Prints the receipt alone: the page marks its section and the body for the print style sheet
 * (everything else hidden), and drops the marks once the browser is done printing.
 */
function usePrintReceipt() {
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

export function NoticeLookupPage() {
  const { me } = useSession();
  const [notice, setNotice] = useState('');
  const [fiscalCode, setFiscalCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<ApiError | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const receipt = usePrintReceipt();
  const form = useProblemForm<Field>({
    order: ['notice_number', 'fiscal_code'],
    labels: LABELS,
    toField: (f) => (f === 'notice_number' || f === 'fiscal_code' ? f : null),
    message: sentence,
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    setLookup(null);
    setNotFound(false);
    setDownloaded(null);
    setDownloadError(null);
    const nav = notice.replace(/\s+/g, '');
    const cf = fiscalCode.replace(/\s+/g, '').toUpperCase();
    const invalid: FieldErrors<Field> = {};
    if (!nav) invalid.notice_number = 'Inserisci il numero avviso: 18 cifre, stampate sull’avviso.';
    if (!cf) invalid.fiscal_code = 'Inserisci il codice fiscale della persona o dell’impresa a cui l’avviso è intestato.';
    if (!form.check(invalid)) return;
    setBusy(true);
    try {
      const found = await lookupNotice(nav, cf);
      form.check({});
      setLookup({ items: found.items, fiscalCode: cf });
      setTimeout(() => resultRef.current?.focus(), 0);
    } catch (err) {
      const problem = toApiError(err);
      if (problem.status === 404) {
        // The same answer for a wrong number, a wrong fiscal code or a notice not issued yet.
        form.check({});
        setNotFound(true);
        setTimeout(() => resultRef.current?.focus(), 0);
        return;
      }
      const mapped: FieldErrors<Field> = {};
      for (const x of problem.problem.errors ?? []) {
        if ((x.field === 'notice_number' || x.field === 'fiscal_code') && !mapped[x.field]) mapped[x.field] = sentence(x.message);
      }
      form.setProblem(problem);
      form.check(mapped);
    } finally {
      setBusy(false);
    }
  };

  const fetchFile = async (what: () => Promise<void>, message: string) => {
    setDownloading(true);
    setDownloaded(null);
    setDownloadError(null);
    try {
      await what();
      setDownloaded(message);
    } catch (err) {
      setDownloadError(toApiError(err));
    } finally {
      setDownloading(false);
    }
  };

  const several = (lookup?.items.length ?? 0) > 1;

  return (
    <div data-testid="notice-lookup">
      <PageTitle
        title="Verifica un avviso di pagamento"
        lead="Con il numero dell’avviso pagoPA e il codice fiscale di chi lo deve pagare puoi controllare importo, scadenza e stato di un avviso dei Comuni serviti dal CST, scaricarlo e, se è già pagato, vederne la ricevuta. Non serve accedere."
      >
        Verifica un avviso di pagamento
      </PageTitle>

      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="notice-lookup-form-title" className="cst-panel cst-form mb-4 cst-no-print" data-testid="notice-lookup-form">
        <h2 className="h4" id="notice-lookup-form-title">
          I dati dell’avviso
        </h2>
        <RequiredNote />
        <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
        <div className="row mt-4">
          <TextField
            className="col-12 col-md-6"
            {...form.field('notice_number')}
            label="Numero avviso"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            required
            hint="18 cifre, come stampate sull’avviso (per esempio 3010 0000 0000 0001 44); gli spazi non contano."
            value={notice}
            onChange={(e) => setNotice(e.target.value)}
          />
          <TextField
            className="col-12 col-md-6"
            {...form.field('fiscal_code')}
            label="Codice fiscale del debitore"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            hint="Della persona a cui l’avviso è intestato (16 caratteri) o, per un’impresa, la partita IVA (11 cifre)."
            value={fiscalCode}
            onChange={(e) => setFiscalCode(e.target.value)}
          />
        </div>
        <SubmitButton busy={busy} busyLabel="Ricerca in corso…">
          Verifica l’avviso
        </SubmitButton>
      </form>

      <div ref={resultRef} tabIndex={-1} className="cst-focus-target" data-testid="notice-lookup-result">
        <div aria-live="polite" aria-atomic="true">
          {notFound && (
            <div className="alert alert-warning" role="status" data-testid="notice-not-found">
              <p className="fw-semibold mb-1">Nessun avviso trovato con questi dati: controllare numero e codice fiscale.</p>
              <p className="mb-0">
                Il numero avviso è di 18 cifre ed è stampato sull’avviso; il codice fiscale è quello della persona o dell’impresa a cui
                l’avviso è intestato. Un avviso non ancora emesso dall’ente non risulta.
              </p>
            </div>
          )}
        </div>
        {lookup && (
          <>
            <div className="cst-no-print">
              <StatusMessage message={downloaded} />
              <ProblemAlert error={downloadError} />
            </div>
            {several && (
              <p className="cst-no-print">
                Più enti hanno emesso un avviso con questo numero per questo codice fiscale: eccoli tutti.
              </p>
            )}
            {lookup.items.map((n) => {
              const key = `${n.ente}-${n.notice_number}`;
              return (
                <NoticeCard
                  key={key}
                  notice={n}
                  fiscalCode={lookup.fiscalCode}
                  printing={receipt.printing === key}
                  busy={downloading}
                  onNotice={() => void fetchFile(() => downloadPublicNotice(n, lookup.fiscalCode, several), 'Avviso di pagamento scaricato.')}
                  onReceipt={() => void fetchFile(() => downloadPublicReceipt(n, lookup.fiscalCode, several), 'Ricevuta scaricata.')}
                  onPrint={() => receipt.print(key)}
                />
              );
            })}
          </>
        )}
      </div>

      {!me && (
        <p className="mt-4 cst-no-print">
          <Link to="/">Torna all’accesso all’area riservata</Link>
        </p>
      )}
    </div>
  );
}

/** One notice as its debtor reads it, with its downloads and, once paid, its receipt. */
function NoticeCard({
  notice: n,
  fiscalCode,
  printing,
  busy,
  onNotice,
  onReceipt,
  onPrint,
}: {
  notice: CitizenNotice;
  fiscalCode: string;
  printing: boolean;
  busy: boolean;
  onNotice: () => void;
  onReceipt: () => void;
  onPrint: () => void;
}) {
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
      <h2 className="h4" id={`${id}-title`}>
        Avviso n. <span className="font-monospace">{formatNoticeNumber(n.notice_number)}</span>
      </h2>
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
          <h3 className="h5" id={`${id}-receipt-title`}>
            Ricevuta di pagamento
          </h3>
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
