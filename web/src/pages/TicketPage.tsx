import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, query, toApiError, upload } from '../api/client';
import type { Me, TicketCategory, TicketChange, TicketDetail, TicketState, TimelineEvent } from '../api/types';
import { SelectField, TextAreaField, TextField } from '../components/Field';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { useProblemForm } from '../components/useProblemForm';
import { formatBytes, formatDateTime, sentence } from '../format';
import {
  categoryPaths,
  channelLabel,
  HELPDESK_PATH,
  IMPACT_LABELS,
  impactLabel,
  isDesk,
  levelOptions,
  matrixPriority,
  mayForcePriority,
  nextStates,
  PRIORITIES,
  PRIORITY_LABELS,
  priorityLabel,
  SlaBadge,
  STATE_LABELS,
  StateBadge,
  stateLabel,
  typeLabel,
  URGENCY_LABELS,
  urgencyLabel,
  useTicketCategories,
} from '../helpdesk';
import { Link } from '../router';
import { useSession } from '../session';

/** Called with the ticket the server returned after an action, and the sentence that announces it. */
type OnUpdated = (t: TicketDetail, message: string, focusStatus?: boolean) => void;

const sameId = (a: number | string | null | undefined, b: number | string | null | undefined) =>
  a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b);

/** "Segnalazione n. N": the summary, the timeline, replies and attachments, and the desk's actions. */
export function TicketPage({ id }: { id: string }) {
  const { me, entiByIstat, setNotice } = useSession();
  const categories = useTicketCategories();
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    setTicket(null);
    setError(null);
    setStatus(null);
    api<TicketDetail>('GET', `/api/v1/helpdesk/tickets/${encodeURIComponent(id)}`)
      .then((t) => live && setTicket(t))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [id]);

  const onUpdated: OnUpdated = (t, message, focusStatus = false) => {
    setTicket(t);
    setNotice(null);
    setStatus(message);
    // The control that was used went away with the change: keep the focus on the page.
    if (focusStatus) setTimeout(() => statusRef.current?.focus(), 0);
  };

  const grants = me?.grants ?? [];
  const desk = isDesk(grants);
  const title = ticket ? `Segnalazione n. ${ticket.id}: ${ticket.subject}` : `Segnalazione n. ${id}`;
  const closed = ticket?.state === 'closed';
  const isRequester = !!ticket && !!me && sameId(ticket.requester.id, me.id);

  return (
    <>
      <nav className="breadcrumb-container" aria-label="Percorso di navigazione">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <Link to={HELPDESK_PATH}>Call center unico</Link>
            <span className="separator" aria-hidden="true">/</span>
          </li>
          <li className="breadcrumb-item active" aria-current="page">
            Segnalazione n. {ticket?.id ?? id}
          </li>
        </ol>
      </nav>
      <PageTitle title={title}>{title}</PageTitle>
      <ProblemAlert error={error} />
      <div ref={statusRef} tabIndex={-1} className="cst-focus-target">
        <StatusMessage message={status} />
      </div>
      {!ticket && !error && <Loading />}
      {ticket && me && (
        <>
          <div className="row">
            <div className="col-12 col-lg-7">
              <h2 className="h4">Riepilogo</h2>
              <Summary
                ticket={ticket}
                me={me}
                enteName={entiByIstat.get(ticket.ente)?.name ?? ticket.ente}
                category={categoryText(ticket.category_id, categories)}
              />
              <h2 className="h4 mt-4">Descrizione</h2>
              <p className="cst-ticket-text">{ticket.description}</p>
            </div>
            <div className="col-12 col-lg-5">
              {desk && !closed && <DeskActions ticket={ticket} me={me} onUpdated={onUpdated} />}
              {!desk && isRequester && ticket.state === 'solved' && <RequesterActions ticket={ticket} onUpdated={onUpdated} />}
            </div>
          </div>
          <h2 className="h4 mt-4" id="cronologia">
            Cronologia
          </h2>
          <Timeline ticket={ticket} me={me} />
          {closed ? (
            <div className="callout">
              <div className="callout-title">Segnalazione chiusa</div>
              <p>La segnalazione è chiusa. Per un nuovo problema apri un'altra segnalazione.</p>
            </div>
          ) : (
            <div className="row">
              <div className="col-12 col-lg-7">
                <ReplyForm ticket={ticket} desk={desk} onUpdated={onUpdated} />
              </div>
              <div className="col-12 col-lg-5">
                <AttachmentForm ticket={ticket} onUpdated={onUpdated} />
              </div>
            </div>
          )}
        </>
      )}
    </>
  );
}

