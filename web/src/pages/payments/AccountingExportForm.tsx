import { useState, type FormEvent } from 'react';
import { downloadAccountingExport } from '../../api/payments';
import type { Ente } from '../../api/types';
import { EnteSelect } from '../../components/EnteSelect';
import { SubmitButton, TextField } from '../../components/Field';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';

// "Esporta per la contabilità": one ente's reported payments as a CSV for the accounting office's
// spreadsheet, those settled (data regolamento) between two dates, both optional. Fetched by the
// page, so that a refusal (a date the server does not read) is shown next to its field instead of
// being downloaded.

type Field = 'ente' | 'from' | 'to';
const LABELS: Record<Field, string> = { ente: 'Ente', from: 'Regolati dal', to: 'Regolati fino al' };

export function AccountingExportForm({ choices, ente: initialEnte, enteName }: { choices: readonly Ente[]; ente: string; enteName: (istat: string) => string }) {
  const [picked, setPicked] = useState<string | null>(null);
  const ente = picked ?? initialEnte;
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const form = useProblemForm<Field>({
    order: ['ente', 'from', 'to'],
    labels: LABELS,
    toField: (f) => (f === 'ente' || f === 'from' || f === 'to' ? f : null),
    message: sentence,
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    setDone(null);
    const invalid: FieldErrors<Field> = {};
    if (!ente) invalid.ente = "Scegli l'ente di cui esportare i pagamenti.";
    if (from && to && from > to) invalid.to = 'La data finale non può precedere quella iniziale.';
    if (!form.check(invalid)) return;
    await form.send(
      () => downloadAccountingExport(ente, from, to),
      () => setDone(`Esportazione dei pagamenti di ${enteName(ente)} scaricata.`),
    );
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="flow-export-title" className="cst-panel cst-form mb-4" data-testid="flow-export-form">
      <h3 className="h4" id="flow-export-title">
        Esporta per la contabilità
      </h3>
      <p>
        Un file CSV per il foglio di calcolo (separatore punto e virgola, importi con la virgola) con un record per ogni pagamento
        rendicontato nei flussi in vigore dell’ente: data regolamento, flusso, IUV, IUR, indice, importo, codice fiscale del
        debitore, causale, tassonomia, esito e stato. Le date si riferiscono al regolamento; lasciale vuote per esportare tutto.
      </p>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <StatusMessage message={done} />
      <div className="row">
        {choices.length > 1 ? (
          <EnteSelect {...form.field('ente')} className="col-12 col-lg-4" choices={choices} value={ente} onChange={setPicked} />
        ) : (
          <p className="col-12" data-testid="flow-export-ente">
            Ente: <strong>{ente ? `${enteName(ente)} (${ente})` : '—'}</strong>
          </p>
        )}
        <TextField className="col-12 col-md-6 col-lg-4" {...form.field('from')} label={LABELS.from} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField className="col-12 col-md-6 col-lg-4" {...form.field('to')} label={LABELS.to} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <SubmitButton busy={form.busy} busyLabel="Preparazione del file…">
        Esporta per la contabilità (CSV)
      </SubmitButton>
    </form>
  );
}
