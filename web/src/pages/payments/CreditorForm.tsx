import { useId, useRef, useState, type FormEvent } from 'react';
import { putCreditor } from '../../api/payments';
import type { Creditor, CreditorInput } from '../../api/types';
import { RequiredNote, SubmitOrClose, TextField } from '../../components/Field';
import { FormPanel } from '../../components/FormPanel';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';
import { useSession } from '../../session';
import { EditableRows } from '../../components/EditableRows';

// The creditor configuration's form (PUT replaces it whole). The server checks every code (IBAN
// check digits and CIN, taxonomy form, fiscal code) and names errors by position, e.g.
// "ibans[1].iban": they go next to that row's field. Rows have stable ids, so an error stays on
// its row while others are added or removed; the request lists the rows in screen order.

/** The server's limits (docs/payments.md). */
const MAX_IBANS = 20;
const MAX_CODES = 200;

interface IbanRow {
  id: number;
  iban: string;
  label: string;
}
interface CodeRow {
  id: number;
  code: string;
  label: string;
}

const ibanKey = (id: number, part: 'iban' | 'label') => `iban:${id}:${part}`;
const codeKey = (id: number, part: 'code' | 'label') => `code:${id}:${part}`;

/** "ibans[1].iban" → the second row's IBAN field; a list-wide error ("ibans") → the list. */
function fieldOf(f: string, ibans: readonly IbanRow[], codes: readonly CodeRow[]): string | null {
  if (f === 'fiscal_code' || f === 'segregation_code' || f === 'ibans' || f === 'service_codes') return f;
  const item = /^(ibans|service_codes)\[(\d+)\](?:\.(\w+))?$/.exec(f);
  if (!item) return null;
  const [, list, index, part] = item;
  if (list === 'ibans') {
    const row = ibans[Number(index)];
    if (!row || part === 'primary') return 'ibans';
    return ibanKey(row.id, part === 'label' ? 'label' : 'iban');
  }
  const row = codes[Number(index)];
  if (!row) return 'service_codes';
  return codeKey(row.id, part === 'label' ? 'label' : 'code');
}

