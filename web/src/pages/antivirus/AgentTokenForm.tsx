import { useId, useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { AgentToken, Ente, Grant } from '../../api/types';
import { EnteSelect, useEnteChoice } from '../../components/EnteSelect';
import { RequiredNote, SubmitButton, TextField } from '../../components/Field';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';
import { useSession } from '../../session';

// "Nuovo agente": a machine identity for one ente's PC or server, whose token is shown once, with
// the command that reports the endpoint's antivirus state (cst av report) and the Windows hint.

type Field = 'ente' | 'name';
const LABELS: Record<Field, string> = { ente: 'Ente', name: 'Nome della postazione' };

/** cst_admin: every ente; an ente's referent: their own. */
function agentEnti(grants: Grant[], enti: Ente[]): Ente[] {
  if (grants.some((g) => g.role === 'cst_admin')) return enti;
  return enti.filter((e) => grants.some((g) => g.role === 'ente_admin' && (g.ente === null || g.ente === e.istat)));
}

export function AgentTokenForm() {
  const { me, enti } = useSession();
  const choices = useMemo(() => agentEnti(me?.grants ?? [], enti), [me, enti]);
  const form = useProblemForm<Field>({
    order: ['ente', 'name'],
    labels: LABELS,
    toField: (f) => (f in LABELS ? (f as Field) : null),
    message: sentence,
  });
  const [ente, pickEnte] = useEnteChoice(choices);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ token: AgentToken; ente: string; name: string } | null>(null);
  const uid = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<Field> = {};
    if (!ente) invalid.ente = "Scegli l'ente della postazione.";
    if (!name.trim()) invalid.name = 'Scrivi il nome della postazione.';
    if (!form.check(invalid)) return;
    const sent = { ente, name: name.trim() };
    setCreated(null);
    void form.send(
      () => api<AgentToken>('POST', '/api/v1/antivirus/agents', sent),
      (token) => {
        setCreated({ token, ...sent });
        setName('');
      },
    );
  };

  return (
    <section aria-labelledby={`${uid}-title`} className="cst-panel mt-5" data-testid="agent-token">
      <h2 className="h3" id={`${uid}-title`}>
        Nuovo agente per una postazione
      </h2>
      <p>
        Ogni PC o server dell'ente invia il proprio stato antivirus con un token da agente, legato a un solo ente. Il token è mostrato una
        sola volta.
      </p>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`} className="cst-form" data-testid="agent-token-form">
        <div className="row">
          <EnteSelect {...form.field('ente')} choices={choices} value={ente} onChange={pickEnte} />
          <TextField
            className="col-12 col-lg-6"
            {...form.field('name')}
            label="Nome della postazione"
            required
            maxLength={253}
            autoComplete="off"
            hint="Per esempio ragioneria-pc01: di solito il nome host."
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <SubmitButton busy={form.busy} busyLabel="Creazione in corso…">
          Crea il token
        </SubmitButton>
      </form>
      {created && <TokenShownOnce token={created.token} name={created.name} />}
    </section>
  );
}

function TokenShownOnce({ token, name }: { token: AgentToken; name: string }) {
  const command = `cst av report --server ${window.location.origin} --token ${token.token}`;
  const [copied, setCopied] = useState<string | null>(null);
  const uid = useId();

  const copy = (text: string, what: string, id: string) => {
    const done = () => setCopied(`${what} copiato negli appunti.`);
    // Without the clipboard API (plain http), select the text for Ctrl+C.
    const select = () => {
      const el = document.getElementById(id) as HTMLInputElement | null;
      el?.focus();
      el?.select();
      setCopied(`${what} selezionato: premi Ctrl+C per copiarlo.`);
    };
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(done, select);
    else select();
  };

  return (
    <div className="mt-4" data-testid="agent-token-result">
      <StatusMessage message={`Agente ${token.user.username} creato per la postazione ${name}. Copia ora il token: non sarà più mostrato.`} />
      <div className="row align-items-end mt-4">
        <TextField className="col-12 col-lg-9" id={`${uid}-token`} label="Token dell'agente" readOnly value={token.token} data-testid="agent-token-value" />
        <div className="col-12 col-lg-3 mb-4">
          <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => copy(token.token, 'Token', `${uid}-token`)}>
            Copia il token
          </button>
        </div>
        <TextField
          className="col-12 col-lg-9"
          id={`${uid}-command`}
          label="Comando per Linux (server con ClamAV)"
          readOnly
          value={command}
          hint="Da eseguire ogni poche ore con un timer systemd o con cron."
          data-testid="agent-command"
        />
        <div className="col-12 col-lg-3 mb-4">
          <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => copy(command, 'Comando', `${uid}-command`)}>
            Copia il comando
          </button>
        </div>
      </div>
      <p className="small mb-0">
        Su Windows con Microsoft Defender si usa invece lo script PowerShell (5.1 o successivo) descritto nella documentazione del servizio
        antivirus: legge lo stato con <span className="font-monospace">Get-MpComputerStatus</span> e lo invia con{' '}
        <span className="font-monospace">Invoke-RestMethod</span> a{' '}
        <span className="font-monospace">{window.location.origin}/api/v1/antivirus/endpoints/report</span> con l'intestazione{' '}
        <span className="font-monospace">Authorization: Bearer</span> seguita dal token, da un'attività pianificata ogni poche ore.
      </p>
      <div aria-live="polite" className="small mt-2">
        {copied}
      </div>
    </div>
  );
}
