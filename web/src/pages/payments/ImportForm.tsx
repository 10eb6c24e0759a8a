import { useId, useState, type FormEvent } from 'react';
import { toApiError } from '../../api/client';
import { importRoll } from '../../api/payments';
import type { Ente, ImportMode, ImportReport } from '../../api/types';
import { EnteSelect } from '../../components/EnteSelect';
import { ErrorText, RequiredNote, SubmitButton, TextField } from '../../components/Field';
import { FormPanel } from '../../components/FormPanel';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';
import { IMPORT_MODES } from '../../payments';

// The import form: the ente (when the user has several), the mode, "pubblica subito" and the CSV,
// sent raw as the body (text/csv). The answer is the report, also when every row was refused. A
// refusal without a report (the header's columns, a file that is not CSV, no creditor
// configuration) is a problem+json: ente, mode and publish errors go next to their fields, the
// rest (columns named by the header, "riga N") next to the file, all of them in the summary.

type Field = 'ente' | 'mode' | 'publish' | 'file';
const LABELS: Record<Field, string> = { ente: 'Ente', mode: 'Modalità', publish: 'Pubblica subito', file: 'File del ruolo (CSV)' };

const MODE_HINTS: Record<ImportMode, string> = {
  all_or_nothing: 'se una riga ha un errore non si importa nulla: si corregge il file e lo si carica di nuovo.',
  valid_rows: 'si importano le posizioni senza errori; quelle con errori sono scartate ed elencate nel resoconto.',
};

/** A problem's field as the summary names it: the form's label, or the CSV column ("colonna N", "riga N" as they are). */
function problemLabel(field: string): string {
  if (field in LABELS) return LABELS[field as Field];
  if (/^(colonna|riga) \d+$/.test(field)) return field;
  return `Colonna «${field}»`;
}

export function ImportForm({
  choices,
  ente,
  pickEnte,
  enteName,
  onImported,
}: {
  choices: readonly Ente[];
  ente: string;
  pickEnte: (istat: string) => void;
  enteName: string;
  onImported: (r: ImportReport) => void;
}) {
  const uid = useId();
  const [mode, setMode] = useState<'' | ImportMode>('');
  const [publish, setPublish] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useProblemForm<Field>({
    order: ['ente', 'mode', 'publish', 'file'],
    labels: LABELS,
    toField: (f) => (f === 'ente' || f === 'mode' || f === 'publish' ? f : 'file'),
    message: sentence,
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<Field> = {};
    if (!ente) invalid.ente = "Scegli l'ente del ruolo.";
    if (!mode) invalid.mode = "Scegli se importare tutto o niente oppure solo le righe valide.";
    if (!file) invalid.file = 'Scegli il file CSV del ruolo.';
    if (!form.check(invalid)) return;
    setBusy(true);
    try {
      onImported(await importRoll(ente, mode as ImportMode, publish, file as File));
    } catch (err) {
      const problem = toApiError(err);
      // One message per field; the file's own problems (its header, a quote never closed, its
      // size) all go to the file, summarised by the server's detail.
      const mapped: FieldErrors<Field> = {};
      for (const x of problem.problem.errors ?? []) {
        if (x.field === 'ente' || x.field === 'mode' || x.field === 'publish') mapped[x.field] ??= sentence(x.message);
      }
      const fileErrors = (problem.problem.errors ?? []).filter((x) => !['ente', 'mode', 'publish'].includes(x.field));
      if (fileErrors.length > 1) mapped.file = `Il file ha ${fileErrors.length} problemi, elencati sopra.`;
      else if (fileErrors.length === 1 || problem.status === 413) mapped.file = sentence(problem.problem.detail || problem.problem.title || 'file non valido');
      form.setProblem(problem);
      form.check(mapped);
    } finally {
      setBusy(false);
    }
  };

  const modeError = form.errors.mode;
  const modeErrorId = `${uid}-mode-error`;
  const summaryLabels = Object.fromEntries((form.problem?.problem.errors ?? []).map((x) => [x.field, problemLabel(x.field)]));

  return (
    <FormPanel title="Carica il file" testId="import-form" onSubmit={(e) => void submit(e)}>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={summaryLabels} />
      <div className="row mt-4">
        {choices.length > 1 ? (
          <EnteSelect {...form.field('ente')} choices={choices} value={ente} onChange={pickEnte} />
        ) : (
          <p className="col-12" data-testid="import-ente">
            Ente: <strong>{ente ? `${enteName} (${ente})` : '—'}</strong>
          </p>
        )}
      </div>
      <fieldset className="cst-fieldset" aria-describedby={modeError ? modeErrorId : undefined}>
        <legend>
          Modalità<span aria-hidden="true"> *</span>
        </legend>
        {(Object.keys(IMPORT_MODES) as ImportMode[]).map((m, i) => (
          <div className="form-check" key={m}>
            <input
              id={`${uid}-mode-${m}`}
              type="radio"
              name="mode"
              value={m}
              ref={i === 0 ? form.fieldRef('mode') : undefined}
              checked={mode === m}
              required
              aria-invalid={modeError ? true : undefined}
              aria-describedby={modeError ? modeErrorId : undefined}
              onChange={() => setMode(m)}
            />
            <label htmlFor={`${uid}-mode-${m}`}>
              {IMPORT_MODES[m]}: {MODE_HINTS[m]}
            </label>
          </div>
        ))}
        <ErrorText id={modeErrorId} error={modeError} />
      </fieldset>
      <div className="form-check mb-4">
        <input
          id={`${uid}-publish`}
          type="checkbox"
          name="publish"
          ref={form.fieldRef('publish')}
          checked={publish}
          aria-describedby={`${uid}-publish-hint`}
          onChange={(e) => setPublish(e.target.checked)}
        />
        <label htmlFor={`${uid}-publish`}>Pubblica subito</label>
        <small id={`${uid}-publish-hint`} className="form-text d-block">
          Le posizioni importate diventano subito pagabili e se ne possono stampare gli avvisi; altrimenti restano in bozza, da
          pubblicare una per una.
        </small>
        <ErrorText id={`${uid}-publish-error`} error={form.errors.publish} />
      </div>
      <div className="row mt-5">
        <TextField
          className="col-12 col-lg-8"
          {...form.field('file')}
          label="File del ruolo (CSV)"
          type="file"
          accept=".csv,text/csv"
          required
          hint="CSV in UTF-8, con il punto e virgola come separatore e i nomi delle colonne nella prima riga; al massimo 64 MB."
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <SubmitButton busy={busy} busyLabel="Importazione in corso…">
        Importa il ruolo
      </SubmitButton>
    </FormPanel>
  );
}
