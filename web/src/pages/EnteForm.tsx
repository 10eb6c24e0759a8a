import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Ente, NewEnte, Patron } from '../api/types';
import { ErrorText, RequiredNote, SelectField, TextField } from '../components/Field';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../components/useProblemForm';
import { sentence } from '../format';
import { SERVICE_LABELS } from '../roles';

// The form behind "Nuovo ente" (POST /api/v1/enti) and "Modifica" (PATCH
// /api/v1/enti/{istat}, JSON merge patch with only the changed fields). Only
// cst_admin may use them; the server decides in the end.

type FieldKey =
  | 'kind'
  | 'istat'
  | 'parent'
  | 'name'
  | 'population'
  | 'codice_fiscale'
  | 'ipa_code'
  | 'cadastral_code'
  | 'adhesion_date'
  | 'services'
  | 'patron';

/** Order of the fields on screen: the first one in error gets the focus. */
const FIELD_ORDER: FieldKey[] = [
  'kind',
  'istat',
  'parent',
  'name',
  'population',
  'codice_fiscale',
  'ipa_code',
  'cadastral_code',
  'adhesion_date',
  'services',
  'patron',
];

const FIELD_LABELS: Record<FieldKey, string> = {
  kind: 'Tipo',
  istat: 'Codice ISTAT',
  parent: 'Provincia di appartenenza',
  name: 'Nome',
  population: 'Popolazione',
  codice_fiscale: 'Codice fiscale',
  ipa_code: 'Codice IPA',
  cadastral_code: 'Codice catastale',
  adhesion_date: 'Data di adesione',
  services: 'Servizi sottoscritti',
  patron: 'Santo patrono',
};

const MONTHS = [
  'gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno',
  'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre',
];

const SERVICES = Object.keys(SERVICE_LABELS);

