// The service desk ("Call center unico"): Italian labels of the API's codes,
// the badges of state and SLA, and the rules the pages mirror from the server
// (who is the desk, which state moves exist). The server decides in the end.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, query, toApiError } from './api/client';
import type {
  ArticleVisibility,
  CannedAnswer,
  Grant,
  LinkKind,
  Page,
  Role,
  SlaStatus,
  TicketCategory,
  TicketChannel,
  TicketDetail,
  TicketState,
  TicketType,
  User,
} from './api/types';
import { hasRole } from './roles';
import { Link } from './router';

/** Where the module's pages live (as announced by /api/v1/modules). */
export const HELPDESK_PATH = '/assistenza';

export function ticketPath(id: number | string): string {
  return `${HELPDESK_PATH}/${encodeURIComponent(String(id))}`;
}

/** Called by a ticket page's panel with the ticket the server returned and the sentence that announces it. */
export type OnTicketUpdated = (t: TicketDetail, message: string, focusStatus?: boolean) => void;

/** Two user or ticket ids as the API and /auth/me give them (number or string) name the same one. */
export const sameId = (a: number | string | null | undefined, b: number | string | null | undefined) =>
  a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b);

/** The desk's canned answers (list, create, edit, delete). */
export const CANNED_PATH = `${HELPDESK_PATH}/risposte`;

/** The knowledge base: search and, for the desk, writing articles. */
export const KNOWLEDGE_PATH = `${HELPDESK_PATH}/conoscenza`;

export function articlePath(id: number | string): string {
  return `${KNOWLEDGE_PATH}/${encodeURIComponent(String(id))}`;
}

/** The service's figures by ente, category, operator or month. */
export const REPORTS_PATH = `${HELPDESK_PATH}/report`;

/** The desk's configuration: calendar, reopen window, mailbox, SLA targets (the desk reads, cst_admin edits). */
export const SETTINGS_PATH = `${HELPDESK_PATH}/impostazioni`;

/** "Call center unico / <parents…> / <current>": the trail above the module's inner pages. */
export function HelpdeskBreadcrumb({ current, parents = [] }: { current: string; parents?: { to: string; label: string }[] }) {
  return (
    <nav className="breadcrumb-container" aria-label="Percorso di navigazione">
      <ol className="breadcrumb">
        {[{ to: HELPDESK_PATH, label: 'Call center unico' }, ...parents].map((p) => (
          <li className="breadcrumb-item" key={p.to}>
            <Link to={p.to}>{p.label}</Link>
            <span className="separator" aria-hidden="true">/</span>
          </li>
        ))}
        <li className="breadcrumb-item active" aria-current="page">
          {current}
        </li>
      </ol>
    </nav>
  );
}

