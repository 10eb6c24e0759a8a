// Online payments ("Pagamenti online", pagoPA): where its sections live and who may use each,
// mirroring the server's policy in docs/payments.md (the server decides in the end), and the
// Italian labels and formats of its codes (amounts, states, timeline events).
import type {
  CitizenNoticeState,
  Ente,
  FlowRowState,
  FlowState,
  Grant,
  ImportMode,
  ImportOutcome,
  PositionEvent,
  PositionStatus,
  Role,
} from './api/types';
import { CodeBadge, type BadgeLabel } from './components/CodeBadge';
import { entiWithRoles, hasRole, holdsOn } from './roles';

/** Where the module's pages live (as announced by /api/v1/modules). */
export const PAYMENTS_PATH = '/pagamenti';
/** "Ente creditore": the first section, at the module's own address. */
export const PAY_CREDITOR_PATH = PAYMENTS_PATH;
/** "Posizioni debitorie": the search; one position at /pagamenti/posizioni/{id}. */
export const PAY_POSITIONS_PATH = `${PAYMENTS_PATH}/posizioni`;
/** "Importa ruolo": the CSV import and its reports. */
export const PAY_IMPORTS_PATH = `${PAYMENTS_PATH}/importazioni`;
/** "Riconciliazione": the PSPs' reconciliation files (FdR), the open anomalies, the accounting export. */
export const PAY_RECONCILIATION_PATH = `${PAYMENTS_PATH}/riconciliazione`;
// Later sections get their own addresses here and an entry in paymentsSections.

/**
 * "Verifica un avviso di pagamento": the citizen's lookup, outside the module's pages because it
 * needs no login (App shows it to anyone; the login page links to it).
 */
export const PUBLIC_NOTICE_PATH = '/verifica-avviso';

/**
 * "I miei pagamenti": the logged-in user's own notices, found by the fiscal code of their
 * account; in the menu of whoever has one (citizens and professionals, typically).
 */
export const MY_PAYMENTS_PATH = '/i-miei-pagamenti';

export const positionPath = (id: number | string) => `${PAY_POSITIONS_PATH}/${encodeURIComponent(String(id))}`;

