import { useState } from 'react';
import { invalidatePosition } from '../../api/payments';
import type { Position } from '../../api/types';
import { SubmitOrClose, TextAreaField } from '../../components/Field';
import { FormPanel } from '../../components/FormPanel';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm } from '../../components/useProblemForm';
import { sentence } from '../../format';

// "Annulla la posizione": DRAFT or VALID → INVALID, final. The reason is required; it stays in the
// position's timeline and in the audit log. The server's error on it goes next to the field.

/** The server's limit on the reason (routes_positions.cpp). */
const MAX_REASON = 500;

export function InvalidateForm({ position, onDone, onCancel }: { position: Position; onDone: (p: Position) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const form = useProblemForm<'reason'>({ order: ['reason'], labels: { reason: "Motivo dell'annullamento" }, message: sentence });

  const submit = form.submitWith(
    () => (reason.trim() ? {} : { reason: 'Scrivi perché la posizione è annullata.' }),
    () => invalidatePosition(position.id, reason.trim()),
    onDone,
  );

  return (
    <FormPanel title="Annullamento della posizione" testId="invalidate-form" onSubmit={submit}>
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
      <SubmitOrClose busy={form.busy} busyLabel="Annullamento in corso…" className="btn-danger" onClose={onCancel}>
        Conferma l'annullamento
      </SubmitOrClose>
    </FormPanel>
  );
}
