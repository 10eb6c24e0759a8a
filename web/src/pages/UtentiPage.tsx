import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, query, toApiError } from '../api/client';
import type { NewUser, Page, Role, User } from '../api/types';
import { RequiredNote, SelectField, TextField } from '../components/Field';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../components/useProblemForm';
import { formatDateTime } from '../format';
import { assignableRoles, CST_WIDE_ROLES, hasRole, roleLabel } from '../roles';
import { useSession } from '../session';

const PAGE_SIZE = 50;

type FormField = 'username' | 'display_name' | 'email' | 'fiscal_code' | 'password' | 'role' | 'ente';
/** Order of the fields on screen: the first one in error gets the focus. */
const FIELD_ORDER: FormField[] = ['username', 'display_name', 'email', 'fiscal_code', 'password', 'role', 'ente'];
const FIELD_LABELS: Record<FormField, string> = {
  username: 'Nome utente',
  display_name: 'Nome visualizzato',
  email: 'E-mail',
  fiscal_code: 'Codice fiscale',
  password: 'Password',
  role: 'Ruolo',
  ente: 'Ente',
};

/** Maps a problem+json field name ("grants[0].ente", "email") to a form field. */
function formField(field: string): FormField | null {
  if (field.startsWith('grants')) return /ente/.test(field) ? 'ente' : 'role';
  return field in FIELD_LABELS ? (field as FormField) : null;
}

