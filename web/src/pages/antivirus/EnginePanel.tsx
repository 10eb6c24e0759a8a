import { Fragment, useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import type { EngineStatus, EngineSupervisor } from '../../api/types';
import { formatHours, FreshnessBadge, hoursText } from '../../antivirus';
import { Row } from '../../components/DefinitionRow';
import { Icon } from '../../components/Icon';
import { Loading } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatBytes, formatDateTime, formatInteger } from '../../format';

// "Stato del motore": clamd's version, the signatures' version, date and freshness, the size limit
// and, when `cst serve` runs its own clamd, the supervisor's health.

const OVERSIZE_LABELS: Record<EngineStatus['oversize'], string> = {
  reject: 'rifiutati (i caricamenti ricevono un errore 413)',
  flag: 'accettati e segnati come «non analizzati»',
};

export function EnginePanel() {
  const [engine, setEngine] = useState<EngineStatus | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setBusy(true);
    try {
      setEngine(await api<EngineStatus>('GET', '/api/v1/antivirus/engine'));
      setError(null);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="av-engine-title" data-testid="av-engine">
      <div className="d-flex flex-wrap align-items-center justify-content-between gap-2 mb-3">
        <h2 className="h3 mb-0" id="av-engine-title">
          Stato del motore
        </h2>
        <button type="button" className="btn btn-outline-primary btn-sm btn-icon" onClick={() => void load()} disabled={busy}>
          <Icon name="refresh" className="icon-primary icon-sm" />
          <span>{busy ? 'Aggiornamento…' : 'Aggiorna'}</span>
        </button>
      </div>
      <ProblemAlert error={error} />
      {!engine && !error && <Loading />}
      {engine && <EngineCard engine={engine} />}
    </section>
  );
}

/** "PID 4242, avviato il …, avvio in 850 ms, riavvii: 0". */
function supervisorFacts(sup: EngineSupervisor): ReactNode[] {
  const facts: ReactNode[] = [];
  if (sup.running) facts.push(`PID ${sup.pid}`);
  if (sup.running && sup.running_since)
    facts.push(
      <>
        avviato il <time dateTime={sup.running_since}>{formatDateTime(sup.running_since)}</time>
      </>,
    );
  if (sup.last_startup_ms !== null) facts.push(`avvio in ${formatInteger(sup.last_startup_ms)} ms`);
  facts.push(`riavvii: ${formatInteger(sup.restarts)}`);
  return facts.map((f, i) => (
    <Fragment key={i}>
      {i > 0 && ', '}
      {f}
    </Fragment>
  ));
}

const none = <span className="text-muted">non disponibile</span>;

function EngineCard({ engine: e }: { engine: EngineStatus }) {
  const sup = e.supervisor;
  return (
    <div className="cst-panel">
      <p className="mb-3" aria-live="polite">
        {e.reachable ? (
          <span className="badge bg-success">Motore raggiungibile</span>
        ) : (
          <span className="badge bg-danger">Motore non raggiungibile</span>
        )}{' '}
        <FreshnessBadge value={e.signatures} />
      </p>
      {!e.reachable && (
        <div className="alert alert-danger" role="alert">
          ClamAV non risponde: i caricamenti sono rifiutati finché il motore non torna disponibile.
          {e.error && <span className="d-block small mt-1">{e.error}</span>}
        </div>
      )}
      {e.signatures === 'stale' && (
        <div className="alert alert-warning" role="alert">
          Le firme hanno più di {hoursText(e.max_age_hours)}: gli aggiornamenti (freshclam) non stanno riuscendo.
        </div>
      )}
      <dl className="cst-dl mb-0" data-testid="av-engine-details">
        <Row term="Versione di ClamAV">{e.engine_version ? <span data-testid="av-engine-version">{e.engine_version}</span> : none}</Row>
        <Row term="Indirizzo del motore">
          <span className="font-monospace">{e.endpoint}</span>
        </Row>
        <Row term="Versione firme">{e.signature_version !== null ? formatInteger(e.signature_version) : none}</Row>
        <Row term="Data firme">
          {e.signature_date ? (
            <>
              <time dateTime={e.signature_date}>{formatDateTime(e.signature_date)}</time>
              {e.signature_age_hours !== null && ` (${formatHours(e.signature_age_hours)} fa)`}
            </>
          ) : (
            none
          )}
        </Row>
        <Row term="Stato delle firme">
          <FreshnessBadge value={e.signatures} />
          <span className="d-block small">
            {e.signatures === 'unknown'
              ? 'Nessun database giornaliero (per esempio le firme di prova offline): nessun allarme.'
              : `Obsolete oltre ${hoursText(e.max_age_hours)}.`}
          </span>
        </Row>
        <Row term="Dimensione massima analizzabile">
          {formatBytes(e.max_stream_bytes)}; i file più grandi sono {OVERSIZE_LABELS[e.oversize] ?? e.oversize}
        </Row>
        <Row term="Supervisione">
          {!e.supervised || !sup ? (
            'ClamAV è gestito fuori dalla piattaforma.'
          ) : (
            <>
              {sup.running ? (
                <span className="badge bg-success">In esecuzione</span>
              ) : (
                <span className="badge bg-danger">Fermo</span>
              )}
              <span className="d-block small">{supervisorFacts(sup)}</span>
              {sup.last_error && <span className="d-block small">Ultimo errore: {sup.last_error}</span>}
            </>
          )}
        </Row>
        <Row term="Controllato il">
          <time dateTime={e.checked_at}>{formatDateTime(e.checked_at)}</time>
        </Row>
      </dl>
    </div>
  );
}
