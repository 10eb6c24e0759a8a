import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, toApiError } from '../api/client';
import type { DeskSettings, DeskSettingsInput, Ente } from '../api/types';
import { ErrorText, RequiredNote, SelectField, TextAreaField, TextField } from '../components/Field';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../components/useProblemForm';
import { formatBusinessMinutes, formatDayMonth, formatDecimal, formatHoursMinutes, sentence } from '../format';
import { HelpdeskBreadcrumb, isDesk, mayEditDeskSettings, PRIORITIES, priorityLabel } from '../helpdesk';
import { fetchAll, useSession } from '../session';
import { HelpdeskNav } from './HelpdeskNav';

// "Impostazioni del call center" (/assistenza/impostazioni): the desk's opening hours, the seat
// whose patron saint closes it, the reopen window, the desk's mailbox, the SLA targets of each
// priority with the OLA the assigned group owes, and the assignment groups. The desk reads them;
// only the CST administrator changes them (PUT, all at once).

const TITLE = 'Impostazioni del call center';
const SETTINGS_URL = '/api/v1/helpdesk/settings';
const HOURS_EXAMPLE = 'mon-fri 08:30-13:00,14:00-17:30';
const ESCALATION_EXAMPLE = '480, 120';
export const SETTINGS_SAVED = 'Impostazioni salvate: le scadenze dei ticket aperti saranno ricalcolate entro un minuto.';

export function ImpostazioniPage() {
  const { me } = useSession();
  if (!me || !isDesk(me.grants)) {
    return (
      <>
        <HelpdeskBreadcrumb current="Impostazioni" />
        <PageTitle title={TITLE}>{TITLE}</PageTitle>
        <HelpdeskNav />
        <div className="alert alert-warning" role="alert">
          Le impostazioni sono riservate al call center del CST.
        </div>
      </>
    );
  }
  return <DeskSettingsPage editable={mayEditDeskSettings(me.grants)} />;
}

function DeskSettingsPage({ editable }: { editable: boolean }) {
  const [settings, setSettings] = useState<DeskSettings | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    api<DeskSettings>('GET', SETTINGS_URL)
      .then((s) => live && setSettings(s))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <HelpdeskBreadcrumb current="Impostazioni" />
      <PageTitle
        title={TITLE}
        lead="Orario di servizio e calendario, riapertura delle segnalazioni, casella del call center, tempi di servizio (SLA e OLA dei gruppi) di ogni priorità e gruppi di assegnazione."
      >
        {TITLE}
      </PageTitle>
      <HelpdeskNav />
      <ProblemAlert error={error} />
      {!settings && !error && <Loading />}
      {settings && (editable ? <SettingsForm saved={settings} onSaved={setSettings} /> : <SettingsSummary settings={settings} />)}
    </>
  );
}

// --- Readings shared by the summary and the form ---------------------------------------------

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ITALIAN_DAYS: Record<string, string> = { mon: 'lun', tue: 'mar', wed: 'mer', thu: 'gio', fri: 'ven', sat: 'sab', sun: 'dom' };

/** "mon-fri 08:30-13:00,14:00-17:30" → "lun-ven 08:30-13:00, 14:00-17:30". */
function italianHours(text: string): string {
  return text
    .trim()
    .replace(/\b(mon|tue|wed|thu|fri|sat|sun)\b/gi, (d) => ITALIAN_DAYS[d.toLowerCase()] ?? d)
    .replace(/\s*,\s*/g, ', ')
    .replace(/\s*;\s*/g, '; ');
}

/**
 * The business minutes of an open day when every open day has the same hours (the usual case),
 * read from the compact form as the server parses it; null when they differ or the text is not valid.
 */
