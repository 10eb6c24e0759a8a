import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, toApiError } from '../api/client';
import type { Me, TicketCategory, TicketChange, TicketDetail, TicketState } from '../api/types';
import { SelectField, TextField } from '../components/Field';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { useProblemForm } from '../components/useProblemForm';
import { sentence } from '../format';
import {
  categoryPaths,
  channelLabel,
  HelpdeskBreadcrumb,
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
  sameId,
  SlaBadge,
  STATE_LABELS,
  StateBadge,
  stateLabel,
  typeLabel,
  URGENCY_LABELS,
  urgencyLabel,
  useAssignmentGroups,
  GroupOptions,
  useTicketCategories,
  type OnTicketUpdated as OnUpdated,
} from '../helpdesk';
import { useSession } from '../session';
import { LinksPanel, MergedBanner, MergePanel } from './TicketLinks';
import { AttachmentForm, ReplyForm } from './TicketReplyForms';
import { SatisfactionPanel } from './TicketSatisfaction';
import { Timeline, When } from './TicketTimeline';
import { WatchersPanel } from './TicketWatchers';

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
      <HelpdeskBreadcrumb current={`Segnalazione n. ${ticket?.id ?? id}`} />
      <PageTitle title={title}>{title}</PageTitle>
      <ProblemAlert error={error} />
      {ticket?.merged_into ? <MergedBanner into={ticket.merged_into} /> : null}
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
              <SatisfactionPanel ticket={ticket} isRequester={isRequester} onUpdated={onUpdated} />
              <WatchersPanel ticket={ticket} me={me} desk={desk} onUpdated={onUpdated} />
              {(desk || (ticket.links ?? []).length > 0) && <LinksPanel ticket={ticket} desk={desk} onUpdated={onUpdated} />}
              {desk && !closed && !ticket.merged_into && <MergePanel ticket={ticket} />}
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

/** Who the ticket is assigned to: the group and the person ("(tu)" for the reader). */
function assigneeText(t: TicketDetail, me: Me): string {
  const parts: string[] = [];
  if (t.assignee.group) parts.push(t.assignee.group);
  if (t.assignee.id !== null) {
    const name = t.assignee.name || (sameId(t.assignee.id, me.id) ? me.display_name : `utente n. ${t.assignee.id}`);
    parts.push(sameId(t.assignee.id, me.id) ? `${name} (tu)` : name);
  }
  return parts.join(' – ') || '—';
}

/** The category's path; its number until the tree is loaded or when the tree lacks it. */
function categoryText(id: number | null, categories: TicketCategory[]): string | null {
  if (id === null) return null;
  return categoryPaths(categories).get(id) ?? `n. ${id}`;
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
  if (t.ola)
    rows.push([
      `OLA del gruppo ${t.ola.group ?? ''}`,
      <span data-testid="ticket-ola">
        presa in carico entro <When at={t.ola.due_own} /> <SlaBadge status={t.ola.own} what="OLA di presa in carico" />
        <span className="d-block">
          risoluzione entro <When at={t.ola.due_resolve} /> <SlaBadge status={t.ola.resolve} what="OLA di risoluzione" />
        </span>
      </span>,
    ]);
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
  const groupsId = `${uid}-groups`;
  const groups = useAssignmentGroups();
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
          hint={`Uno dei gruppi del call center${groups.length ? ` (${groups.join(', ')})` : ''}. Vuoto: nessun gruppo.`}
          list={groupsId}
          value={group}
          onChange={(e) => setGroup(e.target.value)}
        />
        <GroupOptions id={groupsId} groups={groups} />
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
