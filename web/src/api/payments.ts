// The payments module's calls (docs/payments.md): the enti's pagoPA creditor configuration, debt
// positions and their notices, receipts, tax-roll imports, reconciliation files, and the citizen's
// lookup of a notice (no login).
import { api, download, query, upload } from './client';
import type {
  AnomaliesPage,
  CitizenNotice,
  Creditor,
  CreditorInput,
  ImportMode,
  ImportReport,
  MyNotices,
  Page,
  Position,
  PositionStatus,
  PositionSummary,
  Receipt,
  ReconciliationFlow,
} from './types';

const BASE = '/api/v1/payments';
const creditorUrl = (istat: string) => `${BASE}/creditors/${encodeURIComponent(istat)}`;
const positionUrl = (id: number | string) => `${BASE}/positions/${encodeURIComponent(String(id))}`;

/** The ente's configuration; `configured: false` (not an error) when it has none yet. */
export function getCreditor(istat: string): Promise<Creditor> {
  return api<Creditor>('GET', creditorUrl(istat));
}

/** Replaces the ente's configuration; a 400/409 ApiError names the fields in error. */
export function putCreditor(istat: string, input: CreditorInput): Promise<Creditor> {
  return api<Creditor>('PUT', creditorUrl(istat), input);
}

/** The positions list's filters, as the API names them (empty: not filtered). */
export interface PositionFilters {
  ente: string;
  status: '' | PositionStatus;
  debtor_fiscal_code: string;
  /** Spaces allowed, as printed on the notice. */
  notice_number: string;
  /** Text in the description or the debtor's name. */
  q: string;
}

/** The filters as query parameters (trimmed, empty ones left out by query()). */
function filterParams(f: PositionFilters) {
  return {
    ente: f.ente,
    status: f.status,
    debtor_fiscal_code: f.debtor_fiscal_code.trim(),
    notice_number: f.notice_number.trim(),
    q: f.q.trim(),
  };
}

/** One page of the positions matching `f`, newest first. */
export function listPositions(f: PositionFilters, limit: number, cursor: string | null): Promise<Page<PositionSummary>> {
  return api<Page<PositionSummary>>('GET', `${BASE}/positions` + query({ ...filterParams(f), limit, cursor }));
}

export function getPosition(id: number | string): Promise<Position> {
  return api<Position>('GET', positionUrl(id));
}

/** DRAFT → VALID: its notice numbers become payable. */
export function publishPosition(id: number): Promise<Position> {
  return api<Position>('POST', `${positionUrl(id)}/publish`);
}

/** DRAFT/VALID → INVALID, with the reason (required, audited). */
export function invalidatePosition(id: number, reason: string): Promise<Position> {
  return api<Position>('POST', `${positionUrl(id)}/invalidate`, { reason });
}

/** Deletes a DRAFT (204); its notice numbers are never issued again. */
export function deletePosition(id: number): Promise<void> {
  return api<void>('DELETE', positionUrl(id));
}

/** Saves the notice PDF of a VALID or PARTIALLY_PAID position; 409 for any other state. */
export function downloadNotice(p: { id: number; reference: string }): Promise<void> {
  return download(`${positionUrl(p.id)}/notice.pdf`, `avviso-${p.reference.replace(/\//g, '-')}.pdf`);
}

/** Status values the bulk notices accept: the payable ones. */
export const PRINTABLE_STATUSES: readonly PositionStatus[] = ['VALID', 'PARTIALLY_PAID'];

/**
 * Saves one PDF with the notices of every payable position matching `f` (paging does not apply);
 * 404 "no-notices" when none, 422 "too-many-notices" over 5000.
 */
export function downloadNotices(f: PositionFilters): Promise<void> {
  return download(`${BASE}/notices.pdf` + query(filterParams(f)), f.ente ? `avvisi-${f.ente}.pdf` : 'avvisi-enti.pdf');
}

/** The receipts of one position, newest first. */
export function listReceipts(positionId: number, limit: number, cursor: string | null): Promise<Page<Receipt>> {
  return api<Page<Receipt>>('GET', `${BASE}/receipts` + query({ position_id: positionId, limit, cursor }));
}

/** The receipt as the pagoPA node delivered it (XML). */
export const receiptXmlUrl = (id: number) => `${BASE}/receipts/${id}/receipt.xml`;

/** Imports a tax roll (the CSV sent as the body); 201 with the report, also when its rows were refused. */
export function importRoll(ente: string, mode: ImportMode, publish: boolean, file: Blob): Promise<ImportReport> {
  return upload<ImportReport>(`${BASE}/imports` + query({ ente, mode, publish: publish ? 'true' : 'false' }), file, 'text/csv');
}

/** The imports' reports without their errors, newest first (`ente` empty: every ente of the user). */
export function listImports(ente: string, limit: number, cursor: string | null): Promise<Page<ImportReport>> {
  return api<Page<ImportReport>>('GET', `${BASE}/imports` + query({ ente, limit, cursor }));
}

/** One import's report with its errors (the first 1000). */
export function getImport(id: number): Promise<ImportReport> {
  return api<ImportReport>('GET', `${BASE}/imports/${id}`);
}

/** An import's errors as a CSV for the spreadsheet (riga;colonna;errore). */
export const importErrorsUrl = (id: number) => `${BASE}/imports/${id}/errors.csv`;

