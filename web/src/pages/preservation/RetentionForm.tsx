import { useId, useRef, useState, type FormEvent } from 'react';
import { EditableRows } from '../../components/EditableRows';
import { RequiredNote, SubmitOrClose, TextField } from '../../components/Field';
import { FormPanel } from '../../components/FormPanel';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';
import { putRetention, type RetentionRule, type RetentionTable } from '../../preservation';

// The ente's retention table (piano di conservazione), saved whole (PUT): one row per document
// class with its years, or "Permanente" (years null: never due for scarto), and a note (the
// item of the piano it comes from). The server names errors by position ("rules[1].years"): they
// go next to that row's field; rows have stable ids, so an error stays on its row while others
// are added or removed.

const MAX_RULES = 500;

interface RuleRow {
  id: number;
  document_class: string;
  years: string;
  permanent: boolean;
  note: string;
}

type Part = 'document_class' | 'years' | 'note';
const key = (id: number, part: Part) => `rule:${id}:${part}`;

/** "rules[1].years" → the second row's field; a table-wide error ("rules") → the list. */
function fieldOf(f: string, rows: readonly RuleRow[]): string | null {
  if (f === 'rules') return 'rules';
  const m = /^rules\[(\d+)\](?:\.(\w+))?$/.exec(f);
  if (!m) return null;
  const row = rows[Number(m[1])];
  if (!row) return 'rules';
  const part = m[2] === 'years' || m[2] === 'note' ? m[2] : 'document_class';
  return key(row.id, part);
}

export function RetentionForm({
  ente,
  saved,
  onSaved,
  onCancel,
}: {
  ente: string;
  saved: RetentionRule[];
  onSaved: (t: RetentionTable) => void;
  onCancel: () => void;
}) {
  const uid = useId();
  const nextId = useRef(0);
  const newId = () => ++nextId.current;
  const [rows, setRows] = useState<RuleRow[]>(() =>
    saved.map((r) => ({ id: newId(), document_class: r.document_class, years: r.years === null ? '' : String(r.years), permanent: r.years === null, note: r.note ?? '' })),
  );
  const [added, setAdded] = useState<number | null>(null);

  const labels: Record<string, string> = { rules: 'Tempi di conservazione' };
  rows.forEach((r, i) => {
    labels[key(r.id, 'document_class')] = `Classe documentale della riga ${i + 1}`;
    labels[key(r.id, 'years')] = `Anni della riga ${i + 1}`;
    labels[key(r.id, 'note')] = `Nota della riga ${i + 1}`;
  });
  const form = useProblemForm<string>({
    order: [...rows.flatMap((r) => [key(r.id, 'document_class'), key(r.id, 'years'), key(r.id, 'note')]), 'rules'],
    labels,
    toField: (f) => fieldOf(f, rows),
    message: sentence,
  });

  const edit = (id: number, patch: Partial<RuleRow>) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const add = () => {
    const id = newId();
    setRows((rs) => [...rs, { id, document_class: '', years: '', permanent: false, note: '' }]);
    setAdded(id);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<string> = {};
    for (const r of rows) {
      if (!r.document_class.trim()) invalid[key(r.id, 'document_class')] = 'Scrivi la classe documentale o rimuovi la riga.';
      if (!r.permanent && !r.years.trim()) invalid[key(r.id, 'years')] = 'Scrivi per quanti anni si conserva, o segna «Permanente».';
      else if (!r.permanent && !/^\d+$/.test(r.years.trim())) invalid[key(r.id, 'years')] = 'Scrivi il numero di anni in cifre, per esempio 10.';
    }
    if (!form.check(invalid)) return;
    const rules: RetentionRule[] = rows.map((r) => ({
      document_class: r.document_class.trim(),
      // The range (how many years at least and at most) is the server's to judge.
      years: r.permanent ? null : Number(r.years.trim()),
      note: r.note.trim() || null,
    }));
    void form.send(() => putRetention({ ente, rules }), onSaved);
  };

  return (
    <FormPanel title="Modifica dei tempi di conservazione" level={4} testId="retention-form" onSubmit={submit}>
      <RequiredNote>
        {' '}
        Un pacchetto diventa scartabile quando sono passati gli anni indicati per la sua classe dalla data del documento; le classi
        senza riga, o segnate «Permanente», si conservano per sempre.
      </RequiredNote>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <EditableRows
        title="Classi documentali"
        rows={rows}
        min={0}
        max={MAX_RULES}
        legend={(i) => `Riga ${i + 1}`}
        removeName={(i) => `la riga ${i + 1}`}
        addLabel="Aggiungi una classe"
        onAdd={add}
        onRemove={(id) => setRows((rs) => rs.filter((r) => r.id !== id))}
        error={form.errors.rules}
        errorId={`${uid}-rules-error`}
        testId="retention-rows"
        level={4}
      >
        {(r) => (
          <>
            <TextField
              className="col-12 col-lg-4"
              {...form.field(key(r.id, 'document_class'))}
              label="Classe documentale"
              required
              autoComplete="off"
              spellCheck={false}
              autoFocus={r.id === added}
              value={r.document_class}
              onChange={(e) => edit(r.id, { document_class: e.target.value })}
            />
            <TextField
              className="col-6 col-lg-2"
              {...form.field(key(r.id, 'years'))}
              label="Anni"
              inputMode="numeric"
              autoComplete="off"
              maxLength={4}
              disabled={r.permanent}
              value={r.permanent ? '' : r.years}
              onChange={(e) => edit(r.id, { years: e.target.value })}
            />
            <div className="col-6 col-lg-2 mb-3">
              <div className="form-check mt-lg-2">
                <input
                  id={`${uid}-permanent-${r.id}`}
                  type="checkbox"
                  checked={r.permanent}
                  onChange={(e) => edit(r.id, { permanent: e.target.checked })}
                />
                <label htmlFor={`${uid}-permanent-${r.id}`}>Permanente</label>
              </div>
            </div>
            <TextField
              className="col-12 col-lg-4"
              {...form.field(key(r.id, 'note'))}
              label="Nota"
              maxLength={500}
              value={r.note}
              onChange={(e) => edit(r.id, { note: e.target.value })}
            />
          </>
        )}
      </EditableRows>
      <SubmitOrClose busy={form.busy} busyLabel="Salvataggio in corso…" closeLabel="Chiudi senza salvare" onClose={onCancel}>
        Salva i tempi di conservazione
      </SubmitOrClose>
    </FormPanel>
  );
}
