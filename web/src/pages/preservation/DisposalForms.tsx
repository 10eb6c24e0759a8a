import { useState } from 'react';
import { RequiredNote, SubmitOrClose, TextAreaField, TextField } from '../../components/Field';
import { FormPanel } from '../../components/FormPanel';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence, todayInItaly } from '../../format';
import { approveDisposal, cancelDisposal, recordAuthorisation, type Disposal } from '../../preservation';

// The forms of a disposal's steps: the ente's approval (with an optional note), the
// Soprintendenza's authorisation recorded by the CST (authority, reference and date of the act,
// all required) and the withdrawal (with its reason). Each shows the server's errors next to its
// fields and hands the disposal the server returns to the page.

interface StepProps {
  disposal: Disposal;
  onDone: (d: Disposal) => void;
  onCancel: () => void;
}

export function ApproveForm({ disposal, onDone, onCancel }: StepProps) {
  const [note, setNote] = useState('');
  const form = useProblemForm<'note'>({ order: ['note'], labels: { note: "Nota dell'approvazione" }, message: sentence });
  const submit = form.submitWith(() => ({}), () => approveDisposal(disposal.id, note.trim()), onDone);
  return (
    <FormPanel title="Approvazione dello scarto" testId="approve-disposal-form" onSubmit={submit}>
      <p>
        Approvando, l'ente conferma che i {disposal.items.length === 1 ? 'documenti del pacchetto elencato' : `documenti dei ${disposal.items.length} pacchetti elencati`}{' '}
        possono essere scartati. Lo scarto sarà eseguito dal CST dopo l'autorizzazione della Soprintendenza archivistica.
      </p>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <TextAreaField
        {...form.field('note')}
        label="Nota dell'approvazione"
        rows={3}
        maxLength={2000}
        autoFocus
        hint="Facoltativa: per esempio il provvedimento interno che approva l'elenco."
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <SubmitOrClose busy={form.busy} busyLabel="Approvazione in corso…" onClose={onCancel}>
        Conferma l'approvazione
      </SubmitOrClose>
    </FormPanel>
  );
}

type AuthField = 'authority' | 'reference' | 'date';
const AUTH_LABELS: Record<AuthField, string> = {
  authority: 'Autorità che ha autorizzato',
  reference: "Estremi dell'autorizzazione",
  date: "Data dell'autorizzazione",
};

export function AuthorisationForm({ disposal, onDone, onCancel }: StepProps) {
  const [values, setValues] = useState<Record<AuthField, string>>({ authority: '', reference: '', date: '' });
  const form = useProblemForm<AuthField>({ order: ['authority', 'reference', 'date'], labels: AUTH_LABELS, message: sentence });
  const set = (k: AuthField) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const submit = form.submitWith(
    () => {
      const invalid: FieldErrors<AuthField> = {};
      if (!values.authority.trim()) invalid.authority = "Scrivi l'autorità che ha autorizzato lo scarto.";
      if (!values.reference.trim()) invalid.reference = "Scrivi gli estremi dell'atto di autorizzazione.";
      if (!values.date) invalid.date = "Scrivi la data dell'atto di autorizzazione.";
      return invalid;
    },
    () => recordAuthorisation(disposal.id, { authority: values.authority.trim(), reference: values.reference.trim(), date: values.date }),
    onDone,
  );
  return (
    <FormPanel title="Autorizzazione della Soprintendenza" testId="authorisation-form" onSubmit={submit}>
      <p>Registra gli estremi dell'atto con cui la Soprintendenza archivistica ha autorizzato lo scarto (D.Lgs. 42/2004, art. 21).</p>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <div className="row">
        <TextField
          className="col-12 col-lg-6"
          {...form.field('authority')}
          label={AUTH_LABELS.authority}
          required
          maxLength={200}
          autoFocus
          hint="Per esempio «Soprintendenza archivistica e bibliografica della Lombardia»."
          value={values.authority}
          onChange={set('authority')}
        />
        <TextField
          className="col-12 col-lg-6"
          {...form.field('reference')}
          label={AUTH_LABELS.reference}
          required
          maxLength={100}
          autoComplete="off"
          hint="Il numero di protocollo dell'atto, per esempio «Prot. n. 1234»."
          value={values.reference}
          onChange={set('reference')}
        />
        <TextField
          className="col-12 col-lg-4"
          {...form.field('date')}
          label={AUTH_LABELS.date}
          required
          type="date"
          max={todayInItaly()}
          value={values.date}
          onChange={set('date')}
        />
      </div>
      <SubmitOrClose busy={form.busy} busyLabel="Registrazione in corso…" onClose={onCancel}>
        Registra l'autorizzazione
      </SubmitOrClose>
    </FormPanel>
  );
}

export function CancelForm({ disposal, onDone, onCancel }: StepProps) {
  const [reason, setReason] = useState('');
  const form = useProblemForm<'reason'>({ order: ['reason'], labels: { reason: "Motivo dell'annullamento" }, message: sentence });
  const submit = form.submitWith(
    () => (reason.trim() ? {} : { reason: 'Scrivi perché la procedura di scarto è annullata.' }),
    () => cancelDisposal(disposal.id, reason.trim()),
    onDone,
  );
  return (
    <FormPanel title="Annullamento della procedura di scarto" testId="cancel-disposal-form" onSubmit={submit}>
      <p>La procedura resta registrata come annullata; i pacchetti elencati restano conservati e potranno essere proposti di nuovo.</p>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <TextAreaField
        {...form.field('reason')}
        label="Motivo dell'annullamento"
        required
        rows={3}
        maxLength={2000}
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
