// Conservazione (preservation, docs/preservation.md): where the console's sections live, who may use
// each (mirroring the server's policy in src/modules/preservation/routes.cpp; the server decides in
// the end), the API's shapes and calls, and the Italian labels of its codes.
import { useMemo } from 'react';
import { api, download, query } from './api/client';
import type { Grant, Page, Role } from './api/types';
import type { BadgeLabel } from './components/CodeBadge';
import { defaultEnte } from './components/EnteSelect';
import { entiWithRoles, hasRole, holdsOn } from './roles';
import { useSession } from './session';

/** Where the module's pages live (as announced by /api/v1/modules). */
export const PRESERVATION_PATH = '/conservazione';
/** "Panoramica": the volumes kept for each ente, at the module's own address. */
export const PRES_SUMMARY_PATH = PRESERVATION_PATH;
/** "Versamenti": the ingest receipts (rapporti di versamento), accepted and rejected. */
export const PRES_SIPS_PATH = `${PRESERVATION_PATH}/versamenti`;
/** "Pacchetti": the search of the AIPs; one AIP at /conservazione/pacchetti/{id}. */
export const PRES_AIPS_PATH = `${PRESERVATION_PATH}/pacchetti`;
/** "Verifiche di integrità": the fixity audits of the copies. */
export const PRES_AUDITS_PATH = `${PRESERVATION_PATH}/verifiche`;
/** "Scarto": the retention table and the disposals; one disposal at /conservazione/scarto/{id}. */
export const PRES_DISPOSAL_PATH = `${PRESERVATION_PATH}/scarto`;

export const aipPath = (id: string) => `${PRES_AIPS_PATH}/${encodeURIComponent(id)}`;
export const disposalPath = (id: string) => `${PRES_DISPOSAL_PATH}/${encodeURIComponent(id)}`;

/** The id in an address below `base` ("/conservazione/pacchetti/abc" → "abc"), else null. */
function idUnder(base: string, path: string): string | null {
  if (!path.startsWith(base + '/')) return null;
  const rest = path.slice(base.length + 1);
  return rest && !rest.includes('/') ? decodeURIComponent(rest) : null;
}

export const aipIdOf = (path: string) => idUnder(PRES_AIPS_PATH, path);
export const disposalIdOf = (path: string) => idUnder(PRES_DISPOSAL_PATH, path);

/** The section an address belongs to: an AIP's page is in "Pacchetti", a disposal's in "Scarto". */
export function preservationSectionOf(path: string): string {
  if (aipIdOf(path) !== null) return PRES_AIPS_PATH;
  if (disposalIdOf(path) !== null) return PRES_DISPOSAL_PATH;
  return path;
}

const SECTIONS = [PRES_SUMMARY_PATH, PRES_SIPS_PATH, PRES_AIPS_PATH, PRES_AUDITS_PATH, PRES_DISPOSAL_PATH];

/** True for the addresses the module's page answers (App routes them there). */
export function isPreservationPath(path: string): boolean {
  return SECTIONS.includes(preservationSectionOf(path));
}

/** preservation.read: receipts, AIPs and their content, audits, retention, disposals. */
const READERS: Role[] = ['cst_admin', 'ente_admin', 'ente_operator', 'auditor'];
/** preservation.audit (a fixity audit on demand), preservation.retention and disposal.propose. */
const HEADS: Role[] = ['cst_admin', 'ente_admin'];

/** Everyone the console shows something to: not the call centre, citizens, professionals or police. */
export const mayUsePreservation = (g: Grant[]) => hasRole(g, ...READERS);
/** Run a fixity audit of one ente's objects now ("Verifica ora"). */
export const mayAudit = (g: Grant[], ente: string) => holdsOn(g, HEADS, ente);
/** Change one ente's retention table. */
export const mayEditRetention = (g: Grant[], ente: string) => holdsOn(g, HEADS, ente);
/** Propose a disposal of one ente's expired packages, and withdraw one not yet authorised. */
export const mayProposeDisposal = (g: Grant[], ente: string) => holdsOn(g, HEADS, ente);
/** Approve a disposal for the ente: its referent (responsabile della gestione documentale) only. */
export const mayApproveDisposal = (g: Grant[], ente: string) => holdsOn(g, ['ente_admin'], ente);
/** Record the Soprintendenza's authorisation and carry the disposal out: the CST only. */
export const mayExecuteDisposal = (g: Grant[]) => hasRole(g, 'cst_admin');

