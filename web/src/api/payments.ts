// The payments module's calls (docs/payments.md): one ente's pagoPA creditor configuration.
import { api } from './client';
import type { Creditor, CreditorInput } from './types';

const creditorUrl = (istat: string) => `/api/v1/payments/creditors/${encodeURIComponent(istat)}`;

/** The ente's configuration; `configured: false` (not an error) when it has none yet. */
export function getCreditor(istat: string): Promise<Creditor> {
  return api<Creditor>('GET', creditorUrl(istat));
}

/** Replaces the ente's configuration; a 400/409 ApiError names the fields in error. */
export function putCreditor(istat: string, input: CreditorInput): Promise<Creditor> {
  return api<Creditor>('PUT', creditorUrl(istat), input);
}
