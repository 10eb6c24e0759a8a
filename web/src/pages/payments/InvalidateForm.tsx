import { useId, useState, type FormEvent } from 'react';
import { invalidatePosition } from '../../api/payments';
import type { Position } from '../../api/types';
import { SubmitButton, TextAreaField } from '../../components/Field';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm } from '../../components/useProblemForm';
import { sentence } from '../../format';

// "Annulla la posizione": DRAFT or VALID → INVALID, final. The reason is required; it stays in the
// position's timeline and in the audit log. The server's error on it goes next to the field.

/** The server's limit on the reason (routes_positions.cpp). */
const MAX_REASON = 500;

export function InvalidateForm({ position, onDone, onCancel }: { position: Position; onDone: (p: Position) => void; onCancel: () => void }) {
  const uid = useId();
  const [reason, setReason] = useState('');
  const form = useProblemForm<'reason'>({
    order: ['reason'],
    labels: { reason: "Motivo dell'annullamento" },
    toField: (f) => (f === 'reason' ? 'reason' : null),
    message: sentence,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    if (!form.check(reason.trim() ? {} : { reason: "Scrivi perché la posizione è annullata." })) return;
    void form.send(() => invalidatePosition(position.id, reason.trim()), onDone);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`} className="cst-panel cst-form mb-4" data-testid="invalidate-form">
      <h3 className="h4" id={`${uid}-title`}>
        Annullamento della posizione
      </h3>
      <p>
        Annullare la posizione {position.reference}? I suoi avvisi non saranno più pagabili e l'annullamento è definitivo.
      </p>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <TextAreaField
        {...form.field('reason')}
        label="Motivo dell'annullamento"
        hint="Resta nella cronologia della posizione e nel registro di audit."
        required
        rows={3}
        maxLength={MAX_REASON}
        autoFocus
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={form.busy} busyLabel="Annullamento in corso…" className="btn-danger">
          Conferma l'annullamento
        </SubmitButton>
        <button type="button" className="btn btn-outline-primary" onClick={onCancel} disabled={form.busy}>
          Chiudi
        </button>
      </div>
    </form>
  );
}