export function UtentiPage() {
  const { me, selectedEnte, entiByIstat } = useSession();
  const canManage = !!me && hasRole(me.grants, 'cst_admin', 'ente_admin');
  const [users, setUsers] = useState<User[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [listError, setListError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | number | null>(null);

  const load = useCallback(
    async (cursor: string | null) => {
      setListError(null);
      try {
        const p = await api<Page<User>>('GET', '/api/v1/users' + query({ ente: selectedEnte, limit: PAGE_SIZE, cursor }));
        setUsers((old) => (cursor ? [...(old ?? []), ...p.items] : p.items));
        setNext(p.next_cursor);
      } catch (e) {
        setListError(toApiError(e));
        if (!cursor) setUsers([]);
      }
    },
    [selectedEnte],
  );

  useEffect(() => {
    if (!canManage) return;
    setUsers(null);
    void load(null);
  }, [load, canManage]);

  const setDisabled = async (u: User, disabled: boolean) => {
    setBusyId(u.id);
    setStatus(null);
    setListError(null);
    try {
      const updated = await api<User>('PATCH', `/api/v1/users/${encodeURIComponent(String(u.id))}`, { disabled });
      setUsers((old) => (old ?? []).map((x) => (x.id === u.id ? { ...x, ...updated } : x)));
      setStatus(disabled ? `Utente ${u.username} disattivato.` : `Utente ${u.username} riattivato.`);
    } catch (e) {
      setListError(toApiError(e));
    } finally {
      setBusyId(null);
    }
  };

  const onCreated = (u: User) => {
    setStatus(`Utente ${u.username} creato.`);
    setUsers((old) => [u, ...(old ?? []).filter((x) => x.id !== u.id)]);
  };

  if (!canManage) {
    return (
      <>
        <PageTitle title="Utenti">Utenti</PageTitle>
        <div className="alert alert-warning" role="alert">
          La gestione degli utenti è riservata agli amministratori del CST e ai referenti degli enti.
        </div>
      </>
    );
  }

  const grantText = (u: User) =>
    u.grants.map((g) => (g.ente ? `${roleLabel(g.role)} – ${entiByIstat.get(g.ente)?.name ?? g.ente}` : `${roleLabel(g.role)} (tutti gli enti)`));

  return (
    <>
      <PageTitle
        title="Utenti"
        lead={selectedEnte ? `Utenti con ruoli su ${entiByIstat.get(selectedEnte)?.name ?? selectedEnte}.` : 'Utenti di tutti gli enti.'}
      >
        Utenti
      </PageTitle>
      <StatusMessage message={status} />
      <NewUserForm onCreated={onCreated} />

      <h2 className="h3 mt-5" id="elenco-utenti">
        Elenco utenti
      </h2>
      <ProblemAlert error={listError} />
      {!users && <Loading />}
      {users && users.length === 0 && !listError && <p>Nessun utente.</p>}
      {users && users.length > 0 && (
        <div className="table-responsive">
          <table className="table table-hover cst-table" data-testid="users-table" aria-labelledby="elenco-utenti">
            <thead>
              <tr>
                <th scope="col">Nome utente</th>
                <th scope="col">Nome visualizzato</th>
                <th scope="col">E-mail</th>
                <th scope="col">Ruoli</th>
                <th scope="col">Stato</th>
                <th scope="col">OTP</th>
                <th scope="col">Creato il</th>
                <th scope="col">
                  <span className="visually-hidden">Azioni</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={String(u.id)} data-username={u.username}>
                  <th scope="row" className="font-monospace">
                    {u.username}
                  </th>
                  <td>{u.display_name}</td>
                  <td>{u.email || <span className="text-muted">—</span>}</td>
                  <td>
                    {grantText(u).map((t, i) => (
                      <div key={i}>{t}</div>
                    ))}
                  </td>
                  <td>
                    {u.disabled ? <span className="badge bg-secondary">Disattivato</span> : <span className="badge bg-success">Attivo</span>}
                  </td>
                  <td>{u.totp_enabled ? 'Sì' : 'No'}</td>
                  <td className="text-nowrap">{formatDateTime(u.created_at)}</td>
                  <td className="text-nowrap">
                    {me && String(u.id) === String(me.id) ? null : u.disabled ? (
                      <button
                        type="button"
                        className="btn btn-outline-primary btn-xs"
                        disabled={busyId === u.id}
                        onClick={() => void setDisabled(u, false)}
                      >
                        Riattiva<span className="visually-hidden"> {u.username}</span>
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-outline-danger btn-xs"
                        disabled={busyId === u.id}
                        onClick={() => void setDisabled(u, true)}
                      >
                        Disattiva<span className="visually-hidden"> {u.username}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" className="btn btn-outline-primary" onClick={() => void load(next)}>
          Carica altri
        </button>
      )}
    </>
  );
}

function NewUserForm({ onCreated }: { onCreated: (u: User) => void }) {
  const { me, enti, allEnti, selectedEnte } = useSession();
  const roles = me ? assignableRoles(me.grants) : [];
  const empty = { username: '', display_name: '', email: '', fiscal_code: '', password: '' };
  const [values, setValues] = useState(empty);
  const [role, setRole] = useState<Role>(roles.includes('ente_operator') ? 'ente_operator' : roles[0]);
  const [ente, setEnte] = useState<string>(selectedEnte);
  const form = useProblemForm({ order: FIELD_ORDER, labels: FIELD_LABELS, toField: formField });

  // A CST-wide role may be granted on every ente (""); ente roles need one ente.
  const allowAll = allEnti && CST_WIDE_ROLES.includes(role);
  useEffect(() => {
    if (!allowAll && ente === '') setEnte(selectedEnte || enti[0]?.istat || '');
  }, [allowAll, ente, selectedEnte, enti]);

  const set = (k: keyof typeof empty) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const missing: FieldErrors<FormField> = {};
    for (const k of ['username', 'display_name', 'password'] as const) {
      if (!values[k].trim()) missing[k] = 'Campo obbligatorio.';
    }
    if (!allowAll && !ente) missing.ente = "Scegli l'ente.";
    if (!form.check(missing)) return;
    await form.send(
      () => {
        const body: NewUser = {
          username: values.username.trim(),
          display_name: values.display_name.trim(),
          password: values.password,
          grants: [{ role, ente: ente === '' ? null : ente }],
        };
        // The e-mail is optional; an empty string would be an invalid address.
        if (values.email.trim()) body.email = values.email.trim();
        const cf = values.fiscal_code.replace(/\s+/g, '').toUpperCase();
        if (cf) body.fiscal_code = cf;
        return api<User>('POST', '/api/v1/users', body);
      },
      (created) => {
        setValues(empty);
        onCreated(created);
      },
    );
  };

  return (
    <section aria-labelledby="nuovo-utente" className="cst-panel mb-4">
      <h2 className="h3" id="nuovo-utente">
        Nuovo utente
      </h2>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby="nuovo-utente" data-testid="new-user-form" className="cst-form">
        <div className="row">
          <TextField className="col-12 col-md-6" {...form.field('username')} label="Nome utente" autoComplete="off" required value={values.username} onChange={set('username')} />
          <TextField
            className="col-12 col-md-6"
            {...form.field('display_name')}
            label="Nome visualizzato"
            autoComplete="off"
            required
            value={values.display_name}
            onChange={set('display_name')}
          />
          <TextField className="col-12 col-md-6" {...form.field('email')} label="E-mail" type="email" autoComplete="off" value={values.email} onChange={set('email')} />
          <TextField
            className="col-12 col-md-6"
            {...form.field('fiscal_code')}
            label="Codice fiscale"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            hint="Per cittadini e professionisti: vedranno i propri avvisi di pagamento. Un codice fiscale identifica un solo utente."
            value={values.fiscal_code}
            onChange={set('fiscal_code')}
          />
          <TextField
            className="col-12 col-md-6"
            {...form.field('password')}
            label="Password"
            type="password"
            autoComplete="new-password"
            required
            value={values.password}
            onChange={set('password')}
          />
          <SelectField className="col-12 col-md-6" {...form.field('role')} label="Ruolo" required value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </SelectField>
          <SelectField className="col-12 col-md-6" {...form.field('ente')} label="Ente" required value={ente} onChange={(e) => setEnte(e.target.value)}>
            {allowAll && <option value="">Tutti gli enti</option>}
            {!allowAll && !ente && <option value="">Scegli un ente</option>}
            {enti.map((x) => (
              <option key={x.istat} value={x.istat}>
                {x.name} ({x.istat})
              </option>
            ))}
          </SelectField>
        </div>
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {form.busy ? 'Creazione in corso…' : 'Crea utente'}
        </button>
      </form>
    </section>
  );
}
