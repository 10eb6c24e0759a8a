import { downloadDocument, downloadSegnatura, getRegistration } from '../../api/protocol';
import type { Correspondent, Registration } from '../../api/types';
import { ActionStatus, useAction } from '../../components/ActionStatus';
import { Row } from '../../components/DefinitionRow';
import { BackLink, NotLoaded } from '../../components/Page';
import { useFormOpener } from '../../components/useFormOpener';
import { useLoaded } from '../../components/useLoaded';
import { formatBytes, formatDate, formatDateTime, formatInteger } from '../../format';
import {
  channelLabel,
  CORRESPONDENT_KINDS,
  correspondentsTitle,
  flowLabel,
  mayAnnul,
  RegistrationBadge,
  registrationNumber,
} from '../../protocol';
import { useSession } from '../../session';
import { AnnulForm } from './AnnulForm';
import { registerListPath } from './RegistrationsPanel';

// One registration with every field art. 53 requires: number, date and time, sender or
// recipients, subject, date and number of the document received, the impronta of each document;
// with the classification, the fascicolo, the documents to download and the signed segnatura. It
// is never modified (there is no "Modifica"); the head of the records service (ente_admin,
// cst_admin) may annul it with the reason and the act that authorised it (art. 54), and it then
// shows the annulment above all its original data. Another ente's registration answers 404.

