import { useId, useMemo, useState, type FormEvent } from 'react';
import { query, upload } from '../../api/client';
import type { Ente, Grant, ScanResult } from '../../api/types';
import { reasonLabel, SCAN_ROLES, VerdictBadge } from '../../antivirus';
import { EnteSelect, useEnteChoice } from '../../components/EnteSelect';
import { RequiredNote, SubmitButton, TextField } from '../../components/Field';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { formatBytes, formatDateTime, formatInteger, sentence } from '../../format';
import { useSession } from '../../session';

// "Verifica un file": any file checked by the CST's antivirus on request (scanning as a service).
// The file is sent raw and not kept; the verdict is shown here and recorded in the ente's history.

type Field = 'ente' | 'file';
const LABELS: Record<Field, string> = { ente: 'Ente', file: 'File da verificare' };
const VERDICT_WORDS = { clean: 'pulito', infected: 'infetto', error: 'errore' } as const;

/** The enti the user may scan for: every ente with a CST-wide scanning role, else their own. */
function scannableEnti(grants: Grant[], enti: Ente[]): Ente[] {
  const scanning = grants.filter((g) => SCAN_ROLES.includes(g.role));
  if (scanning.some((g) => g.ente === null)) return enti;
  return enti.filter((e) => scanning.some((g) => g.ente === e.istat));
}

export function ScanForm({ onScanned }: { onScanned: (r: ScanResult) => void }) {
  const { me, enti } = useSession();
  const choices = useMemo(() => scannableEnti(me?.grants ?? [], enti), [me, enti]);
  const form = useProblemForm<Field>({
    order: ['ente', 'file'],
    labels: LABELS,
    toField: (f) => (f === 'ente' ? 'ente' : f === 'file' || f === 'filename' ? 'file' : null),
    message: sentence,
  });
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ScanResult | null>(null);
  const uid = useId();
  const [ente, pickEnte] = useEnteChoice(choices);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    setResult(null);
    const invalid: FieldErrors<Field> = {};
    if (!ente) invalid.ente = "Scegli l'ente per cui verificare il file.";
    if (!file) invalid.file = 'Scegli il file da verificare.';
    if (!form.check(invalid)) return;
    const chosen = file as File;
    void form.send(
      () => upload<ScanResult>('/api/v1/antivirus/scan' + query({ ente, filename: chosen.name }), chosen, 'application/octet-stream'),
      (r) => {
        setResult(r);
        onScanned(r);
      },
    );
  };

  return (
    <section aria-labelledby={`${uid}-title`} className="cst-panel mb-4">
      <h2 className="h3" id={`${uid}-title`}>
        Verifica un file
      </h2>
      <p>Il file è controllato dall'antivirus del CST e non viene conservato: resta solo l'esito, nello storico dell'ente.</p>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`} className="cst-form" data-testid="scan-form">
        <div className="row">
          <EnteSelect {...form.field('ente')} choices={choices} value={ente} onChange={pickEnte} />
          <TextField
            className="col-12 col-lg-6"
            {...form.field('file')}
            label="File da verificare"
            type="file"
            required
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setResult(null);
            }}
          />
        </div>
        <SubmitButton busy={form.busy} busyLabel="Verifica in corso…">
          Verifica
        </SubmitButton>
      </form>
      <div aria-live="polite" aria-atomic="true" className="mt-3">
        {result && <ScanOutcome result={result} />}
      </div>
    </section>
  );
}

/** The verdict in words (the badge repeats it in colour) and what was scanned. */
function ScanOutcome({ result: r }: { result: ScanResult }) {
  const alert = r.verdict === 'clean' ? 'alert-success' : r.verdict === 'infected' ? 'alert-danger' : 'alert-warning';
  return (
    <div className={`alert ${alert}`} role="status" data-testid="scan-result" data-verdict={r.verdict}>
      <p className="fw-semibold mb-1">
        Esito: {VERDICT_WORDS[r.verdict] ?? r.verdict}{' '}
        {/* The badge repeats the verdict in colour: read once. */}
        <span aria-hidden="true">
          <VerdictBadge verdict={r.verdict} />
        </span>
      </p>
      {r.verdict === 'infected' && r.signature && (
        <p className="mb-1">
          Firma trovata: <span className="font-monospace" data-testid="scan-signature">{r.signature}</span>
        </p>
      )}
      {r.verdict === 'error' && <p className="mb-1">{sentence(reasonLabel(r.reason) || 'il file non è stato analizzato')}</p>}
      <p className="mb-0 small">
        {r.filename}, {formatBytes(r.size)}, verificato il <time dateTime={r.scanned_at}>{formatDateTime(r.scanned_at)}</time> in{' '}
        {formatInteger(r.duration_ms)} ms.
        <span className="d-block font-monospace cst-detail">SHA-256 {r.sha256}</span>
      </p>
    </div>
  );
}
