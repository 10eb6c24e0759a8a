import { useState } from 'react';
import { annulRegistration } from '../../api/protocol';
import type { Registration } from '../../api/types';
import { RequiredNote, SubmitOrClose, TextAreaField, TextField } from '../../components/Field';
import { FormPanel } from '../../components/FormPanel';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';
import { registrationNumber } from '../../protocol';

// "Annulla la registrazione" (DPR 445/2000 art. 54): final, recorded with who and when, the reason
// and the act that authorised it, both required; the registration stays readable with all its
// data. The server's errors on either go next to its field.

type Field = 'reason' | 'authorisation';
const LABELS: Record<Field, string> = {
  reason: "Motivo dell'annullamento",
  authorisation: 'Estremi del provvedimento di autorizzazione',
};

/** The server's limits (model.cpp). */
const MAX_REASON = 2000;
const MAX_AUTHORISATION = 500;

export function AnnulForm({
  registration,
  onDone,
  onCancel,
}: {
  registration: Registration;
  onDone: (r: Registration) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [authorisation, setAuthorisation] = useState('');
  const form = useProblemForm<Field>({ order: ['reason', 'authorisation'], labels: LABELS, message: sentence });

  const submit = form.submitWith(
    () => {
      const invalid: FieldErrors<Field> = {};
      if (!reason.trim()) invalid.reason = 'Scrivi perché la registrazione è annullata.';
      if (!authorisation.trim()) invalid.authorisation = "Scrivi gli estremi del provvedimento che autorizza l'annullamento.";
      return invalid;
    },
    () => annulRegistration(registration.id, reason.trim(), authorisation.trim()),
    onDone,
  );

  return (
    <FormPanel title="Annullamento della registrazione" testId="annul-form" onSubmit={submit}>
      <p>
        Annullare la registrazione n. {registrationNumber(registration)}? L'annullamento è definitivo: la registrazione resta nel
        registro con tutti i suoi dati, segnata come annullata con il motivo, gli estremi dell'autorizzazione, chi l'ha annullata e
        quando. Il numero non sarà assegnato ad altri documenti.
      </p>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <TextAreaField
        {...form.field('reason')}
        label={LABELS.reason}
        required
        rows={3}
        maxLength={MAX_REASON}
        autoFocus
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <TextField
        {...form.field('authorisation')}
        label={LABELS.authorisation}
        hint="Per esempio «Provvedimento del responsabile della gestione documentale n. 3/2026»."
        required
        maxLength={MAX_AUTHORISATION}
        autoComplete="off"
        value={authorisation}
        onChange={(e) => setAuthorisation(e.target.value)}
      />
      <SubmitOrClose busy={form.busy} busyLabel="Annullamento in corso…" className="btn-danger" onClose={onCancel}>
        Conferma l'annullamento
      </SubmitOrClose>
    </FormPanel>
  );
}