/** "del 20/11/2026, n. 12/2026": what the sender wrote on the document received. */
function senderReference(r: Registration): string {
  const parts = [r.sender_date ? `del ${formatDate(r.sender_date)}` : '', r.sender_number ? `n. ${r.sender_number}` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'non indicati';
}

export function RegistrationDetail({ id }: { id: string }) {
  const { me, entiByIstat } = useSession();
  const grants = me?.grants ?? [];
  const { data: registration, setData: setRegistration, error: loadError } = useLoaded(id, getRegistration);
  const action = useAction();
  const annulment = useFormOpener();

  const openAnnulment = () => {
    action.clear();
    annulment.show();
  };

  if (!registration)
    return (
      <NotLoaded error={loadError}>
        <BackToRegister />
      </NotLoaded>
    );

  const r = registration;
  const annulled = r.status === 'annulled';
  const canAnnul = !annulled && mayAnnul(grants, r.ente);
  const who = correspondentsTitle(r.flow, r.correspondents.length);

  return (
    <section aria-labelledby="prot-registration-title" data-testid="registration-detail" data-status={r.status}>
      <BackToRegister />
      <h2 className="h3" id="prot-registration-title">
        Registrazione n. <span className="font-monospace" data-testid="registration-number">{registrationNumber(r)}</span>
      </h2>
      <p className="mb-1">{r.subject}</p>
      <p data-testid="registration-status">
        Stato: <RegistrationBadge status={r.status} />
      </p>

      {r.annulment && (
        <div className="alert alert-danger" data-testid="registration-annulment">
          <h3 className="h4">Registrazione annullata</h3>
          <p>
            Annullata il <time dateTime={r.annulment.annulled_at}>{formatDateTime(r.annulment.annulled_at)}</time> da{' '}
            <strong>{r.annulment.annulled_by}</strong> (DPR 445/2000, art. 54). I dati originali restano leggibili qui sotto.
          </p>
          <dl className="cst-dl mb-0">
            <Row term="Motivo">
              <span className="cst-ticket-text">{r.annulment.reason}</span>
            </Row>
            <Row term="Provvedimento di autorizzazione">{r.annulment.authorisation}</Row>
          </dl>
        </div>
      )}

      <ActionStatus action={action} />

      {!annulment.open && (
        <div className="d-flex flex-wrap gap-2 mb-3" data-testid="registration-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void action.download(() => downloadSegnatura(r), 'Segnatura scaricata.')}
            disabled={action.busy}
          >
            Scarica la segnatura (XML)
          </button>
          {canAnnul && (
            <button ref={annulment.button} type="button" className="btn btn-outline-danger" onClick={openAnnulment} disabled={action.busy}>
              Annulla la registrazione
            </button>
          )}
        </div>
      )}
      {annulment.open && (
        <AnnulForm
          registration={r}
          onDone={(changed) => {
            setRegistration(changed);
            annulment.hide();
            action.report('Registrazione annullata: resta nel registro con tutti i suoi dati, segnata come annullata.', null);
          }}
          onCancel={annulment.close}
        />
      )}
      <p className="small" data-testid="registration-immutable">
        Una registrazione di protocollo non si modifica (DPR 445/2000, art. 53): se contiene un errore, il referente dell'ente la
        annulla indicando il motivo e il provvedimento che lo autorizza (art. 54), e resta leggibile con tutti i suoi dati.
      </p>

      <h3 className="h4" id="prot-data-title">
        Dati della registrazione
      </h3>
      <div className="cst-panel mb-4">
        <dl className="cst-dl mb-0" aria-labelledby="prot-data-title" data-testid="registration-data">
          <Row term="Numero di protocollo">
            <span className="font-monospace">{r.number}</span> (registro {r.registry_code}, anno {r.year})
          </Row>
          <Row term="Data e ora di registrazione">
            <time dateTime={r.registered_at}>{formatDateTime(r.registered_at)}</time>
          </Row>
          <Row term="Registrata da">{r.registered_by}</Row>
          <Row term="Ente">
            {entiByIstat.get(r.ente)?.name ?? r.ente} ({r.ente})
          </Row>
          <Row term="Flusso">{flowLabel(r.flow)}</Row>
          <Row term="Oggetto">
            <span className="cst-ticket-text">{r.subject}</span>
          </Row>
          {r.flow === 'incoming' && <Row term="Data e numero del documento ricevuto">{senderReference(r)}</Row>}
          <Row term="Classifica">
            <span className="font-monospace">{r.class_code}</span> {r.class_description}
          </Row>
          <Row term="Fascicolo">
            {r.folder_code ? (
              <>
                <span className="font-monospace">{r.folder_code}</span> {r.folder_subject}
              </>
            ) : (
              'nessuno'
            )}
          </Row>
          <Row term="Canale">{channelLabel(r.channel) || 'non indicato'}</Row>
          <Row term="Riservata">{r.reserved ? 'sì' : 'no'}</Row>
          <Row term="Numero degli allegati">{formatInteger(r.attachments_count)}</Row>
          <Row term="Impronta della segnatura (SHA-256)">
            <span className="font-monospace text-break">{r.segnatura_sha256}</span>
          </Row>
        </dl>
      </div>

      <h3 className="h4" id="prot-correspondents-title">
        {r.flow === 'internal' ? 'Corrispondenti' : who}
      </h3>
      {r.correspondents.length === 0 ? (
        <p data-testid="registration-correspondents">Documento interno: nessun mittente o destinatario esterno.</p>
      ) : (
        <div className="table-responsive">
          <table className="table cst-table" aria-labelledby="prot-correspondents-title" data-testid="registration-correspondents">
            <thead>
              <tr>
                <th scope="col">Nominativo o denominazione</th>
                <th scope="col">Tipo</th>
                <th scope="col">Codice fiscale o partita IVA</th>
                <th scope="col">Codice IPA</th>
                <th scope="col">E-mail o PEC</th>
              </tr>
            </thead>
            <tbody>
              {r.correspondents.map((c, i) => (
                <CorrespondentRow key={i} c={c} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3 className="h4" id="prot-documents-title">
        Documenti
      </h3>
      <p className="small">
        L'impronta SHA-256 di ogni documento è registrata con il protocollo e riportata nella segnatura: un file scaricato che ha la
        stessa impronta è quello registrato.
      </p>
      <div className="table-responsive">
        <table className="table cst-table" aria-labelledby="prot-documents-title" data-testid="registration-documents">
          <thead>
            <tr>
              <th scope="col">Documento</th>
              <th scope="col">File</th>
              <th scope="col">Descrizione</th>
              <th scope="col">Impronta SHA-256</th>
              <th scope="col">
                <span className="visually-hidden">Azioni</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {r.documents.map((d) => (
              <tr key={d.seq} data-seq={d.seq} data-sha256={d.sha256}>
                <th scope="row">{d.seq === 0 ? 'Documento principale' : `Allegato n. ${d.seq}`}</th>
                <td className="cst-detail">
                  {d.filename}
                  <span className="d-block small">
                    {d.content_type}, {formatBytes(d.size)}
                  </span>
                </td>
                <td className="cst-detail">{d.description ?? ''}</td>
                <td className="font-monospace cst-detail">{d.sha256}</td>
                <td className="text-nowrap">
                  <button
                    type="button"
                    className="btn btn-outline-primary btn-xs"
                    disabled={action.busy}
                    onClick={() => void action.download(() => downloadDocument(r, d.seq, d.filename), `${d.filename} scaricato.`)}
                  >
                    Scarica<span className="visually-hidden"> {d.filename}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CorrespondentRow({ c }: { c: Correspondent }) {
  return (
    <tr data-kind={c.kind}>
      <th scope="row">{c.display_name}</th>
      <td>{CORRESPONDENT_KINDS[c.kind] ?? c.kind}</td>
      <td className="font-monospace">{c.fiscal_code ?? ''}</td>
      <td className="font-monospace">{c.ipa_code ?? ''}</td>
      <td className="cst-detail">{c.email ?? ''}</td>
    </tr>
  );
}

function BackToRegister() {
  return <BackLink to={registerListPath()}>Torna al registro</BackLink>;
}
