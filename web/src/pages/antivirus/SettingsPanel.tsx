import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import type { AntivirusSettings, AntivirusSettingsInput } from '../../api/types';
import { hoursText, isAvAdmin } from '../../antivirus';
import { RequiredNote, SubmitButton, TextField } from '../../components/Field';
import { Loading } from '../../components/Page';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { formatDateTime, sentence } from '../../format';
import { useSession } from '../../session';

// "Soglie": after how many hours an endpoint is outdated or silent and the engine's signatures are
// stale. Everyone who reads the records sees them; only the CST administrator changes them (PUT).

const SETTINGS_URL = '/api/v1/antivirus/settings';

type Field = keyof AntivirusSettingsInput;
const FIELDS: Field[] = ['outdated_after_hours', 'silent_after_hours', 'engine_max_age_hours'];
const LABELS: Record<Field, string> = {
  outdated_after_hours: 'Postazione non aggiornata dopo (ore)',
  silent_after_hours: 'Postazione silente dopo (ore)',
  engine_max_age_hours: 'Firme del motore obsolete dopo (ore)',
};
const HINTS: Record<Field, string> = {
  outdated_after_hours: 'Età massima delle firme di una postazione (predefinita 72).',
  silent_after_hours: 'Tempo massimo senza rapporti della postazione (predefinito 48).',
  engine_max_age_hours: 'Età massima delle firme di ClamAV sul server (predefinita 24).',
};

export function SettingsPanel() {
  const { me } = useSession();
  const editable = !!me && isAvAdmin(me.grants);
  const [settings, setSettings] = useState<AntivirusSettings | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    api<AntivirusSettings>('GET', SETTINGS_URL)
      .then((s) => live && setSettings(s))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, []);

  return (
    <section aria-labelledby="av-settings-title" data-testid="av-settings">
      <h2 className="h3" id="av-settings-title">
        Soglie
      </h2>
      <p>Le soglie che decidono lo stato delle postazioni e delle firme del motore; il controllo antivirus le applica ogni 5 minuti.</p>
      <ProblemAlert error={error} />
      {!settings && !error && <Loading />}
      {settings && (editable ? <SettingsForm saved={settings} onSaved={setSettings} /> : <SettingsSummary settings={settings} />)}
    </section>
  );
}

function SettingsSummary({ settings }: { settings: AntivirusSettings }) {
  return (
    <div className="cst-panel" data-testid="av-settings-summary">
      <dl className="cst-dl mb-2">
        {FIELDS.map((f) => (
          <div className="row py-1" key={f}>
            <dt className="col-12 col-md-6">{LABELS[f].replace(' (ore)', '')}</dt>
            <dd className="col-12 col-md-6 mb-0">{hoursText(settings[f])}</dd>
          </div>
        ))}
      </dl>
      <p className="small mb-0" data-testid="av-settings-readonly-note">
        Solo l'amministratore del CST può modificarle. Ultima modifica: <time dateTime={settings.updated_at}>{formatDateTime(settings.updated_at)}</time>.
      </p>
    </div>
  );
}

function SettingsForm({ saved, onSaved }: { saved: AntivirusSettings; onSaved: (s: AntivirusSettings) => void }) {
  const form = useProblemForm<Field>({
    order: FIELDS,
    labels: LABELS,
    toField: (f) => (FIELDS.includes(f as Field) ? (f as Field) : null),
    message: sentence,
  });
  const [values, setValues] = useState<Record<Field, string>>(() => ({
    outdated_after_hours: String(saved.outdated_after_hours),
    silent_after_hours: String(saved.silent_after_hours),
    engine_max_age_hours: String(saved.engine_max_age_hours),
  }));
  const [done, setDone] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    setDone(null);
    const invalid: FieldErrors<Field> = {};
    for (const f of FIELDS) if (!/^\s*\d+\s*$/.test(values[f]) || Number(values[f]) < 1) invalid[f] = 'Indica un numero intero di ore, almeno 1.';
    if (!form.check(invalid)) return;
    const input = Object.fromEntries(FIELDS.map((f) => [f, Number(values[f])])) as AntivirusSettingsInput;
    void form.send(
      () => api<AntivirusSettings>('PUT', SETTINGS_URL, input),
      (s) => {
        onSaved(s);
        setDone('Soglie salvate: si applicano dal prossimo controllo.');
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="av-settings-title" className="cst-panel cst-form" data-testid="av-settings-form">
      <RequiredNote>
        {' '}
        Ultima modifica: <time dateTime={saved.updated_at}>{formatDateTime(saved.updated_at)}</time>.
      </RequiredNote>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <StatusMessage message={done} />
      <div className="row">
        {FIELDS.map((f) => (
          <TextField
            key={f}
            className="col-12 col-lg-4"
            {...form.field(f)}
            label={LABELS[f]}
            hint={HINTS[f]}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            required
            value={values[f]}
            onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
          />
        ))}
      </div>
      <SubmitButton busy={form.busy} busyLabel="Salvataggio in corso…">
        Salva le soglie
      </SubmitButton>
    </form>
  );
}
