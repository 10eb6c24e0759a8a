import { formatBytes, formatDateTime, formatInteger } from '../../format';
import { ticketPath } from '../../helpdesk';
import { AUDIT_KINDS, FINDING_PROBLEMS, type AuditFinding, type AuditReport } from '../../preservation';
import { Link } from '../../router';
import { FindingBadge } from './Badges';

// The audits that ran, newest first, with their counts; below them the findings of those runs: a
// copy found damaged or missing, repaired from a good copy or, when none was left, lost (in red,
// with the service desk's ticket opened for it). A lost object is found again by every later run:
// each copy of each object is listed once, as the latest run found it.

/** What an audit covered: one package, one ente or the whole archive. */
function scopeText(r: AuditReport, enteName: (istat: string) => string): string {
  if (r.scope.aip) return `Pacchetto ${r.scope.aip}`;
  if (r.scope.ente) return enteName(r.scope.ente);
  return "Tutto l'archivio";
}

export function AuditRunsTable({ runs, enteName }: { runs: AuditReport[]; enteName: (istat: string) => string }) {
  return (
    <div className="table-responsive">
      <table className="table cst-table" data-testid="audits-table">
        <caption>Verifiche eseguite: {runs.length}</caption>
        <thead>
          <tr>
            <th scope="col">Avviata</th>
            <th scope="col">Tipo</th>
            <th scope="col">Ambito</th>
            <th scope="col" className="text-end">
              Oggetti
            </th>
            <th scope="col" className="text-end">
              Copie verificate
            </th>
            <th scope="col" className="text-end">
              Integri
            </th>
            <th scope="col" className="text-end">
              Ripristinati
            </th>
            <th scope="col" className="text-end">
              Persi
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-audit={r.id} data-kind={r.kind} className={r.lost > 0 ? 'table-danger' : undefined}>
              <th scope="row" className="small fw-normal text-nowrap">
                <time dateTime={r.started_at}>{formatDateTime(r.started_at)}</time>
                {r.finished_at && (
                  <span className="d-block">
                    finita <time dateTime={r.finished_at}>{formatDateTime(r.finished_at)}</time>
                  </span>
                )}
              </th>
              <td className="small">
                {AUDIT_KINDS[r.kind] ?? r.kind}
                {r.requested_by && <span className="d-block">da {r.requested_by}</span>}
              </td>
              <td className="small">{scopeText(r, enteName)}</td>
              <td className="text-end">
                {formatInteger(r.objects)}
                <span className="d-block small text-nowrap">{formatBytes(r.bytes)}</span>
              </td>
              <td className="text-end">{formatInteger(r.copies_checked)}</td>
              <td className="text-end">{formatInteger(r.intact)}</td>
              <td className="text-end">{formatInteger(r.repaired)}</td>
              <td className={`text-end${r.lost > 0 ? ' fw-semibold' : ''}`}>{formatInteger(r.lost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AuditFindingsTable({ runs }: { runs: AuditReport[] }) {
  // Runs come newest first: the first finding of an object's copy is its latest.
  const seen = new Set<string>();
  const findings: { run: AuditReport; f: AuditFinding }[] = [];
  for (const run of runs)
    for (const f of run.findings) {
      const key = `${f.sha256}/${f.copy}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({ run, f });
    }
  if (findings.length === 0) return <p data-testid="audit-findings-none">Nessuna anomalia nelle verifiche elencate: ogni copia era integra.</p>;
  return (
    <div className="table-responsive">
      <table className="table cst-table" data-testid="audit-findings">
        <caption>Copie con anomalie, come le ha trovate la verifica più recente: {findings.length}</caption>
        <thead>
          <tr>
            <th scope="col">Oggetto (SHA-256)</th>
            <th scope="col">Copia</th>
            <th scope="col">Problema</th>
            <th scope="col">Esito</th>
            <th scope="col">Segnalazione</th>
            <th scope="col">Trovata il</th>
          </tr>
        </thead>
        <tbody>
          {findings.map(({ run, f }) => (
            <tr key={`${f.sha256}-${f.copy}`} data-outcome={f.outcome} data-sha256={f.sha256} className={f.outcome === 'lost' ? 'table-danger' : undefined}>
              <th scope="row" className="font-monospace small fw-normal cst-detail">
                {f.sha256}
              </th>
              <td>{typeof f.copy === 'number' ? `Copia ${f.copy}` : f.copy}</td>
              <td className="small">{FINDING_PROBLEMS[f.problem] ?? f.problem}</td>
              <td>
                <FindingBadge outcome={f.outcome} />
                {f.outcome === 'lost' && <span className="d-block small fw-semibold">nessuna copia integra</span>}
              </td>
              <td>
                {f.ticket_id !== null && f.ticket_id !== undefined ? (
                  // On the red row the theme's blue is below 4.5:1: the link takes the dark text colour, still underlined.
                  <Link to={ticketPath(f.ticket_id)} className={f.outcome === 'lost' ? 'link-dark fw-semibold' : undefined}>
                    n. {f.ticket_id}
                    <span className="visually-hidden"> (oggetto perso {f.sha256.slice(0, 12)}…)</span>
                  </Link>
                ) : (
                  '—'
                )}
              </td>
              <td className="small text-nowrap">
                <time dateTime={run.started_at}>{formatDateTime(run.started_at)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