/** The sections, each offered only to the roles that may use it (every reader reads them all). */
export function preservationSections(g: Grant[]) {
  const shown = mayUsePreservation(g);
  return [
    { to: PRES_SUMMARY_PATH, label: 'Panoramica' },
    { to: PRES_SIPS_PATH, label: 'Versamenti' },
    { to: PRES_AIPS_PATH, label: 'Pacchetti' },
    { to: PRES_AUDITS_PATH, label: 'Verifiche di integrità' },
    { to: PRES_DISPOSAL_PATH, label: 'Scarto' },
  ].filter(() => shown);
}

/**
 * The ente a panel shows: the header's when the user reads it, else their only one. Choosing
 * another in a panel changes the header's, so that every section of the console (and the rest
 * of the UI) stays on the same ente.
 */
export function usePreservationEnte() {
  const { me, enti, selectedEnte, setSelectedEnte } = useSession();
  const choices = useMemo(() => entiWithRoles(me?.grants ?? [], enti, READERS), [me, enti]);
  const ente = defaultEnte(choices, selectedEnte);
  const choose = (istat: string) => {
    if (istat) setSelectedEnte(istat);
  };
  return { ente, choose, choices };
}

// ---- The API's shapes ----

/** One ente's volumes (GET /summary). */
export interface VolumeRow {
  ente: string;
  aips: number;
  documents: number;
  documents_bytes: number;
  package_bytes: number;
  sips_accepted: number;
  sips_rejected: number;
  last_ingest_at: string | null;
}

export interface PreservationSummary {
  items: VolumeRow[];
  totals: Omit<VolumeRow, 'ente' | 'last_ingest_at'> & { last_ingest_at?: string | null };
  /** How many copies each object is kept in. */
  copies: number;
}

/** A file as ingest saw it (in a receipt) or as the package holds it (in an AIP). */
export interface PreservedObject {
  name?: string;
  /** "principale", "allegato"; in an AIP also "metadati", "indice", "firma", "marca_temporale". */
  role?: string;
  path?: string;
  sha256: string;
  size: number;
  /** The format identified from the content (pdfa-2b, xml, text…). */
  format: string;
  mime?: string;
}

export type IngestOutcome = 'accepted' | 'rejected';

/** A receipt (rapporto di versamento) of a SIP, accepted or rejected. */
export interface IngestReceipt {
  id: string;
  ente: string;
  received_at: string;
  outcome: IngestOutcome;
  /** "api", or "protocol.daily_register" for the daily registers taken by the job. */
  source: string;
  source_ref?: string;
  submitted_by: string;
  objects: PreservedObject[];
  /** Every problem of a rejected SIP: field is a path in the envelope, or file:<name>. */
  problems: { field: string; message: string }[];
  aip_id: string | null;
  receipt_url?: string;
  receipt_sha256?: string;
}

/** The disposal that destroyed a package, and when (null while the package is kept). */
export interface AipDisposalMark {
  id: string;
  at: string;
}

export type AipKind = 'documento_informatico' | 'documento_amministrativo_informatico' | 'aggregazione';

/** An archival information package. The list gives it without its files. */
export interface Aip {
  id: string;
  ente: string;
  sip_id: string;
  kind: AipKind;
  document_class: string | null;
  title: string;
  created_at: string;
  timestamp_time: string | null;
  /** "local" for the built-in (not qualified) TSA, else the TSA's address. */
  tsa: string;
  documents_bytes: number;
  package_bytes: number;
  index_sha256?: string;
  /** The document's own date (registration or document date), from which its retention runs. */
  document_date?: string | null;
  files: PreservedObject[];
  disposal?: AipDisposalMark | null;
}