export function CreditorForm({
  ente,
  saved,
  onSaved,
  onCancel,
}: {
  ente: string;
  saved: Creditor;
  onSaved: (c: Creditor) => void;
  onCancel: () => void;
}) {
  const { entiByIstat } = useSession();
  const uid = useId();
  const nextId = useRef(0);
  const newId = () => ++nextId.current;

  // A first configuration starts from the ente's codice fiscale in the registry and one account.
  const [fiscal, setFiscal] = useState(() => saved.fiscal_code ?? entiByIstat.get(ente)?.codice_fiscale ?? '');
  const [segregation, setSegregation] = useState(saved.segregation_code ?? '');
  const [ibans, setIbans] = useState<IbanRow[]>(() =>
    saved.ibans.length ? saved.ibans.map((i) => ({ id: newId(), iban: i.iban, label: i.label ?? '' })) : [{ id: newId(), iban: '', label: '' }],
  );
  const [primary, setPrimary] = useState(() => ibans[Math.max(0, saved.ibans.findIndex((i) => i.primary))].id);
  const [codes, setCodes] = useState<CodeRow[]>(() => saved.service_codes.map((c) => ({ id: newId(), ...c })));
  const [added, setAdded] = useState<number | null>(null);

  const labels: Record<string, string> = {
    fiscal_code: 'Codice fiscale',
    segregation_code: 'Codice di segregazione',
    ibans: 'Conti di accredito',
    service_codes: 'Codici di tassonomia',
  };
  ibans.forEach((r, i) => {
    labels[ibanKey(r.id, 'iban')] = `IBAN del conto n. ${i + 1}`;
    labels[ibanKey(r.id, 'label')] = `Descrizione del conto n. ${i + 1}`;
  });
  codes.forEach((r, i) => {
    labels[codeKey(r.id, 'code')] = `Codice di tassonomia n. ${i + 1}`;
    labels[codeKey(r.id, 'label')] = `Descrizione del codice n. ${i + 1}`;
  });
  const form = useProblemForm<string>({
    // Screen order: the list-wide errors after their rows.
    order: [
      'fiscal_code',
      'segregation_code',
      ...ibans.flatMap((r) => [ibanKey(r.id, 'iban'), ibanKey(r.id, 'label')]),
      'ibans',
      ...codes.flatMap((r) => [codeKey(r.id, 'code'), codeKey(r.id, 'label')]),
      'service_codes',
    ],
    labels,
    toField: (f) => fieldOf(f, ibans, codes),
    message: sentence,
  });

  const editIban = (id: number, patch: Partial<IbanRow>) => setIbans((rows) => rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const editCode = (id: number, patch: Partial<CodeRow>) => setCodes((rows) => rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const addIban = () => {
    const id = newId();
    setIbans((rows) => [...rows, { id, iban: '', label: '' }]);
    setAdded(id);
  };
  const removeIban = (id: number) => {
    const rest = ibans.filter((r) => r.id !== id);
    setIbans(rest);
    // The primary account removed: the first one left takes its place (the user may change it).
    if (id === primary && rest.length) setPrimary(rest[0].id);
  };
  const addCode = () => {
    const id = newId();
    setCodes((rows) => [...rows, { id, code: '', label: '' }]);
    setAdded(id);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    // Only what must be there; the codes' rules are the server's, shown next to each field.
    const invalid: FieldErrors<string> = {};
    if (!fiscal.trim()) invalid.fiscal_code = "Scrivi il codice fiscale dell'ente creditore.";
    if (!segregation.trim()) invalid.segregation_code = 'Scrivi il codice di segregazione.';
    for (const r of ibans) if (!r.iban.trim()) invalid[ibanKey(r.id, 'iban')] = "Scrivi l'IBAN o rimuovi il conto.";
    for (const r of codes) {
      if (!r.code.trim()) invalid[codeKey(r.id, 'code')] = 'Scrivi il codice o rimuovi la riga.';
      if (!r.label.trim()) invalid[codeKey(r.id, 'label')] = 'Scrivi a che cosa si riferisce il codice.';
    }
    if (!form.check(invalid)) return;
    const input: CreditorInput = {
      fiscal_code: fiscal.trim(),
      segregation_code: segregation.trim(),
      ibans: ibans.map((r) => ({ iban: r.iban.trim(), ...(r.label.trim() ? { label: r.label.trim() } : {}), primary: r.id === primary })),
      service_codes: codes.map((r) => ({ code: r.code.trim(), label: r.label.trim() })),
    };
    void form.send(() => putCreditor(ente, input), onSaved);
  };

  const ibansErrorId = `${uid}-ibans-error`;
  const ibansError = form.errors.ibans;

  return (
    <FormPanel title={saved.configured ? 'Modifica della configurazione' : 'Nuova configurazione'} testId="creditor-form" onSubmit={submit}>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <div className="row">
        <TextField
          className="col-12 col-lg-6"
          {...form.field('fiscal_code')}
          label="Codice fiscale"
          hint="Il codice fiscale numerico dell'ente, 11 cifre: pagoPA riconosce il creditore da questo."
          required
          inputMode="numeric"
          maxLength={11}
          autoComplete="off"
          value={fiscal}
          onChange={(e) => setFiscal(e.target.value)}
        />
        <TextField
          className="col-12 col-lg-6"
          {...form.field('segregation_code')}
          label="Codice di segregazione"
          hint="Due cifre assegnate da PagoPA al CST come intermediario (da 00 a 49)."
          required
          inputMode="numeric"
          maxLength={2}
          autoComplete="off"
          value={segregation}
          onChange={(e) => setSegregation(e.target.value)}
        />
      </div>

      <EditableRows
        title="Conti di accredito"
        intro={<p className="small">Almeno un conto. Il conto predefinito riceve i versamenti per cui non è indicato altro; gli spazi nell'IBAN non contano.</p>}
        rows={ibans}
        min={1}
        max={MAX_IBANS}
        legend={(i) => `Conto n. ${i + 1}`}
        removeName={(i) => `il conto n. ${i + 1}`}
        addLabel="Aggiungi un conto"
        onAdd={addIban}
        onRemove={removeIban}
        error={ibansError}
        errorId={ibansErrorId}
        testId="creditor-form-ibans"
      >
        {(r, i) => (
          <>
            <TextField
              className="col-12 col-lg-5"
              {...form.field(ibanKey(r.id, 'iban'))}
              label="IBAN"
              required
              autoComplete="off"
              spellCheck={false}
              autoFocus={r.id === added}
              value={r.iban}
              onChange={(e) => editIban(r.id, { iban: e.target.value })}
            />
            <TextField
              className="col-12 col-lg-3"
              {...form.field(ibanKey(r.id, 'label'))}
              label="Descrizione"
              maxLength={140}
              value={r.label}
              onChange={(e) => editIban(r.id, { label: e.target.value })}
            />
            <div className="col-12 col-lg-2 mb-3">
              <div className="form-check mt-lg-2">
                <input
                  id={`${uid}-primary-${r.id}`}
                  type="radio"
                  name="primary"
                  ref={i === 0 ? form.fieldRef('ibans') : undefined}
                  checked={r.id === primary}
                  aria-invalid={ibansError ? true : undefined}
                  aria-describedby={ibansError ? ibansErrorId : undefined}
                  onChange={() => setPrimary(r.id)}
                />
                <label htmlFor={`${uid}-primary-${r.id}`}>Conto predefinito</label>
              </div>
            </div>
          </>
        )}
      </EditableRows>

      <EditableRows
        title="Codici di tassonomia"
        intro={<p className="small">Facoltativi. Nella forma completa della tassonomia pagoPA, per esempio 9/0101002IM/, con una descrizione.</p>}
        rows={codes}
        min={0}
        max={MAX_CODES}
        legend={(i) => `Codice n. ${i + 1}`}
        removeName={(i) => `il codice n. ${i + 1}`}
        addLabel="Aggiungi un codice"
        onAdd={addCode}
        onRemove={(id) => setCodes((rows) => rows.filter((r) => r.id !== id))}
        error={form.errors.service_codes}
        errorId={`${uid}-codes-error`}
        testId="creditor-form-codes"
      >
        {(r) => (
          <>
            <TextField
              className="col-12 col-lg-4"
              {...form.field(codeKey(r.id, 'code'))}
              label="Codice di tassonomia"
              required
              autoComplete="off"
              spellCheck={false}
              autoFocus={r.id === added}
              value={r.code}
              onChange={(e) => editCode(r.id, { code: e.target.value })}
            />
            <TextField
              className="col-12 col-lg-6"
              {...form.field(codeKey(r.id, 'label'))}
              label="Descrizione"
              required
              maxLength={140}
              value={r.label}
              onChange={(e) => editCode(r.id, { label: e.target.value })}
            />
          </>
        )}
      </EditableRows>

      <SubmitOrClose busy={form.busy} busyLabel="Salvataggio in corso…" closeLabel="Annulla" onClose={onCancel}>
        Salva la configurazione
      </SubmitOrClose>
    </FormPanel>
  );
}