/** A ticket number as typed ("12", "#12", "n. 12"); null when it is not one. */
export function parseTicketNumber(text: string): number | null {
  const m = /^\s*(?:n\.\s*|#)?(\d{1,15})\s*$/i.exec(text);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export const STATE_LABELS: Record<TicketState, string> = {
  new: 'Nuovo',
  assigned: 'Assegnato',
  in_progress: 'In lavorazione',
  pending: 'In attesa',
  solved: 'Risolto',
  closed: 'Chiuso',
};
export const STATES = Object.keys(STATE_LABELS) as TicketState[];

/** How this ticket relates to the linked one, read from this ticket's side. */
export const LINK_KIND_LABELS: Record<LinkKind, string> = {
  related: 'correlato',
  duplicates: 'duplica',
  duplicated_by: 'duplicato da',
  parent_of: 'padre di',
  child_of: 'figlio di',
};
export const LINK_KINDS = Object.keys(LINK_KIND_LABELS) as LinkKind[];

export const SLA_LABELS: Record<SlaStatus, string> = {
  running: 'In corso',
  warning: 'In scadenza',
  paused: 'In pausa',
  breached: 'Scaduto',
  met: 'Rispettato',
};
export const SLA_STATUSES = Object.keys(SLA_LABELS) as SlaStatus[];

export const TYPE_LABELS: Record<TicketType, string> = { incident: 'Guasto', request: 'Richiesta' };

export const CHANNEL_LABELS: Record<TicketChannel, string> = {
  portal: 'Portale',
  phone: 'Telefono',
  email: 'E-mail',
  monitoring: 'Monitoraggio',
};
/** The channels the desk may pick when it registers a ticket (monitoring is for the modules). */
export const DESK_CHANNELS: TicketChannel[] = ['portal', 'phone', 'email'];

/** Priority 1..5 from the urgency x impact matrix, 6 only when forced (GLPI's "major"). */
export const PRIORITY_LABELS = ['Molto bassa', 'Bassa', 'Media', 'Alta', 'Molto alta', 'Critica'];
export const PRIORITIES = [1, 2, 3, 4, 5, 6];
/** Urgency (feminine) and impact (masculine) levels 1..5. */
export const URGENCY_LABELS = ['Molto bassa', 'Bassa', 'Media', 'Alta', 'Molto alta'];
export const IMPACT_LABELS = ['Molto basso', 'Basso', 'Medio', 'Alto', 'Molto alto'];
export const LEVELS = [1, 2, 3, 4, 5];

/** The options of an urgency or impact select: values 1..5 with their Italian labels. */
export function levelOptions(labels: readonly string[]) {
  return LEVELS.map((n) => (
    <option key={n} value={String(n)}>
      {labels[n - 1]}
    </option>
  ));
}

/** GLPI's default urgency x impact matrix (the server's priorityFor), both in 1..5. */
const MATRIX = [
  [1, 1, 2, 2, 2],
  [1, 2, 2, 3, 3],
  [2, 2, 3, 4, 4],
  [2, 3, 4, 4, 5],
  [2, 3, 4, 5, 5],
];

/** The priority the server derives from urgency and impact when none is forced. */
export function matrixPriority(urgency: number, impact: number): number {
  const clamp = (n: number) => Math.min(5, Math.max(1, Math.round(n) || 3));
  return MATRIX[clamp(urgency) - 1][clamp(impact) - 1];
}

function labelOf(labels: Record<string, string>, code: unknown): string {
  const s = String(code ?? '');
  return labels[s] ?? s;
}

export const stateLabel = (s: unknown) => labelOf(STATE_LABELS, s);
export const slaLabel = (s: unknown) => labelOf(SLA_LABELS, s);
export const typeLabel = (s: unknown) => labelOf(TYPE_LABELS, s);
export const channelLabel = (s: unknown) => labelOf(CHANNEL_LABELS, s);
export const linkKindLabel = (s: unknown) => labelOf(LINK_KIND_LABELS, s);

function levelLabel(labels: string[], n: unknown): string {
  return typeof n === 'number' && labels[n - 1] ? labels[n - 1] : String(n ?? '');
}

export const priorityLabel = (n: unknown) => levelLabel(PRIORITY_LABELS, n);
export const urgencyLabel = (n: unknown) => levelLabel(URGENCY_LABELS, n);
export const impactLabel = (n: unknown) => levelLabel(IMPACT_LABELS, n);

const STATE_BADGES: Record<TicketState, string> = {
  new: 'bg-primary',
  assigned: 'bg-primary',
  in_progress: 'bg-primary',
  pending: 'bg-secondary',
  solved: 'bg-success',
  closed: 'bg-dark',
};

const SLA_BADGES: Record<SlaStatus, string> = {
  running: 'bg-primary',
  warning: 'bg-warning',
  paused: 'bg-secondary',
  breached: 'bg-danger',
  met: 'bg-success',
};

export const VISIBILITY_LABELS: Record<ArticleVisibility, string> = {
  public: 'Pubblico: chiunque usi il call center',
  internal: 'Interno: solo il call center',
};

/** Marks an internal article (only the desk gets those); public ones need no mark. */
export function InternalBadge({ visibility }: { visibility: ArticleVisibility }) {
  return visibility === 'internal' ? (
    <span className="badge bg-warning">
      Interno<span className="visually-hidden"> (solo il call center)</span>
    </span>
  ) : null;
}

/** The state as a badge: the colour helps, the text says it. */
export function StateBadge({ state }: { state: TicketState }) {
  return <span className={`badge ${STATE_BADGES[state] ?? 'bg-secondary'}`}>{stateLabel(state)}</span>;
}

/** An SLA clock's status as a badge; `what` names the clock for screen readers. */
export function SlaBadge({ status, what }: { status: SlaStatus; what?: string }) {
  return (
    <span className={`badge ${SLA_BADGES[status] ?? 'bg-secondary'}`}>
      {what && <span className="visually-hidden">{what}: </span>}
      {slaLabel(status)}
    </span>
  );
}

/** The service desk itself: it works every ticket, writes internal notes, picks the channel. */
export function isDesk(grants: Grant[]): boolean {
  return hasRole(grants, 'cst_admin', 'cst_agent');
}

/** Roles that read tickets and the knowledge base (the server's policy; committee, police and agents do not). */
const TICKET_READERS: Role[] = ['cst_admin', 'cst_agent', 'ente_admin', 'ente_operator', 'citizen', 'professional', 'auditor'];

export function mayReadTickets(grants: Grant[]): boolean {
  return hasRole(grants, ...TICKET_READERS);
}

/** Roles that read the reports: every ente for the CST's roles, its own for an ente's referent. */
const REPORT_READERS: Role[] = ['cst_admin', 'cst_agent', 'committee', 'auditor', 'ente_admin'];

export function mayReadReports(grants: Grant[]): boolean {
  return hasRole(grants, ...REPORT_READERS);
}

/** Only the CST administrator changes the desk's settings (hours, SLA targets...); the desk reads them. */
export function mayEditDeskSettings(grants: Grant[]): boolean {
  return hasRole(grants, 'cst_admin');
}

/** Only the CST administrator forces a priority. */
export function mayForcePriority(grants: Grant[]): boolean {
  return hasRole(grants, 'cst_admin');
}

/** Roles that may open tickets (the server's policy; citizens and professionals for themselves). */
const OPEN_ROLES: Role[] = ['cst_admin', 'cst_agent', 'ente_admin', 'ente_operator', 'citizen', 'professional'];

/**
 * The enti a user may open tickets for: every ente (null) when a grant covers all,
 * otherwise the ISTAT codes of the grants with an opening role.
 */
export function openableEnti(grants: Grant[]): string[] | null {
  const open = grants.filter((g) => OPEN_ROLES.includes(g.role));
  if (open.some((g) => g.ente === null)) return null;
  return [...new Set(open.map((g) => g.ente).filter((e): e is string => !!e))];
}

/** The server's moves between states (model.cpp canMove): closed is final. */
export function nextStates(from: TicketState): TicketState[] {
  switch (from) {
    case 'new':
      return ['assigned', 'in_progress', 'pending', 'solved'];
    case 'assigned':
    case 'in_progress':
    case 'pending':
      return STATES.filter((s) => s !== from && s !== 'closed');
    case 'solved':
      return ['in_progress', 'closed'];
    default:
      return [];
  }
}

/** Category id → "Padre › Figlio" (any depth), for the select and the ticket summary. */
export function categoryPaths(categories: TicketCategory[]): Map<number, string> {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const out = new Map<number, string>();
  for (const c of categories) {
    const names: string[] = [];
    const seen = new Set<number>();
    for (let x: TicketCategory | undefined = c; x && !seen.has(x.id); x = x.parent_id === null ? undefined : byId.get(x.parent_id)) {
      seen.add(x.id);
      names.unshift(x.name);
    }
    out.set(c.id, names.join(' › '));
  }
  return out;
}

/** The category options in tree order, each level sorted by name ("Applicativi", "Applicativi › Anagrafe", ...). */
export function categoryOptions(categories: TicketCategory[]): { id: number; label: string }[] {
  const paths = categoryPaths(categories);
  const known = new Set(categories.map((c) => c.id));
  const children = new Map<number | null, TicketCategory[]>();
  for (const c of categories) {
    // An orphan (parent not in the list) is shown at the top level.
    const parent = c.parent_id !== null && known.has(c.parent_id) ? c.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const out: { id: number; label: string }[] = [];
  const seen = new Set<number>();
  const visit = (parent: number | null) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'it'));
    for (const c of list) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push({ id: c.id, label: paths.get(c.id) ?? c.name });
      visit(c.id);
    }
  };
  visit(null);
  return out;
}

