// The antivirus service ("Antivirus aggiornato"): where its sections live, who may use each
// (mirroring the server's policy in docs/antivirus.md; the server decides in the end), the Italian
// labels of the API's codes and the status badges (the colour helps, the text says it).
import type {
  AntivirusEventKind,
  EndpointStatus,
  Grant,
  QuarantineStatus,
  Role,
  ScanErrorReason,
  ScanVerdict,
  SignatureFreshness,
} from './api/types';
import { CodeBadge, type BadgeLabel } from './components/CodeBadge';
import { hasRole } from './roles';
import { useSession } from './session';

/** Where the module's pages live (as announced by /api/v1/modules). */
export const ANTIVIRUS_PATH = '/antivirus';
export const AV_QUARANTINE_PATH = `${ANTIVIRUS_PATH}/quarantena`;
export const AV_SCAN_PATH = `${ANTIVIRUS_PATH}/verifica`;
export const AV_ENDPOINTS_PATH = `${ANTIVIRUS_PATH}/postazioni`;
export const AV_EVENTS_PATH = `${ANTIVIRUS_PATH}/eventi`;
export const AV_SETTINGS_PATH = `${ANTIVIRUS_PATH}/soglie`;

/** Everyone the service shows something to: not citizens, professionals, police or machines. */
const AV_ROLES: Role[] = ['cst_admin', 'cst_agent', 'committee', 'ente_admin', 'ente_operator', 'auditor'];
/** Roles that read the ente-level records (quarantine, endpoints, events, thresholds): all but the committee. */
const RECORD_READERS: Role[] = ['cst_admin', 'cst_agent', 'ente_admin', 'ente_operator', 'auditor'];
const QUARANTINE_READERS: Role[] = ['cst_admin', 'cst_agent', 'ente_admin', 'auditor'];
export const SCAN_ROLES: Role[] = ['cst_admin', 'cst_agent', 'ente_admin', 'ente_operator'];

export const mayUseAntivirus = (g: Grant[]) => hasRole(g, ...AV_ROLES);
export const mayReadAvRecords = (g: Grant[]) => hasRole(g, ...RECORD_READERS);
export const mayReadQuarantine = (g: Grant[]) => hasRole(g, ...QUARANTINE_READERS);
export const mayScan = (g: Grant[]) => hasRole(g, ...SCAN_ROLES);
/** Download, release and discard quarantined files; change the thresholds. */
export const isAvAdmin = (g: Grant[]) => hasRole(g, 'cst_admin');
export const mayCreateAgents = (g: Grant[]) => hasRole(g, 'cst_admin', 'ente_admin');

/** cst_admin anywhere, an ente's referent on their own ente. */
export function mayRetireEndpoint(g: Grant[], ente: string): boolean {
  return g.some((x) => x.role === 'cst_admin' || (x.role === 'ente_admin' && (x.ente === null || x.ente === ente)));
}

/** The sections, each offered only to the roles that may use it. */
export function antivirusSections(g: Grant[]) {
  return [
    { to: ANTIVIRUS_PATH, label: 'Motore', shown: mayUseAntivirus(g) },
    { to: AV_QUARANTINE_PATH, label: 'Quarantena', shown: mayReadQuarantine(g) },
    // The auditor reads the history of the scans without scanning.
    { to: AV_SCAN_PATH, label: mayScan(g) ? 'Verifica un file' : 'Verifiche', shown: mayScan(g) || hasRole(g, 'auditor') },
    { to: AV_ENDPOINTS_PATH, label: 'Postazioni', shown: mayUseAntivirus(g) },
    { to: AV_EVENTS_PATH, label: 'Eventi', shown: mayReadAvRecords(g) },
    { to: AV_SETTINGS_PATH, label: 'Soglie', shown: mayReadAvRecords(g) },
  ].filter((s) => s.shown);
}

// The statuses as badges (CodeBadge): the colour helps, the text says it (the column or the
// sentence says of what).

export const VERDICTS: Record<ScanVerdict, BadgeLabel> = {
  clean: ['Pulito', 'bg-success'],
  infected: ['Infetto', 'bg-danger'],
  error: ['Errore', 'bg-warning'],
};
export const VerdictBadge = ({ verdict }: { verdict: ScanVerdict }) => <CodeBadge labels={VERDICTS} code={verdict} />;

