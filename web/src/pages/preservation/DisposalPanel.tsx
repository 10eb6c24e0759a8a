import { useEffect, useState } from 'react';
import { EnteChooser } from '../../components/EnteSelect';
import { Loading } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useFormOpener } from '../../components/useFormOpener';
import { useLoaded } from '../../components/useLoaded';
import { formatBytes, formatDateTime, formatInteger } from '../../format';
import { disposalPath, listDisposals, mayProposeDisposal, usePreservationEnte, type Disposal } from '../../preservation';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { DisposalBadge } from './Badges';
import { DueSection } from './DueSection';
import { ProposeDisposalForm } from './ProposeDisposalForm';
import { RetentionSection } from './RetentionSection';

// "Scarto": the ente's retention table and its disposals (D.Lgs. 42/2004 art. 21: archival
// documents are destroyed only with the Soprintendenza's authorisation). A disposal lists the
// packages whose retention has expired; the ente approves it, the CST records the authorisation
// and executes it: the documents are deleted from every copy, the packages' records stay. Each
// disposal opens at /conservazione/scarto/{id} with the actions its state allows.

const loadDisposals = (ente: string) => listDisposals(ente).then((p) => p.items);

export function DisposalPanel() {
  const { me, setNotice } = useSession();
  const { ente, choose, choices } = usePreservationEnte();
  const canPropose = !!ente && mayProposeDisposal(me?.grants ?? [], ente);
  const { data: disposals, error } = useLoaded(ente || null, loadDisposals);
  const proposal = useFormOpener();
  const [retentionVersion, setRetentionVersion] = useState(0);

  useEffect(() => proposal.hide(), [ente]); // another ente: without the last one's form

  const proposed = (d: Disposal) => {
    const path = disposalPath(d.id);
    setNotice({ path, text: `Scarto proposto: ${d.items.length === 1 ? '1 pacchetto' : `${formatInteger(d.items.length)} pacchetti`} in elenco. Ora va approvato dal referente dell'ente.` });
    navigate(path);
  };

  return (
    <section aria-labelledby="pres-disposal-title" data-testid="preservation-disposal">
      <h2 className="h3" id="pres-disposal-title">
        Scarto
      </h2>
      <p>
        I documenti si conservano per il tempo stabilito per la loro classe documentale; scaduto il tempo, possono essere scartati
        solo con l'autorizzazione della Soprintendenza archivistica (D.Lgs. 42/2004, art. 21). Dei pacchetti scartati resta la
        registrazione.
      </p>
      <EnteChooser choices={choices} ente={ente} onChange={choose} prompt="Scegli l'ente di cui vedere i tempi di conservazione e gli scarti." testId="preservation-ente" />
      {ente && (
        <>
          <RetentionSection ente={ente} onSaved={() => setRetentionVersion((n) => n + 1)} />
          <DueSection ente={ente} version={retentionVersion} />

          <section aria-labelledby="pres-disposals-title" data-testid="disposals">
            <h3 className="h4" id="pres-disposals-title">
              Procedure di scarto
            </h3>
            {canPropose && !proposal.open && (
              <button ref={proposal.button} type="button" className="btn btn-primary mb-3" onClick={proposal.show}>
                Proponi scarto
              </button>
            )}
            {canPropose && proposal.open && <ProposeDisposalForm ente={ente} onDone={proposed} onCancel={proposal.close} />}
            <ProblemAlert error={error} />
            {!disposals && !error && <Loading />}
            {disposals && disposals.length === 0 && <p data-testid="disposals-none">Nessuna procedura di scarto per l'ente.</p>}
            {disposals && disposals.length > 0 && <DisposalsTable disposals={disposals} />}
          </section>
        </>
      )}
    </section>
  );
}

function DisposalsTable({ disposals }: { disposals: Disposal[] }) {
  return (
    <div className="table-responsive">
      <table className="table cst-table" aria-labelledby="pres-disposals-title" data-testid="disposals-table">
        <thead>
          <tr>
            <th scope="col">Proposta</th>
            <th scope="col">Stato</th>
            <th scope="col">Motivo</th>
            <th scope="col" className="text-end">
              Pacchetti
            </th>
            <th scope="col" className="text-end">
              Dimensione
            </th>
          </tr>
        </thead>
        <tbody>
          {disposals.map((d) => (
            <tr key={d.id} data-disposal={d.id} data-state={d.state}>
              <th scope="row" className="small">
                <Link to={disposalPath(d.id)} aria-label={`Scarto proposto il ${formatDateTime(d.created_at)}`}>
                  <time dateTime={d.created_at}>{formatDateTime(d.created_at)}</time>
                </Link>
                <span className="d-block fw-normal">da {d.created_by}</span>
              </th>
              <td>
                <DisposalBadge state={d.state} />
              </td>
              <td className="cst-detail">{d.reason}</td>
              <td className="text-end">{formatInteger(d.item_count ?? d.items?.length ?? 0)}</td>
              <td className="text-end text-nowrap">{formatBytes(d.total_bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