// Riconciliazione (FdR): the PSPs' reconciliation files, their reports, the open anomalies and
// the accounting export.
const RECONCILIATION = `${BASE}/reconciliation`;

/**
 * Imports a reconciliation file (the XML sent as the body, as received from the node): 201 with
 * the report, 200 with the stored one when the same file was imported before. The ente is the
 * flow's receiver (istitutoRicevente); a file the schema refuses is 400, a receiver that is none
 * of our creditors 422, the same flow with other content 409.
 */
export function importFlow(file: Blob): Promise<ReconciliationFlow> {
  return upload<ReconciliationFlow>(`${RECONCILIATION}/flows`, file, 'application/xml');
}

/** The imported flows without their rows, newest first (`ente` empty: every ente of the user). */
export function listFlows(ente: string, limit: number, cursor: string | null): Promise<Page<ReconciliationFlow>> {
  return api<Page<ReconciliationFlow>>('GET', `${RECONCILIATION}/flows` + query({ ente, limit, cursor }));
}

/** One flow's report with every row, its match and its anomaly. */
export function getFlow(id: number): Promise<ReconciliationFlow> {
  return api<ReconciliationFlow>('GET', `${RECONCILIATION}/flows/${id}`);
}

/** The flow's file exactly as imported. */
export const flowXmlUrl = (id: number) => `${RECONCILIATION}/flows/${id}/flow.xml`;

/** The anomalous rows of the current flows, newest first; the first page also lists the flows' own anomalies. */
export function listAnomalies(ente: string, limit: number, cursor: string | null): Promise<AnomaliesPage> {
  return api<AnomaliesPage>('GET', `${RECONCILIATION}/anomalies` + query({ ente, limit, cursor }));
}

/**
 * Saves the accounting export of one ente (CSV for the spreadsheet: `;`, decimal comma), the
 * payments of its current flows settled from `from` to `to` (YYYY-MM-DD, inclusive, both optional).
 */
export function downloadAccountingExport(ente: string, from: string, to: string): Promise<void> {
  return download(`${RECONCILIATION}/export.csv` + query({ ente, from, to }), `riconciliazione-${ente}.csv`);
}

// The citizen's lookup (no login): the notice number printed on the paper and the debtor's own
// fiscal code are the keys; a wrong pair is a 404 that does not say which key was wrong.
const PUBLIC_NOTICES = `${BASE}/public/notices`;

/** The notice number as the path wants it: the digits without the spaces of the printed groups. */
const compactNotice = (n: string) => encodeURIComponent(n.replace(/\s+/g, ''));

/** The notices with this number for this debtor (one per ente that issued it); 404 when none, 400 naming the key that is malformed. */
export function lookupNotice(noticeNumber: string, fiscalCode: string): Promise<{ items: CitizenNotice[] }> {
  return api<{ items: CitizenNotice[] }>('GET', `${PUBLIC_NOTICES}/${compactNotice(noticeNumber)}` + query({ fiscal_code: fiscalCode }));
}

/**
 * The query of a public download: the same fiscal code, and the ente when the number names more
 * than one notice (two enti with the same segregation code).
 */
const publicKeys = (fiscalCode: string, n: CitizenNotice, several: boolean) => query({ fiscal_code: fiscalCode, ente: several ? n.ente : '' });

/** Saves the notice PDF of a payable notice (409 once it is not). */
export function downloadPublicNotice(n: CitizenNotice, fiscalCode: string, several: boolean): Promise<void> {
  return download((n.notice_pdf ?? `${PUBLIC_NOTICES}/${n.notice_number}/notice.pdf`) + publicKeys(fiscalCode, n, several), `avviso-${n.notice_number}.pdf`);
}

/** Saves the receipt of a paid notice as pagoPA issued it (XML). */
export function downloadPublicReceipt(n: CitizenNotice, fiscalCode: string, several: boolean): Promise<void> {
  return download((n.receipt?.xml ?? `${PUBLIC_NOTICES}/${n.notice_number}/receipt.xml`) + publicKeys(fiscalCode, n, several), `ricevuta-${n.notice_number}.xml`);
}

// The logged-in debtor's own notices: found by the account's fiscal code, so their downloads
// need none (only ?ente= when two enti issued the same number to this debtor).

/** Every published notice whose debtor has the account's fiscal code, newest first. */
export function listMyNotices(): Promise<MyNotices> {
  return api<MyNotices>('GET', `${BASE}/mine`);
}

const ownKeys = (n: CitizenNotice, several: boolean) => query({ ente: several ? n.ente : '' });

/** Saves the notice PDF of one of the user's own payable notices. */
export function downloadMyNotice(n: CitizenNotice, several: boolean): Promise<void> {
  return download((n.notice_pdf ?? `${BASE}/mine/${n.notice_number}/notice.pdf`) + ownKeys(n, several), `avviso-${n.notice_number}.pdf`);
}

/** Saves the receipt of one of the user's own paid notices (XML). */
export function downloadMyReceipt(n: CitizenNotice, several: boolean): Promise<void> {
  return download((n.receipt?.xml ?? `${BASE}/mine/${n.notice_number}/receipt.xml`) + ownKeys(n, several), `ricevuta-${n.notice_number}.xml`);
}
