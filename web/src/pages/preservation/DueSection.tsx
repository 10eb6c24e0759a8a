import { Loading } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoaded } from '../../components/useLoaded';
import { formatDate } from '../../format';
import { aipPath, disposalPath, listDue, retentionText } from '../../preservation';
import { Link } from '../../router';

// "Pacchetti da scartare": the ente's packages whose retention has expired today, each with the
// open disposal that already lists it, if any: what "Proponi scarto" would list.

/** `key` is "ente#version": a new version reads the list again. */
const loadDue = (key: string) => listDue(key.split('#')[0]).then((p) => p.items);

export function DueSection({ ente, version }: { ente: string; version: number }) {
  // Read again after the retention table changed (`version`), which changes what is due.
  const { data: due, error } = useLoaded(`${ente}#${version}`, loadDue);
  return (
    <section aria-labelledby="pres-due-title" className="mb-5" data-testid="disposal-due">
      <h3 className="h4" id="pres-due-title">
        Pacchetti con tempo di conservazione scaduto
      </h3>
      <ProblemAlert error={error} />
      {!due && !error && <Loading />}
      {due && due.length === 0 && <p data-testid="disposal-due-none">Nessun pacchetto dell'ente ha il tempo di conservazione scaduto.</p>}
      {due && due.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" aria-labelledby="pres-due-title" data-testid="disposal-due-table">
            <thead>
              <tr>
                <th scope="col">Pacchetto</th>
                <th scope="col">Classe documentale</th>
                <th scope="col">Data del documento</th>
                <th scope="col">Conservazione</th>
                <th scope="col">Scaduto il</th>
                <th scope="col">Procedura</th>
              </tr>
            </thead>
            <tbody>
              {due.map((i) => (
                <tr key={i.aip_id} data-aip={i.aip_id}>
                  <th scope="row" className="cst-detail">
                    <Link to={aipPath(i.aip_id)}>{i.title}</Link>
                  </th>
                  <td className="font-monospace small">{i.document_class ?? '—'}</td>
                  <td>{formatDate(i.document_date) || '—'}</td>
                  <td>{retentionText(i.retention_years)}</td>
                  <td>{formatDate(i.expired_on) || '—'}</td>
                  <td>{i.disposal_id ? <Link to={disposalPath(i.disposal_id)}>già proposto</Link> : 'da proporre'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
