import { useId, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Me, TicketDetail, TicketWatcher } from '../api/types';
import { SelectField, TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useProblemForm } from '../components/useProblemForm';
import { sentence } from '../format';
import { sameId, useListableUsers, type OnTicketUpdated } from '../helpdesk';
import { hasRole } from '../roles';

// "Osservatori": who else hears of the ticket's changes. Anyone who sees the ticket may follow
// it; the desk adds or removes anyone who may see it (the server checks who that is).

const watchersPath = (t: TicketDetail) => `/api/v1/helpdesk/tickets/${t.id}/watchers`;

export function WatchersPanel({ ticket, me, desk, onUpdated }: { ticket: TicketDetail; me: Me; desk: boolean; onUpdated: OnTicketUpdated }) {
  const form = useProblemForm<'user_id'>({
    order: ['user_id'],
    labels: { user_id: 'Osservatore' },
    toField: (f) => (f === 'user_id' ? 'user_id' : null),
    message: sentence,
  });
  const watchers = ticket.watchers ?? [];
  const following = watchers.some((w) => sameId(w.id, me.id));
  const open = ticket.state !== 'closed';
  const uid = useId();
  const headingId = `${uid}-title`;

  const remove = (w: TicketWatcher, self: boolean) => {
    form.setProblem(null);
    void form.send(
      () => api<TicketDetail>('DELETE', `${watchersPath(ticket)}/${encodeURIComponent(String(w.id))}`),
      // Removing someone else takes their row (and its button) away: keep the focus on the page.
      (t) => onUpdated(t, self ? 'Non segui più la segnalazione.' : `${w.name} non è più un osservatore.`, !self),
    );
  };

  const follow = () => {
    form.setProblem(null);
    void form.send(
      () => api<TicketDetail>('POST', watchersPath(ticket), {}),
      (t) => onUpdated(t, 'Ora segui la segnalazione: riceverai gli aggiornamenti.'),
    );
  };

  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="watchers-panel">
      <h2 className="h4" id={headingId}>
        Osservatori
      </h2>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      {watchers.length === 0 ? (
        <p>Nessun osservatore.</p>
      ) : (
        <ul className="list-unstyled" data-testid="watchers-list">
          {watchers.map((w) => {
            const self = sameId(w.id, me.id);
            return (
              <li key={w.id} className="d-flex flex-wrap align-items-center gap-2 mb-2">
                <span>{self ? `${w.name} (tu)` : w.name}</span>
                {desk && !self && (
                  <button type="button" className="btn btn-outline-primary btn-xs" disabled={form.busy} onClick={() => remove(w, false)}>
                    Togli<span className="visually-hidden"> {w.name} dagli osservatori</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {open && (
        // One button whose label changes, so the focus stays on it.
        <button
          type="button"
          className="btn btn-outline-primary mb-2"
          disabled={form.busy}
          onClick={() => (following ? remove({ id: Number(me.id), name: me.display_name }, true) : follow())}
        >
          {following ? 'Non seguire più' : 'Segui'}
        </button>
      )}
      {desk && open && <AddWatcherForm ticket={ticket} form={form} listUsers={hasRole(me.grants, 'cst_admin')} onUpdated={onUpdated} />}
    </section>
  );
}

/** The desk names a watcher: from the user list when it may read it (cst_admin), else by number. */
function AddWatcherForm({
  ticket,
  form,
  listUsers,
  onUpdated,
}: {
  ticket: TicketDetail;
  form: ReturnType<typeof useProblemForm<'user_id'>>;
  /** Only cst_admin may read every user (GET /api/v1/users); a cst_agent would get 403. */
  listUsers: boolean;
  onUpdated: OnTicketUpdated;
}) {
  const users = useListableUsers(listUsers);
  const [value, setValue] = useState('');
  const candidates = (users ?? []).filter((u) => !(ticket.watchers ?? []).some((w) => sameId(w.id, u.id)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const id = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!form.check(Number.isSafeInteger(id) && id > 0 ? {} : { user_id: users ? "Scegli l'utente." : "Scrivi il numero dell'utente." })) return;
    void form.send(
      () => api<TicketDetail>('POST', watchersPath(ticket), { user_id: id }),
      (t) => {
        setValue('');
        const added = (t.watchers ?? []).find((w) => sameId(w.id, id));
        onUpdated(t, `${added?.name ?? `Utente n. ${id}`} aggiunto agli osservatori.`);
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Aggiungi un osservatore" className="cst-action-form" data-testid="add-watcher-form">
      {users ? (
        <SelectField {...form.field('user_id')} label="Utente da aggiungere" value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">Scegli un utente</option>
          {candidates.map((u) => (
            <option key={u.id} value={String(u.id)}>
              {u.display_name} ({u.username})
            </option>
          ))}
        </SelectField>
      ) : (
        <TextField
          {...form.field('user_id')}
          label="Numero dell'utente da aggiungere"
          inputMode="numeric"
          autoComplete="off"
          hint="Deve poter vedere la segnalazione."
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      )}
      <button type="submit" className="btn btn-outline-primary" disabled={form.busy}>
        Aggiungi
      </button>
    </form>
  );
}
