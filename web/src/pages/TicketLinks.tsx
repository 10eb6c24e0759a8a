import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import type { LinkKind, TicketDetail, TicketLink } from '../api/types';
import { SelectField, TextField } from '../components/Field';
import { InlineConfirm } from '../components/InlineConfirm';
import { ProblemAlert } from '../components/ProblemAlert';
import { useProblemForm } from '../components/useProblemForm';
import { sentence } from '../format';
import { LINK_KIND_LABELS, LINK_KINDS, linkKindLabel, parseTicketNumber, StateBadge, ticketPath, type OnTicketUpdated } from '../helpdesk';
import { Link, navigate } from '../router';
import { useSession } from '../session';

// "Ticket collegati" and "Unisci a un altro ticket": the desk relates tickets to each other,
// or folds a duplicate into the ticket that carries on.

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Shown on a ticket the desk merged into another: that one is where the work goes on. */
export function MergedBanner({ into }: { into: number }) {
  return (
    <div className="alert alert-info" data-testid="merged-banner">
      Questo ticket è stato unito al <Link to={ticketPath(into)}>ticket #{into}</Link>: la lavorazione prosegue lì.
    </div>
  );
}

export function LinksPanel({ ticket, desk, onUpdated }: { ticket: TicketDetail; desk: boolean; onUpdated: OnTicketUpdated }) {
  const { entiByIstat } = useSession();
  type Field = 'ticket_id' | 'kind';
  const labels: Record<Field, string> = { ticket_id: 'Numero del ticket', kind: 'Tipo di collegamento' };
  const form = useProblemForm<Field>({
    order: ['ticket_id', 'kind'],
    labels,
    toField: (f) => (f in labels ? (f as Field) : null),
    message: sentence,
  });
  const [other, setOther] = useState('');
  const [kind, setKind] = useState<LinkKind>('related');
  const links = ticket.links ?? [];
  const uid = useId();
  const headingId = `${uid}-title`;
  const base = `/api/v1/helpdesk/tickets/${ticket.id}/links`;

  const add = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const n = parseTicketNumber(other);
    const invalid = n === null ? { ticket_id: 'Scrivi il numero del ticket da collegare.' } : n === ticket.id ? { ticket_id: 'Scegli un altro ticket.' } : {};
    if (!form.check(invalid)) return;
    void form.send(
      () => api<TicketDetail>('POST', base, { ticket_id: n, kind }),
      (t) => {
        setOther('');
        onUpdated(t, `Ticket #${n} collegato: questo ticket è ${LINK_KIND_LABELS[kind]} #${n}.`);
      },
    );
  };

  const remove = (l: TicketLink) => {
    form.setProblem(null);
    void form.send(
      () => api<TicketDetail>('DELETE', `${base}/${l.ticket_id}`),
      (t) => onUpdated(t, `Collegamento con il ticket #${l.ticket_id} rimosso.`, true),
    );
  };

  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="links-panel">
      <h2 className="h4" id={headingId}>
        Ticket collegati
      </h2>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      {links.length === 0 ? (
        <p>Nessun ticket collegato.</p>
      ) : (
        <ul className="list-unstyled" data-testid="links-list">
          {links.map((l) => (
            <li key={l.ticket_id} data-ticket={l.ticket_id} data-kind={l.kind} className="mb-3">
              <span className="fw-semibold">{capitalized(linkKindLabel(l.kind))}</span>{' '}
              <Link to={ticketPath(l.ticket_id)}>
                #{l.ticket_id} {l.subject}
              </Link>{' '}
              <StateBadge state={l.state} /> <span className="small">{entiByIstat.get(l.ente)?.name ?? l.ente}</span>
              {desk && (
                <button type="button" className="btn btn-outline-primary btn-xs ms-2" disabled={form.busy} onClick={() => remove(l)}>
                  Rimuovi<span className="visually-hidden"> il collegamento con il ticket #{l.ticket_id}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {desk && (
        <form onSubmit={add} noValidate aria-label="Collega un ticket" className="cst-action-form" data-testid="add-link-form">
          <div className="row">
            <TextField
              className="col-12 col-sm-6"
              {...form.field('ticket_id')}
              label="Numero del ticket"
              inputMode="numeric"
              autoComplete="off"
              value={other}
              onChange={(e) => setOther(e.target.value)}
            />
            <SelectField
              className="col-12 col-sm-6"
              {...form.field('kind')}
              label="Tipo di collegamento"
              hint="Questo ticket rispetto all'altro."
              value={kind}
              onChange={(e) => setKind(e.target.value as LinkKind)}
            >
              {LINK_KINDS.map((k) => (
                <option key={k} value={k}>
                  {capitalized(LINK_KIND_LABELS[k])}
                </option>
              ))}
            </SelectField>
          </div>
          <button type="submit" className="btn btn-outline-primary" disabled={form.busy}>
            Collega
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * The desk merges this ticket into another: its replies, notes and attachments go there and it
 * is closed. The target is read first, so the confirmation names it; then the page moves to it.
 */
export function MergePanel({ ticket }: { ticket: TicketDetail }) {
  const { setNotice } = useSession();
  const form = useProblemForm<'into'>({
    order: ['into'],
    labels: { into: 'Numero del ticket di destinazione' },
    toField: (f) => (f === 'into' ? 'into' : null),
    message: sentence,
  });
  const [into, setInto] = useState('');
  const [target, setTarget] = useState<TicketDetail | null>(null);
  const uid = useId();
  const headingId = `${uid}-title`;

  const ask = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    setTarget(null);
    const n = parseTicketNumber(into);
    const invalid = n === null ? { into: 'Scrivi il numero del ticket in cui unire questo.' } : n === ticket.id ? { into: 'Un ticket non si unisce a sé stesso.' } : {};
    if (!form.check(invalid)) return;
    // A ticket the desk cannot read answers 404: shown next to the field like the merge's errors.
    void form.send(
      () => api<TicketDetail>('GET', `/api/v1/helpdesk/tickets/${n}`).catch((err) => Promise.reject(asIntoError(err))),
      (t) => {
        if (t.state === 'closed') form.check({ into: `Il ticket #${t.id} è chiuso: scegline uno aperto.` });
        else setTarget(t);
      },
    );
  };

  const cancel = () => {
    setTarget(null);
    setTimeout(() => form.refs.current.into?.focus(), 0);
  };

  const merge = () => {
    if (!target) return;
    void form.send(
      () => api<TicketDetail>('POST', `/api/v1/helpdesk/tickets/${ticket.id}/merge`, { into: target.id }),
      (t) => {
        const to = ticketPath(t.id);
        navigate(to);
        setNotice({ text: `Ticket #${ticket.id} unito al ticket #${t.id}.`, path: to });
      },
    );
  };

  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="merge-panel">
      <h2 className="h4" id={headingId}>
        Unisci a un altro ticket
      </h2>
      <p className="small">Risposte, note e allegati sono copiati nell'altro ticket, che prende anche richiedente e osservatori; questo ticket viene chiuso.</p>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={ask} noValidate aria-labelledby={headingId} className="cst-action-form">
        <TextField
          {...form.field('into')}
          label="Numero del ticket di destinazione"
          inputMode="numeric"
          autoComplete="off"
          value={into}
          onChange={(e) => {
            setInto(e.target.value);
            setTarget(null);
          }}
        />
        <button type="submit" className="btn btn-outline-primary" disabled={form.busy || !!target}>
          Unisci…
        </button>
      </form>
      {target && (
        <InlineConfirm confirmLabel="Conferma l'unione" onConfirm={merge} onCancel={cancel} busy={form.busy}>
          Unire il ticket #{ticket.id} nel ticket #{target.id} «{target.subject}»? Il ticket #{ticket.id} sarà chiuso.
        </InlineConfirm>
      )}
    </section>
  );
}

/** A failed read of the target, as an error of the "into" field. */
function asIntoError(err: unknown): unknown {
  if (err instanceof ApiError && !err.problem.errors?.length) err.problem.errors = [{ field: 'into', message: err.problem.detail || 'ticket non trovato' }];
  return err;
}
