import { useId, useState, type FormEvent } from 'react';
import { annulRegistration } from '../../api/protocol';
import type { Registration } from '../../api/types';
import { RequiredNote, SubmitButton, TextAreaField, TextField } from '../../components/Field';
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
  const uid = useId();
  const [reason, setReason] = useState('');
  const [authorisation, setAuthorisation] = useState('');
  const form = useProblemForm<Field>({
    order: ['reason', 'authorisation'],
    labels: LABELS,
    toField: (f) => (f === 'reason' || f === 'authorisation' ? f : null),
    message: sentence,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<Field> = {};
    if (!reason.trim()) invalid.reason = 'Scrivi perché la registrazione è annullata.';
    if (!authorisation.trim()) invalid.authorisation = "Scrivi gli estremi del provvedimento che autorizza l'annullamento.";
    if (!form.check(invalid)) return;
    void form.send(() => annulRegistration(registration.id, reason.trim(), authorisation.trim()), onDone);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`} className="cst-panel cst-form mb-4" data-testid="annul-form">
      <h3 className="h4" id={`${uid}-title`}>
        Annullamento della registrazione
      </h3>
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