export const REASON_LABELS: Record<ScanErrorReason, string> = {
  too_large: 'file oltre il limite del motore, non analizzato',
  not_fully_scanned: 'analisi incompleta: il motore si è fermato a uno dei suoi limiti (per esempio negli archivi)',
};
export const reasonLabel = (r: string | null) => (r ? ((REASON_LABELS as Record<string, string>)[r] ?? r) : '');

export const QUARANTINE_STATUSES: Record<QuarantineStatus, BadgeLabel> = {
  held: ['In quarantena', 'bg-danger'],
  released: ['Rilasciato', 'bg-success'],
  discarded: ['Eliminato', 'bg-secondary'],
};
export const QuarantineBadge = ({ status }: { status: QuarantineStatus }) => <CodeBadge labels={QUARANTINE_STATUSES} code={status} />;

export const ENDPOINT_STATUSES: Record<EndpointStatus, BadgeLabel> = {
  protected: ['Protetta', 'bg-success'],
  outdated: ['Non aggiornata', 'bg-warning'],
  silent: ['Silente', 'bg-danger'],
};
export const EndpointBadge = ({ status }: { status: EndpointStatus }) => <CodeBadge labels={ENDPOINT_STATUSES} code={status} />;

export const FRESHNESS: Record<SignatureFreshness, BadgeLabel> = {
  fresh: ['Firme aggiornate', 'bg-success'],
  stale: ['Firme obsolete', 'bg-danger'],
  unknown: ['Firme sconosciute', 'bg-secondary'],
};
export const FreshnessBadge = ({ value }: { value: SignatureFreshness }) => <CodeBadge labels={FRESHNESS} code={value} />;

export const EVENT_KINDS: Record<AntivirusEventKind, BadgeLabel> = {
  quarantine: ['Quarantena', 'bg-danger'],
  engine_down: ['Motore non raggiungibile', 'bg-danger'],
  engine_up: ['Motore di nuovo raggiungibile', 'bg-success'],
  engine_stale: ['Firme obsolete', 'bg-warning'],
  engine_fresh: ['Firme di nuovo aggiornate', 'bg-success'],
  endpoint_outdated: ['Postazione non aggiornata', 'bg-warning'],
  endpoint_silent: ['Postazione silente', 'bg-danger'],
  endpoint_ok: ['Postazione di nuovo protetta', 'bg-success'],
};
export const EventBadge = ({ kind }: { kind: AntivirusEventKind }) => <CodeBadge labels={EVENT_KINDS} code={kind} />;

/** true → "Sì", false → "No", null → "non indicato". */
export function yesNo(v: boolean | null): string {
  return v === null ? 'non indicato' : v ? 'Sì' : 'No';
}

/** A threshold in words: 1 → "1 ora", 36 → "36 ore", 72 → "72 ore (3 giorni)". */
export function hoursText(h: number): string {
  const text = h === 1 ? '1 ora' : `${h} ore`;
  if (h < 24 || h % 24 !== 0) return text;
  const days = h / 24;
  return `${text} (${days === 1 ? '1 giorno' : `${days} giorni`})`;
}

/** Hours as days and hours: 5 → "5 h", 50 → "2 g 2 h"; empty for null. */
export function formatHours(h: number | null | undefined): string {
  if (h === null || h === undefined || !Number.isFinite(h)) return '';
  if (h < 1) return 'meno di 1 h';
  const total = Math.floor(h);
  const days = Math.floor(total / 24);
  const hours = total % 24;
  if (days === 0) return `${hours} h`;
  return hours ? `${days} g ${hours} h` : `${days} g`;
}

/** An ente's name from its ISTAT code (the code itself until the enti are loaded; "—" for none). */
export function useEnteName(): (istat: string | null | undefined) => string {
  const { entiByIstat } = useSession();
  return (istat) => (istat ? (entiByIstat.get(istat)?.name ?? istat) : '—');
}

/** Says which ente the lists below are for: the one chosen in the header, or all. */
export function EnteScope() {
  const { selectedEnte } = useSession();
  const enteName = useEnteName();
  return (
    <p className="small" data-testid="antivirus-scope">
      Ente: <strong>{selectedEnte ? `${enteName(selectedEnte)} (${selectedEnte})` : 'tutti gli enti'}</strong>
      <span className="text-muted"> – si cambia con il selettore «Ente» in alto.</span>
    </p>
  );
}
