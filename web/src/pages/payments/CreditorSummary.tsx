import type { Creditor } from '../../api/types';
import { Row } from '../../components/DefinitionRow';
import { formatDateTime } from '../../format';
import { formatIban } from '../../payments';

// The configuration as read: codes, accounts (IBANs in groups of four) and taxonomy codes, or a
// clear sentence when the ente has none yet.

export function CreditorSummary({ creditor: c, editable }: { creditor: Creditor; editable: boolean }) {
  if (!c.configured)
    return (
      <div className="callout note" data-testid="creditor-not-configured">
        <div className="callout-title">Non configurato</div>
        <p>
          Questo ente non è ancora configurato come creditore pagoPA: non può ricevere pagamenti.
          {editable
            ? ' Usa «Configura» per indicare codice fiscale, codice di segregazione e conti di accredito.'
            : " La configurazione spetta al referente dell'ente o all'amministratore del CST."}
        </p>
      </div>
    );

  return (
    <div className="cst-panel" data-testid="creditor-summary">
      <dl className="cst-dl mb-4">
        <Row term="Codice fiscale">
          <span className="font-monospace" data-testid="creditor-fiscal-code">
            {c.fiscal_code}
          </span>
        </Row>
        <Row term="Codice di segregazione">
          <span className="font-monospace">{c.segregation_code}</span>
        </Row>
        <Row term="Ultima modifica">
          {c.updated_at ? <time dateTime={c.updated_at}>{formatDateTime(c.updated_at)}</time> : '—'}
          {c.updated_by && <> da {c.updated_by}</>}
        </Row>
      </dl>

      <h3 className="h5" id="creditor-ibans-title">
        Conti di accredito
      </h3>
      <div className="table-responsive">
        <table className="table cst-table" aria-labelledby="creditor-ibans-title" data-testid="creditor-ibans">
          <thead>
            <tr>
              <th scope="col">IBAN</th>
              <th scope="col">Descrizione</th>
              <th scope="col">Conto predefinito</th>
            </tr>
          </thead>
          <tbody>
            {c.ibans.map((i) => (
              <tr key={i.iban} data-iban={i.iban}>
                <td className="font-monospace text-nowrap">{formatIban(i.iban)}</td>
                <td>{i.label || '—'}</td>
                <td>{i.primary ? <span className="badge bg-primary">Predefinito</span> : <span className="visually-hidden">No</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3 className="h5 mt-4" id="creditor-codes-title">
        Codici di tassonomia
      </h3>
      {c.service_codes.length === 0 ? (
        <p className="mb-0">Nessun codice di tassonomia indicato.</p>
      ) : (
        <div className="table-responsive">
          <table className="table cst-table mb-0" aria-labelledby="creditor-codes-title" data-testid="creditor-codes">
            <thead>
              <tr>
                <th scope="col">Codice</th>
                <th scope="col">Descrizione</th>
              </tr>
            </thead>
            <tbody>
              {c.service_codes.map((s) => (
                <tr key={s.code}>
                  <td className="font-monospace text-nowrap">{s.code}</td>
                  <td>{s.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
