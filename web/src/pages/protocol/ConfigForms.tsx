import { useState } from 'react';
import { addClass, openFolder, putAoo } from '../../api/protocol';
import type { ProtocolAoo, ProtocolClass, ProtocolFolder } from '../../api/types';
import { RequiredNote, SelectField, SubmitButton, TextField } from '../../components/Field';
import { FormPanel } from '../../components/FormPanel';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';

// The forms of "Titolario e AOO": the AOO (PUT, whole), a class added to the titolario and a
// fascicolo opened under a class (POST). Each shows the server's errors next to its fields and
// hands what was saved to the panel, which lists it. The three differ only in their fields, so
// each is described as a list of fields and drawn, checked and sent by ConfigForm.

/** One field of these forms: required (with what the user is asked when it is left empty) or optional. */
type FieldSpec<K extends string> = FieldShape<K> & ({ optional?: false; missing: string } | { optional: true; missing?: undefined });

interface FieldShape<K extends string> {
  name: K;
  label: string;
  className: string;
  /** The input's type when not plain text (an e-mail address gets the matching keyboard). */
  type?: 'email';
  hint?: string;
  maxLength?: number;
  /** A code or an address: no autocompletion (not the user's own), no spell check. */
  code?: boolean;
  /** A choice among `items` ([value, text]) instead of a text, with `placeholder` first (nothing chosen). */
  options?: { placeholder: string; items: readonly (readonly [value: string, text: string])[] };
}

/**
 * A form of fields, required unless marked optional: checked in the browser, sent trimmed (an
 * optional field left empty is sent as ""), the server's errors next to each field. `clear`: emptied once saved (a row added); else it keeps what was saved (the AOO).
 */
