import { useState, type FormEvent } from 'react';
import { toApiError } from '../../api/client';
import { importFlow } from '../../api/payments';
import type { ReconciliationFlow } from '../../api/types';
import { RequiredNote, SubmitButton, TextField } from '../../components/Field';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm } from '../../components/useProblemForm';
import { sentence } from '../../format';

// The upload of a reconciliation file: the XML as the PSP published it, sent raw as the body
// (application/xml). The ente is not chosen: it is the flow's receiver (istitutoRicevente). The
// answer is the report, also when rows are anomalous; a refusal (not XML, the schema's rules, a
// receiver that is none of our creditors or outside the user's enti, the same flow with other
// content, a file too large) is a problem+json about the file, shown next to it.

type Field = 'file';
const LABELS: Record<Field, string> = { file: 'File del flusso (XML)' };

/** What a refusal says next to the file: the server's reason, by status when it names none. */
function fileMessage(status: number, detail: string | undefined, fields: { field: string; message: string }[]): string {
  if (fields.length === 1) return sentence(`${fields[0].field === 'file' ? '' : `${fields[0].field}: `}${fields[0].message}`);
  if (fields.length > 1) return `Il file ha ${fields.length} problemi, elencati sopra.`;
  if (status === 404) return 'Il flusso è indirizzato a un ente che non è tra i tuoi.';
  if (status === 409) return sentence(detail || 'un flusso con lo stesso identificativo, PSP e data è già stato acquisito con un contenuto diverso');
  if (status === 413) return 'Il file supera la dimensione massima di 20 MB.';
  return sentence(detail || 'file non valido');
}

export function FlowUploadForm({ onImported }: { onImported: (flow: ReconciliationFlow) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useProblemForm<Field>({ order: ['file'], labels: LABELS, toField: () => 'file', message: sentence });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    if (!form.check(file ? {} : { file: 'Scegli il file XML del flusso di rendicontazione.' })) return;
    setBusy(true);
    try {
      onImported(await importFlow(file as File));
      form.check({});
    } catch (err) {
      const problem = toApiError(err);
      form.setProblem(problem);
      if (problem.status === 403) form.check({});
      else form.check({ file: fileMessage(problem.status, problem.problem.detail, problem.problem.errors ?? []) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="flow-upload-title" className="cst-panel cst-form mb-4" data-testid="flow-upload-form">
      <h3 className="h4" id="flow-upload-title">
        Carica un flusso
      </h3>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={{ file: LABELS.file, istitutoRicevente: 'Ente ricevente (istitutoRicevente)' }} />
      <div className="row mt-4">
        <TextField
          className="col-12 col-lg-8"
          {...form.field('file')}
          label={LABELS.file}
          type="file"
          accept=".xml,application/xml,text/xml"
          required
          hint="Il flusso di rendicontazione (FlussoRiversamento) così come pubblicato dal PSP sul nodo pagoPA; l’ente è quello a cui è indirizzato. Al massimo 20 MB."
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <SubmitButton busy={busy} busyLabel="Acquisizione in corso…">
        Carica il flusso
      </SubmitButton>
    </form>
  );
}