/** Who the ticket is assigned to: the group and the person, as far as the page knows the name. */
function assigneeText(t: TicketDetail, me: Me): string {
  const parts: string[] = [];
  if (t.assignee.group) parts.push(t.assignee.group);
  if (t.assignee.id !== null) parts.push(personName(t.assignee.id, t, me));
  return parts.join(' – ') || '—';
}

/** A user id as a name: "you", or an author of the timeline (the API gives the assignee's id only). */
function personName(userId: number, t: TicketDetail, me: Me): string {
  if (sameId(userId, me.id)) return `${me.display_name || me.username} (tu)`;
  const seen = t.timeline.find((e) => sameId(e.actor.id, userId) && e.actor.name);
  return seen ? seen.actor.name : `utente n. ${userId}`;
}

/** The category's path; its number until the tree is loaded or when the tree lacks it. */
function categoryText(id: number | null, categories: TicketCategory[]): string | null {
  if (id === null) return null;
  return categoryPaths(categories).get(id) ?? `n. ${id}`;
}

function When({ at }: { at: string | null | undefined }) {
  return at ? <time dateTime={at}>{formatDateTime(at)}</time> : <>—</>;
}

function Summary({ ticket: t, me, enteName, category }: { ticket: TicketDetail; me: Me; enteName: string; category: string | null }) {
  const rows: [string, ReactNode][] = [
    ['Ente', enteName],
    ['Tipo', typeLabel(t.type)],
    ['Canale', channelLabel(t.channel)],
    ['Categoria', category ?? '—'],
    ['Stato', <StateBadge state={t.state} />],
    ['Priorità', t.priority_label || priorityLabel(t.priority)],
    ['Urgenza / Impatto', `${urgencyLabel(t.urgency)} / ${impactLabel(t.impact)}`],
    ['Richiedente', t.requester.email ? `${t.requester.name} (${t.requester.email})` : t.requester.name || '—'],
    ['Assegnata a', assigneeText(t, me)],
    ['Aperta il', <When at={t.opened_at} />],
    [
      'Presa in carico',
      <>
        entro <When at={t.sla.due_own} /> <SlaBadge status={t.sla.own} what="SLA di presa in carico" />
        {t.owned_at && (
          <span className="d-block small">
            avvenuta il <When at={t.owned_at} />
          </span>
        )}
      </>,
    ],
    [
      'Risoluzione entro',
      <>
        <When at={t.sla.due_resolve} /> <SlaBadge status={t.sla.resolve} what="SLA di risoluzione" />
        {t.sla.resolve === 'paused' && <span className="d-block small">in pausa: il tempo non scorre mentre la segnalazione è in attesa</span>}
      </>,
    ],
  ];
  if (t.solved_at) rows.push(['Risolta il', <When at={t.solved_at} />]);
  if (t.closed_at) rows.push(['Chiusa il', <When at={t.closed_at} />]);
  if (t.sla.escalation_level > 0) rows.push(['Livello di escalation', String(t.sla.escalation_level)]);
  return (
    <dl className="row cst-dl" data-testid="ticket-summary">
      {rows.map(([k, v]) => (
        <div className="col-12 d-sm-flex border-bottom py-2" key={k}>
          <dt className="col-sm-5">{k}</dt>
          <dd className="col-sm-7 mb-0">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

interface Assignment {
  id: number | null;
  group: string;
}
const NO_ASSIGNEE: Assignment = { id: null, group: '' };

function assignmentOf(e: TimelineEvent): Assignment {
  return { id: typeof e.data.assignee_id === 'number' ? e.data.assignee_id : null, group: text(e.data.assignee_group) };
}

/**
 * An assignment event carries the assignment after the change: tell what changed
 * since the one before (the person, the group or both).
 */
function assignmentSentence(e: TimelineEvent, before: Assignment, t: TicketDetail, me: Me): string {
  const now = assignmentOf(e);
  const parts: string[] = [];
  if (String(now.id) !== String(before.id)) {
    if (now.id === null) parts.push(`ha tolto l'assegnazione a ${personName(before.id as number, t, me)}`);
    else if (sameId(now.id, e.actor.id)) parts.push('ha preso in carico la segnalazione');
    else parts.push(`ha assegnato a ${personName(now.id, t, me)}`);
  }
  if (now.group !== before.group) parts.push(now.group ? `ha assegnato a ${now.group}` : 'ha tolto il gruppo assegnatario');
  return parts.join(' e ') || "ha confermato l'assegnazione";
}

/** What happened, as an Italian sentence after the author's name. */
function eventSentence(e: TimelineEvent, t: TicketDetail, me: Me, before?: Assignment): ReactNode {
  const d = e.data ?? {};
  switch (e.kind) {
    case 'created':
      return d.channel && d.channel !== 'portal'
        ? `ha registrato la segnalazione (canale: ${channelLabel(d.channel)})`
        : 'ha aperto la segnalazione';
    case 'reply':
      return 'ha risposto:';
    case 'note':
      return 'ha scritto una nota interna:';
    case 'state':
      return `ha cambiato lo stato da ${stateLabel(d.from)} a ${stateLabel(d.to)}${d.reason === 'reply' ? ' rispondendo' : ''}`;
    case 'priority':
      return `ha cambiato la priorità da ${priorityLabel(d.from)} a ${priorityLabel(d.to)}`;
    case 'assignment':
      return assignmentSentence(e, before ?? NO_ASSIGNEE, t, me);
    case 'attachment': {
      const name = text(d.filename) || 'file';
      const href = `/api/v1/helpdesk/tickets/${t.id}/attachments/${encodeURIComponent(text(d.upload_id))}`;
      return (
        <>
          ha allegato{' '}
          <a href={href} download={name}>
            {name}
          </a>{' '}
          ({formatBytes(typeof d.size === 'number' ? d.size : null)})
        </>
      );
    }
    case 'sla': {
      if (typeof d.escalation_level === 'number') return `segnala l'escalation di livello ${d.escalation_level}`;
      const due = d.due ? ` (scadenza ${formatDateTime(text(d.due))})` : '';
      if (d.sla === 'own') return `segnala che il tempo di presa in carico è scaduto${due}`;
      if (d.sla === 'resolve') return `segnala che il tempo di risoluzione è scaduto${due}`;
      return e.body;
    }
    default:
      return e.body;
  }
}

/** The ticket's history, oldest first; internal notes only reach the desk (the server filters them). */
function Timeline({ ticket, me }: { ticket: TicketDetail; me: Me }) {
  if (ticket.timeline.length === 0) return <p>Nessun evento.</p>;
  // The assignment before each assignment event, to say what it changed.
  const before = new Map<number, Assignment>();
  let current = NO_ASSIGNEE;
  for (const e of ticket.timeline) {
    if (e.kind !== 'assignment') continue;
    before.set(e.id, current);
    current = assignmentOf(e);
  }
  return (
    <ol className="cst-timeline" aria-labelledby="cronologia" data-testid="ticket-timeline">
      {ticket.timeline.map((e) => {
        // Replies and notes carry text; for SLA events the body repeats the sentence.
        const body = e.kind === 'reply' || e.kind === 'note' ? e.body : '';
        return (
          <li key={e.id} data-kind={e.kind} className={`cst-timeline-item${e.kind === 'note' ? ' cst-timeline-note' : ''}`}>
            <p className="cst-timeline-head mb-1">
              <When at={e.at} />
              {e.kind === 'note' && <span className="badge bg-warning ms-2">Nota interna</span>}
              {e.kind === 'sla' && <span className="badge bg-secondary ms-2">SLA</span>}
            </p>
            <p className="mb-1">
              <strong>{e.actor.name || 'Sistema'}</strong> {eventSentence(e, ticket, me, before.get(e.id))}
            </p>
            {body && <p className="cst-ticket-text mb-0">{body}</p>}
          </li>
        );
      })}
    </ol>
  );
}

/** The desk's panel: take in charge, assign to a group, move the state, change urgency/impact (and priority). */
function DeskActions({ ticket, me, onUpdated }: { ticket: TicketDetail; me: Me; onUpdated: OnUpdated }) {
  type Field = 'assignee_group' | 'state' | 'urgency' | 'impact' | 'priority';
  const labels: Record<Field, string> = {
    assignee_group: 'Gruppo assegnatario',
    state: 'Nuovo stato',
    urgency: 'Urgenza',
    impact: 'Impatto',
    priority: 'Priorità',
  };
  const form = useProblemForm<Field>({
    order: ['assignee_group', 'state', 'urgency', 'impact', 'priority'],
    labels,
    toField: (f) => (f in labels ? (f as Field) : null),
    message: sentence,
  });
  const forcePriority = mayForcePriority(me.grants);
  const targets = nextStates(ticket.state);
  const [group, setGroup] = useState(ticket.assignee.group ?? '');
  const [state, setState] = useState<TicketState | ''>(targets[0] ?? '');
  const [urgency, setUrgency] = useState(String(ticket.urgency));
  const [impact, setImpact] = useState(String(ticket.impact));
  const [priority, setPriority] = useState(forcedPriority(ticket));
  const [info, setInfo] = useState<string | null>(null);
  const uid = useId();
  const headingId = `${uid}-title`;
  const mine = sameId(ticket.assignee.id, me.id);

  // A new version of the ticket (after any action): show its values.
  useEffect(() => {
    setGroup(ticket.assignee.group ?? '');
    setState(nextStates(ticket.state)[0] ?? '');
    setUrgency(String(ticket.urgency));
    setImpact(String(ticket.impact));
    setPriority(forcedPriority(ticket));
  }, [ticket]);

  const patch = (change: TicketChange, message: (t: TicketDetail) => string, focusStatus = false) =>
    form.send(
      () => api<TicketDetail>('PATCH', `/api/v1/helpdesk/tickets/${ticket.id}`, change),
      (t) => onUpdated(t, message(t), focusStatus),
    );

  const start = () => {
    form.setProblem(null);
    setInfo(null);
  };

  const take = () => {
    start();
    void patch({ assignee_id: Number(me.id) }, () => 'Segnalazione presa in carico.', true);
  };

  const assign = (e: FormEvent) => {
    e.preventDefault();
    start();
    const g = group.trim();
    if (g === (ticket.assignee.group ?? '')) {
      setInfo('Nessuna modifica da salvare.');
      return;
    }
    void patch({ assignee_group: g || null }, () => (g ? `Segnalazione assegnata al gruppo ${g}.` : 'Gruppo assegnatario rimosso.'));
  };

  const move = (e: FormEvent) => {
    e.preventDefault();
    start();
    if (!form.check(state ? {} : { state: 'Scegli il nuovo stato.' })) return;
    void patch({ state: state as TicketState }, (t) => `Stato cambiato in ${stateLabel(t.state)}.`);
  };

  const reprioritize = (e: FormEvent) => {
    e.preventDefault();
    start();
    // Only what changed: the server derives the priority again from any urgency or impact it gets.
    const u = Number(urgency);
    const i = Number(impact);
    const change: TicketChange = {};
    if (u !== ticket.urgency) change.urgency = u;
    if (i !== ticket.impact) change.impact = i;
    if (forcePriority && priority) {
      if (Number(priority) !== ticket.priority || change.urgency || change.impact) change.priority = Number(priority);
    } else if (forcePriority && forcedPriority(ticket)) {
      // Back from a forced priority to the matrix.
      change.urgency = u;
      change.impact = i;
    }
    if (Object.keys(change).length === 0) {
      setInfo('Nessuna modifica da salvare.');
      return;
    }
    void patch(change, (t) => `Priorità: ${t.priority_label || priorityLabel(t.priority)}.`);
  };

  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="desk-actions">
      <h2 className="h4" id={headingId}>
        Gestione
      </h2>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <StatusMessage message={info} variant="info" />
      <div className="mb-4">
        {mine ? (
          <p className="mb-0">La segnalazione è assegnata a te.</p>
        ) : (
          <button type="button" className="btn btn-primary" onClick={take} disabled={form.busy}>
            Prendi in carico
          </button>
        )}
      </div>
      <form onSubmit={assign} noValidate aria-label="Assegnazione a un gruppo" className="cst-action-form">
        <TextField
          {...form.field('assignee_group')}
          label="Gruppo assegnatario"
          autoComplete="off"
          hint="Per esempio Reti o Postazioni di lavoro. Vuoto: nessun gruppo."
          value={group}
          onChange={(e) => setGroup(e.target.value)}
        />
        <button type="submit" className="btn btn-outline-primary" disabled={form.busy}>
          Assegna
        </button>
      </form>
      {targets.length > 0 && (
        <form onSubmit={move} noValidate aria-label="Cambio di stato" className="cst-action-form">
          <SelectField {...form.field('state')} label="Nuovo stato" value={state} onChange={(e) => setState(e.target.value as TicketState)}>
            {targets.map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="btn btn-outline-primary" disabled={form.busy}>
            Cambia stato
          </button>
        </form>
      )}
      <form onSubmit={reprioritize} noValidate aria-label="Urgenza, impatto e priorità" className="cst-action-form">
        <div className="row">
          <SelectField
            className="col-12 col-sm-6"
            {...form.field('urgency')}
            label="Urgenza"
            value={urgency}
            onChange={(e) => setUrgency(e.target.value)}
          >
            {levelOptions(URGENCY_LABELS)}
          </SelectField>
          <SelectField
            className="col-12 col-sm-6"
            {...form.field('impact')}
            label="Impatto"
            value={impact}
            onChange={(e) => setImpact(e.target.value)}
          >
            {levelOptions(IMPACT_LABELS)}
          </SelectField>
          {forcePriority && (
            <SelectField
              className="col-12"
              {...form.field('priority')}
              label="Priorità"
              hint="Da matrice: deriva da urgenza e impatto."
              value={priority}
              onChange={(e) => setPriority(e.target.value)}
            >
              <option value="">Da matrice ({PRIORITY_LABELS[matrixPriority(Number(urgency), Number(impact)) - 1]})</option>
              {PRIORITIES.map((n) => (
                <option key={n} value={String(n)}>
                  {n} – {PRIORITY_LABELS[n - 1]}
                </option>
              ))}
            </SelectField>
          )}
        </div>
        <button type="submit" className="btn btn-outline-primary" disabled={form.busy}>
          Aggiorna la priorità
        </button>
      </form>
    </section>
  );
}

/** The forced priority as the select's value: "" when the ticket follows the matrix. */
function forcedPriority(t: TicketDetail): string {
  return t.priority !== matrixPriority(t.urgency, t.impact) ? String(t.priority) : '';
}

/** The requester of a solved ticket confirms the solution (closed) or reopens it (in progress). */
function RequesterActions({ ticket, onUpdated }: { ticket: TicketDetail; onUpdated: OnUpdated }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const uid = useId();
  const headingId = `${uid}-title`;

  const move = async (state: TicketState, message: string) => {
    setBusy(true);
    setError(null);
    try {
      const t = await api<TicketDetail>('PATCH', `/api/v1/helpdesk/tickets/${ticket.id}`, { state } satisfies TicketChange);
      onUpdated(t, message, true);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="requester-actions">
      <h2 className="h4" id={headingId}>
        La soluzione ti soddisfa?
      </h2>
      <p>Il Centro Servizi ha risolto la segnalazione. Confermalo per chiuderla, oppure riaprila se il problema persiste.</p>
      <ProblemAlert error={error} />
      <div className="d-flex flex-wrap gap-2">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void move('closed', 'Soluzione confermata: la segnalazione è chiusa.')}
        >
          Conferma la soluzione
        </button>
        <button type="button" className="btn btn-outline-primary" disabled={busy} onClick={() => void move('in_progress', 'Segnalazione riaperta.')}>
          Riapri
        </button>
      </div>
    </section>
  );
}

/** A public reply, or (the desk only) an internal note the requester does not see. */
function ReplyForm({ ticket, desk, onUpdated }: { ticket: TicketDetail; desk: boolean; onUpdated: OnUpdated }) {
  const form = useProblemForm<'body'>({
    order: ['body'],
    labels: { body: 'Risposta' },
    toField: (f) => (f === 'body' ? 'body' : null),
    message: sentence,
  });
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const uid = useId();
  const headingId = `${uid}-title`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    if (!form.check(body.trim() ? {} : { body: 'Scrivi il testo da inviare.' })) return;
    const note = desk && internal;
    await form.send(
      () => api<TicketDetail>('POST', `/api/v1/helpdesk/tickets/${ticket.id}/comments`, { body: body.trim(), internal: note }),
      (t) => {
        setBody('');
        setInternal(false);
        onUpdated(t, note ? 'Nota interna registrata.' : 'Risposta inviata.');
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
        <TextAreaField {...form.field('body')} label="Risposta" required rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
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
function AttachmentForm({ ticket, onUpdated }: { ticket: TicketDetail; onUpdated: OnUpdated }) {
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