export interface AuditStatus {
  ente: string;
  /** Every object is verified at least once in this many days. */
  cycle_days: number;
  objects: number;
  verified_in_cycle: number;
  never_verified: number;
  lost: number;
  oldest_check: string | null;
  last_run_at: string | null;
}

export type FindingProblem = 'damaged' | 'missing';
export type FindingOutcome = 'repaired' | 'lost';

/** One copy of one object found damaged or missing, and what became of it. */
export interface AuditFinding {
  sha256: string;
  ente: string | null;
  copy: number | string;
  problem: FindingProblem;
  outcome: FindingOutcome;
  /** The service desk's ticket opened for a lost object. */
  ticket_id: number | null;
}

export type AuditKind = 'scheduled' | 'on_demand';

export interface AuditReport {
  id: string | number;
  kind: AuditKind;
  scope: { ente: string | null; aip: string | null };
  requested_by: string | null;
  started_at: string;
  finished_at: string | null;
  objects: number;
  bytes: number;
  copies_checked: number;
  intact: number;
  repaired: number;
  lost: number;
  findings: AuditFinding[];
}

/** How long one document class is kept; years null: permanently. */
export interface RetentionRule {
  document_class: string;
  years: number | null;
  note: string | null;
}

export interface RetentionTable {
  ente: string;
  rules: RetentionRule[];
}

export type DisposalState = 'proposed' | 'approved' | 'authorised' | 'executed' | 'cancelled';

/** A package on a disposal's list. */
export interface DisposalItem {
  aip_id: string;
  title: string;
  kind?: AipKind;
  document_class: string | null;
  document_date: string | null;
  retention_years: number | null;
  expired_on: string | null;
  package_bytes?: number;
  /** The ente's documents in the package. */
  documents: { path: string; sha256: string; size: number }[];
  /** Objects deleted from the copies once executed (those no other package holds). */
  deleted_objects: number | null;
}

/** The Soprintendenza archivistica's authorisation of a disposal (D.Lgs. 42/2004 art. 21). */
export interface DisposalAuthorisation {
  authority: string;
  reference: string;
  date: string;
  recorded_by: string;
  recorded_at: string;
}

/** A disposal (scarto): proposed, approved by the ente, authorised, executed; or cancelled. */
export interface Disposal {
  id: string;
  ente: string;
  state: DisposalState;
  reason: string;
  created_at: string;
  created_by: string;
  approved_at: string | null;
  approved_by: string | null;
  approval_note: string | null;
  authorisation: DisposalAuthorisation | null;
  executed_at: string | null;
  executed_by: string | null;
  cancelled_at?: string | null;
  cancelled_by?: string | null;
  cancel_reason?: string | null;
  items: DisposalItem[];
  item_count?: number;
  /** The packages' bytes, documents and package files. */
  total_bytes: number;
}

// ---- The API's calls ----

const BASE = '/api/v1/preservation';
const one = (what: string, id: string) => `${BASE}/${what}/${encodeURIComponent(id)}`;

/** The volumes of every ente the user reads, their totals and the number of copies. */
export function getSummary(): Promise<PreservationSummary> {
  return api<PreservationSummary>('GET', `${BASE}/summary`);
}

/** Saves the manuale di conservazione the server generates from its configuration (HTML); with an ente, its own. */
export function downloadManuale(ente: string): Promise<void> {
  return download(`${BASE}/manuale` + query({ ente }), ente ? `manuale-di-conservazione-${ente}.html` : 'manuale-di-conservazione.html');
}

/** The ente's receipts, newest first. */
export function listReceipts(ente: string, limit: number, cursor: string | null): Promise<Page<IngestReceipt>> {
  return api<Page<IngestReceipt>>('GET', `${BASE}/sips` + query({ ente, limit, cursor }));
}

