import { useEffect } from 'react';
import { ActionStatus, useAction } from '../../components/ActionStatus';
import { EnteChooser } from '../../components/EnteSelect';
import { Loading } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoaded } from '../../components/useLoaded';
import { formatInteger } from '../../format';
import { getAuditStatus, listAudits, mayAudit, runAudit, usePreservationEnte, type AuditReport } from '../../preservation';
import { useSession } from '../../session';
import { AuditFindingsTable, AuditRunsTable } from './AuditRuns';
import { AuditStatusView } from './AuditStatusView';

// "Verifiche di integrità": the fixity audits of the ente's objects. A scheduled job verifies
// every object in every copy once per cycle, repairing a damaged or missing copy from a good one;
// an object with no good copy left is lost and a ticket is opened for it. The ente's referent and
// the CST run an audit on demand ("Verifica ora"); everyone who reads the archive sees the state
// of the cycle, the runs and their findings.

const RUNS = 20;
const loadRuns = (ente: string) => listAudits(ente, RUNS).then((p) => p.items);

/** "1 oggetto", "3 oggetti": a count with its noun's singular or plural. */
const count = (n: number, one: string, many: string) => `${formatInteger(n)} ${n === 1 ? one : many}`;

/** The outcome of an audit in one sentence. */
function outcomeSentence(r: AuditReport): string {
  const base = `Verifica completata: ${count(r.objects, 'oggetto', 'oggetti')} in ${count(r.copies_checked, 'copia', 'copie')}, ${count(r.intact, 'integro', 'integri')}`;
  const repaired = r.repaired ? `, ${count(r.repaired, 'ripristinato', 'ripristinati')} da una copia integra` : '';
  const lost = r.lost ? `, ${count(r.lost, 'perso', 'persi')} (${r.lost === 1 ? 'segnalato' : 'segnalati'} al call center)` : '';
  return `${base}${repaired}${lost}.`;
}

export function AuditsPanel() {
  const { me, entiByIstat } = useSession();
  const { ente, choose, choices } = usePreservationEnte();
  const { data: status, setData: setStatus, error: statusError } = useLoaded(ente || null, getAuditStatus);
  const { data: runs, setData: setRuns, error: runsError } = useLoaded(ente || null, loadRuns);
  const action = useAction();
  const canRun = !!ente && mayAudit(me?.grants ?? [], ente);
  const enteName = (istat: string) => entiByIstat.get(istat)?.name ?? istat;

  useEffect(() => action.clear(), [ente]); // another ente: the last one's outcome goes

  const verifyNow = () =>
    action.run(async () => {
      const report = await runAudit(ente);
      setRuns((old) => [report, ...(old ?? []).filter((r) => r.id !== report.id)]);
      action.report(outcomeSentence(report), null);
      // The cycle moved on: its state again (a failure here leaves the old one on screen).
      await getAuditStatus(ente).then(setStatus, () => undefined);
    });

  return (
    <section aria-labelledby="pres-audits-title" data-testid="preservation-audits">
      <h2 className="h3" id="pres-audits-title">
        Verifiche di integrità
      </h2>
      <p>
        Ogni oggetto conservato è verificato periodicamente in ogni copia confrontandone l'impronta SHA-256: una copia alterata o
        mancante è ripristinata da una copia integra; un oggetto senza più copie integre è perso ed è aperta una segnalazione al call
        center.
      </p>
      <EnteChooser choices={choices} ente={ente} onChange={choose} prompt="Scegli l'ente di cui vedere le verifiche." testId="preservation-ente" />
      {ente && (
        <>
          <h3 className="h4">Stato del ciclo di verifica</h3>
          <ProblemAlert error={statusError} />
          {!status && !statusError && <Loading />}
          {status && <AuditStatusView status={status} />}
          {canRun && (
            <div className="mb-3">
              <button type="button" className="btn btn-primary" disabled={action.busy} onClick={() => void verifyNow()}>
                {action.busy ? 'Verifica in corso…' : 'Verifica ora'}
              </button>
              <span className="ms-3 small">Verifica subito ogni oggetto dell'ente in ogni copia.</span>
            </div>
          )}
          <ActionStatus action={action} />

          <h3 className="h4">Verifiche eseguite</h3>
          <ProblemAlert error={runsError} />
          {!runs && !runsError && <Loading />}
          {runs && runs.length === 0 && <p data-testid="audits-none">Nessuna verifica ancora eseguita per l'ente.</p>}
          {runs && runs.length > 0 && (
            <>
              <AuditRunsTable runs={runs} enteName={enteName} />
              <h3 className="h4">Anomalie</h3>
              <AuditFindingsTable runs={runs} />
            </>
          )}
        </>
      )}
    </section>
  );
}
