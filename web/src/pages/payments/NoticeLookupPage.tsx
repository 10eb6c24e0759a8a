import { useRef, useState, type FormEvent } from 'react';
import { toApiError } from '../../api/client';
import { downloadPublicNotice, downloadPublicReceipt, lookupNotice } from '../../api/payments';
import type { CitizenNotice } from '../../api/types';
import { RequiredNote, SubmitButton, TextField } from '../../components/Field';
import { PageTitle } from '../../components/Page';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';
import { Link } from '../../router';
import { useSession } from '../../session';
import { NoticeCard, useNoticeDownloads, usePrintReceipt } from './NoticeCard';

// "Verifica un avviso di pagamento" (/verifica-avviso), without login: whoever holds a pagoPA
// notice of one of the Comuni types its number and the debtor's fiscal code, and reads the amount,
// the due date and the state, downloads the notice PDF while it is payable and, once paid, the
// receipt (XML, or printed from the page). A wrong pair answers 404 and the page says only that
// nothing matches those data, never which of the two was wrong (the server does the same); a
// malformed key (400) is named next to its field.

type Field = 'notice_number' | 'fiscal_code';
const LABELS: Record<Field, string> = { notice_number: 'Numero avviso', fiscal_code: 'Codice fiscale del debitore' };

/** The keys of the answer on screen: the downloads use the same ones, not what the form holds now. */
interface Lookup {
  items: CitizenNotice[];
  fiscalCode: string;
}

export function NoticeLookupPage() {
  const { me } = useSession();
  const [notice, setNotice] = useState('');
  const [fiscalCode, setFiscalCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [notFound, setNotFound] = useState(false);
  const files = useNoticeDownloads();
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
    files.clear();
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
              <StatusMessage message={files.message} />
              <ProblemAlert error={files.error} />
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
                  busy={files.busy}
                  onNotice={() => files.noticeFetched(() => downloadPublicNotice(n, lookup.fiscalCode, several))}
                  onReceipt={() => files.receiptFetched(() => downloadPublicReceipt(n, lookup.fiscalCode, several))}
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