/** Saves the receipt as the signed XML document (XMLDSig with the service's seal). */
export function downloadReceiptXml(r: Pick<IngestReceipt, 'id'>): Promise<void> {
  return download(`${one('sips', r.id)}/receipt.xml`, `rapporto-di-versamento-${r.id}.xml`);
}

/** The search of the AIPs, as the form holds it (empty: not filtered). */
export interface AipFilters {
  ente: string;
  q: string;
  classe: string;
  tipo: '' | AipKind;
  dal: string;
  al: string;
  /** One metadata filter: its path in the Allegato 5 metadata and its value (meta.<path>=<value>). */
  meta_path: string;
  meta_value: string;
}

/** A page of the search; `next_cursor` as the lists' hook (usePagedList) wants it. */
export interface AipPage {
  items: Aip[];
  next_cursor: string | null;
}

/** One page of the ente's AIPs matching `f`, newest first; `cursor`: the previous page's next_cursor. */
export async function searchAips(ente: string, f: AipFilters, limit: number, cursor: string | null): Promise<AipPage> {
  const params: Record<string, string | number | null> = {
    ente,
    q: f.q.trim(),
    classe: f.classe.trim(),
    tipo: f.tipo,
    dal: f.dal,
    al: f.al,
    limit,
    cursor,
  };
  const path = f.meta_path.trim();
  if (path && f.meta_value.trim()) params[`meta.${path}`] = f.meta_value.trim();
  return api<AipPage>('GET', `${BASE}/aips` + query(params));
}

export function getAip(id: string): Promise<Aip> {
  return api<Aip>('GET', one('aips', id));
}

/** Saves one file of the package (`position`: its index in `files`). */
export function downloadAipFile(aip: Pick<Aip, 'id'>, position: number, file: PreservedObject): Promise<void> {
  const name = file.path ? file.path.split('/').pop() || `file-${position}` : file.name || `file-${position}`;
  return download(`${one('aips', aip.id)}/files/${position}`, name);
}

/** Saves the DIP: a zip with every file of the package and the certificates to check it offline. */
export function downloadDip(aip: Pick<Aip, 'id'>): Promise<void> {
  return download(`${one('aips', aip.id)}/dip`, `dip-${aip.id}.zip`);
}

export function getAuditStatus(ente: string): Promise<AuditStatus> {
  return api<AuditStatus>('GET', `${BASE}/audits/status` + query({ ente }));
}

/** The ente's audits, newest first. */
export function listAudits(ente: string, limit: number): Promise<{ items: AuditReport[] }> {
  return api<{ items: AuditReport[] }>('GET', `${BASE}/audits` + query({ ente, limit }));
}

/** Verifies every object of the ente in every copy now, repairing from a good copy; 201 with the report. */
export function runAudit(ente: string): Promise<AuditReport> {
  return api<AuditReport>('POST', `${BASE}/audits`, { ente });
}

export function getRetention(ente: string): Promise<RetentionTable> {
  return api<RetentionTable>('GET', `${BASE}/retention` + query({ ente }));
}

/** Replaces the ente's retention table; a 400 names the rule in error (rules[1].years). */
export function putRetention(table: RetentionTable): Promise<RetentionTable> {
  return api<RetentionTable>('PUT', `${BASE}/retention` + query({ ente: table.ente }), table);
}

/** A package whose retention has expired and that is not disposed; `disposal_id`: the open disposal listing it. */
export type DueItem = DisposalItem & { disposal_id: string | null };

/** The ente's packages due for scarto today. */
export function listDue(ente: string): Promise<{ ente: string; items: DueItem[] }> {
  return api<{ ente: string; items: DueItem[] }>('GET', `${BASE}/disposals/due` + query({ ente }));
}

export function listDisposals(ente: string): Promise<{ items: Disposal[] }> {
  return api<{ items: Disposal[] }>('GET', `${BASE}/disposals` + query({ ente }));
}

