import type { Ente, Grant, Role } from './api/types';

/** Italian labels of the fixed role names (DESIGN.md §1). */
export const ROLE_LABELS: Record<Role, string> = {
  cst_admin: 'Amministratore CST',
  cst_agent: 'Operatore CST',
  committee: 'Comitato tecnico',
  ente_admin: 'Referente ente',
  ente_operator: 'Operatore ente',
  police: 'Polizia locale',
  professional: 'Professionista',
  citizen: 'Cittadino',
  auditor: 'Revisore',
  agent: 'Agente',
};

export const ALL_ROLES = Object.keys(ROLE_LABELS) as Role[];

/** Roles normally granted on every ente at once (ente null). */
export const CST_WIDE_ROLES: Role[] = ['cst_admin', 'cst_agent', 'committee', 'auditor'];

export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role] ?? role;
}

export function hasRole(grants: Grant[], ...roles: Role[]): boolean {
  return grants.some((g) => roles.includes(g.role));
}

/** True when one of `roles` is held on `ente` (or on every ente). */
export function holdsOn(grants: Grant[], roles: readonly Role[], ente: string): boolean {
  return grants.some((g) => roles.includes(g.role) && (g.ente === null || g.ente === ente));
}

/** The enti the roles among `roles` reach, among those the session knows. */
export function entiWithRoles(grants: Grant[], enti: readonly Ente[], roles: readonly Role[]): Ente[] {
  const held = grants.filter((g) => roles.includes(g.role));
  if (held.some((g) => g.ente === null)) return [...enti];
  return enti.filter((e) => held.some((g) => g.ente === e.istat));
}

/** True when some grant covers every ente (ente null). */
export function seesAllEnti(grants: Grant[]): boolean {
  return grants.some((g) => g.ente === null);
}

/** Roles a user may hand out in the "Nuovo utente" form; the server decides in the end. */
export function assignableRoles(grants: Grant[]): Role[] {
  if (hasRole(grants, 'cst_admin')) return ALL_ROLES;
  if (hasRole(grants, 'ente_admin')) return ['ente_admin', 'ente_operator', 'police', 'professional', 'citizen', 'agent'];
  return [];
}

/** Italian names of the service modules (DESIGN.md §1). */
export const SERVICE_LABELS: Record<string, string> = {
  helpdesk: 'Call center unico',
  payments: 'Pagamenti online',
  protocol: 'Protocollo informatico',
  sportello: 'Sportelli Unici SUAP/SUE',
  preservation: 'Conservazione',
  video: 'Videosorveglianza',
  backup: 'Backup dati',
  antivirus: 'Antivirus',
  contracts: 'Contratti e spesa',
  governance: 'Governance',
};

export function serviceLabel(id: string): string {
  return SERVICE_LABELS[id] ?? id;
}