function openDayMinutes(text: string): number | null {
  const perDay = new Map<number, number>();
  for (const raw of text.split(';')) {
    const group = raw.trim();
    if (!group) continue;
    const m = /^(\S+)\s+(.+)$/.exec(group);
    if (!m) return null;
    let length = 0;
    for (const item of m[2].split(',')) {
      const t = /^\s*(\d{2}):(\d{2})-(\d{2}):(\d{2})\s*$/.exec(item);
      if (!t) return null;
      const span = Number(t[3]) * 60 + Number(t[4]) - (Number(t[1]) * 60 + Number(t[2]));
      if (span <= 0) return null;
      length += span;
    }
    for (const item of m[1].split(',')) {
      const [first, last = first] = item.trim().toLowerCase().split('-');
      const a = DAY_NAMES.indexOf(first);
      const b = DAY_NAMES.indexOf(last);
      if (a < 0 || b < a) return null;
      for (let d = a; d <= b; d++) perDay.set(d, (perDay.get(d) ?? 0) + length);
    }
  }
  const lengths = [...perDay.values()];
  return lengths.length > 0 && lengths.every((x) => x === lengths[0]) ? lengths[0] : null;
}

/** 1920 → "32 h lavorative (4 giorni di apertura)" with 8 h a day; the days only from one day up. */
function targetReading(minutes: number, dayMinutes: number | null): string {
  const text = formatBusinessMinutes(minutes);
  if (!dayMinutes || minutes < dayMinutes) return text;
  const days = minutes / dayMinutes;
  return `${text} (${formatDecimal(days)} ${days === 1 ? 'giorno' : 'giorni'} di apertura)`;
}

