import { useId, useState, type FormEvent } from 'react';
import { addClass, openFolder, putAoo } from '../../api/protocol';
import type { ProtocolAoo, ProtocolClass, ProtocolFolder } from '../../api/types';
import { RequiredNote, SelectField, SubmitButton, TextField } from '../../components/Field';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';

// The forms of "Titolario e AOO": the AOO (PUT, whole), a class added to the titolario and a
// fascicolo opened under a class (POST). Each shows the server's errors next to its fields and
// hands what was saved to the panel, which lists it.

type AooField = 'aoo_code' | 'aoo_name' | 'registry_code';
const AOO_LABELS: Record<AooField, string> = {
  aoo_code: "Codice IPA dell'AOO",
  aoo_name: "Denominazione dell'AOO",
  registry_code: 'Codice del registro',
};

export function AooForm({ ente, saved, onSaved }: { ente: string; saved: ProtocolAoo; onSaved: (a: ProtocolAoo) => void }) {
  const uid = useId();
  const [code, setCode] = useState(saved.aoo_code ?? '');
  const [name, setName] = useState(saved.aoo_name ?? '');
  const [registry, setRegistry] = useState(saved.registry_code ?? 'PG');
  const form = useProblemForm<AooField>({
    order: ['aoo_code', 'aoo_name', 'registry_code'],
    labels: AOO_LABELS,
    toField: (f) => (f in AOO_LABELS ? (f as AooField) : null),
    message: sentence,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<AooField> = {};
    if (!code.trim()) invalid.aoo_code = "Scrivi il codice IPA dell'AOO.";
    if (!name.trim()) invalid.aoo_name = "Scrivi la denominazione dell'AOO.";
    if (!registry.trim()) invalid.registry_code = 'Scrivi il codice del registro.';
    if (!form.check(invalid)) return;
    void form.send(() => putAoo(ente, { aoo_code: code.trim(), aoo_name: name.trim(), registry_code: registry.trim() }), onSaved);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`} className="cst-panel cst-form mb-4" data-testid="aoo-form">
      <h4 className="h5" id={`${uid}-title`}>
        {saved.configured ? "Modifica dell'AOO" : "Configura l'AOO"}
      </h4>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <div className="row">
        <TextField
          className="col-12 col-lg-4"
          {...form.field('aoo_code')}
          label={AOO_LABELS.aoo_code}
          hint="Come nell'Indice dei domicili digitali (IPA); lettere, cifre, _ . -"
          required
          autoComplete="off"
          spellCheck={false}
          maxLength={32}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <TextField
          className="col-12 col-lg-5"
          {...form.field('aoo_name')}
          label={AOO_LABELS.aoo_name}
          required
          maxLength={300}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <TextField
          className="col-12 col-lg-3"
          {...form.field('registry_code')}
          label={AOO_LABELS.registry_code}
          hint="Per esempio PG (protocollo generale)."
          required
          autoComplete="off"
          spellCheck={false}
          maxLength={16}
          value={registry}
          onChange={(e) => setRegistry(e.target.value)}
        />
      </div>
      <SubmitButton busy={form.busy} busyLabel="Salvataggio in corso…">
        Salva l'AOO
      </SubmitButton>
    </form>
  );
}

type ClassField = 'code' | 'description';
const CLASS_LABELS: Record<ClassField, string> = { code: 'Codice della classe', description: 'Descrizione della classe' };

export function ClassForm({ ente, onAdded }: { ente: string; onAdded: (c: ProtocolClass) => void }) {
  const uid = useId();
  const [code, setCode] = useState('');
  const [description, setDescription] = useState('');
  const form = useProblemForm<ClassField>({
    order: ['code', 'description'],
    labels: CLASS_LABELS,
    toField: (f) => (f === 'code' || f === 'description' ? f : null),
    message: sentence,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<ClassField> = {};
    if (!code.trim()) invalid.code = 'Scrivi il codice della classe, per esempio 6.4.';
    if (!description.trim()) invalid.description = 'Scrivi la descrizione della classe.';
    if (!form.check(invalid)) return;
    void form.send(
      () => addClass(ente, code.trim(), description.trim()),
      (c) => {
        setCode('');
        setDescription('');
        onAdded(c);
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`} className="cst-panel cst-form mb-4" data-testid="class-form">
      <h4 className="h5" id={`${uid}-title`}>
        Aggiungi una classe
      </h4>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <div className="row">
        <TextField
          className="col-12 col-lg-4"
          {...form.field('code')}
          label={CLASS_LABELS.code}
          hint="Il titolo (6) o la classe (6.3), livelli separati da punti."
          required
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <TextField
          className="col-12 col-lg-8"
          {...form.field('description')}
          label={CLASS_LABELS.description}
          required
          maxLength={300}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <SubmitButton busy={form.busy} busyLabel="Salvataggio in corso…">
        Aggiungi la classe
      </SubmitButton>
    </form>
  );
}

type FolderField = 'code' | 'subject' | 'class_code';
const FOLDER_LABELS: Record<FolderField, string> = {
  code: 'Codice del fascicolo',
  subject: 'Oggetto del fascicolo',
  class_code: 'Classe del fascicolo',
};

export function FolderForm({ ente, classes, onOpened }: { ente: string; classes: readonly ProtocolClass[]; onOpened: (f: ProtocolFolder) => void }) {
  const uid = useId();
  const [code, setCode] = useState('');
  const [subject, setSubject] = useState('');
  const [classCode, setClassCode] = useState('');
  const form = useProblemForm<FolderField>({
    order: ['code', 'subject', 'class_code'],
    labels: FOLDER_LABELS,
    toField: (f) => (f in FOLDER_LABELS ? (f as FolderField) : null),
    message: sentence,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<FolderField> = {};
    if (!code.trim()) invalid.code = 'Scrivi il codice del fascicolo.';
    if (!subject.trim()) invalid.subject = "Scrivi l'oggetto del fascicolo.";
    if (!classCode) invalid.class_code = 'Scegli la classe del titolario.';
    if (!form.check(invalid)) return;
    void form.send(
      () => openFolder(ente, code.trim(), subject.trim(), classCode),
      (f) => {
        setCode('');
        setSubject('');
        setClassCode('');
        onOpened(f);
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`} className="cst-panel cst-form mb-4" data-testid="folder-form">
      <h4 className="h5" id={`${uid}-title`}>
        Apri un fascicolo
      </h4>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <div className="row">
        <TextField
          className="col-12 col-lg-4"
          {...form.field('code')}
          label={FOLDER_LABELS.code}
          hint="Per esempio 2026/6.3/1; al massimo 64 caratteri."
          required
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <TextField
          className="col-12 col-lg-8"
          {...form.field('subject')}
          label={FOLDER_LABELS.subject}
          required
          maxLength={1000}
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
        />
        <SelectField
          className="col-12 col-lg-8"
          {...form.field('class_code')}
          label={FOLDER_LABELS.class_code}
          required
          value={classCode}
          onChange={(e) => setClassCode(e.target.value)}
        >
          <option value="">Scegli la classe</option>
          {classes
            .filter((c) => c.active)
            .map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} – {c.description}
              </option>
            ))}
        </SelectField>
      </div>
      <SubmitButton busy={form.busy} busyLabel="Apertura in corso…">
        Apri il fascicolo
      </SubmitButton>
    </form>
  );
}
