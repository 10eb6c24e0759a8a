// Protocollo informatico: where its sections live and who may use each, mirroring the server's
// policy in docs/protocol.md (the server decides in the end), and the Italian labels of its codes
// (flows, states, kinds of correspondent) and of a registration's number.
import type { CorrespondentKind, Ente, Grant, ProtocolFlow, ProtocolStatus, Registration, Role } from './api/types';
import { CodeBadge, type BadgeLabel } from './components/CodeBadge';
import { formatDate } from './format';
import { entiWithRoles, hasRole, holdsOn } from './roles';

/** Where the module's pages live (as announced by /api/v1/modules). */
export const PROTOCOL_PATH = '/protocollo';
/** "Registro": the search, at the module's own address; one registration at /protocollo/registrazioni/{id}. */
export const PROT_REGISTER_PATH = PROTOCOL_PATH;
/** "Nuova registrazione": the form that registers a document. */
export const PROT_NEW_PATH = `${PROTOCOL_PATH}/nuova`;
/** "Titolario e AOO": the AOO, the titolario and the fascicoli of an ente. */
export const PROT_CONFIG_PATH = `${PROTOCOL_PATH}/configurazione`;
/** "Registri giornalieri": the daily registers the server makes, and the days still missing one. */
export const PROT_DAILY_PATH = `${PROTOCOL_PATH}/registri-giornalieri`;

export const registrationPath = (id: number | string) => `${PROTOCOL_PATH}/registrazioni/${encodeURIComponent(String(id))}`;

/** The id in a registration's address ("/protocollo/registrazioni/12" → "12"), else null. */
export function registrationIdOf(path: string): string | null {
  const m = /^\/protocollo\/registrazioni\/([^/]+)$/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

/** The section an address belongs to: a registration's page is in "Registro". */
export function protocolSectionOf(path: string): string {
  return registrationIdOf(path) !== null ? PROT_REGISTER_PATH : path;
}

/** True for the addresses the module's page answers (App routes them there). */
export function isProtocolPath(path: string): boolean {
  const at = protocolSectionOf(path);
  return at === PROT_REGISTER_PATH || at === PROT_NEW_PATH || at === PROT_CONFIG_PATH || at === PROT_DAILY_PATH;
}

/** protocol.read: registrations, segnature, documents, titolario, fascicoli. */
const READERS: Role[] = ['cst_admin', 'ente_admin', 'ente_operator', 'auditor'];
/** protocol.register: register documents, open fascicoli. */
const REGISTRARS: Role[] = ['cst_admin', 'ente_admin', 'ente_operator'];
/** protocol.annul and protocol.configure (AOO, titolario): the head of the ente's records service. */
const HEADS: Role[] = ['cst_admin', 'ente_admin'];

/** Everyone the module shows something to; the call centre's agents do not read the register. */
export const mayUseProtocol = (g: Grant[]) => hasRole(g, ...READERS);
/** Some ente's documents may be registered (the "Nuova registrazione" tab). */
export const mayRegisterSomewhere = (g: Grant[]) => hasRole(g, ...REGISTRARS);

/** Register one ente's documents and open its fascicoli. */
export const mayRegister = (g: Grant[], ente: string) => holdsOn(g, REGISTRARS, ente);
/** Annul one ente's registrations (art. 54). */
export const mayAnnul = (g: Grant[], ente: string) => holdsOn(g, HEADS, ente);
/** Save one ente's AOO and add classes to its titolario. */
export const mayConfigure = (g: Grant[], ente: string) => holdsOn(g, HEADS, ente);

/** The enti whose register the user reads. */
export const readableEnti = (grants: Grant[], enti: readonly Ente[]) => entiWithRoles(grants, enti, READERS);
/** The enti whose documents the user registers. */
export const registrableEnti = (grants: Grant[], enti: readonly Ente[]) => entiWithRoles(grants, enti, REGISTRARS);

/** The sections, each offered only to the roles that may use it. */
export function protocolSections(g: Grant[]) {
  return [
    { to: PROT_REGISTER_PATH, label: 'Registro', shown: mayUseProtocol(g) },
    { to: PROT_NEW_PATH, label: 'Nuova registrazione', shown: mayRegisterSomewhere(g) },
    { to: PROT_DAILY_PATH, label: 'Registri giornalieri', shown: mayUseProtocol(g) },
    // Read by every reader; the forms only for those who configure or open fascicoli.
    { to: PROT_CONFIG_PATH, label: 'Titolario e AOO', shown: mayUseProtocol(g) },
  ].filter((s) => s.shown);
}

/** "0000042/2026": the number of the register and its year, as a registration is cited. */
export const registrationNumber = (r: Pick<Registration, 'number' | 'year'>) => `${r.number}/${r.year}`;

/** "Registrato con il numero 0000042 del 27/11/2026". */
export const registeredSentence = (r: Pick<Registration, 'number' | 'registered_on'>) =>
  `Registrato con il numero ${r.number} del ${formatDate(r.registered_on)}`;

export const FLOWS: Record<ProtocolFlow, string> = {
  incoming: 'In arrivo',
  outgoing: 'In partenza',
  internal: 'Interno',
};

export const flowLabel = (f: string) => (FLOWS as Record<string, string>)[f] ?? f;

/** A registration's state in Italian, with its badge colour (the text says it, the colour helps). */
export const PROTOCOL_STATUSES: Record<ProtocolStatus, BadgeLabel> = {
  registered: ['Registrata', 'bg-success'],
  annulled: ['Annullata', 'bg-danger'],
};

export const RegistrationBadge = ({ status }: { status: ProtocolStatus }) => <CodeBadge labels={PROTOCOL_STATUSES} code={status} attr="status" />;

export const CORRESPONDENT_KINDS: Record<CorrespondentKind, string> = {
  person: 'Persona fisica',
  company: 'Persona giuridica',
  administration: 'Pubblica amministrazione',
};

/** How a document came or went; the API takes any short text, these are the usual ones. */
export const CHANNELS: Record<string, string> = {
  pec: 'PEC',
  email: 'E-mail',
  sportello: 'Sportello',
  posta: 'Posta',
};

export const channelLabel = (c: string | null) => (c ? (CHANNELS[c] ?? c) : '');

/** Who the correspondents are for a flow: the sender of an incoming document, the recipients of an outgoing one. */
export function correspondentsTitle(flow: ProtocolFlow, count: number): string {
  if (flow === 'incoming') return 'Mittente';
  return count === 1 ? 'Destinatario' : 'Destinatari';
}
