import { ActionStatus, useAction } from '../../components/ActionStatus';
import { Row } from '../../components/DefinitionRow';
import { BackLink, NotLoaded } from '../../components/Page';
import { useLoaded } from '../../components/useLoaded';
import { formatBytes, formatDate, formatDateTime } from '../../format';
import {
  disposalPath,
  downloadAipFile,
  downloadDip,
  downloadReceiptXml,
  getAip,
  kindLabel,
  roleLabel,
  tsaText,
  type AipDisposalMark,
} from '../../preservation';
import { Link } from '../../router';
import { useSession } from '../../session';
import { aipSearchPath } from './AipSearchPanel';
import { DisposedBadge } from './Badges';

// One AIP: what it is (kind, class, title), when it was made and time-stamped, and every file of
// the package in order (the documents, the Allegato 5 metadata, the SInCRO index, its CAdES
// signature and time-stamp) with its SHA-256, each to download; and the DIP, the zip an auditor
// checks offline with `cst conservazione verify`. A package destroyed by a disposal keeps its record
// (what it held, with the hashes), not its files. Another ente's package answers 404.

export function AipDetail({ id }: { id: string }) {
  const { entiByIstat } = useSession();
  const { data: aip, error } = useLoaded(id, getAip);
  const files = useAction();

  if (!aip)
    return (
      <NotLoaded error={error}>
        <BackToSearch />
      </NotLoaded>
    );

  const disposed = !!aip.disposal;
  const save = (position: number) => {
    const f = aip.files[position];
    void files.download(() => downloadAipFile(aip, position, f), `${f.path ?? f.name ?? 'File'} scaricato.`);
  };

  return (
    <section aria-labelledby="pres-aip-title" data-testid="aip-detail" data-disposed={disposed ? 'true' : undefined}>
      <BackToSearch />
      <h2 className="h3" id="pres-aip-title">
        {aip.title}
      </h2>
      <p>
        Pacchetto di archiviazione <span className="font-monospace">{aip.id}</span>{' '}
        {disposed ? <DisposedBadge /> : <span className="badge bg-success">Conservato</span>}
      </p>
      {aip.disposal && <DisposalNotice mark={aip.disposal} />}

      <ActionStatus action={files} />
      {!disposed && (
        <div className="d-flex flex-wrap gap-2 mb-3" data-testid="aip-actions">
          <button type="button" className="btn btn-primary" disabled={files.busy} onClick={() => void files.download(() => downloadDip(aip), 'Pacchetto di distribuzione (DIP) scaricato.')}>
            Scarica il DIP (zip)
          </button>
        </div>
      )}
      {!disposed && (
        <p className="small">
          Il DIP contiene tutti i file del pacchetto e i certificati del sigillo e della marca temporale: si verifica senza la
          piattaforma con <code>cst conservazione verify</code>. Ogni download è registrato nel registro di audit.
        </p>
      )}

      <h3 className="h4" id="pres-aip-data-title">
        Dati del pacchetto
      </h3>
      <div className="cst-panel mb-4">
        <dl className="cst-dl mb-0" aria-labelledby="pres-aip-data-title" data-testid="aip-data">
          <Row term="Ente">
            {entiByIstat.get(aip.ente)?.name ?? aip.ente} ({aip.ente})
          </Row>
          <Row term="Tipo">{kindLabel(aip.kind)}</Row>
          <Row term="Classe documentale">{aip.document_class ? <span className="font-monospace">{aip.document_class}</span> : 'non indicata'}</Row>
          {aip.document_date && <Row term="Data del documento">{formatDate(aip.document_date)}</Row>}
          <Row term="Conservato il">
            <time dateTime={aip.created_at}>{formatDateTime(aip.created_at)}</time>
          </Row>
          <Row term="Marca temporale">
            {aip.timestamp_time ? <time dateTime={aip.timestamp_time}>{formatDateTime(aip.timestamp_time)}</time> : 'assente'}
            <span className="d-block small">{tsaText(aip.tsa)}</span>
          </Row>
          <Row term="Versamento">
            <span className="font-monospace">{aip.sip_id}</span>{' '}
            <button
              type="button"
              className="btn btn-outline-primary btn-xs ms-2"
              disabled={files.busy}
              onClick={() => void files.download(() => downloadReceiptXml({ id: aip.sip_id }), 'Rapporto di versamento scaricato.')}
            >
              Rapporto di versamento (XML)
            </button>
          </Row>
          <Row term="Dimensione">
            {formatBytes(aip.documents_bytes)} di documenti, {formatBytes(aip.package_bytes)} con metadati, indice, firma e marca
          </Row>
          {aip.index_sha256 && (
            <Row term="Impronta dell'indice (SHA-256)">
              <span className="font-monospace text-break">{aip.index_sha256}</span>
            </Row>
          )}
        </dl>
      </div>

      <h3 className="h4" id="pres-aip-files-title">
        File del pacchetto
      </h3>
      <p className="small">
        {disposed
          ? 'I file non sono più conservati: restano il loro elenco e le loro impronte SHA-256.'
          : "Un file scaricato che ha la stessa impronta SHA-256 è quello conservato: l'indice SInCRO, firmato e marcato, riporta l'impronta di ogni documento e dei metadati."}
      </p>
      <div className="table-responsive">
        <table className="table cst-table" aria-labelledby="pres-aip-files-title" data-testid="aip-files">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Ruolo</th>
              <th scope="col">Formato</th>
              <th scope="col" className="text-end">
                Dimensione
              </th>
              <th scope="col">Impronta SHA-256</th>
              <th scope="col">
                <span className="visually-hidden">Azioni</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {aip.files.map((f, i) => {
              const name = f.path ?? f.name ?? `file ${i + 1}`;
              return (
                <tr key={i} data-position={i} data-role={f.role} data-sha256={f.sha256}>
                  <th scope="row" className="font-monospace small cst-detail">
                    {name}
                  </th>
                  <td className="small">{roleLabel(f.role)}</td>
                  <td className="small">
                    <span className="font-monospace">{f.format}</span>
                    {f.mime && <span className="d-block">{f.mime}</span>}
                  </td>
                  <td className="text-end text-nowrap">{formatBytes(f.size)}</td>
                  <td className="font-monospace small cst-detail">{f.sha256}</td>
                  <td className="text-nowrap">
                    {disposed ? (
                      <span className="small">Eliminato</span>
                    ) : (
                      <button type="button" className="btn btn-outline-primary btn-xs" disabled={files.busy} onClick={() => save(i)}>
                        Scarica<span className="visually-hidden"> {name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** When the package was destroyed, and by which disposal. */
function DisposalNotice({ mark }: { mark: AipDisposalMark }) {
  return (
    <div className="alert alert-warning" data-testid="aip-disposal">
      <h3 className="h4">Pacchetto scartato</h3>
      <p className="mb-1">
        I file del pacchetto sono stati eliminati da tutte le copie con una procedura di scarto autorizzata, il{' '}
        <time dateTime={mark.at}>{formatDateTime(mark.at)}</time>. Restano i dati del pacchetto e le impronte dei suoi file, a
        documentare che cosa è stato scartato.
      </p>
      <p className="mb-0">
        <Link to={disposalPath(mark.id)}>Vedi la procedura di scarto</Link>
      </p>
    </div>
  );
}

function BackToSearch() {
  return <BackLink to={aipSearchPath()}>Torna alla ricerca dei pacchetti</BackLink>;
}