/** [480, 120] → "8 h e 2 h lavorative prima della scadenza". */
function escalationReading(levels: number[]): string {
  if (levels.length === 0) return 'Nessuna escalation';
  const parts = levels.map(formatHoursMinutes);
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} e ${parts[parts.length - 1]}`;
  return `${list} lavorative prima della scadenza`;
}

/** "Cremona (019036), patrono Sant'Omobono (13 novembre)". */
function enteLabel(e: Ente): string {
  const patron = e.patron ? `, patrono ${e.patron.name} (${formatDayMonth(e.patron.day, e.patron.month)})` : '';
  return `${e.name} (${e.istat})${patron}`;
}

function enteReading(istat: string | null, byIstat: Map<string, Ente>): string {
  if (!istat) return 'Nessuna: chiudono il call center solo le festività nazionali';
  const e = byIstat.get(istat);
  return e ? enteLabel(e) : istat;
}

const sortedPolicies = (s: DeskSettings) => [...s.policies].sort((a, b) => a.priority - b.priority);
const olaOf = (s: DeskSettings, priority: number) => s.ola.find((o) => o.priority === priority);
const OLA_NOTE =
  "L'OLA è il tempo che il gruppo assegnatario deve al call center, dal momento dell'assegnazione: entro lo SLA della stessa priorità.";

// --- Read-only: the desk's agents ----------------------------------------------------------------

function SettingsSummary({ settings }: { settings: DeskSettings }) {
  const { entiByIstat } = useSession();
  const dayMinutes = openDayMinutes(settings.opening_hours);
  const rows: [string, string][] = [
    [
      'Orario di apertura',
      italianHours(settings.opening_hours) + (dayMinutes ? ` (${formatHoursMinutes(dayMinutes)} al giorno)` : ''),
    ],
    ['Sede del calendario', enteReading(settings.calendar_ente, entiByIstat)],
    ['Riapertura delle segnalazioni risolte', `Entro ${settings.reopen_days} ${settings.reopen_days === 1 ? 'giorno' : 'giorni'} dalla soluzione`],
    ['Casella del call center', settings.notify_email ?? 'Nessuna'],
  ];
  return (
    <div data-testid="settings-summary">
      <div className="alert alert-info" data-testid="settings-readonly-note">
        Solo l&apos;amministratore del CST modifica queste impostazioni: per un cambiamento rivolgiti a lui.
      </div>
      <h2 className="h3 mt-4">Orario e calendario</h2>
      <dl className="row cst-dl">
        {rows.map(([k, v]) => (
          <div className="col-12 d-sm-flex border-bottom py-2" key={k}>
            <dt className="col-sm-4">{k}</dt>
            <dd className="col-sm-8 mb-0">{v}</dd>
          </div>
        ))}
      </dl>
      <h2 className="h3 mt-5" id="tempi-di-servizio">
        Tempi di servizio per priorità
      </h2>
      <p>Minuti lavorativi: contano solo le ore di apertura del call center.</p>
      <div className="table-responsive">
        <table className="table cst-table" aria-labelledby="tempi-di-servizio" data-testid="settings-policies">
          <thead>
            <tr>
              <th scope="col">Priorità</th>
              <th scope="col">Presa in carico</th>
              <th scope="col">Risoluzione</th>
              <th scope="col">Escalation</th>
              <th scope="col">OLA presa in carico</th>
              <th scope="col">OLA risoluzione</th>
            </tr>
          </thead>
          <tbody>
            {sortedPolicies(settings).map((p) => {
              const ola = olaOf(settings, p.priority);
              return (
                <tr key={p.priority} data-priority={p.priority}>
                  <th scope="row">{priorityLabel(p.priority)}</th>
                  <td>{targetReading(p.own_minutes, dayMinutes)}</td>
                  <td>{targetReading(p.resolve_minutes, dayMinutes)}</td>
                  <td>{escalationReading(p.escalations)}</td>
                  <td>{ola ? targetReading(ola.own_minutes, dayMinutes) : '—'}</td>
                  <td>{ola ? targetReading(ola.resolve_minutes, dayMinutes) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="form-text">{OLA_NOTE}</p>
      <h2 className="h3 mt-5">Gruppi di assegnazione</h2>
      <ul data-testid="settings-groups">
        {settings.groups.map((g) => (
          <li key={g}>{g}</li>
        ))}
      </ul>
    </div>
  );
}

// --- Editable: the CST administrator -------------------------------------------------------------

type PolicyField = 'own_minutes' | 'resolve_minutes' | 'escalations';
const POLICY_FIELDS: Record<PolicyField, string> = {
  own_minutes: 'presa in carico',
  resolve_minutes: 'risoluzione',
  escalations: 'escalation',
};

/** The API's field names: "policies[3]" (the row of priority 3) and "policies[3].own_minutes". */
const policyKey = (priority: number, f?: PolicyField) => (f ? `policies[${priority}].${f}` : `policies[${priority}]`);

type OlaField = 'own_minutes' | 'resolve_minutes';
const OLA_FIELDS: Record<OlaField, string> = { own_minutes: 'OLA presa in carico', resolve_minutes: 'OLA risoluzione' };
/** "ola[3].own_minutes": the group's target of priority 3. */
const olaKey = (priority: number, f: OlaField) => `ola[${priority}].${f}`;

const GENERAL_LABELS: Record<string, string> = {
  opening_hours: 'Orario di apertura',
  calendar_ente: 'Sede del calendario',
  reopen_days: 'Giorni per la riapertura',
  notify_email: 'Casella del call center',
  groups: 'Gruppi di assegnazione',
};
const LABELS: Record<string, string> = { ...GENERAL_LABELS };
const ORDER: string[] = Object.keys(GENERAL_LABELS);
for (const n of PRIORITIES) {
  LABELS[policyKey(n)] = `Priorità ${priorityLabel(n)}`;
  ORDER.push(policyKey(n));
  for (const f of Object.keys(POLICY_FIELDS) as PolicyField[]) {
    LABELS[policyKey(n, f)] = `Priorità ${priorityLabel(n)}, ${POLICY_FIELDS[f]}`;
    ORDER.push(policyKey(n, f));
  }
  for (const f of Object.keys(OLA_FIELDS) as OlaField[]) {
    LABELS[olaKey(n, f)] = `Priorità ${priorityLabel(n)}, ${OLA_FIELDS[f]}`;
    ORDER.push(olaKey(n, f));
  }
}

/**
 * A problem+json field → the form's: the field itself when the form has it, the groups' list for
 * "groups[i]", otherwise the row of priority N for anything under "policies[N]" or "ola[N]",
 * otherwise none (the summary alone shows it).
 */
function toField(field: string): string | null {
  if (field in LABELS) return field;
  if (/^groups\[\d+\]$/.test(field)) return 'groups';
  const m = /^(?:policies|ola)\[(\d+)\]/.exec(field);
  return m && PRIORITIES.includes(Number(m[1])) ? policyKey(Number(m[1])) : null;
}

interface PolicyDraft {
  priority: number;
  own: string;
  resolve: string;
  escalations: string;
  olaOwn: string;
  olaResolve: string;
}

interface Draft {
  opening_hours: string;
  calendar_ente: string;
  reopen_days: string;
  notify_email: string;
  policies: PolicyDraft[];
  /** One group per line. */
  groups: string;
}

function toDraft(s: DeskSettings): Draft {
  return {
    opening_hours: s.opening_hours,
    calendar_ente: s.calendar_ente ?? '',
    reopen_days: String(s.reopen_days),
    notify_email: s.notify_email ?? '',
    policies: PRIORITIES.map((n) => {
      const p = s.policies.find((x) => x.priority === n);
      const o = olaOf(s, n);
      return {
        priority: n,
        own: p ? String(p.own_minutes) : '',
        resolve: p ? String(p.resolve_minutes) : '',
        escalations: p ? p.escalations.join(', ') : '',
        olaOwn: o ? String(o.own_minutes) : '',
        olaResolve: o ? String(o.resolve_minutes) : '',
      };
    }),
    groups: s.groups.join('\n'),
  };
}

/** A whole number as typed ("240"); null when it is not one. */
function wholeNumber(text: string): number | null {
  return /^\s*\d{1,9}\s*$/.test(text) ? Number(text) : null;
}

/** "480, 120" (commas, semicolons or spaces) → [480, 120]; "" → []; null when a part is not a whole number. */
function minutesList(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  return parts.every((p) => /^\d{1,9}$/.test(p)) ? parts.map(Number) : null;
}

function SettingsForm({ saved, onSaved }: { saved: DeskSettings; onSaved: (s: DeskSettings) => void }) {
  const form = useProblemForm<string>({ order: ORDER, labels: LABELS, toField, message: sentence });
  const { entiByIstat, enti: sessionEnti } = useSession();
  const [draft, setDraft] = useState<Draft>(() => toDraft(saved));
  const [seats, setSeats] = useState<Ente[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  // The comuni whose patron saint may close the desk (GET /api/v1/enti, every page).
  useEffect(() => {
    let live = true;
    fetchAll<Ente>('/api/v1/enti')
      .then((list) => live && setSeats(list))
      .catch(() => live && setSeats(null));
    return () => {
      live = false;
    };
  }, []);
  const comuni = (seats ?? sessionEnti).filter((e) => e.kind === 'comune').sort((a, b) => a.name.localeCompare(b.name, 'it'));
  const seatListed = !draft.calendar_ente || comuni.some((e) => e.istat === draft.calendar_ente);
  const dayMinutes = openDayMinutes(draft.opening_hours);

  const set = (k: Exclude<keyof Draft, 'policies'>) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const setPolicy = (priority: number, k: Exclude<keyof PolicyDraft, 'priority'>) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, policies: d.policies.map((p) => (p.priority === priority ? { ...p, [k]: e.target.value } : p)) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    setStatus(null);
    // Only what cannot be sent as typed is checked here; the server checks the rest and names it.
    const invalid: FieldErrors<string> = {};
    if (!draft.opening_hours.trim()) invalid.opening_hours = `Indica l'orario di apertura, ad esempio «${HOURS_EXAMPLE}».`;
    const reopen = wholeNumber(draft.reopen_days);
    if (reopen === null) invalid.reopen_days = 'Indica un numero intero di giorni, da 1 a 90.';
    const policies = draft.policies.map((p) => {
      const own = wholeNumber(p.own);
      const resolve = wholeNumber(p.resolve);
      const escalations = minutesList(p.escalations);
      if (own === null) invalid[policyKey(p.priority, 'own_minutes')] = 'Indica i minuti con un numero intero.';
      if (resolve === null) invalid[policyKey(p.priority, 'resolve_minutes')] = 'Indica i minuti con un numero intero.';
      if (escalations === null)
        invalid[policyKey(p.priority, 'escalations')] = `Scrivi i minuti come numeri interi separati da virgole, ad esempio «${ESCALATION_EXAMPLE}».`;
      return { priority: p.priority, own_minutes: own ?? 0, resolve_minutes: resolve ?? 0, escalations: escalations ?? [] };
    });
    const ola = draft.policies.map((p) => {
      const own = wholeNumber(p.olaOwn);
      const resolve = wholeNumber(p.olaResolve);
      if (own === null) invalid[olaKey(p.priority, 'own_minutes')] = 'Indica i minuti con un numero intero.';
      if (resolve === null) invalid[olaKey(p.priority, 'resolve_minutes')] = 'Indica i minuti con un numero intero.';
      return { priority: p.priority, own_minutes: own ?? 0, resolve_minutes: resolve ?? 0 };
    });
    if (!form.check(invalid) || reopen === null) return;
    const input: DeskSettingsInput = {
      opening_hours: draft.opening_hours.trim(),
      calendar_ente: draft.calendar_ente || null,
      reopen_days: reopen,
      notify_email: draft.notify_email.trim() || null,
      policies,
      ola,
      groups: draft.groups
        .split('\n')
        .map((g) => g.trim())
        .filter(Boolean),
    };
    void form.send(
      () => api<DeskSettings>('PUT', SETTINGS_URL, input),
      (s) => {
        setDraft(toDraft(s));
        onSaved(s);
        setStatus(SETTINGS_SAVED);
      },
    );
  };

  const restore = () => {
    setDraft(toDraft(saved));
    form.setProblem(null);
    form.check({});
    setStatus(null);
  };

  const reading = (text: string) => {
    const n = wholeNumber(text);
    return n === null ? undefined : targetReading(n, dayMinutes);
  };
  const levelsReading = (text: string) => {
    const levels = minutesList(text);
    return levels === null ? undefined : escalationReading(levels);
  };

  return (
    <form onSubmit={submit} noValidate aria-label={TITLE} className="cst-panel cst-form" data-testid="settings-form">
      <RequiredNote />
      <h2 className="h3">Orario e calendario</h2>
      <div className="row pt-4">
        <TextField
          className="col-12 col-lg-6"
          {...form.field('opening_hours')}
          label="Orario di apertura"
          required
          autoComplete="off"
          spellCheck={false}
          hint={`Giorni (mon, tue, wed, thu, fri, sat, o intervalli come mon-fri) e fasce HH:MM-HH:MM separate da virgole; più gruppi separati da «;». Ad esempio: ${HOURS_EXAMPLE}. Domeniche e festività sono sempre chiuse.`}
          value={draft.opening_hours}
          onChange={set('opening_hours')}
        />
        <SelectField
          className="col-12 col-lg-6"
          {...form.field('calendar_ente')}
          label="Sede del calendario"
          hint="Il santo patrono di questo Comune chiude il call center, oltre alle festività nazionali."
          value={draft.calendar_ente}
          onChange={set('calendar_ente')}
        >
          <option value="">Nessuna (solo le festività nazionali)</option>
          {!seatListed && <option value={draft.calendar_ente}>{enteReading(draft.calendar_ente, entiByIstat)}</option>}
          {comuni.map((e) => (
            <option key={e.istat} value={e.istat}>
              {enteLabel(e)}
            </option>
          ))}
        </SelectField>
        <TextField
          className="col-12 col-lg-6"
          {...form.field('reopen_days')}
          label="Giorni per riaprire una segnalazione risolta"
          required
          inputMode="numeric"
          autoComplete="off"
          hint="Da 1 a 90: entro quanti giorni dalla soluzione il richiedente può riaprire la segnalazione invece di aprirne una nuova."
          value={draft.reopen_days}
          onChange={set('reopen_days')}
        />
        <TextField
          className="col-12 col-lg-6"
          {...form.field('notify_email')}
          label="Casella del call center"
          type="email"
          autoComplete="off"
          hint="Facoltativa: riceve l'avviso delle nuove segnalazioni e degli allarmi sulle segnalazioni non assegnate."
          value={draft.notify_email}
          onChange={set('notify_email')}
        />
      </div>

      <h2 className="h3 mt-4" id="tempi-di-servizio">
        Tempi di servizio per priorità
      </h2>
      <p className="form-text">
        In minuti lavorativi: contano solo le ore di apertura del call center. Le escalation avvisano prima della scadenza della
        risoluzione: scrivi quanti minuti prima, dal più lontano al più vicino (ad esempio {ESCALATION_EXAMPLE}).
      </p>
      <div className="table-responsive">
        <table className="table cst-table cst-settings-table" aria-labelledby="tempi-di-servizio" data-testid="settings-policies">
          <thead>
            <tr>
              <th scope="col">Priorità</th>
              <th scope="col">Presa in carico (minuti)</th>
              <th scope="col">Risoluzione (minuti)</th>
              <th scope="col">Escalation (minuti prima della scadenza)</th>
              <th scope="col">OLA presa in carico (minuti)</th>
              <th scope="col">OLA risoluzione (minuti)</th>
            </tr>
          </thead>
          <tbody>
            {draft.policies.map((p) => {
              const name = priorityLabel(p.priority);
              const rowError = form.errors[policyKey(p.priority)];
              const minutes = (key: string, what: string, k: 'own' | 'resolve' | 'olaOwn' | 'olaResolve') => (
                <td>
                  <TextField
                    className="cst-cell-field"
                    {...form.field(key)}
                    label={`${what}, priorità ${name} (minuti)`}
                    inputMode="numeric"
                    autoComplete="off"
                    hint={reading(p[k])}
                    value={p[k]}
                    onChange={setPolicy(p.priority, k)}
                  />
                </td>
              );
              return (
                <tr key={p.priority} data-priority={p.priority}>
                  <th scope="row">
                    {name}
                    <ErrorText id={`policy-${p.priority}-error`} error={rowError} />
                  </th>
                  {minutes(policyKey(p.priority, 'own_minutes'), 'Presa in carico', 'own')}
                  {minutes(policyKey(p.priority, 'resolve_minutes'), 'Risoluzione', 'resolve')}
                  <td>
                    <TextField
                      className="cst-cell-field"
                      {...form.field(policyKey(p.priority, 'escalations'))}
                      label={`Escalation, priorità ${name} (minuti prima della scadenza)`}
                      autoComplete="off"
                      hint={levelsReading(p.escalations)}
                      value={p.escalations}
                      onChange={setPolicy(p.priority, 'escalations')}
                    />
                  </td>
                  {minutes(olaKey(p.priority, 'own_minutes'), 'OLA presa in carico', 'olaOwn')}
                  {minutes(olaKey(p.priority, 'resolve_minutes'), 'OLA risoluzione', 'olaResolve')}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <p className="form-text">{OLA_NOTE}</p>

      <h2 className="h3 mt-4">Gruppi di assegnazione</h2>
      <div className="row pt-4">
        <TextAreaField
          className="col-12 col-lg-6"
          {...form.field('groups')}
          label="Gruppi di assegnazione"
          rows={6}
          hint="Un gruppo per riga. Le segnalazioni già assegnate a un gruppo tolto dall'elenco lo conservano; non se ne possono assegnare di nuove."
          value={draft.groups}
          onChange={set('groups')}
        />
      </div>

      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <StatusMessage message={status} />
      <div className="d-flex flex-wrap gap-2">
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {form.busy ? 'Salvataggio in corso…' : 'Salva le impostazioni'}
        </button>
        <button type="button" className="btn btn-outline-primary" onClick={restore} disabled={form.busy}>
          Ripristina i valori salvati
        </button>
      </div>
    </form>
  );
}
