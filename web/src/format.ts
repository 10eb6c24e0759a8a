// Formatting for Italian readers; timestamps shown in Europe/Rome.

const dateTime = new Intl.DateTimeFormat('it-IT', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'Europe/Rome',
});
const integer = new Intl.NumberFormat('it-IT');
const MONTHS = [
  'gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno',
  'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre',
];

/** RFC 3339 → "13/11/2024, 10:15:00" (Italian time); empty for null. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateTime.format(d);
}

/** YYYY-MM-DD → "13/11/2024" without time-zone shifts. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

export function formatInteger(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : integer.format(n);
}

/** 13, 11 → "13 novembre". */
export function formatDayMonth(day: number, month: number): string {
  return `${day} ${MONTHS[month - 1] ?? month}`;
}

const decimal = new Intl.NumberFormat('it-IT', { maximumFractionDigits: 1 });

/** A file size: 19 → "19 byte", 2048 → "2 kB", 1572864 → "1,5 MB". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  if (n < 1024) return `${integer.format(n)} byte`;
  const units = ['kB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${decimal.format(v)} ${units[u]}`;
}

/** The server's messages are lower-case fragments: show them as sentences. */
export function sentence(msg: string): string {
  const t = msg.trim();
  if (!t) return t;
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(s) ? s : s + '.';
}

/** 95.5 → "95,5%"; empty for null. */
export function formatPercent(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : `${decimal.format(n)}%`;
}

/** Minutes as days, hours and minutes: 45 → "45 min", 125 → "2 h 5 min", 1500 → "1 g 1 h"; empty for null. */
export function formatMinutes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  const total = Math.round(n);
  if (total < 60) return `${total} min`;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  if (days > 0) return hours ? `${days} g ${hours} h` : `${days} g`;
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** A duration in hours and minutes, never in days: 30 → "30 min", 240 → "4 h", 90 → "1 h 30 min". */
export function formatHoursMinutes(n: number): string {
  const total = Math.max(0, Math.round(n));
  if (total < 60) return `${total} min`;
  const minutes = total % 60;
  return `${integer.format(Math.floor(total / 60))} h${minutes ? ` ${minutes} min` : ''}`;
}

/**
 * Business minutes (of the desk's opening hours) in hours and minutes, without turning them into
 * calendar days: 30 → "30 min lavorativi", 240 → "4 h lavorative", 90 → "1 h 30 min lavorative".
 */
export function formatBusinessMinutes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  const total = Math.max(0, Math.round(n));
  if (total < 60) return `${total} min ${total === 1 ? 'lavorativo' : 'lavorativi'}`;
  return `${formatHoursMinutes(total)} ${total === 60 ? 'lavorativa' : 'lavorative'}`;
}

/** A number with at most one decimal: 4.25 → "4,3". */
export function formatDecimal(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : decimal.format(n);
}

/** "2026-11" → "novembre 2026"; anything else as it is. */
export function formatMonth(value: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  return m && MONTHS[Number(m[2]) - 1] ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : value;
}

const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Italy as YYYY-MM-DD (the value of a date input). */
export function todayInItaly(now = new Date()): string {
  return isoDay.format(now);
}

/** YYYY-MM-DD plus `days` (negative: before), on the calendar, without time-zone shifts. */
export function addDays(value: string, days: number): string {
  const d = new Date(`${value}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
