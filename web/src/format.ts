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