/** The category tree (GET /api/v1/helpdesk/categories); empty until loaded or when it cannot be read. */
export function useTicketCategories(): TicketCategory[] {
  const [categories, setCategories] = useState<TicketCategory[]>([]);
  useEffect(() => {
    let live = true;
    api<{ items: TicketCategory[] }>('GET', '/api/v1/helpdesk/categories')
      .then((r) => live && setCategories(r.items ?? []))
      .catch(() => live && setCategories([]));
    return () => {
      live = false;
    };
  }, []);
  return categories;
}

/** The groups tickets can be assigned to (from GET /api/v1/helpdesk/settings); empty until loaded or when unreadable. */
export function useAssignmentGroups(): string[] {
  const [groups, setGroups] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    api<{ groups?: string[] }>('GET', '/api/v1/helpdesk/settings')
      .then((s) => live && setGroups(s.groups ?? []))
      .catch(() => live && setGroups([]));
    return () => {
      live = false;
    };
  }, []);
  return groups;
}

/** The groups as suggestions for a text field whose `list` is `id`. */
export function GroupOptions({ id, groups }: { id: string; groups: string[] }) {
  return (
    <datalist id={id}>
      {groups.map((g) => (
        <option key={g} value={g} />
      ))}
    </datalist>
  );
}

/** The desk's canned answers by title (GET /api/v1/helpdesk/canned-answers); `enabled` false: none asked. */
export function useCannedAnswers(enabled = true) {
  const [items, setItems] = useState<CannedAnswer[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = useCallback(async () => {
    try {
      const r = await api<{ items: CannedAnswer[] }>('GET', '/api/v1/helpdesk/canned-answers');
      setItems([...(r.items ?? [])].sort((a, b) => a.title.localeCompare(b.title, 'it')));
      setError(null);
    } catch (e) {
      setItems([]);
      setError(toApiError(e));
    }
  }, []);
  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);
  return { items, error, reload };
}

/**
 * The users the desk may pick as watchers (GET /api/v1/users, first 200, active only): null while
 * loading, when `enabled` is false, or when the list cannot be read (then the number is typed).
 */
export function useListableUsers(enabled: boolean): User[] | null {
  const [users, setUsers] = useState<User[] | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api<Page<User>>('GET', '/api/v1/users' + query({ limit: 200 }))
      .then((p) => live && setUsers(p.items.filter((u) => !u.disabled)))
      .catch(() => live && setUsers(null));
    return () => {
      live = false;
    };
  }, [enabled]);
  return users;
}
