// Online payments ("Pagamenti online", pagoPA): where its sections live and who may use each,
// mirroring the server's policy in docs/payments.md (the server decides in the end).
import type { Ente, Grant, Role } from './api/types';
import { TabNav } from './components/TabNav';
import { hasRole } from './roles';

/** Where the module's pages live (as announced by /api/v1/modules). */
export const PAYMENTS_PATH = '/pagamenti';
/** "Ente creditore": the first section, at the module's own address. */
export const PAY_CREDITOR_PATH = PAYMENTS_PATH;
// Later sections get their own addresses here and an entry in paymentsSections, e.g.
// `${PAYMENTS_PATH}/posizioni` (Posizioni), /importazioni (Importazioni), /riconciliazione.

/** Who reads an ente's creditor configuration: not the committee, citizens, professionals, police or machines. */
const CREDITOR_READERS: Role[] = ['cst_admin', 'cst_agent', 'ente_admin', 'ente_operator', 'auditor'];

export const mayReadCreditor = (g: Grant[]) => hasRole(g, ...CREDITOR_READERS);
/** Everyone the module shows something to (the union of its sections' readers). */
export const mayUsePayments = (g: Grant[]) => mayReadCreditor(g);

/** The accounts money goes to: cst_admin on any ente, an ente's referent on their own. */
export function mayEditCreditor(g: Grant[], ente: string): boolean {
  return g.some((x) => x.role === 'cst_admin' || (x.role === 'ente_admin' && (x.ente === null || x.ente === ente)));
}

/** The enti whose configuration the user may read, among those the session knows. */
export function creditorEnti(grants: Grant[], enti: readonly Ente[]): Ente[] {
  const readers = grants.filter((g) => CREDITOR_READERS.includes(g.role));
  if (readers.some((g) => g.ente === null)) return [...enti];
  return enti.filter((e) => readers.some((g) => g.ente === e.istat));
}

/** The sections, each offered only to the roles that may use it. */
export function paymentsSections(g: Grant[]) {
  return [{ to: PAY_CREDITOR_PATH, label: 'Ente creditore', shown: mayReadCreditor(g) }].filter((s) => s.shown);
}

/** The sections as tabs under the page title (one tab for now: it names the section shown). */
export function PaymentsNav({ grants }: { grants: Grant[] }) {
  const entries = paymentsSections(grants);
  if (entries.length === 0) return null;
  return <TabNav label="Sezioni dei pagamenti online" tabs={entries} testId="payments-nav" />;
}

/** An IBAN as printed, in groups of four: "IT60 X054 2811 1010 0000 0123 456". */
export function formatIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');
}
