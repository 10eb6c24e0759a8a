import { useState } from 'react';
import { ActionStatus, useAction } from '../../components/ActionStatus';
import { Row } from '../../components/DefinitionRow';
import { InlineConfirm } from '../../components/InlineConfirm';
import { BackLink, NotLoaded } from '../../components/Page';
import { useLoaded } from '../../components/useLoaded';
import { formatBytes, formatDate, formatDateTime, formatInteger } from '../../format';
import {
  aipPath,
  executeDisposal,
  getDisposal,
  mayBeCancelled,
  mayApproveDisposal,
  mayExecuteDisposal,
  mayProposeDisposal,
  PRES_DISPOSAL_PATH,
  retentionText,
  type Disposal,
} from '../../preservation';
import { Link } from '../../router';
import { useSession } from '../../session';
import { DisposalBadge } from './Badges';
import { ApproveForm, AuthorisationForm, CancelForm } from './DisposalForms';

// One disposal: its packages (each with its class, the date of its document, its retention and the
// day it expired), every step with who and when, and the next step for whoever may take it:
// "Approva" (the ente's referent) once proposed, "Registra autorizzazione" (the CST) once
// approved, "Esegui scarto" (the CST, after a confirmation) once authorised; "Annulla" until the
// authorisation is recorded. Another ente's disposal answers 404.

type Step = 'approve' | 'authorise' | 'execute' | 'cancel';

/** "1 pacchetto", "3 pacchetti". */
const packages = (n: number) => (n === 1 ? '1 pacchetto' : `${formatInteger(n)} pacchetti`);

