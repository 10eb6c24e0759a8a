// Shapes of the JSON API under /api/v1 (see docs and /api/v1/openapi.json).

export type Role =
  | 'cst_admin'
  | 'cst_agent'
  | 'committee'
  | 'ente_admin'
  | 'ente_operator'
  | 'police'
  | 'professional'
  | 'citizen'
  | 'auditor'
  | 'agent';

/** A role on one ente (ISTAT code) or, when ente is null, on every ente. */
export interface Grant {
  role: Role;
  ente: string | null;
}

export interface Me {
  id: number | string;
  username: string;
  display_name: string;
  email: string | null;
  /** The person's codice fiscale, when the account has one: their payment positions follow it. */
  fiscal_code: string | null;
  grants: Grant[];
  /** True once the user has a second factor (OTP app). */
  totp_enabled?: boolean;
  /**
   * Staff roles in production must enrol an OTP app first: until then every
   * other API call answers 403 with type ".../totp-enrollment-required".
   */
  totp_enrollment_required?: boolean;
}

/** POST /api/v1/auth/totp/setup: a fresh secret, not stored until confirmed. */
export interface TotpSetup {
  secret: string;
  uri: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ModuleEntry {
  id: string;
  name: string;
  path: string;
}

export interface Ente {
  istat: string;
  name: string;
  kind: 'provincia' | 'comune';
  codice_fiscale: string;
  ipa_code: string | null;
  cadastral_code?: string | null;
  population: number;
  adhesion_date: string | null;
  services: string[];
  patron: Patron | null;
  parent: string | null;
}

export interface Patron {
  name: string;
  month: number;
  day: number;
}

/** POST /api/v1/enti (cst_admin). */
export interface NewEnte {
  istat: string;
  name: string;
  kind: 'provincia' | 'comune';
  parent: string | null;
  codice_fiscale: string;
  ipa_code: string | null;
  cadastral_code: string | null;
  population: number;
  adhesion_date: string | null;
  services: string[];
  patron: Patron | null;
}

export interface User {
  id: number | string;
  username: string;
  display_name: string;
  email: string | null;
  fiscal_code: string | null;
  disabled: boolean;
  totp_enabled: boolean;
  grants: Grant[];
  created_at: string;
}

export interface NewUser {
  username: string;
  display_name: string;
  email?: string;
  /** A person's codice fiscale (citizens, professionals): binds the account to their positions. */
  fiscal_code?: string;
  password: string;
  grants: Grant[];
}

export interface AuditEntry {
  seq: number;
  time: string;
  actor: string | null;
  ente: string | null;
  action: string;
  object_type: string | null;
  object_id: string | number | null;
  outcome: string;
  detail: unknown;
}

export interface Job {
  id: number | string;
  kind: string;
  name?: string;
  ente?: string | null;
  schedule: string | null;
  state: string;
  next_run_at: string | null;
  last_run_at: string | null;
  attempts: number;
  last_error: string | null;
}

/** RFC 9457 problem details, as every API error is returned. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** GET /api/v1/audit/verify: the hash chain check. */
export interface AuditVerification {
  checked: number;
  intact: boolean;
  first_bad_seq: number | null;
  problem: string;
}

// Service desk ("Call center unico", module helpdesk, /api/v1/helpdesk).

export type TicketType = 'incident' | 'request';
export type TicketChannel = 'portal' | 'phone' | 'email' | 'monitoring';
/** GLPI's life cycle; `pending` pauses the resolution SLA. */
export type TicketState = 'new' | 'assigned' | 'in_progress' | 'pending' | 'solved' | 'closed';
export type SlaStatus = 'running' | 'warning' | 'paused' | 'breached' | 'met';

export interface Ticket {
  id: number;
  ente: string;
  type: TicketType;
  channel: TicketChannel;
  category_id: number | null;
  subject: string;
  description: string;
  /** 1 (molto bassa) .. 5 (molto alta). */
  urgency: number;
  impact: number;
  /** 1..5 from the urgency x impact matrix, 6 (critica) only when forced. */
  priority: number;
  priority_label: string;
  state: TicketState;
  requester: { id: number | null; name: string; email: string | null };
  /** name: the assigned person's display name (null when nobody is assigned). */
  assignee: { id: number | null; name: string | null; group: string | null };
  /** Set once the desk merged this ticket into another (which it then follows): that one's id. */
  merged_into: number | null;
  opened_at: string;
  updated_at: string;
  owned_at: string | null;
  solved_at: string | null;
  closed_at: string | null;
  sla: TicketSla;
  /** The assigned group's OLA; null while no group holds the ticket. */
  ola: TicketOla | null;
}

export interface TicketSla {
  /** Time to own: until an agent is assigned. */
  due_own: string;
  /** Time to resolve, pending time excluded (while pending: the due time if resumed now). */
  due_resolve: string;
  own: SlaStatus;
  resolve: SlaStatus;
  escalation_level: number;
}

/** The targets the assigned group owes the desk, counted from its assignment (since). */
export interface TicketOla {
  group: string | null;
  since: string;
  /** Until a person of the group takes the ticket. */
  due_own: string;
  /** Until the group solves it, pending time excluded. */
  due_resolve: string;
  own: SlaStatus;
  resolve: SlaStatus;
}

export type TimelineKind =
  | 'created'
  | 'reply'
  | 'note'
  | 'state'
  | 'assignment'
  | 'priority'
  | 'attachment'
  | 'sla'
  | 'watcher'
  | 'link'
  | 'merge';

export interface TimelineEvent {
  id: number;
  at: string;
  kind: TimelineKind;
  /** False for the desk's internal notes and SLA events (not shown to the requester). */
  public: boolean;
  actor: { id: number | null; name: string };
  body: string;
  /**
   * state/priority: {from, to}; assignment: {assignee_id, assignee_group};
   * attachment: {upload_id, filename, content_type, size, sha256}; sla: {sla, due?, escalation_level?};
   * watcher: {user_id, added}; link: {ticket_id, kind} or {ticket_id, removed: true};
   * merge: {source} on the target (the body tells what was merged) or {target} on the merged one.
   * Events copied by a merge carry `merged_from` (the merged ticket's id).
   */
  data: Record<string, unknown>;
}

export interface TicketDetail extends Ticket {
  timeline: TimelineEvent[];
  /** Users notified of the ticket's changes besides the requester. */
  watchers: TicketWatcher[];
  /** Links to the tickets the reader may see, each read from this ticket's side. */
  links: TicketLink[];
  /** The requester's rating, given once the ticket is solved or closed; null until then. */
  satisfaction?: Satisfaction | null;
}

/** POST /api/v1/helpdesk/tickets/{id}/satisfaction (the requester, once): a comment is required for 1 and 2. */
export interface Satisfaction {
  /** 1 (pessimo) .. 5 (ottimo). */
  score: number;
  comment: string;
  answered_at: string;
}

export interface TicketWatcher {
  id: number;
  name: string;
}

/** How this ticket relates to the other one ("parent_of": this ticket is the other's parent). */
export type LinkKind = 'related' | 'duplicates' | 'duplicated_by' | 'parent_of' | 'child_of';

export interface TicketLink {
  ticket_id: number;
  kind: LinkKind;
  subject: string;
  state: TicketState;
  ente: string;
}

/** The desk's canned answers; placeholders {richiedente} {ticket} {oggetto} {operatore} {ente} are filled on use. */
export interface CannedAnswer {
  id: number;
  title: string;
  body: string;
  category_id: number | null;
  updated_at: string;
  /** The display name of who last saved it. */
  updated_by: string;
}

/** POST and PUT /api/v1/helpdesk/canned-answers (PUT replaces every member). */
export interface CannedAnswerInput {
  title: string;
  body: string;
  category_id: number | null;
}

/** POST /api/v1/helpdesk/tickets/bulk: the desk's change applied to every ticket, all or none. */
export interface BulkChange {
  ids: number[];
  change: TicketChange;
}

export interface TicketCategory {
  id: number;
  parent_id: number | null;
  service: string;
  name: string;
}

/** POST /api/v1/helpdesk/tickets. Channel and requester: the desk only; priority: cst_admin only. */
export interface NewTicket {
  ente: string;
  type: TicketType;
  channel?: TicketChannel;
  category_id?: number;
  subject: string;
  description: string;
  urgency: number;
  impact: number;
  priority?: number;
  requester?: { name: string; email?: string };
}

/** PATCH /api/v1/helpdesk/tickets/{id}: only the members present change. */
export interface TicketChange {
  state?: TicketState;
  assignee_id?: number | null;
  assignee_group?: string | null;
  urgency?: number;
  impact?: number;
  priority?: number;
  category_id?: number;
}

/** Public articles reach everyone who reads tickets; internal ones only the desk. */
export type ArticleVisibility = 'public' | 'internal';

interface ArticleCommon {
  id: number;
  category_id: number | null;
  title: string;
  visibility: ArticleVisibility;
  created_at: string;
  updated_at: string;
  /** The display name of who last saved it. */
  updated_by: string;
}

/** An article of the knowledge base as listed (GET /articles, /articles/suggest): the start of its text. */
export interface ArticleSummary extends ArticleCommon {
  excerpt: string;
}

/** GET /api/v1/helpdesk/articles/{id}: the whole text, plain (line breaks matter, no markup). */
export interface Article extends ArticleCommon {
  body: string;
}

/** POST and PUT /api/v1/helpdesk/articles (the desk only). */
export interface ArticleInput {
  title: string;
  body: string;
  category_id: number | null;
  visibility: ArticleVisibility;
}

export type ReportGrouping = 'ente' | 'category' | 'agent' | 'month';

/** One group of GET /api/v1/helpdesk/reports (or the total); rates and means are null without data. */
export interface ReportLine {
  /** ISTAT code, category or user id, "YYYY-MM"; "" for the total and for "not assigned". */
  key: string;
  label: string;
  opened: number;
  solved: number;
  /** Tickets still open at the end of the period. */
  backlog: number;
  /** Percent of the tickets solved within the resolution SLA. */
  sla_compliance: number | null;
  /** Percent of the solved tickets solved at the first contact. */
  first_contact_rate: number | null;
  mean_time_to_own_minutes: number | null;
  mean_time_to_resolve_minutes: number | null;
  /** Mean rating 1..5 of the `rated` tickets. */
  satisfaction: number | null;
  rated: number;
}

export interface Report {
  from: string;
  to: string;
  by: ReportGrouping;
  lines: ReportLine[];
  total: ReportLine;
}

/** The SLA targets of one priority, in business minutes of the desk's opening hours. */
export interface SlaPolicy {
  priority: number;
  /** "Molto bassa".."Critica" (ignored when saved). */
  label: string;
  own_minutes: number;
  resolve_minutes: number;
  /** Minutes before the resolution deadline at which the ticket escalates, decreasing. */
  escalations: number[];
}

/** GET and PUT /api/v1/helpdesk/settings: the desk reads them, cst_admin changes them. */
export interface DeskSettings {
  /** Compact form, e.g. "mon-fri 08:30-13:00,14:00-17:30". */
  opening_hours: string;
  /** ISTAT code of the seat, whose patron saint's day closes the desk; null: national holidays only. */
  calendar_ente: string | null;
  /** Days after the solution within which the requester may reopen a ticket (1..90). */
  reopen_days: number;
  /** The desk's mailbox, told of new tickets and of alarms on unassigned ones. */
  notify_email: string | null;
  policies: SlaPolicy[];
  /** The assigned groups' targets per priority (OLA), within the SLA of the same priority. */
  ola: OlaPolicy[];
  /** The groups tickets can be assigned to, by name. */
  groups: string[];
}

/** The OLA targets of one priority, in business minutes from the assignment to a group. */
export type OlaPolicy = Omit<SlaPolicy, 'escalations'>;

export interface DeskSettingsInput extends Omit<DeskSettings, 'policies' | 'ola'> {
  policies: Omit<SlaPolicy, 'label'>[];
  ola: Omit<OlaPolicy, 'label'>[];
}

// Antivirus ("Antivirus aggiornato", module antivirus, /api/v1/antivirus).

export type ScanVerdict = 'clean' | 'infected' | 'error';
/** Why a scan gave no verdict: above clamd's stream limit (oversize "flag"), or clamd stopped at one of its limits. */
export type ScanErrorReason = 'too_large' | 'not_fully_scanned';

/** POST /api/v1/antivirus/scan (the file is not kept) and the items of GET /antivirus/scans. */
export interface ScanResult {
  id: number;
  ente: string;
  filename: string;
  size: number;
  sha256: string;
  verdict: ScanVerdict;
  signature: string | null;
  reason: ScanErrorReason | null;
  actor: string;
  scanned_at: string;
  duration_ms: number;
}

export type QuarantineStatus = 'held' | 'released' | 'discarded';

/** An infected upload refused and kept aside; its content is cst_admin's only. */
export interface QuarantineRecord {
  id: string;
  ente: string;
  owner_id: number | null;
  actor: string;
  /** Which upload path refused it (uploads, ticket attachments, mail-in...). */
  source: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  signature: string;
  detected_at: string;
  status: QuarantineStatus;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  /** Once released: the ordinary upload it became. */
  released_upload_id: string | null;
  /** The service desk's ticket "File infetto bloccato", when the helpdesk module opened one. */
  ticket_id: number | null;
}

export type SignatureFreshness = 'fresh' | 'stale' | 'unknown';

/** The clamd process run by `cst serve` itself (null when clamd is run by someone else). */
export interface EngineSupervisor {
  running: boolean;
  pid: number;
  restarts: number;
  last_error: string;
  running_since: string | null;
  last_startup_ms: number | null;
}

/** GET /api/v1/antivirus/engine: clamd's VERSION, the signatures' age and the supervisor's health. */
export interface EngineStatus {
  reachable: boolean;
  endpoint: string;
  engine_version: string | null;
  signature_version: number | null;
  signature_date: string | null;
  signature_age_hours: number | null;
  /** "unknown" with the offline test signatures (no daily database): no alarm. */
  signatures: SignatureFreshness;
  max_age_hours: number;
  max_stream_bytes: number;
  /** Files above max_stream_bytes: refused (413) or accepted marked "not scanned". */
  oversize: 'reject' | 'flag';
  supervised: boolean;
  supervisor: EngineSupervisor | null;
  error: string | null;
  checked_at: string;
}

export type AntivirusEventKind =
  | 'quarantine'
  | 'engine_down'
  | 'engine_up'
  | 'engine_stale'
  | 'engine_fresh'
  | 'endpoint_outdated'
  | 'endpoint_silent'
  | 'endpoint_ok';

export interface AntivirusEvent {
  id: number;
  ente: string;
  kind: AntivirusEventKind;
  /** Italian, ready to show. */
  subject: string;
  detail: string;
  ticket_id: number | null;
  created_at: string;
}

export type EndpointStatus = 'protected' | 'outdated' | 'silent';

/** A PC or server of an ente, as its agent last reported it; the status is computed at read time. */
export interface AvEndpoint {
  id: number;
  ente: string;
  hostname: string;
  os: string | null;
  product: string | null;
  engine_version: string | null;
  signature_version: string | null;
  signature_updated_at: string | null;
  signature_age_hours: number | null;
  last_full_scan_at: string | null;
  detections: number | null;
  realtime_protection: boolean | null;
  first_seen_at: string;
  last_report_at: string;
  status: EndpointStatus;
}

export interface EndpointCounts {
  protected: number;
  outdated: number;
  silent: number;
  total: number;
}

/** GET /api/v1/antivirus/endpoints/summary: per ente, with the thresholds used. */
export interface EndpointSummary {
  items: (EndpointCounts & { ente: string; name: string })[];
  totals: EndpointCounts;
  outdated_after_hours: number;
  silent_after_hours: number;
}

/** GET/PUT /api/v1/antivirus/settings (PUT: cst_admin). */
export interface AntivirusSettings {
  outdated_after_hours: number;
  silent_after_hours: number;
  engine_max_age_hours: number;
  updated_at: string;
}

export type AntivirusSettingsInput = Omit<AntivirusSettings, 'updated_at'>;

/** POST /api/v1/antivirus/agents: a machine identity for one ente; the token is returned once. */
export interface AgentToken {
  token: string;
  user: { id: number; username: string };
}

// Pagamenti online (module payments, /api/v1/payments): pagoPA through the CST as intermediary.

/** An account money goes to; stored normalised (no spaces, upper case). */
export interface CreditorIban {
  iban: string;
  label: string | null;
  /** Exactly one per configuration: where a transfer goes when nothing else is said. */
  primary: boolean;
}

/** A code of pagoPA's service taxonomy, in full form ("9/0101002IM/"), with the ente's label. */
export interface ServiceCode {
  code: string;
  label: string;
}

/**
 * GET/PUT /api/v1/payments/creditors/{istat}: the ente's pagoPA creditor configuration. Before the
 * first PUT: configured false, null codes and dates, empty lists.
 */
export interface Creditor {
  ente: string;
  configured: boolean;
  fiscal_code: string | null;
  segregation_code: string | null;
  ibans: CreditorIban[];
  service_codes: ServiceCode[];
  updated_at: string | null;
  /** The username of who saved it ("demo" for the demo's seed). */
  updated_by: string | null;
}

/**
 * PUT /api/v1/payments/creditors/{istat} (cst_admin, the ente's ente_admin): replaces the whole
 * configuration. Errors name items by position: ibans[1].iban, service_codes[0].code.
 */
export interface CreditorInput {
  fiscal_code: string;
  segregation_code: string;
  ibans: { iban: string; label?: string; primary?: boolean }[];
  service_codes: ServiceCode[];
}

/** A debt position's state (docs/payments.md "States"). */
export type PositionStatus = 'DRAFT' | 'VALID' | 'PARTIALLY_PAID' | 'PAID' | 'REPORTED' | 'EXPIRED' | 'INVALID';

/** Who owes: F a person (16-character codice fiscale), G a legal entity (11 digits). */
export interface Debtor {
  type: 'F' | 'G';
  fiscal_code: string;
  name: string;
  street: string | null;
  civic_number: string | null;
  postal_code: string | null;
  city: string | null;
  province: string | null;
  country: string | null;
  email: string | null;
}

/** Where part of an option's money goes: the ente's own account, or another creditor's. */
export interface Transfer {
  seq: number;
  amount_cents: number;
  remittance: string;
  iban: string;
  /** null: the ente itself. */
  beneficiary_fiscal_code: string | null;
}

/** A way to pay a position: the single payment (instalment false) or one instalment of a plan. */
export interface PaymentOption {
  id: number;
  seq: number;
  amount_cents: number;
  due_date: string;
  description: string | null;
  instalment: boolean;
  iuv: string;
  notice_number: string;
  /** The notice number in groups of four, as printed. */
  notice_number_printed: string;
  transfers: Transfer[];
}

/** One change of a position: create, publish, invalidate, expire, full_payment, partial_payment. */
export interface PositionEvent {
  at: string;
  /** A username, "system" (the expiry job) or "pagopa" (a receipt). */
  actor: string;
  event: string;
  from_status: PositionStatus | null;
  to_status: PositionStatus | null;
  reason: string | null;
}

/** GET /api/v1/payments/positions: a position without its options. */
export interface PositionSummary {
  id: number;
  ente: string;
  reference: string;
  description: string;
  service_code: string;
  status: PositionStatus;
  debtor: Debtor;
  /** The single payment's amount, or the plan's total when there is none. */
  amount_cents: number;
  options_count: number;
  valid_until: string | null;
  invalid_reason: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** GET /api/v1/payments/positions/{id}: the position with its options and timeline. */
export interface Position extends PositionSummary {
  options: PaymentOption[];
  timeline: PositionEvent[];
}

/** A receipt (paSendRTV2) as stored; anomaly set when the position could not take it. */
export interface Receipt {
  id: number;
  receipt_id: string;
  ente: string;
  position_id: number | null;
  option_id: number | null;
  notice_number: string;
  iuv: string;
  outcome: 'OK' | 'KO';
  amount_cents: number;
  fee_cents: number | null;
  description: string;
  creditor_fiscal_code: string;
  debtor: { type: string; fiscal_code: string; name: string } | null;
  payer: { type: string; fiscal_code: string; name: string } | null;
  psp: { id: string; name: string; channel: string | null };
  payment_method: string | null;
  payment_date_time: string | null;
  application_date: string | null;
  transfer_date: string | null;
  stand_in: boolean;
  anomaly: string | null;
  received_at: string;
}

export type ImportMode = 'all_or_nothing' | 'valid_rows';
export type ImportOutcome = 'completed' | 'partial' | 'rejected';

/** An error of a tax-roll import, placed in the file (line 1 is the header). */
export interface ImportError {
  line: number;
  column: string;
  /** The API field of the error, when the position's validation found it; null for the file's own reading. */
  field: string | null;
  message: string;
}

/** A tax-roll import's report (POST /api/v1/payments/imports, GET …/imports/{id}; the list leaves out errors). */
export interface ImportReport {
  id: number;
  ente: string;
  mode: ImportMode;
  publish: boolean;
  outcome: ImportOutcome;
  file_bytes: number;
  file_sha256: string;
  lines: number;
  rows: number;
  rows_accepted: number;
  rows_rejected: number;
  positions_created: number;
  positions_rejected: number;
  errors_total: number;
  /** The first 1000, in line order (absent from the list). */
  errors?: ImportError[];
  started_at: string;
  finished_at: string;
  by: string;
}

/** The citizen's lookup: a notice's state as its debtor and the PSPs see it. */
export type CitizenNoticeState = 'da_pagare' | 'pagato' | 'scaduto' | 'annullato';

/**
 * GET /api/v1/payments/public/notices/{notice_number}?fiscal_code= (no login): one item per ente
 * that issued this number to this debtor (two only when two enti share a segregation code).
 */
export interface CitizenNotice {
  ente: string;
  /** "Comune di Cremona". */
  ente_name: string;
  creditor_fiscal_code: string;
  notice_number: string;
  iuv: string;
  /** The position's description. */
  description: string;
  /** The option's own (an instalment's), when it has one. */
  option_description: string | null;
  amount_cents: number;
  due_date: string;
  instalment: boolean;
  /** How many instalments the plan has (0 without a plan). */
  instalments: number;
  /** Which of them this one is (1..), 0 for the single payment. */
  instalment_number: number;
  state: CitizenNoticeState;
  /** The notice PDF's address while it is payable, else null. */
  notice_pdf: string | null;
  /** Once paid: the receipt pagoPA issued. */
  receipt: {
    receipt_id: string;
    amount_cents: number;
    payment_date_time: string;
    /** The PSP's name. */
    psp: string;
    /** The receipt XML's address. */
    xml: string;
  } | null;
}

/**
 * GET /api/v1/payments/mine: the logged-in user's own notices (debtor = the account's fiscal
 * code), newest positions first; their notice_pdf and receipt.xml addresses need no fiscal code.
 */
export interface MyNotices {
  /** The account's fiscal code; null when it has none (and then no items). */
  fiscal_code: string | null;
  items: CitizenNotice[];
  /** More notices than one answer holds (500): the oldest are left out. */
  truncated: boolean;
}

/** A reconciliation file's state: ACQUIRED, or ANOMALOUS when a row or the flow itself has an anomaly. */
export type FlowState = 'ACQUIRED' | 'ANOMALOUS';
/** A reported payment's state: matched (OK), ANOMALOUS, or collected on another intermediary's notice. */
export type FlowRowState = 'OK' | 'ANOMALOUS' | 'OTHER_INTERMEDIARY';

/** An anomaly with GovPay's code ("007104") and the server's Italian text. */
export interface FlowAnomaly {
  code: string;
  message: string;
}

/** One payment of a reconciliation file (datiSingoliPagamenti) with our verdict. */
export interface FlowRow {
  id: number;
  /** 1.. in file order. */
  seq: number;
  iuv: string;
  /** The receipt's receiptId. */
  iur: string;
  transfer_index: number;
  /** Signed: a revocation is negative. */
  amount_cents: number;
  outcome_code: number;
  /** The outcome code in Italian ("eseguito", "revocato", …). */
  outcome: string;
  outcome_date: string;
  state: FlowRowState;
  anomaly: FlowAnomaly | null;
  /** The matched receipt's id (payments_receipts), when there is one. */
  receipt_id: number | null;
  position_id: number | null;
}

/**
 * A reconciliation file (FdR) as imported: POST/GET /api/v1/payments/reconciliation/flows[/{id}]
 * (the list leaves out `rows`).
 */
export interface ReconciliationFlow {
  id: number;
  ente: string;
  /** identificativoFlusso. */
  flow_id: string;
  flow_date_time: string;
  /** The SCT's reference (identificativoUnivocoRegolamento). */
  settlement_ref: string;
  settlement_date: string;
  psp: { id: string; id_type: string; name: string | null };
  bic: string | null;
  receiver: { fiscal_code: string; name: string | null };
  declared_count: number;
  declared_total_cents: number;
  rows_count: number;
  total_cents: number;
  rows_ok: number;
  rows_anomalous: number;
  rows_other_intermediary: number;
  positions_reported: number;
  state: FlowState;
  /** The flow's own anomalies (count and total against the header). */
  anomalies: FlowAnomaly[];
  /** The later revision that replaces this one. */
  superseded_by: number | null;
  current: boolean;
  xml_sha256: string;
  imported_at: string;
  imported_by: string;
  rows?: FlowRow[];
}

/** GET /api/v1/payments/reconciliation/anomalies: an anomalous row of a current flow, with its flow. */
export interface OpenAnomaly extends FlowRow {
  flow: { id: number; ente: string; flow_id: string; psp_id: string; settlement_date: string };
}

/** The open anomalies' page; on the first page also the current flows with anomalies of their own. */
export interface AnomaliesPage extends Page<OpenAnomaly> {
  flows?: ReconciliationFlow[];
}

// Protocollo informatico (docs/protocol.md): the AOO, the titolario, the fascicoli and the
// registrations of the ente's register.

/** GET/PUT /api/v1/protocol/aoo/{istat}: the AOO; `configured: false` (nothing else) before the first PUT. */
export interface ProtocolAoo {
  ente: string;
  configured: boolean;
  /** The AOO's IPA code. */
  aoo_code?: string;
  aoo_name?: string;
  /** The register's code, e.g. "PG". */
  registry_code?: string;
  /** The AOO's PEC address; null when not set. */
  pec?: string | null;
  updated_at?: string;
  updated_by?: string;
}

/** The whole AOO (PUT replaces it): a `pec` absent or "" leaves the AOO without one. */
export interface ProtocolAooInput {
  aoo_code: string;
  aoo_name: string;
  registry_code: string;
  pec?: string;
}

/** A class of the titolario: "6" (titolo) or "6.3" (classe). */
export interface ProtocolClass {
  code: string;
  description: string;
  active: boolean;
}

/** A fascicolo, opened under a class; closed ones take no more registrations. */
export interface ProtocolFolder {
  ente: string;
  code: string;
  subject: string;
  class_code: string;
  opened_on: string;
  closed_on: string | null;
}

export type ProtocolFlow = 'incoming' | 'outgoing' | 'internal';
export type ProtocolStatus = 'registered' | 'annulled';
export type CorrespondentKind = 'person' | 'company' | 'administration';

/** The sender of an incoming document or a recipient of an outgoing one. */
export interface Correspondent {
  kind: CorrespondentKind;
  /** "Mario Rossi" for a person, the name for the others. */
  display_name: string;
  first_name?: string;
  last_name?: string;
  name?: string;
  fiscal_code: string | null;
  ipa_code: string | null;
  /** PEC or e-mail. */
  email: string | null;
}

/** The primary document (seq 0) or an attachment, as registered with its impronta. */
export interface ProtocolDocument {
  seq: number;
  role: 'primary' | 'attachment';
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  description: string | null;
  upload_id: string;
}

/** Art. 54: who annulled a registration, when, why and on whose authorisation. */
export interface Annulment {
  reason: string;
  authorisation: string;
  annulled_by: string;
  annulled_at: string;
}

/** A registration of the register; never changed, except for its annulment. */
export interface Registration {
  id: number;
  ente: string;
  year: number;
  /** Seven digits at least: "0000042". */
  number: string;
  registry_code: string;
  registered_at: string;
  /** The date in Europe/Rome. */
  registered_on: string;
  registered_by: string;
  flow: ProtocolFlow;
  subject: string;
  correspondents: Correspondent[];
  sender_date: string | null;
  sender_number: string | null;
  class_code: string;
  class_description: string;
  folder_code: string | null;
  folder_subject: string | null;
  channel: string | null;
  reserved: boolean;
  attachments_count: number;
  /** Empty in the search's answer. */
  documents: ProtocolDocument[];
  segnatura_sha256: string;
  status: ProtocolStatus;
  annulment: Annulment | null;
}

/** A correspondent as POST /registrations reads it. */
export interface CorrespondentInput {
  kind: CorrespondentKind;
  first_name?: string;
  last_name?: string;
  name?: string;
  fiscal_code?: string;
  ipa_code?: string;
  email?: string;
}

/** POST /api/v1/protocol/registrations: the documents are uploads of the same ente, named by id. */
export interface RegistrationInput {
  ente: string;
  flow: ProtocolFlow;
  subject: string;
  class_code: string;
  folder_code?: string;
  channel?: string;
  reserved: boolean;
  correspondents: CorrespondentInput[];
  sender_date?: string;
  sender_number?: string;
  primary_document: { upload_id: string; description?: string };
  attachments: { upload_id: string; description: string }[];
}

/** POST /api/v1/uploads: a file scanned by the antivirus and stored, to be named by id. */
export interface Upload {
  id: string;
  ente: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  scan: 'clean' | 'not_scanned' | 'released';
  created_at: string;
}

/** A daily register (registro giornaliero di protocollo) of one ente and Rome day. */
export interface DailyRegister {
  id: number;
  ente: string;
  /** YYYY-MM-DD, Europe/Rome. */
  day: string;
  registrations: number;
  annulments: number;
  pdf_sha256: string;
  pdf_size: number;
  json_sha256: string;
  json_size: number;
  produced_at: string;
}

/** GET /api/v1/protocol/daily-registers?ente=: the page, and the past days still without a register. */
export interface DailyRegistersPage {
  items: DailyRegister[];
  next_cursor: string | null;
  missing: string[];
}
