import { useId, useState, type FormEvent } from 'react';
import { api, query, upload } from '../api/client';
import type { TicketDetail } from '../api/types';
import { SelectField, TextAreaField, TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useProblemForm } from '../components/useProblemForm';
import { sentence } from '../format';
import { useCannedAnswers, type OnTicketUpdated } from '../helpdesk';

// The forms under a ticket's timeline: the reply (or the desk's note) and the attachment.

/**
 * A public reply, or (the desk only) an internal note the requester does not see. The desk may
 * pick a canned answer instead of writing: it is sent as canned_id and the server fills its
 * placeholders ({richiedente}, {ticket}...), so the timeline shows the text as sent.
 */
export function ReplyForm({ ticket, desk, onUpdated }: { ticket: TicketDetail; desk: boolean; onUpdated: OnTicketUpdated }) {
  const form = useProblemForm<'canned_id' | 'body'>({
    order: ['canned_id', 'body'],
    labels: { canned_id: 'Risposta predefinita', body: 'Risposta' },
    toField: (f) => (f === 'body' || f === 'canned_id' ? f : null),
    message: sentence,
  });
  const canned = useCannedAnswers(desk);
  const [body, setBody] = useState('');
  const [cannedId, setCannedId] = useState('');
  const [internal, setInternal] = useState(false);
  const uid = useId();
  const headingId = `${uid}-title`;
  const chosen = canned.items?.find((c) => String(c.id) === cannedId) ?? null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    if (!chosen && !form.check(body.trim() ? {} : { body: 'Scrivi il testo da inviare.' })) return;
    const note = desk && internal;
    const request = chosen ? { canned_id: chosen.id, internal: note } : { body: body.trim(), internal: note };
    await form.send(
      () => api<TicketDetail>('POST', `/api/v1/helpdesk/tickets/${ticket.id}/comments`, request),
      (t) => {
        setBody('');
        setCannedId('');
        setInternal(false);
        const what = chosen ? ` (risposta predefinita «${chosen.title}»)` : '';
        onUpdated(t, note ? `Nota interna registrata${what}.` : `Risposta inviata${what}.`);
      },
    );
  };

  return (
    <section aria-labelledby={headingId} className="mt-4" data-testid="reply-section">
      <h2 className="h4" id={headingId}>
        Rispondi
      </h2>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="reply-form" className="cst-form">
        {desk && canned.items && canned.items.length > 0 && (
          <SelectField
            {...form.field('canned_id')}
            label="Risposta predefinita"
            hint="I segnaposto tra graffe ({richiedente}, {ticket}, {oggetto}, {operatore}, {ente}) sono compilati all'invio."
            value={cannedId}
            onChange={(e) => setCannedId(e.target.value)}
          >
            <option value="">Nessuna: scrivo il testo</option>
            {canned.items.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.title}
              </option>
            ))}
          </SelectField>
        )}
        {chosen ? (
          <div className="mb-3" data-testid="canned-preview">
            <p className="fw-semibold mb-1">Testo che sarà inviato</p>
            <p className="cst-ticket-text cst-canned-preview">{chosen.body}</p>
          </div>
        ) : (
          <TextAreaField {...form.field('body')} label="Risposta" required rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
        )}
        {desk && (
          <div className="form-check mb-3">
            <input id={`${uid}-internal`} type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
            <label htmlFor={`${uid}-internal`}>Nota interna (non visibile al richiedente)</label>
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {form.busy ? 'Invio in corso…' : 'Invia'}
        </button>
      </form>
    </section>
  );
}

/** Attaches a file (sent raw; the server's antivirus refuses infected files with 422). */
export function AttachmentForm({ ticket, onUpdated }: { ticket: TicketDetail; onUpdated: OnTicketUpdated }) {
  const form = useProblemForm<'file'>({
    order: ['file'],
    labels: { file: 'Allega un file' },
    toField: (f) => (f === 'file' || f === 'filename' ? 'file' : null),
    message: sentence,
  });
  const [file, setFile] = useState<File | null>(null);
  const uid = useId();
  const headingId = `${uid}-title`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    if (!form.check(file ? {} : { file: 'Scegli il file da allegare.' })) return;
    const chosen = file as File;
    await form.send(
      () => upload<TicketDetail>(`/api/v1/helpdesk/tickets/${ticket.id}/attachments` + query({ filename: chosen.name }), chosen),
      (t) => {
        setFile(null);
        const input = form.refs.current.file;
        if (input) input.value = '';
        onUpdated(t, `File ${chosen.name} allegato.`);
      },
    );
  };

  return (
    <section aria-labelledby={headingId} className="mt-4" data-testid="attachment-section">
      <h2 className="h4" id={headingId}>
        Allegati
      </h2>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="attachment-form" className="cst-form">
        <TextField
          {...form.field('file')}
          label="Allega un file"
          type="file"
          hint="Ogni file è controllato dall'antivirus prima di essere salvato."
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {form.busy ? 'Caricamento in corso…' : 'Carica'}
        </button>
      </form>
    </section>
  );
}