export function DisposalDetail({ id }: { id: string }) {
  const { me } = useSession();
  const grants = me?.grants ?? [];
  const { data: disposal, setData: setDisposal, error } = useLoaded(id, getDisposal);
  const [step, setStep] = useState<Step | null>(null);
  const action = useAction();

  if (!disposal)
    return (
      <NotLoaded error={error}>
        <BackToList />
      </NotLoaded>
    );

  const d = disposal;
  const open = (s: Step) => {
    action.clear();
    setStep(s);
  };
  const done = (message: string) => (changed: Disposal) => {
    setDisposal(changed);
    setStep(null);
    action.report(message, null);
  };
  const execute = () =>
    action.run(async () => {
      const changed = await executeDisposal(d.id);
      setDisposal(changed);
      setStep(null);
      action.report(`Scarto eseguito: i file di ${packages(changed.items.length)} sono stati eliminati da tutte le copie.`, null);
    });

  const offers: { step: Step; label: string; className: string }[] = [];
  if (d.state === 'proposed' && mayApproveDisposal(grants, d.ente)) offers.push({ step: 'approve', label: 'Approva', className: 'btn-primary' });
  if (d.state === 'approved' && mayExecuteDisposal(grants)) offers.push({ step: 'authorise', label: 'Registra autorizzazione', className: 'btn-primary' });
  if (d.state === 'authorised' && mayExecuteDisposal(grants)) offers.push({ step: 'execute', label: 'Esegui scarto', className: 'btn-danger' });
  if (mayBeCancelled(d) && mayProposeDisposal(grants, d.ente)) offers.push({ step: 'cancel', label: 'Annulla', className: 'btn-outline-danger' });

  return (
    <section aria-labelledby="pres-disposal-detail-title" data-testid="disposal-detail" data-state={d.state}>
      <BackToList />
      <h2 className="h3" id="pres-disposal-detail-title">
        Scarto proposto il {formatDateTime(d.created_at)}
      </h2>
      <p data-testid="disposal-state">
        Stato: <DisposalBadge state={d.state} /> <span className="ms-2">{nextStepText(d)}</span>
      </p>

      <ActionStatus action={action} />
      {step === null && offers.length > 0 && (
        <div className="d-flex flex-wrap gap-2 mb-3" data-testid="disposal-actions">
          {offers.map((o) => (
            <button key={o.step} type="button" className={`btn ${o.className}`} disabled={action.busy} onClick={() => open(o.step)}>
              {o.label}
            </button>
          ))}
        </div>
      )}
      {step === 'approve' && <ApproveForm disposal={d} onDone={done("Scarto approvato per l'ente: ora serve l'autorizzazione della Soprintendenza.")} onCancel={() => setStep(null)} />}
      {step === 'authorise' && <AuthorisationForm disposal={d} onDone={done('Autorizzazione registrata: lo scarto può essere eseguito.')} onCancel={() => setStep(null)} />}
      {step === 'cancel' && <CancelForm disposal={d} onDone={done('Procedura di scarto annullata: i pacchetti restano conservati.')} onCancel={() => setStep(null)} />}
      {step === 'execute' && (
        <InlineConfirm confirmLabel="Esegui lo scarto" danger busy={action.busy} onConfirm={() => void execute()} onCancel={() => setStep(null)}>
          <p className="fw-semibold mb-1">Eseguire lo scarto?</p>
          <p className="mb-0">
            I file di {packages(d.items.length)} ({formatBytes(d.total_bytes)}: documenti, metadati, indici, firme e marche) saranno
            eliminati definitivamente da tutte le copie. L'operazione non si può annullare; resta la registrazione dei pacchetti e di
            questa procedura.
          </p>
        </InlineConfirm>
      )}

      <h3 className="h4" id="pres-disposal-steps-title">
        Procedura
      </h3>
      <div className="cst-panel mb-4">
        <dl className="cst-dl mb-0" aria-labelledby="pres-disposal-steps-title" data-testid="disposal-steps">
          <Row term="Proposta">
            <time dateTime={d.created_at}>{formatDateTime(d.created_at)}</time> da {d.created_by}
            <span className="d-block cst-ticket-text">Motivo: {d.reason}</span>
          </Row>
          <Row term="Approvazione dell'ente" testId="disposal-approval">
            {d.approved_at ? (
              <>
                <time dateTime={d.approved_at}>{formatDateTime(d.approved_at)}</time> da {d.approved_by}
                {d.approval_note && <span className="d-block cst-ticket-text">Nota: {d.approval_note}</span>}
              </>
            ) : (
              'non ancora'
            )}
          </Row>
          <Row term="Autorizzazione della Soprintendenza" testId="disposal-authorisation">
            {d.authorisation ? (
              <>
                {d.authorisation.authority}, {d.authorisation.reference} del {formatDate(d.authorisation.date)}
                <span className="d-block small">
                  registrata da {d.authorisation.recorded_by} il <time dateTime={d.authorisation.recorded_at}>{formatDateTime(d.authorisation.recorded_at)}</time>
                </span>
              </>
            ) : (
              'non ancora'
            )}
          </Row>
          <Row term="Esecuzione" testId="disposal-execution">
            {d.executed_at ? (
              <>
                <time dateTime={d.executed_at}>{formatDateTime(d.executed_at)}</time> da {d.executed_by}
              </>
            ) : (
              'non ancora'
            )}
          </Row>
          {d.state === 'cancelled' && (
            <Row term="Annullamento" testId="disposal-cancellation">
              {d.cancelled_at ? (
                <>
                  <time dateTime={d.cancelled_at}>{formatDateTime(d.cancelled_at)}</time>
                  {d.cancelled_by ? ` da ${d.cancelled_by}` : ''}
                </>
              ) : (
                'annullata'
              )}
              {d.cancel_reason && <span className="d-block cst-ticket-text">Motivo: {d.cancel_reason}</span>}
            </Row>
          )}
        </dl>
      </div>

      <h3 className="h4" id="pres-disposal-items-title">
        Pacchetti in elenco
      </h3>
      <p>
        {packages(d.items.length)}, {formatBytes(d.total_bytes)} in tutto.
      </p>
      <div className="table-responsive">
        <table className="table cst-table" aria-labelledby="pres-disposal-items-title" data-testid="disposal-items">
          <thead>
            <tr>
              <th scope="col">Pacchetto</th>
              <th scope="col">Classe documentale</th>
              <th scope="col">Data del documento</th>
              <th scope="col">Conservazione</th>
              <th scope="col">Scaduto il</th>
              <th scope="col">Documenti</th>
              {d.state === 'executed' && (
                <th scope="col" className="text-end">
                  Oggetti eliminati
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {d.items.map((i) => (
              <tr key={i.aip_id} data-aip={i.aip_id}>
                <th scope="row" className="cst-detail">
                  <Link to={aipPath(i.aip_id)}>{i.title}</Link>
                  <span className="d-block small fw-normal font-monospace">{i.aip_id}</span>
                </th>
                <td className="font-monospace small">{i.document_class ?? '—'}</td>
                <td>{formatDate(i.document_date) || '—'}</td>
                <td>{retentionText(i.retention_years)}</td>
                <td>{formatDate(i.expired_on) || '—'}</td>
                <td className="small cst-detail">
                  {i.documents.length === 0
                    ? '—'
                    : i.documents.map((doc) => (
                        <span key={doc.path} className="d-block">
                          {doc.path.split('/').pop()} ({formatBytes(doc.size)})
                        </span>
                      ))}
                </td>
                {d.state === 'executed' && <td className="text-end">{formatInteger(i.deleted_objects ?? 0)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** What the disposal waits for. */
function nextStepText(d: Disposal): string {
  switch (d.state) {
    case 'proposed':
      return "In attesa dell'approvazione del referente dell'ente.";
    case 'approved':
      return "In attesa dell'autorizzazione della Soprintendenza archivistica, registrata dal CST.";
    case 'authorised':
      return 'Autorizzato dalla Soprintendenza: il CST può eseguire lo scarto.';
    case 'executed':
      return 'I file dei pacchetti sono stati eliminati da tutte le copie.';
    case 'cancelled':
      return 'La procedura è stata annullata: i pacchetti restano conservati.';
    default:
      return '';
  }
}

function BackToList() {
  return <BackLink to={PRES_DISPOSAL_PATH}>Torna allo scarto</BackLink>;
}