/** The id in a position's address ("/pagamenti/posizioni/12" → "12"), else null. */
export function positionIdOf(path: string): string | null {
  const m = /^\/pagamenti\/posizioni\/([^/]+)$/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

/** The section an address belongs to: a position's page is in "Posizioni debitorie". */
export function paymentsSectionOf(path: string): string {
  return positionIdOf(path) !== null ? PAY_POSITIONS_PATH : path;
}

/** Who reads an ente's creditor configuration: not the committee, citizens, professionals, police or machines. */
const CREDITOR_READERS: Role[] = ['cst_admin', 'cst_agent', 'ente_admin', 'ente_operator', 'auditor'];
/** Who reads debt positions, their notices, receipts and import reports (payments.position.read). */
const POSITION_READERS: Role[] = ['cst_admin', 'cst_agent', 'ente_admin', 'ente_operator', 'auditor'];
/** Who creates, publishes, invalidates and deletes positions, imports rolls and reconciliation files (payments.position.manage). */
const POSITION_MANAGERS: Role[] = ['cst_admin', 'ente_admin', 'ente_operator'];

export const mayReadCreditor = (g: Grant[]) => hasRole(g, ...CREDITOR_READERS);
export const mayReadPositions = (g: Grant[]) => hasRole(g, ...POSITION_READERS);
/** Some ente's positions may be written (the import tab). */
export const mayManageSomePositions = (g: Grant[]) => hasRole(g, ...POSITION_MANAGERS);
/** Everyone the module shows something to (the union of its sections' readers). */
export const mayUsePayments = (g: Grant[]) => mayReadCreditor(g) || mayReadPositions(g);

/** The accounts money goes to: cst_admin on any ente, an ente's referent on their own. */
export function mayEditCreditor(g: Grant[], ente: string): boolean {
  return g.some((x) => x.role === 'cst_admin' || (x.role === 'ente_admin' && (x.ente === null || x.ente === ente)));
}

/** Publish, invalidate, delete one ente's positions, import its rolls. */
export function mayManagePositions(g: Grant[], ente: string): boolean {
  return holdsOn(g, POSITION_MANAGERS, ente);
}

/** The enti whose configuration the user may read, among those the session knows. */
export const creditorEnti = (grants: Grant[], enti: readonly Ente[]) => entiWithRoles(grants, enti, CREDITOR_READERS);
/** The enti whose positions the user may read. */
export const positionEnti = (grants: Grant[], enti: readonly Ente[]) => entiWithRoles(grants, enti, POSITION_READERS);
/** The enti whose rolls the user may import. */
export const importEnti = (grants: Grant[], enti: readonly Ente[]) => entiWithRoles(grants, enti, POSITION_MANAGERS);

/** The sections, each offered only to the roles that may use it. */
export function paymentsSections(g: Grant[]) {
  return [
    { to: PAY_CREDITOR_PATH, label: 'Ente creditore', shown: mayReadCreditor(g) },
    { to: PAY_POSITIONS_PATH, label: 'Posizioni debitorie', shown: mayReadPositions(g) },
    { to: PAY_IMPORTS_PATH, label: 'Importa ruolo', shown: mayManageSomePositions(g) },
    // Read by whoever reads positions; the upload form only for those who write them.
    { to: PAY_RECONCILIATION_PATH, label: 'Riconciliazione', shown: mayReadPositions(g) },
  ].filter((s) => s.shown);
}

/** An IBAN as printed, in groups of four: "IT60 X054 2811 1010 0000 0123 456". */
export function formatIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Integer cents as Italian euro, without floating point: 123450 → "1.234,50 €", 5 → "0,05 €"
 * (a no-break space before the sign, as the notice PDF prints it).
 */
export function formatCents(cents: number | null | undefined): string {
  if (cents === null || cents === undefined || !Number.isFinite(cents)) return '';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${euros},${String(abs % 100).padStart(2, '0')}\u00a0€`;
}

/** A position's state in Italian, with its badge colour (the text says it, the colour helps). */
export const POSITION_STATUSES: Record<PositionStatus, BadgeLabel> = {
  DRAFT: ['Bozza', 'bg-secondary'],
  VALID: ['Pubblicata', 'bg-primary'],
  PARTIALLY_PAID: ['Pagata in parte', 'bg-warning'],
  PAID: ['Pagata', 'bg-success'],
  REPORTED: ['Rendicontata', 'bg-success'],
  EXPIRED: ['Scaduta', 'bg-danger'],
  INVALID: ['Annullata', 'bg-danger'],
};

export const statusLabel = (s: string | null | undefined) => (s ? ((POSITION_STATUSES as Record<string, BadgeLabel>)[s]?.[0] ?? s) : '');

export const PositionBadge = ({ status }: { status: PositionStatus }) => <CodeBadge labels={POSITION_STATUSES} code={status} attr="status" />;

/** States whose notice a debtor can pay (the only ones printed). */
export const isPayable = (s: PositionStatus) => s === 'VALID' || s === 'PARTIALLY_PAID';

/** A timeline actor as a name: the expiry job and pagoPA's node are not users. */
export function actorName(actor: string): string {
  if (actor === 'system') return 'Sistema';
  if (actor === 'pagopa') return 'pagoPA';
  return actor;
}

/** What happened, as an Italian sentence after the actor's name. */
export function eventSentence(e: PositionEvent): string {
  switch (e.event) {
    case 'create':
      return 'ha creato la posizione';
    case 'publish':
      return 'ha pubblicato la posizione: gli avvisi sono pagabili';
    case 'invalidate':
      return 'ha annullato la posizione';
    case 'expire':
      return 'ha chiuso la posizione scaduta';
    case 'full_payment':
      return 'ha registrato il pagamento completo';
    case 'partial_payment':
      return 'ha registrato il pagamento di una rata';
    case 'report':
      return 'ha registrato la rendicontazione del PSP: il pagamento è stato riversato all’ente';
    default:
      return e.event;
  }
}

export const IMPORT_MODES: Record<ImportMode, string> = {
  all_or_nothing: 'Tutto o niente',
  valid_rows: 'Solo righe valide',
};

export const IMPORT_OUTCOMES: Record<ImportOutcome, BadgeLabel> = {
  completed: ['Completata', 'bg-success'],
  partial: ['Completata in parte', 'bg-warning'],
  rejected: ['Rifiutata', 'bg-danger'],
};

export const ImportOutcomeBadge = ({ outcome }: { outcome: ImportOutcome }) => <CodeBadge labels={IMPORT_OUTCOMES} code={outcome} />;

/** A notice number in groups of four, as printed: "3010 0000 0000 0001 44". */
export function formatNoticeNumber(n: string): string {
  return n.replace(/\s+/g, '').replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** A reconciliation file's state in Italian. */
export const FLOW_STATES: Record<FlowState, BadgeLabel> = {
  ACQUIRED: ['Acquisito', 'bg-success'],
  ANOMALOUS: ['Con anomalie', 'bg-danger'],
};

export const FlowBadge = ({ state }: { state: FlowState }) => <CodeBadge labels={FLOW_STATES} code={state} attr="state" />;

/** A reported payment's state in Italian: matched with its receipt, an anomaly, another intermediary's. */
export const FLOW_ROW_STATES: Record<FlowRowState, BadgeLabel> = {
  OK: ['Riconciliato', 'bg-success'],
  ANOMALOUS: ['Anomalia', 'bg-danger'],
  OTHER_INTERMEDIARY: ['Altro intermediario', 'bg-secondary'],
};

export const FlowRowBadge = ({ state }: { state: FlowRowState }) => <CodeBadge labels={FLOW_ROW_STATES} code={state} attr="state" />;

/** A notice's state as its debtor reads it (the citizen's lookup). */
export const CITIZEN_STATES: Record<CitizenNoticeState, BadgeLabel> = {
  da_pagare: ['Da pagare', 'bg-primary'],
  pagato: ['Pagato', 'bg-success'],
  scaduto: ['Scaduto', 'bg-danger'],
  annullato: ['Annullato', 'bg-secondary'],
};

export const CitizenStateBadge = ({ state }: { state: CitizenNoticeState }) => <CodeBadge labels={CITIZEN_STATES} code={state} attr="state" />;
