import { useId, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { BulkChange, Ticket, TicketChange, TicketState } from '../api/types';
import { SelectField, TextField } from '../components/Field';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { useProblemForm } from '../components/useProblemForm';
import { formatInteger, sentence } from '../format';
import {
  GroupOptions,
  IMPACT_LABELS,
  levelOptions,
  PRIORITIES,
  PRIORITY_LABELS,
  STATE_LABELS,
  STATES,
  URGENCY_LABELS,
  useAssignmentGroups,
} from '../helpdesk';

// The desk's bar above the queue: one change applied to every selected ticket through
// POST /tickets/bulk, all or none (the server names the ticket that stopped it).

type Field = 'ids' | 'assignee_group' | 'state' | 'urgency' | 'impact' | 'priority';
const LABELS: Record<Field, string> = {
  ids: 'Ticket selezionati',
  assignee_group: 'Gruppo assegnatario',
  state: 'Nuovo stato',
  urgency: 'Urgenza',
  impact: 'Impatto',
  priority: 'Priorità',
};
const ORDER: Field[] = ['assignee_group', 'state', 'urgency', 'impact', 'priority'];

interface Values {
  assignee_group: string;
  state: string;
  urgency: string;
  impact: string;
  priority: string;
}
const UNCHANGED: Values = { assignee_group: '', state: '', urgency: '', impact: '', priority: '' };

/** Only the members chosen: an empty control leaves that member as it is on every ticket. */
function changeOf(v: Values): TicketChange {
  const c: TicketChange = {};
  if (v.assignee_group.trim()) c.assignee_group = v.assignee_group.trim();
  if (v.state) c.state = v.state as TicketState;
  if (v.urgency) c.urgency = Number(v.urgency);
  if (v.impact) c.impact = Number(v.impact);
  if (v.priority) c.priority = Number(v.priority);
  return c;
}

export function BulkActions({
  selected,
  forcePriority,
  onApplied,
}: {
  selected: number[];
  /** cst_admin only: the others change urgency and impact, and the server derives the priority. */
  forcePriority: boolean;
  onApplied: (updated: Ticket[]) => void;
}) {
  const form = useProblemForm<Field>({
    order: ORDER,
    labels: LABELS,
    toField: (f) => (f in LABELS ? (f as Field) : null),
    message: sentence,
  });
  const [values, setValues] = useState<Values>(UNCHANGED);
  const [status, setStatus] = useState<{ text: string; variant: 'success' | 'info' } | null>(null);
  const uid = useId();
  const headingId = `${uid}-title`;
  const groupsId = `${uid}-groups`;
  const groups = useAssignmentGroups();
  const n = selected.length;
  const set = (k: keyof Values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    setStatus(null);
    form.check({});
    const change = changeOf(values);
    if (n === 0) return setStatus({ text: 'Seleziona almeno un ticket dalla tabella.', variant: 'info' });
    if (Object.keys(change).length === 0) return setStatus({ text: 'Scegli almeno una modifica da applicare.', variant: 'info' });
    const body: BulkChange = { ids: selected, change };
    void form.send(
      () => api<{ items: Ticket[] }>('POST', '/api/v1/helpdesk/tickets/bulk', body),
      (r) => {
        setValues(UNCHANGED);
        setStatus({ text: `${formatInteger(r.items.length)} ticket aggiornati.`, variant: 'success' });
        onApplied(r.items);
      },
    );
  };

  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="bulk-actions">
      <h2 className="h4" id={headingId}>
        Azioni su {formatInteger(n)} ticket selezionati
      </h2>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <StatusMessage message={status?.text} variant={status?.variant} />
      <form onSubmit={submit} noValidate aria-labelledby={headingId} className="cst-form">
        <div className="row">
          <TextField
            className="col-12 col-md-6 col-lg-4"
            {...form.field('assignee_group')}
            label="Assegna al gruppo"
            autoComplete="off"
            hint="Uno dei gruppi del call center. Vuoto: gruppo invariato."
            list={groupsId}
            value={values.assignee_group}
            onChange={set('assignee_group')}
          />
          <GroupOptions id={groupsId} groups={groups} />
          <SelectField className="col-12 col-md-6 col-lg-4" {...form.field('state')} label="Nuovo stato" value={values.state} onChange={set('state')}>
            <option value="">Invariato</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </SelectField>
          {forcePriority ? (
            <SelectField className="col-12 col-md-6 col-lg-4" {...form.field('priority')} label="Priorità" value={values.priority} onChange={set('priority')}>
              <option value="">Invariata</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={String(p)}>
                  {p} – {PRIORITY_LABELS[p - 1]}
                </option>
              ))}
            </SelectField>
          ) : (
            <>
              <SelectField className="col-12 col-md-6 col-lg-2" {...form.field('urgency')} label="Urgenza" value={values.urgency} onChange={set('urgency')}>
                <option value="">Invariata</option>
                {levelOptions(URGENCY_LABELS)}
              </SelectField>
              <SelectField className="col-12 col-md-6 col-lg-2" {...form.field('impact')} label="Impatto" value={values.impact} onChange={set('impact')}>
                <option value="">Invariato</option>
                {levelOptions(IMPACT_LABELS)}
              </SelectField>
            </>
          )}
        </div>
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {form.busy ? 'Applicazione in corso…' : 'Applica'}
        </button>
      </form>
    </section>
  );
}
