import { useState } from 'react';
import { RequiredNote, SubmitOrClose, TextAreaField } from '../../components/Field';
import { FormPanel } from '../../components/FormPanel';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm } from '../../components/useProblemForm';
import { sentence } from '../../format';
import { proposeDisposal, type Disposal } from '../../preservation';

// "Proponi scarto": the server lists every package of the ente whose retention has expired; the
// reason goes with the proposal. When nothing is due the server says so (422), shown here.

export function ProposeDisposalForm({ ente, onDone, onCancel }: { ente: string; onDone: (d: Disposal) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const form = useProblemForm<'reason'>({ order: ['reason'], labels: { reason: 'Motivo dello scarto' }, message: sentence });
  const submit = form.submitWith(
    () => (reason.trim() ? {} : { reason: 'Scrivi il motivo della proposta di scarto.' }),
    () => proposeDisposal(ente, reason.trim()),
    onDone,
  );
  return (
    <FormPanel title="Proposta di scarto" level={4} testId="propose-disposal-form" onSubmit={submit}>
      <p>
        La proposta elenca i pacchetti dell'ente il cui tempo di conservazione è scaduto. Lo scarto va poi approvato dal referente
        dell'ente, autorizzato dalla Soprintendenza archivistica ed eseguito dal CST.
      </p>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <TextAreaField
        {...form.field('reason')}
        label="Motivo dello scarto"
        required
        rows={3}
        maxLength={2000}
        autoFocus
        hint="Per esempio «Scarto annuale secondo il piano di conservazione»."
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <SubmitOrClose busy={form.busy} busyLabel="Proposta in corso…" onClose={onCancel}>
        Proponi lo scarto
      </SubmitOrClose>
    </FormPanel>
  );
}
