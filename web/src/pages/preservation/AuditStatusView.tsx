import { Row } from '../../components/DefinitionRow';
import { formatDateTime, formatInteger } from '../../format';
import type { AuditStatus } from '../../preservation';

// Where the ente's fixity cycle stands: every object is to be verified in every copy at least once
// per cycle; the objects never verified yet, those lost (no good copy left: a ticket is open for
// each) and the oldest verification still standing.

export function AuditStatusView({ status: s }: { status: AuditStatus }) {
  const when = (v: string | null) => (v ? <time dateTime={v}>{formatDateTime(v)}</time> : 'mai');
  return (
    <div className="cst-panel mb-4">
      {s.lost > 0 && (
        <div className="alert alert-danger" role="alert" data-testid="audit-lost-alert">
          {s.lost === 1
            ? "Un oggetto dell'ente è perso: nessuna copia integra è rimasta. È aperta una segnalazione al call center."
            : `${formatInteger(s.lost)} oggetti dell'ente sono persi: nessuna copia integra è rimasta. È aperta una segnalazione al call center per ognuno.`}
        </div>
      )}
      <dl className="cst-dl mb-0" data-testid="audit-status">
        <Row term="Oggetti conservati">{formatInteger(s.objects)}</Row>
        <Row term={`Verificati negli ultimi ${formatInteger(s.cycle_days)} giorni`}>
          {formatInteger(s.verified_in_cycle)} su {formatInteger(s.objects)}
        </Row>
        <Row term="Mai verificati">{formatInteger(s.never_verified)}</Row>
        <Row term="Persi" testId="audit-status-lost">
          {s.lost > 0 ? <span className="badge bg-danger">{formatInteger(s.lost)}</span> : formatInteger(s.lost)}
        </Row>
        <Row term="Verifica più vecchia ancora valida">{when(s.oldest_check)}</Row>
        <Row term="Ultima verifica">{when(s.last_run_at)}</Row>
      </dl>
    </div>
  );
}
