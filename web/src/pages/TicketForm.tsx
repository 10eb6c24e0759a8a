import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { NewTicket, TicketChannel, TicketDetail, TicketType } from '../api/types';
import { RequiredNote, SelectField, TextAreaField, TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../components/useProblemForm';
import { sentence } from '../format';
import {
  categoryOptions,
  CHANNEL_LABELS,
  DESK_CHANNELS,
  IMPACT_LABELS,
  isDesk,
  levelOptions,
  mayForcePriority,
  openableEnti,
  PRIORITIES,
  PRIORITY_LABELS,
  TYPE_LABELS,
  URGENCY_LABELS,
  useTicketCategories,
} from '../helpdesk';
import { useSession } from '../session';
import { ArticleSuggestions } from './ArticleSuggestions';

// The form behind "Nuova segnalazione" (POST /api/v1/helpdesk/tickets). The
// desk also picks the channel and names the requester (a phone call, an
// e-mail); cst_admin may force the priority instead of the urgency x impact matrix.

type FieldKey =
  | 'ente'
  | 'type'
  | 'category_id'
  | 'subject'
  | 'description'
  | 'urgency'
  | 'impact'
  | 'channel'
  | 'requester_name'
  | 'requester_email'
  | 'priority';

/** Order of the fields on screen: the first one in error gets the focus. */
const FIELD_ORDER: FieldKey[] = [
  'ente',
  'type',
  'category_id',
  'subject',
  'description',
  'urgency',
  'impact',
  'priority',
  'channel',
  'requester_name',
  'requester_email',
];

const FIELD_LABELS: Record<FieldKey, string> = {
  ente: 'Ente',
  type: 'Tipo',
  category_id: 'Categoria',
  subject: 'Oggetto',
  description: 'Descrizione',
  urgency: 'Urgenza',
  impact: 'Impatto',
  channel: 'Canale',
  requester_name: 'Nome del richiedente',
  requester_email: 'E-mail del richiedente',
  priority: 'Priorità forzata',
};

/** Maps a problem+json field ("subject", "requester.email") to a form field. */
function formField(field: string): FieldKey | null {
  if (field === 'requester' || field === 'requester.name' || field === 'requester.id') return 'requester_name';
  if (field === 'requester.email') return 'requester_email';
  return field in FIELD_LABELS ? (field as FieldKey) : null;
}

const MAX_SUBJECT = 200;

interface Values {
  ente: string;
  type: TicketType;
  category_id: string;
  subject: string;
  description: string;
  urgency: string;
  impact: string;
  channel: TicketChannel;
  requester_name: string;
  requester_email: string;
  priority: string;
}

/** Checks what the browser can check; the server validates everything again. */
function validate(v: Values, desk: boolean): FieldErrors<FieldKey> {
  const err: FieldErrors<FieldKey> = {};
  if (!v.ente) err.ente = "Scegli l'ente.";
  if (!v.subject.trim()) err.subject = "Scrivi l'oggetto della segnalazione.";
  else if (v.subject.trim().length > MAX_SUBJECT) err.subject = `Al massimo ${MAX_SUBJECT} caratteri.`;
  if (!v.description.trim()) err.description = 'Descrivi il problema o la richiesta.';
  if (desk && v.requester_email.trim() && !v.requester_name.trim())
    err.requester_name = "Indica il nome del richiedente insieme all'e-mail.";
  return err;
}

function body(v: Values, desk: boolean, forcePriority: boolean): NewTicket {
  const t: NewTicket = {
    ente: v.ente,
    type: v.type,
    subject: v.subject.trim(),
    description: v.description.trim(),
    urgency: Number(v.urgency),
    impact: Number(v.impact),
  };
  if (v.category_id) t.category_id = Number(v.category_id);
  if (desk) {
    t.channel = v.channel;
    if (v.requester_name.trim()) {
      t.requester = { name: v.requester_name.trim() };
      if (v.requester_email.trim()) t.requester.email = v.requester_email.trim();
    }
  }
  if (forcePriority && v.priority) t.priority = Number(v.priority);
  return t;
}

export function TicketForm({
  onSaved,
  onCancel,
}: {
  onSaved: (t: TicketDetail) => void;
  onCancel: () => void;
}) {
  const { me, enti, selectedEnte } = useSession();
  const categories = useTicketCategories();
  const grants = me?.grants ?? [];
  const desk = isDesk(grants);
  const forcePriority = mayForcePriority(grants);
  const allowed = openableEnti(grants);
  const choices = allowed === null ? enti : enti.filter((e) => allowed.includes(e.istat));
  const preselect = choices.some((e) => e.istat === selectedEnte) ? selectedEnte : choices.length === 1 ? choices[0].istat : '';
  const [values, setValues] = useState<Values>({
    ente: preselect,
    type: 'incident',
    category_id: '',
    subject: '',
    description: '',
    urgency: '3',
    impact: '3',
    channel: 'portal',
    requester_name: '',
    requester_email: '',
    priority: '',
  });
  const form = useProblemForm({ order: FIELD_ORDER, labels: FIELD_LABELS, toField: formField, message: sentence });
  const { refs } = form;
  const uid = useId();
  const headingId = `${uid}-title`;
  // Urgency, impact (and the forced priority) share one row.
  const levelColumn = forcePriority ? 'col-12 col-md-4' : 'col-12 col-md-6';

  // The enti arrive after the first render on a fresh page load.
  useEffect(() => {
    if (!values.ente && preselect) setValues((v) => ({ ...v, ente: preselect }));
  }, [preselect, values.ente]);

  // Start typing right away: the form opens from a button.
  useEffect(() => {
    refs.current[preselect ? 'type' : 'ente']?.focus();
    // Only when the form opens, not each time the enti list changes.
  }, []);

  const set = (k: keyof Values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    if (!form.check(validate(values, desk))) return;
    const ticket = body(values, desk, forcePriority);
    await form.send(() => api<TicketDetail>('POST', '/api/v1/helpdesk/tickets', ticket), onSaved);
  };

  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="new-ticket-panel">
      <h2 className="h3" id={headingId}>
        Nuova segnalazione
      </h2>
      <RequiredNote> Indica che cosa non funziona o di che cosa hai bisogno: il Centro Servizi ti risponde qui.</RequiredNote>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="new-ticket-form" className="cst-form">
        <div className="row">
          <SelectField className="col-12 col-md-6" {...form.field('ente')} label="Ente" required value={values.ente} onChange={set('ente')}>
            {!values.ente && <option value="">Scegli un ente</option>}
            {choices.map((x) => (
              <option key={x.istat} value={x.istat}>
                {x.name} ({x.istat})
              </option>
            ))}
          </SelectField>
          <SelectField className="col-12 col-md-6" {...form.field('type')} label="Tipo" required value={values.type} onChange={set('type')}>
            {(Object.keys(TYPE_LABELS) as TicketType[]).map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </SelectField>
          <SelectField
            className="col-12"
            {...form.field('category_id')}
            label="Categoria"
            hint="Facoltativa: aiuta a indirizzare la segnalazione al gruppo giusto."
            value={values.category_id}
            onChange={set('category_id')}
          >
            <option value="">Non so / nessuna</option>
            {categoryOptions(categories).map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.label}
              </option>
            ))}
          </SelectField>
          <TextField
            className="col-12"
            {...form.field('subject')}
            label="Oggetto"
            autoComplete="off"
            required
            maxLength={MAX_SUBJECT}
            hint="In poche parole, per esempio: La stampante dell'ufficio anagrafe non stampa."
            value={values.subject}
            onChange={set('subject')}
          />
          <div className="col-12">
            <ArticleSuggestions subject={values.subject} />
          </div>
          <TextAreaField
            className="col-12"
            {...form.field('description')}
            label="Descrizione"
            required
            rows={6}
            hint="Che cosa succede, da quando, su quale postazione; eventuali messaggi di errore."
            value={values.description}
            onChange={set('description')}
          />
          <SelectField
            className={levelColumn}
            {...form.field('urgency')}
            label="Urgenza"
            hint="Quanto presto serve la soluzione."
            value={values.urgency}
            onChange={set('urgency')}
          >
            {levelOptions(URGENCY_LABELS)}
          </SelectField>
          <SelectField
            className={levelColumn}
            {...form.field('impact')}
            label="Impatto"
            hint="Quante persone o quanti servizi ne risentono."
            value={values.impact}
            onChange={set('impact')}
          >
            {levelOptions(IMPACT_LABELS)}
          </SelectField>
          {forcePriority && (
            <SelectField
              className={levelColumn}
              {...form.field('priority')}
              label="Priorità forzata"
              hint="Vuota: la priorità deriva da urgenza e impatto."
              value={values.priority}
              onChange={set('priority')}
            >
              <option value="">Da matrice</option>
              {PRIORITIES.map((n) => (
                <option key={n} value={String(n)}>
                  {n} – {PRIORITY_LABELS[n - 1]}
                </option>
              ))}
            </SelectField>
          )}
        </div>
        {desk && (
          <fieldset className="cst-fieldset">
            <legend>Registrazione da parte del call center</legend>
            <div className="row cst-fieldset-fields">
              <SelectField className="col-12 col-md-4" {...form.field('channel')} label="Canale" value={values.channel} onChange={set('channel')}>
                {DESK_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {CHANNEL_LABELS[c]}
                  </option>
                ))}
              </SelectField>
              <TextField
                className="col-12 col-md-4"
                {...form.field('requester_name')}
                label="Nome del richiedente"
                autoComplete="off"
                hint="Vuoto: il richiedente sei tu."
                value={values.requester_name}
                onChange={set('requester_name')}
              />
              <TextField
                className="col-12 col-md-4"
                {...form.field('requester_email')}
                label="E-mail del richiedente"
                type="email"
                autoComplete="off"
                value={values.requester_email}
                onChange={set('requester_email')}
              />
            </div>
          </fieldset>
        )}
        <div className="d-flex flex-wrap gap-2 mt-3">
          <button type="submit" className="btn btn-primary" disabled={form.busy}>
            {form.busy ? 'Invio in corso…' : 'Invia la segnalazione'}
          </button>
          <button type="button" className="btn btn-outline-primary" onClick={onCancel} disabled={form.busy}>
            Annulla
          </button>
        </div>
      </form>
    </section>
  );
}