/** Maps a problem+json field ("patron", "patron.day", "services[2]") to a form field. */
function formField(field: string): FieldKey | null {
  const base = field.split(/[.[]/)[0];
  return base in FIELD_LABELS ? (base as FieldKey) : null;
}

interface Values {
  kind: 'comune' | 'provincia';
  istat: string;
  parent: string;
  name: string;
  population: string;
  codice_fiscale: string;
  ipa_code: string;
  cadastral_code: string;
  adhesion_date: string;
  services: string[];
  patron_name: string;
  patron_day: string;
  patron_month: string;
}

type Errors = FieldErrors<FieldKey>;

const EMPTY: Values = {
  kind: 'comune',
  istat: '',
  parent: '019',
  name: '',
  population: '',
  codice_fiscale: '',
  ipa_code: '',
  cadastral_code: '',
  adhesion_date: '',
  services: [],
  patron_name: '',
  patron_day: '',
  patron_month: '',
};

function valuesOf(e: Ente): Values {
  return {
    kind: e.kind,
    istat: e.istat,
    parent: e.parent ?? '',
    name: e.name,
    population: String(e.population),
    codice_fiscale: e.codice_fiscale,
    ipa_code: e.ipa_code ?? '',
    cadastral_code: e.cadastral_code ?? '',
    adhesion_date: e.adhesion_date ?? '',
    services: SERVICES.filter((s) => e.services.includes(s)),
    patron_name: e.patron?.name ?? '',
    patron_day: e.patron ? String(e.patron.day) : '',
    patron_month: e.patron ? String(e.patron.month) : '',
  };
}

/** Checks what the browser can check; the server validates everything again. */
function validate(v: Values, create: boolean): Errors {
  const err: Errors = {};
  if (create) {
    const digits = v.kind === 'provincia' ? 3 : 6;
    if (!v.istat.trim()) err.istat = 'Campo obbligatorio.';
    else if (!new RegExp(`^\\d{${digits}}$`).test(v.istat.trim()))
      err.istat = `Il codice ISTAT di ${v.kind === 'provincia' ? 'una provincia' : 'un comune'} ha ${digits} cifre.`;
    if (v.kind === 'comune') {
      if (!v.parent.trim()) err.parent = 'Campo obbligatorio per un comune.';
      else if (!/^\d{3}$/.test(v.parent.trim())) err.parent = 'Il codice ISTAT di una provincia ha 3 cifre.';
    }
  }
  if (!v.name.trim()) err.name = 'Campo obbligatorio.';
  if (!v.codice_fiscale.trim()) err.codice_fiscale = 'Campo obbligatorio.';
  if (!v.population.trim()) err.population = 'Campo obbligatorio.';
  else if (parsePopulation(v.population) === null) err.population = 'Inserisci un numero intero, 0 o più.';
  const anyPatron = v.patron_name.trim() || v.patron_day.trim() || v.patron_month;
  if (anyPatron) {
    const day = Number(v.patron_day.trim());
    if (!v.patron_name.trim() || !v.patron_day.trim() || !v.patron_month)
      err.patron = 'Indica nome, giorno e mese, oppure lascia vuoti tutti e tre.';
    else if (!/^\d{1,2}$/.test(v.patron_day.trim()) || day < 1 || day > 31) err.patron = 'Il giorno va da 1 a 31.';
  }
  return err;
}

/** "1.234" or "1234" → 1234; null if not a non-negative integer. */
function parsePopulation(s: string): number | null {
  const t = s.trim().replace(/[.\s']/g, '');
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

function patronOf(v: Values): Patron | null {
  if (!v.patron_name.trim()) return null;
  return { name: v.patron_name.trim(), month: Number(v.patron_month), day: Number(v.patron_day.trim()) };
}

function body(v: Values): NewEnte {
  const opt = (s: string) => (s.trim() ? s.trim() : null);
  return {
    istat: v.istat.trim(),
    name: v.name.trim(),
    kind: v.kind,
    parent: v.kind === 'comune' ? v.parent.trim() : null,
    codice_fiscale: v.codice_fiscale.trim(),
    ipa_code: opt(v.ipa_code),
    cadastral_code: opt(v.cadastral_code),
    population: parsePopulation(v.population) ?? 0,
    adhesion_date: opt(v.adhesion_date),
    services: v.services,
    patron: patronOf(v),
  };
}

/** The JSON merge patch from `before` to the form: only what changed (never istat, kind, parent). */
function mergePatch(before: Ente, v: Values): Record<string, unknown> {
  const after = body(v);
  const patch: Record<string, unknown> = {};
  for (const k of ['name', 'codice_fiscale', 'ipa_code', 'cadastral_code', 'population', 'adhesion_date'] as const) {
    if (after[k] !== (before[k] ?? null)) patch[k] = after[k];
  }
  const sameServices =
    after.services.length === before.services.length && after.services.every((s) => before.services.includes(s));
  if (!sameServices) patch.services = after.services; // arrays are replaced whole
  const p0 = before.patron;
  const p1 = after.patron;
  if (!(p0 === null && p1 === null) && !(p0 && p1 && p0.name === p1.name && p0.day === p1.day && p0.month === p1.month))
    patch.patron = p1; // null removes it; an object replaces all three members
  return patch;
}

export function EnteForm({
  ente,
  onSaved,
  onCancel,
}: {
  /** The ente to modify; absent for "Nuovo ente". */
  ente?: Ente;
  onSaved: (e: Ente) => void;
  onCancel: () => void;
}) {
  const create = !ente;
  const [values, setValues] = useState<Values>(ente ? valuesOf(ente) : EMPTY);
  const [info, setInfo] = useState<string | null>(null);
  const form = useProblemForm({ order: FIELD_ORDER, labels: FIELD_LABELS, toField: formField, message: sentence });
  const { errors, refs } = form;
  const uid = useId();
  const headingId = `${uid}-title`;
  const servicesErrorId = `${uid}-services-error`;
  const patronErrorId = `${uid}-patron-error`;

  // Start typing right away: the form opens from a button.
  useEffect(() => {
    refs.current[create ? 'kind' : 'name']?.focus();
  }, [create, refs]);

  const set = (k: Exclude<keyof Values, 'services' | 'kind'>) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [k]: e.target.value }));

  const toggleService = (s: string, on: boolean) =>
    setValues((v) => ({ ...v, services: SERVICES.filter((x) => (x === s ? on : v.services.includes(x))) }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    setInfo(null);
    if (!form.check(validate(values, create))) return;
    let request: () => Promise<Ente>;
    if (ente) {
      const patch = mergePatch(ente, values);
      if (Object.keys(patch).length === 0) {
        setInfo('Nessuna modifica da salvare.');
        return;
      }
      request = () => api<Ente>('PATCH', `/api/v1/enti/${encodeURIComponent(ente.istat)}`, patch);
    } else {
      const created = body(values);
      request = () => api<Ente>('POST', '/api/v1/enti', created);
    }
    await form.send(request, onSaved);
  };

  const title = create ? 'Nuovo ente' : 'Modifica dati';
  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid={create ? 'new-ente-panel' : 'edit-ente-panel'}>
      <h2 className="h3" id={headingId}>
        {title}
      </h2>
      <RequiredNote>{!create && ' Codice ISTAT, tipo e provincia di appartenenza non si possono modificare.'}</RequiredNote>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <StatusMessage message={info} variant="info" />
      <form
        onSubmit={submit}
        noValidate
        aria-labelledby={headingId}
        data-testid={create ? 'new-ente-form' : 'edit-ente-form'}
        className="cst-form"
      >
        {create && (
          <div className="row">
            <SelectField
              className="col-12 col-md-4"
              {...form.field('kind')}
              label="Tipo"
              required
              value={values.kind}
              onChange={(e) => setValues((v) => ({ ...v, kind: e.target.value as Values['kind'] }))}
            >
              <option value="comune">Comune</option>
              <option value="provincia">Provincia</option>
            </SelectField>
            <TextField
              className="col-12 col-md-4"
              {...form.field('istat')}
              label="Codice ISTAT"
              inputMode="numeric"
              autoComplete="off"
              required
              hint={values.kind === 'provincia' ? '3 cifre, es. 019.' : '6 cifre, es. 019036.'}
              value={values.istat}
              onChange={set('istat')}
            />
            {values.kind === 'comune' && (
              <TextField
                className="col-12 col-md-4"
                {...form.field('parent')}
                label="Provincia di appartenenza"
                inputMode="numeric"
                autoComplete="off"
                required
                hint="Codice ISTAT della provincia, es. 019 (Cremona)."
                value={values.parent}
                onChange={set('parent')}
              />
            )}
          </div>
        )}
        <div className="row">
          <TextField
            className="col-12 col-md-8"
            {...form.field('name')}
            label="Nome"
            autoComplete="off"
            required
            value={values.name}
            onChange={set('name')}
          />
          <TextField
            className="col-12 col-md-4"
            {...form.field('population')}
            label="Popolazione"
            inputMode="numeric"
            autoComplete="off"
            required
            hint="Residenti, numero intero."
            value={values.population}
            onChange={set('population')}
          />
          <TextField
            className="col-12 col-md-4"
            {...form.field('codice_fiscale')}
            label="Codice fiscale"
            inputMode="numeric"
            autoComplete="off"
            required
            hint="11 cifre."
            value={values.codice_fiscale}
            onChange={set('codice_fiscale')}
          />
          <TextField
            className="col-12 col-md-4"
            {...form.field('ipa_code')}
            label="Codice IPA"
            autoComplete="off"
            hint="Es. c_d150."
            value={values.ipa_code}
            onChange={set('ipa_code')}
          />
          <TextField
            className="col-12 col-md-4"
            {...form.field('cadastral_code')}
            label="Codice catastale"
            autoComplete="off"
            hint="Es. D150."
            value={values.cadastral_code}
            onChange={set('cadastral_code')}
          />
          <TextField
            className="col-12 col-md-4"
            {...form.field('adhesion_date')}
            label="Data di adesione"
            type="date"
            hint="Vuota se l'ente non ha ancora aderito."
            value={values.adhesion_date}
            onChange={set('adhesion_date')}
          />
        </div>

        <fieldset className="cst-fieldset" aria-describedby={errors.services ? servicesErrorId : undefined}>
          <legend>Servizi sottoscritti</legend>
          <div className="row">
            {SERVICES.map((s, i) => (
              <div className="col-12 col-sm-6 col-lg-4" key={s}>
                <div className="form-check">
                  <input
                    id={`${uid}-svc-${s}`}
                    type="checkbox"
                    name="services"
                    value={s}
                    ref={i === 0 ? form.fieldRef('services') : undefined}
                    checked={values.services.includes(s)}
                    aria-describedby={errors.services ? servicesErrorId : undefined}
                    onChange={(e) => toggleService(s, e.target.checked)}
                  />
                  <label htmlFor={`${uid}-svc-${s}`}>{SERVICE_LABELS[s]}</label>
                </div>
              </div>
            ))}
          </div>
          <ErrorText id={servicesErrorId} error={errors.services} />
        </fieldset>

        <fieldset className="cst-fieldset" aria-describedby={errors.patron ? patronErrorId : undefined}>
          <legend>Santo patrono (facoltativo)</legend>
          <div className="row cst-fieldset-fields">
            <TextField
              className="col-12 col-md-6"
              ref={form.fieldRef('patron')}
              label="Nome del santo"
              name="patron_name"
              autoComplete="off"
              value={values.patron_name}
              onChange={set('patron_name')}
              errorRef={errors.patron ? patronErrorId : undefined}
            />
            <TextField
              className="col-6 col-md-2"
              label="Giorno"
              name="patron_day"
              inputMode="numeric"
              autoComplete="off"
              value={values.patron_day}
              onChange={set('patron_day')}
              errorRef={errors.patron ? patronErrorId : undefined}
            />
            <SelectField
              className="col-6 col-md-4"
              label="Mese"
              name="patron_month"
              value={values.patron_month}
              onChange={set('patron_month')}
              errorRef={errors.patron ? patronErrorId : undefined}
            >
              <option value="">—</option>
              {MONTHS.map((m, i) => (
                <option key={m} value={String(i + 1)}>
                  {m}
                </option>
              ))}
            </SelectField>
          </div>
          <ErrorText id={patronErrorId} error={errors.patron} />
        </fieldset>

        <div className="d-flex flex-wrap gap-2 mt-3">
          <button type="submit" className="btn btn-primary" disabled={form.busy}>
            {form.busy ? 'Salvataggio in corso…' : create ? 'Registra ente' : 'Salva modifiche'}
          </button>
          <button type="button" className="btn btn-outline-primary" onClick={onCancel} disabled={form.busy}>
            Annulla
          </button>
        </div>
      </form>
    </section>
  );
}
