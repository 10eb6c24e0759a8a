// The protocol module's calls (docs/protocol.md): the AOO of each ente, its titolario and
// fascicoli, the registrations of its register, their segnatura and documents, and annulment. The
// documents are uploaded first (POST /api/v1/uploads, scanned by the antivirus) and named by id.
import { api, download, query, upload } from './client';
import type {
  DailyRegister,
  DailyRegistersPage,
  Page,
  ProtocolAoo,
  ProtocolAooInput,
  ProtocolClass,
  ProtocolFlow,
  ProtocolFolder,
  ProtocolStatus,
  Registration,
  RegistrationInput,
  Upload,
} from './types';

const BASE = '/api/v1/protocol';
const registrationUrl = (id: number | string) => `${BASE}/registrations/${encodeURIComponent(String(id))}`;

/** The ente's AOO; `configured: false` (not an error) before it is saved the first time. */
export function getAoo(istat: string): Promise<ProtocolAoo> {
  return api<ProtocolAoo>('GET', `${BASE}/aoo/${encodeURIComponent(istat)}`);
}

/** Saves the ente's AOO; a 400 names the fields in error. */
export function putAoo(istat: string, input: ProtocolAooInput): Promise<ProtocolAoo> {
  return api<ProtocolAoo>('PUT', `${BASE}/aoo/${encodeURIComponent(istat)}`, input);
}

/** The ente's titolario, in the order of its codes. */
export function listClasses(ente: string): Promise<{ items: ProtocolClass[] }> {
  return api<{ items: ProtocolClass[] }>('GET', `${BASE}/classes` + query({ ente }));
}

/** Adds a class; 409 when the code is already in the titolario. */
export function addClass(ente: string, code: string, description: string): Promise<ProtocolClass> {
  return api<ProtocolClass>('POST', `${BASE}/classes`, { ente, code, description });
}

/** The ente's fascicoli, open and closed. */
export function listFolders(ente: string): Promise<{ items: ProtocolFolder[] }> {
  return api<{ items: ProtocolFolder[] }>('GET', `${BASE}/folders` + query({ ente }));
}

/** Opens a fascicolo under an active class of the titolario. */
export function openFolder(ente: string, code: string, subject: string, classCode: string): Promise<ProtocolFolder> {
  return api<ProtocolFolder>('POST', `${BASE}/folders`, { ente, code, subject, class_code: classCode });
}

/** The ente's AOO, titolario and fascicoli, read together: what "Titolario e AOO" shows and a registration uses. */
export async function getConfiguration(ente: string): Promise<{ aoo: ProtocolAoo; classes: ProtocolClass[]; folders: ProtocolFolder[] }> {
  const [aoo, classes, folders] = await Promise.all([getAoo(ente), listClasses(ente), listFolders(ente)]);
  return { aoo, classes: classes.items, folders: folders.items };
}

/** The register's search, as the API names its filters (empty: not filtered). */
export interface RegistrationFilters {
  ente: string;
  year: string;
  /** Text in the subject or the correspondents' names. */
  q: string;
  flow: '' | ProtocolFlow;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  status: '' | ProtocolStatus;
}

/** One page of the registrations matching `f`, newest first (without their documents). */
export function listRegistrations(f: RegistrationFilters, limit: number, cursor: string | null): Promise<Page<Registration>> {
  const params = { ente: f.ente, year: f.year.trim(), q: f.q.trim(), flow: f.flow, from: f.from, to: f.to, status: f.status };
  return api<Page<Registration>>('GET', `${BASE}/registrations` + query({ ...params, limit, cursor }));
}

/** One registration with its documents; another ente's answers 404. */
export function getRegistration(id: number | string): Promise<Registration> {
  return api<Registration>('GET', registrationUrl(id));
}

/** Registers a document: 201 with the registration, its number and segnatura. */
export function register(input: RegistrationInput): Promise<Registration> {
  return api<Registration>('POST', `${BASE}/registrations`, input);
}

/** Art. 54: annuls a registration with the reason and the act that authorised it; 409 when already annulled. */
export function annulRegistration(id: number, reason: string, authorisation: string): Promise<Registration> {
  return api<Registration>('POST', `${registrationUrl(id)}/annul`, { reason, authorisation });
}

/** Saves the signed segnatura made when the document was registered (XML). */
export function downloadSegnatura(r: Registration): Promise<void> {
  return download(`${registrationUrl(r.id)}/segnatura.xml`, `segnatura-${r.number}-${r.year}.xml`);
}

/** Saves one of the registration's documents (0: the primary one) under its own name; the read is audited. */
export function downloadDocument(r: Registration, seq: number, filename: string): Promise<void> {
  return download(`${registrationUrl(r.id)}/documents/${seq}`, filename);
}

/**
 * Uploads a file for the ente (its raw content, its own type): scanned by the antivirus and stored.
 * An infected file is a 422 naming the signature (and is quarantined), a file too large a 413.
 */
export function uploadFile(ente: string, file: File): Promise<Upload> {
  return upload<Upload>('/api/v1/uploads' + query({ ente, filename: file.name }), file);
}

// The daily registers (registro giornaliero): made by the server's job for every past day.

/** The ente's daily registers, newest first, with the past days still missing one. */
export function listDailyRegisters(ente: string, limit: number, cursor: string | null): Promise<DailyRegistersPage> {
  return api<DailyRegistersPage>('GET', `${BASE}/daily-registers` + query({ ente, limit, cursor }));
}

/** Saves one daily register as PDF or JSON. */
export function downloadDailyRegister(d: DailyRegister, kind: 'pdf' | 'json'): Promise<void> {
  return download(`${BASE}/daily-registers/${d.id}/register.${kind}`, `registro-giornaliero-${d.ente}-${d.day}.${kind}`);
}
