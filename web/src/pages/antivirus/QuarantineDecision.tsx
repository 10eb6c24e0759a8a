import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { QuarantineRecord } from '../../api/types';
import { useEnteName } from '../../antivirus';
import { SubmitOrClose, TextAreaField } from '../../components/Field';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm } from '../../components/useProblemForm';
import { sentence } from '../../format';

// The CST administrator's decision on a quarantined file, with its reason (audited): release a
// false positive as an ordinary upload, or discard the content (the record stays).

export interface Decision {
  record: QuarantineRecord;
  action: 'release' | 'discard';
}

export function QuarantineDecision({
  decision: { record, action },
  onDone,
  onCancel,
}: {
  decision: Decision;
  onDone: (r: QuarantineRecord) => void;
  onCancel: () => void;
}) {
  const form = useProblemForm<'reason'>({
    order: ['reason'],
    labels: { reason: 'Motivo' },
    toField: (f) => (f === 'reason' ? 'reason' : null),
    message: sentence,
  });
  const [reason, setReason] = useState('');
  const enteName = useEnteName();
  const uid = useId();
  const release = action === 'release';
  const name = record.filename || 'senza nome';

  // Opened by "Rilascia" or "Elimina": start at the reason.
  useEffect(() => {
    form.refs.current.reason?.focus();
  }, [form.refs]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    if (!form.check(reason.trim() ? {} : { reason: 'Scrivi il motivo della decisione.' })) return;
    void form.send(
      () => api<QuarantineRecord>('POST', `/api/v1/antivirus/quarantine/${encodeURIComponent(record.id)}/${action}`, { reason: reason.trim() }),
      onDone,
    );
  };

  return (
    <section aria-labelledby={`${uid}-title`} className="cst-panel mb-4" data-testid="quarantine-decision">
      <h3 className="h4" id={`${uid}-title`}>
        {release ? `Rilascia «${name}»` : `Elimina «${name}»`}
      </h3>
      <p>
        {release
          ? `Il file diventerà un normale caricamento di ${enteName(record.ente)}, con il suo nome originale. Rilascialo solo se è un falso positivo (firma ${record.signature}).`
          : 'Il contenuto del file sarà cancellato definitivamente; la registrazione resta in quarantena come «Eliminato».'}
      </p>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`} className="cst-form" data-testid="quarantine-decision-form">
        <TextAreaField
          {...form.field('reason')}
          label="Motivo"
          required
          rows={3}
          maxLength={1000}
          hint="Registrato nel registro di audit."
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <SubmitOrClose
          busy={form.busy}
          busyLabel="Invio in corso…"
          className={release ? 'btn-primary' : 'btn-danger'}
          closeLabel="Annulla"
          onClose={onCancel}
        >
          {release ? 'Rilascia il file' : 'Elimina il contenuto'}
        </SubmitOrClose>
      </form>
    </section>
  );
}