function ConfigForm<K extends string, T>({
  title,
  testId,
  fields,
  initial,
  send,
  onSaved,
  clear = false,
  busyLabel,
  submitLabel,
}: {
  title: string;
  testId: string;
  fields: readonly FieldSpec<K>[];
  initial: Record<K, string>;
  send: (values: Record<K, string>) => Promise<T>;
  onSaved: (saved: T) => void;
  clear?: boolean;
  busyLabel: string;
  submitLabel: string;
}) {
  const [values, setValues] = useState(initial);
  const form = useProblemForm<K>({
    order: fields.map((f) => f.name),
    labels: Object.fromEntries(fields.map((f) => [f.name, f.label])) as Record<K, string>,
    message: sentence,
  });
  const submit = form.submitWith(
    () => Object.fromEntries(fields.flatMap((f) => (!f.optional && !values[f.name].trim() ? [[f.name, f.missing]] : []))) as FieldErrors<K>,
    () => send(Object.fromEntries(fields.map((f) => [f.name, values[f.name].trim()])) as Record<K, string>),
    (saved) => {
      if (clear) setValues(initial);
      onSaved(saved);
    },
  );
  const set = (k: K) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  return (
    <FormPanel title={title} level={4} testId={testId} onSubmit={submit}>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <div className="row">
        {fields.map((f) =>
          f.options ? (
            <SelectField key={f.name} className={f.className} {...form.field(f.name)} label={f.label} required value={values[f.name]} onChange={set(f.name)}>
              <option value="">{f.options.placeholder}</option>
              {f.options.items.map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </SelectField>
          ) : (
            <TextField
              key={f.name}
              className={f.className}
              {...form.field(f.name)}
              label={f.label}
              hint={f.hint}
              required={!f.optional}
              type={f.type}
              autoComplete={f.code ? 'off' : undefined}
              spellCheck={f.code ? false : undefined}
              maxLength={f.maxLength}
              value={values[f.name]}
              onChange={set(f.name)}
            />
          ),
        )}
      </div>
      <SubmitButton busy={form.busy} busyLabel={busyLabel}>
        {submitLabel}
      </SubmitButton>
    </FormPanel>
  );
}

const AOO_FIELDS: readonly FieldSpec<'aoo_code' | 'aoo_name' | 'registry_code' | 'pec'>[] = [
  {
    name: 'aoo_code',
    label: "Codice IPA dell'AOO",
    missing: "Scrivi il codice IPA dell'AOO.",
    className: 'col-12 col-lg-4',
    hint: "Come nell'Indice dei domicili digitali (IPA); lettere, cifre, _ . -",
    maxLength: 32,
    code: true,
  },
  { name: 'aoo_name', label: "Denominazione dell'AOO", missing: "Scrivi la denominazione dell'AOO.", className: 'col-12 col-lg-5', maxLength: 300 },
  {
    name: 'registry_code',
    label: 'Codice del registro',
    missing: 'Scrivi il codice del registro.',
    className: 'col-12 col-lg-3',
    hint: 'Per esempio PG (protocollo generale).',
    maxLength: 16,
    code: true,
  },
  // Optional: AOOs configured before it was asked have none until their referent adds it.
  {
    name: 'pec',
    label: "PEC dell'AOO",
    optional: true,
    type: 'email',
    className: 'col-12 col-lg-6',
    hint: "L'indirizzo di posta elettronica certificata dell'AOO, come nell'IPA; facoltativo.",
    maxLength: 254,
    code: true,
  },
];

export function AooForm({ ente, saved, onSaved }: { ente: string; saved: ProtocolAoo; onSaved: (a: ProtocolAoo) => void }) {
  return (
    <ConfigForm
      title={saved.configured ? "Modifica dell'AOO" : "Configura l'AOO"}
      testId="aoo-form"
      fields={AOO_FIELDS}
      initial={{ aoo_code: saved.aoo_code ?? '', aoo_name: saved.aoo_name ?? '', registry_code: saved.registry_code ?? 'PG', pec: saved.pec ?? '' }}
      send={(aoo) => putAoo(ente, aoo)}
      onSaved={onSaved}
      busyLabel="Salvataggio in corso…"
      submitLabel="Salva l'AOO"
    />
  );
}

const CLASS_FIELDS: readonly FieldSpec<'code' | 'description'>[] = [
  {
    name: 'code',
    label: 'Codice della classe',
    missing: 'Scrivi il codice della classe, per esempio 6.4.',
    className: 'col-12 col-lg-4',
    hint: 'Il titolo (6) o la classe (6.3), livelli separati da punti.',
    code: true,
  },
  { name: 'description', label: 'Descrizione della classe', missing: 'Scrivi la descrizione della classe.', className: 'col-12 col-lg-8', maxLength: 300 },
];

export function ClassForm({ ente, onAdded }: { ente: string; onAdded: (c: ProtocolClass) => void }) {
  return (
    <ConfigForm
      title="Aggiungi una classe"
      testId="class-form"
      fields={CLASS_FIELDS}
      initial={{ code: '', description: '' }}
      send={(c) => addClass(ente, c.code, c.description)}
      onSaved={onAdded}
      clear
      busyLabel="Salvataggio in corso…"
      submitLabel="Aggiungi la classe"
    />
  );
}

export function FolderForm({ ente, classes, onOpened }: { ente: string; classes: readonly ProtocolClass[]; onOpened: (f: ProtocolFolder) => void }) {
  // A fascicolo is opened only under a class still in use.
  const fields: FieldSpec<'code' | 'subject' | 'class_code'>[] = [
    {
      name: 'code',
      label: 'Codice del fascicolo',
      missing: 'Scrivi il codice del fascicolo.',
      className: 'col-12 col-lg-4',
      hint: 'Per esempio 2026/6.3/1; al massimo 64 caratteri.',
      maxLength: 64,
      code: true,
    },
    { name: 'subject', label: 'Oggetto del fascicolo', missing: "Scrivi l'oggetto del fascicolo.", className: 'col-12 col-lg-8', maxLength: 1000 },
    {
      name: 'class_code',
      label: 'Classe del fascicolo',
      missing: 'Scegli la classe del titolario.',
      className: 'col-12 col-lg-8',
      options: { placeholder: 'Scegli la classe', items: classes.filter((c) => c.active).map((c) => [c.code, `${c.code} – ${c.description}`] as const) },
    },
  ];
  return (
    <ConfigForm
      title="Apri un fascicolo"
      testId="folder-form"
      fields={fields}
      initial={{ code: '', subject: '', class_code: '' }}
      send={(f) => openFolder(ente, f.code, f.subject, f.class_code)}
      onSaved={onOpened}
      clear
      busyLabel="Apertura in corso…"
      submitLabel="Apri il fascicolo"
    />
  );
}
