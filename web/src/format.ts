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
