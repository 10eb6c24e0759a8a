import type { ReactNode } from 'react';
import type { LinkKind, Me, TicketDetail, TimelineEvent } from '../api/types';
import { formatBytes, formatDateTime } from '../format';
import { channelLabel, linkKindLabel, priorityLabel, sameId, stateLabel, ticketPath } from '../helpdesk';
import { Link } from '../router';

// The ticket's history ("Cronologia"): one Italian sentence per event, after its author's name.

export function When({ at }: { at: string | null | undefined }) {
  return at ? <time dateTime={at}>{formatDateTime(at)}</time> : <>—</>;
}

/** A user id as a name: "you", a watcher, the assignee, or an author of the timeline. */
function personName(userId: number, t: TicketDetail, me: Me): string {
  if (sameId(userId, me.id)) return `${me.display_name || me.username} (tu)`;
  const watcher = t.watchers?.find((w) => sameId(w.id, userId));
  if (watcher) return watcher.name;
  if (sameId(t.assignee.id, userId) && t.assignee.name) return t.assignee.name;
  const seen = t.timeline.find((e) => sameId(e.actor.id, userId) && e.actor.name);
  return seen ? seen.actor.name : `utente n. ${userId}`;
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
    case 'state': {
      const how = d.reason === 'reply' ? ' rispondendo' : d.reason === 'merged' ? " con l'unione a un altro ticket" : '';
      return `ha cambiato lo stato da ${stateLabel(d.from)} a ${stateLabel(d.to)}${how}`;
    }
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
    case 'watcher': {
      const added = d.added !== false;
      if (sameId(d.user_id as number, e.actor.id)) return added ? 'ha iniziato a seguire la segnalazione' : 'ha smesso di seguire la segnalazione';
      const who = typeof d.user_id === 'number' ? personName(d.user_id, t, me) : 'un utente';
      return added ? `ha aggiunto ${who} agli osservatori` : `ha tolto ${who} dagli osservatori`;
    }
    case 'link': {
      const other = <TicketRef id={d.ticket_id} />;
      if (d.removed) return <>ha tolto il collegamento con il {other}</>;
      return (
        <>
          ha collegato i ticket: questo {LINK_SENTENCES[d.kind as LinkKind] ?? linkKindLabel(d.kind)} {other}
        </>
      );
    }
    case 'merge':
      if (d.source !== undefined) return <>ha unito a questo ticket il <TicketRef id={d.source} />:</>;
      if (d.target !== undefined) return <>ha unito questo ticket al <TicketRef id={d.target} /></>;
      return e.body;
    default:
      return e.body;
  }
}

/** A link's kind as the middle of "questo ticket … ticket #N". */
const LINK_SENTENCES: Record<LinkKind, string> = {
  related: 'è correlato al',
  duplicates: 'duplica il',
  duplicated_by: 'è duplicato dal',
  parent_of: 'è padre del',
  child_of: 'è figlio del',
};

/** "ticket #N" linking to its page. */
function TicketRef({ id }: { id: unknown }) {
  return <Link to={ticketPath(text(id))}>ticket #{text(id)}</Link>;
}

/** The ticket's history, oldest first; internal notes only reach the desk (the server filters them). */
export function Timeline({ ticket, me }: { ticket: TicketDetail; me: Me }) {
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
        // Replies, notes and the merge into this ticket carry text; for the rest the body repeats the sentence.
        const body = e.kind === 'reply' || e.kind === 'note' || (e.kind === 'merge' && e.data.source !== undefined) ? e.body : '';
        const from = e.data.merged_from;
        return (
          <li key={e.id} data-kind={e.kind} className={`cst-timeline-item${e.kind === 'note' ? ' cst-timeline-note' : ''}`}>
            <p className="cst-timeline-head mb-1">
              <When at={e.at} />
              {e.kind === 'note' && <span className="badge bg-warning ms-2">Nota interna</span>}
              {e.kind === 'sla' && <span className="badge bg-secondary ms-2">SLA</span>}
              {from !== undefined && from !== null && <span className="badge bg-secondary ms-2">Dal ticket #{text(from)}</span>}
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