export function getDisposal(id: string): Promise<Disposal> {
  return api<Disposal>('GET', one('disposals', id));
}

/** Lists the ente's packages whose retention has expired; 422 when none is due. */
export function proposeDisposal(ente: string, reason: string): Promise<Disposal> {
  return api<Disposal>('POST', `${BASE}/disposals`, { ente, reason });
}

export function approveDisposal(id: string, note: string): Promise<Disposal> {
  return api<Disposal>('POST', `${one('disposals', id)}/approve`, { note });
}

export function recordAuthorisation(id: string, a: { authority: string; reference: string; date: string }): Promise<Disposal> {
  return api<Disposal>('POST', `${one('disposals', id)}/authorisation`, a);
}

/** Deletes the packages' content from every copy; their records stay. */
export function executeDisposal(id: string): Promise<Disposal> {
  return api<Disposal>('POST', `${one('disposals', id)}/execute`);
}

export function cancelDisposal(id: string, reason: string): Promise<Disposal> {
  return api<Disposal>('POST', `${one('disposals', id)}/cancel`, { reason });
}

// ---- Labels ----

export const OUTCOMES: Record<IngestOutcome, BadgeLabel> = {
  accepted: ['Accettato', 'bg-success'],
  rejected: ['Rifiutato', 'bg-danger'],
};

export const AIP_KINDS: Record<AipKind, string> = {
  documento_informatico: 'Documento informatico',
  documento_amministrativo_informatico: 'Documento amministrativo informatico',
  aggregazione: 'Aggregazione documentale',
};
export const kindLabel = (k: string) => (AIP_KINDS as Record<string, string>)[k] ?? k;

/** Where a SIP came from. */
export const SOURCES: Record<string, string> = {
  api: 'Versamento tramite API',
  'protocol.daily_register': 'Registro giornaliero di protocollo',
};
export const sourceLabel = (s: string) => SOURCES[s] ?? s;

/** The files of a package by their role. */
export const FILE_ROLES: Record<string, string> = {
  principale: 'Documento principale',
  allegato: 'Allegato',
  metadati: 'Metadati (Allegato 5)',
  indice: 'Indice SInCRO',
  firma: "Firma dell'indice (CAdES)",
  marca_temporale: 'Marca temporale',
};
export const roleLabel = (r: string | undefined) => (r ? (FILE_ROLES[r] ?? r) : '');

export const AUDIT_KINDS: Record<AuditKind, string> = {
  scheduled: 'Pianificata',
  on_demand: 'Su richiesta',
};

export const FINDING_PROBLEMS: Record<FindingProblem, string> = {
  damaged: 'Copia alterata',
  missing: 'Copia mancante',
};

export const FINDING_OUTCOMES: Record<FindingOutcome, BadgeLabel> = {
  repaired: ['Ripristinata', 'bg-success'],
  lost: ['Perso', 'bg-danger'],
};

export const DISPOSAL_STATES: Record<DisposalState, BadgeLabel> = {
  proposed: ['Proposto', 'bg-primary'],
  approved: ["Approvato dall'ente", 'bg-primary'],
  authorised: ['Autorizzato', 'bg-warning'],
  executed: ['Eseguito', 'bg-secondary'],
  cancelled: ['Annullato', 'bg-secondary'],
};

/** A disposal can be withdrawn until the Soprintendenza's authorisation is recorded. */
export const mayBeCancelled = (d: Pick<Disposal, 'state'>) => d.state === 'proposed' || d.state === 'approved';

/** "10 anni", "1 anno", "Permanente". */
export function retentionText(years: number | null | undefined): string {
  if (years === null || years === undefined) return 'Permanente';
  return years === 1 ? '1 anno' : `${years} anni`;
}

/** The TSA in words: the built-in one is not qualified. */
export function tsaText(tsa: string): string {
  return tsa === 'local' ? 'TSA locale della piattaforma (non qualificata)' : tsa;
}
