import type { Problem } from './types';

/** An API answer outside 2xx, carrying the server's problem+json body. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `Errore ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** Field name → message, for showing next to form inputs. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      if (e && e.field && !(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }

  /** True when the problem type ends with the given slug, e.g. "totp-required". */
  isType(slug: string): boolean {
    return (this.problem.type ?? '').endsWith('/' + slug) || this.problem.type === slug;
  }
}

const CSRF_COOKIE = 'cst_csrf';
let csrfFromLogin: string | null = null;

/** Remembers the token returned by login, used if the cookie is not readable. */
export function rememberCsrf(token: string | null | undefined): void {
  csrfFromLogin = token ?? null;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

let onUnauthorized: (() => void) | null = null;

/** Called when an authenticated request answers 401 (session expired). */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

let onEnrollmentRequired: (() => void) | null = null;

/** Problem type slug of the 403 that staff get until they enrol a second factor. */
export const TOTP_ENROLLMENT_REQUIRED = 'totp-enrollment-required';

/** Called when any request answers 403 totp-enrollment-required. */
export function setEnrollmentRequiredHandler(fn: (() => void) | null): void {
  onEnrollmentRequired = fn;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Calls the JSON API with the session cookie. Writes carry the double-submit
 * CSRF header (value of the cst_csrf cookie). Throws ApiError on non-2xx.
 */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  if (body === undefined) return send<T>(method, path, {}, undefined);
  return send<T>(method, path, { 'Content-Type': 'application/json' }, JSON.stringify(body));
}

/**
 * POSTs a file as the raw request body, with its own Content-Type (the server
 * scans and stores it as sent) unless `contentType` says otherwise. Same session,
 * CSRF header and errors as api().
 */
export async function upload<T>(path: string, file: Blob, contentType?: string): Promise<T> {
  return send<T>('POST', path, { 'Content-Type': contentType || file.type || 'application/octet-stream' }, file);
}

/** The request behind api() and upload(): headers, network failure and the answer. */
async function send<T>(method: Method, path: string, extra: Record<string, string>, body: BodyInit | undefined): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...extra };
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE) ?? csrfFromLogin;
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body });
  } catch {
    throw new ApiError(0, {
      title: 'Servizio non raggiungibile',
      detail: 'Impossibile contattare il server. Controlla la connessione e riprova.',
    });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = parseJson(text);
  if (!res.ok) throw failure(res, path, data);
  return data as T;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The ApiError of a non-2xx answer (its problem+json body already parsed), after the session's handlers ran. */
function failure(res: Response, path: string, data: unknown): ApiError {
  const problem: Problem = data && typeof data === 'object' ? (data as Problem) : { title: res.statusText, status: res.status };
  if (!problem.detail && !problem.title) problem.title = `Errore ${res.status}`;
  const err = new ApiError(res.status, problem);
  if (res.status === 401 && !path.startsWith('/api/v1/auth/') && onUnauthorized) onUnauthorized();
  if (res.status === 403 && err.isType(TOTP_ENROLLMENT_REQUIRED) && onEnrollmentRequired) onEnrollmentRequired();
  return err;
}

/** The file name of a Content-Disposition header (attachment; filename="avviso-….pdf"), or null. */
function attachmentName(header: string | null): string | null {
  const m = header ? /filename="([^"]+)"/.exec(header) ?? /filename=([^;\s]+)/.exec(header) : null;
  return m ? m[1] : null;
}

/**
 * Downloads a file the API generates (a PDF, a CSV) and hands it to the browser under the name
 * the server gives it (else `fallbackName`). Unlike a plain link, a refusal (409, 404, 422 with
 * problem+json) comes back as an ApiError the page can show, instead of a downloaded error body.
 * The file is held in memory while it is saved: meant for documents of a few megabytes.
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { Accept: '*/*' }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, {
      title: 'Servizio non raggiungibile',
      detail: 'Impossibile contattare il server. Controlla la connessione e riprova.',
    });
  }
  if (!res.ok) throw failure(res, path, parseJson(await res.text()));
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = attachmentName(res.headers.get('Content-Disposition')) ?? fallbackName;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser has started reading the blob: give it time before releasing it.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** Builds a query string, leaving out empty values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** Any thrown value as an ApiError, so the UI has one way to show failures. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, { title: 'Errore imprevisto', detail: e instanceof Error ? e.message : String(e) });
}
