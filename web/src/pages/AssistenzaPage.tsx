import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, query } from '../api/client';
import type { Page, Ticket, TicketDetail } from '../api/types';
import { EnteFilter } from '../components/EnteSelect';
import { FilterButtons, SelectField, TextFilter } from '../components/Field';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert } from '../components/ProblemAlert';
import { usePagedList } from '../components/usePagedList';
import { formatDateTime, formatInteger } from '../format';
import {
  isDesk,
  mayForcePriority,
  mayReadReports,
  mayReadTickets,
  openableEnti,
  PRIORITIES,
  PRIORITY_LABELS,
  REPORTS_PATH,
  SLA_LABELS,
  SLA_STATUSES,
  SlaBadge,
  STATE_LABELS,
  StateBadge,
  STATES,
  ticketPath,
} from '../helpdesk';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { HelpdeskNav } from './HelpdeskNav';
import { BulkActions } from './TicketBulkActions';
import { TicketForm } from './TicketForm';

const PAGE_SIZE = 50;

interface Filters {
  q: string;
  state: string;
  priority: string;
  sla: string;
  ente: string;
}

/**
 * "Call center unico": the tickets the user may see, with filters, and the form to open one; a
 * role that may not read tickets (the committee) gets the sections it may use instead.
 */
export function AssistenzaPage() {
  const { me } = useSession();
  if (me && !mayReadTickets(me.grants)) return <WithoutTickets reports={mayReadReports(me.grants)} />;
  return <TicketsPage />;
}

/** The module's landing for a role without tickets: its sections (the reports, for the committee) and why. */
function WithoutTickets({ reports }: { reports: boolean }) {
  return (
    <>
      <PageTitle
        title="Call center unico"
        lead={reports ? 'I dati del servizio di assistenza del Centro Servizi Territoriale agli enti.' : undefined}
      >
        Call center unico
      </PageTitle>
      <HelpdeskNav />
      <div className="callout" data-testid="helpdesk-landing">
        <div className="callout-title">{reports ? 'Report del servizio' : 'Nessuna sezione disponibile'}</div>
        {reports ? (
          <p>
            Le segnalazioni sono riservate agli enti e al call center. Con il tuo ruolo consulti i{' '}
            <Link to={REPORTS_PATH}>report del call center</Link>: segnalazioni aperte e risolte, rispetto degli SLA, tempi medi e
            soddisfazione dei richiedenti.
          </p>
        ) : (
          <p>Il tuo ruolo non usa il call center unico: le segnalazioni sono riservate agli enti e al CST.</p>
        )}
      </div>
    </>
  );
}

function TicketsPage() {
  const { me, enti, allEnti, entiByIstat, selectedEnte, setNotice } = useSession();
  const blank: Filters = { q: '', state: '', priority: '', sla: '', ente: selectedEnte };
  const [draft, setDraft] = useState<Filters>(blank);
  const [applied, setApplied] = useState<Filters>(blank);
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const allowed = me ? openableEnti(me.grants) : [];
  const mayOpen = allowed === null || allowed.length > 0;
  const manyEnti = enti.length > 1;
  const desk = !!me && isDesk(me.grants);

  // The ente chosen in the header is the default filter.
  useEffect(() => {
    setDraft((d) => ({ ...d, ente: selectedEnte }));
    setApplied((a) => ({ ...a, ente: selectedEnte }));
  }, [selectedEnte]);

  const fetchPage = useCallback(
    (f: Filters, cursor: string | null) =>
      api<Page<Ticket>>(
        'GET',
        '/api/v1/helpdesk/tickets' +
          query({ q: f.q.trim(), state: f.state, priority: f.priority, sla: f.sla, ente: f.ente, limit: PAGE_SIZE, cursor }),
      ),
    [],
  );

  const { items, next, error, loadingMore, loadMore, reload } = usePagedList(fetchPage, applied);
  const selection = useSelection(items);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...draft });
  };
  const reset = () => {
    const b = { ...blank, ente: allEnti ? '' : selectedEnte };
    setDraft(b);
    setApplied(b);
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const fieldErrors = error?.fieldErrors() ?? {};

  const closeForm = () => {
    setCreating(false);
    // The form goes away: give the focus back to the button that opened it.
    setTimeout(() => newButton.current?.focus(), 0);
  };

  const onCreated = (t: TicketDetail) => {
    const to = ticketPath(t.id);
    navigate(to);
    setNotice({ text: `Segnalazione n. ${t.id} registrata.`, path: to });
  };

  return (
    <>
      <PageTitle title="Call center unico" lead="Segnala un guasto o chiedi un servizio al Centro Servizi Territoriale.">
        Call center unico
      </PageTitle>
      <HelpdeskNav />
      {mayOpen && (
        <div className="mb-4">
          <button
            ref={newButton}
            type="button"
            className="btn btn-primary mb-3"
            aria-expanded={creating}
            onClick={() => setCreating((c) => !c)}
          >
            Nuova segnalazione
          </button>
          {creating && <TicketForm onSaved={onCreated} onCancel={closeForm} />}
        </div>
      )}
      <form role="search" aria-label="Cerca tra le segnalazioni" className="cst-panel cst-form mb-4" onSubmit={submit} data-testid="ticket-filters">
        <div className="row">
          <TextFilter hint="Parole dell'oggetto o della descrizione." value={draft.q} onChange={set('q')} error={fieldErrors.q} className="col-12 col-lg-8" />
          {manyEnti && (
            <EnteFilter
              choices={enti}
              all={allEnti ? 'Tutti gli enti' : 'Tutti i miei enti'}
              value={draft.ente}
              onChange={set('ente')}
              error={fieldErrors.ente}
            />
          )}
          <SelectField className="col-12 col-md-6 col-lg-4" label="Stato" name="state" value={draft.state} onChange={set('state')} error={fieldErrors.state}>
            <option value="">Tutti gli stati</option>
            <option value="open">Aperti</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </SelectField>
          <SelectField
            className="col-12 col-md-6 col-lg-4"
            label="Priorità"
            name="priority"
            value={draft.priority}
            onChange={set('priority')}
            error={fieldErrors.priority}
          >
            <option value="">Tutte le priorità</option>
            {PRIORITIES.map((n) => (
              <option key={n} value={String(n)}>
                {PRIORITY_LABELS[n - 1]}
              </option>
            ))}
          </SelectField>
          <SelectField className="col-12 col-md-6 col-lg-4" label="SLA" name="sla" value={draft.sla} onChange={set('sla')} error={fieldErrors.sla}>
            <option value="">Tutti</option>
            {SLA_STATUSES.map((s) => (
              <option key={s} value={s}>
                {SLA_LABELS[s]}
              </option>
            ))}
          </SelectField>
          <FilterButtons onReset={reset} />
        </div>
      </form>
      <ProblemAlert error={error} />
      <p className="visually-hidden" aria-live="polite">
        {items ? `${items.length} segnalazioni${next ? ' mostrate, altre disponibili' : ' trovate'}` : ''}
      </p>
      {desk && items && items.length > 0 && (
        <BulkActions
          selected={selection.ids}
          forcePriority={mayForcePriority(me.grants)}
          onApplied={() => {
            selection.clear();
            void reload();
          }}
        />
      )}
      {!items && <Loading />}
      {items && items.length === 0 && !error && (
        <div className="callout">
          <div className="callout-title">Nessuna segnalazione</div>
          <p>Nessuna segnalazione corrisponde ai filtri.</p>
        </div>
      )}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table table-hover cst-table" data-testid="tickets-table">
            <caption>
              Segnalazioni: {formatInteger(items.length)}
              {next ? ' (altre disponibili)' : ''}
            </caption>
            <thead>
              <tr>
                {desk && (
                  <th scope="col">
                    <RowCheck
                      label="Seleziona tutti"
                      checked={selection.all}
                      partial={selection.ids.length > 0 && !selection.all}
                      onChange={selection.toggleAll}
                    />
                  </th>
                )}
                <th scope="col">N°</th>
                <th scope="col">Oggetto</th>
                <th scope="col">Ente</th>
                <th scope="col">Stato</th>
                <th scope="col">Priorità</th>
                <th scope="col">Scadenza risoluzione</th>
                <th scope="col">Aggiornato</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.id} data-ticket={t.id}>
                  {desk && (
                    <td>
                      <RowCheck label={`Seleziona la segnalazione n. ${t.id}`} checked={selection.has(t.id)} onChange={() => selection.toggle(t.id)} />
                    </td>
                  )}
                  <td className="font-monospace">{t.id}</td>
                  <th scope="row" className="cst-ticket-subject">
                    <Link to={ticketPath(t.id)}>{t.subject}</Link>
                  </th>
                  <td>{entiByIstat.get(t.ente)?.name ?? t.ente}</td>
                  <td>
                    <StateBadge state={t.state} />
                  </td>
                  <td>{t.priority_label}</td>
                  <td>
                    <span className="text-nowrap">
                      <time dateTime={t.sla.due_resolve}>{formatDateTime(t.sla.due_resolve)}</time>
                    </span>{' '}
                    <SlaBadge status={t.sla.resolve} what="SLA di risoluzione" />
                  </td>
                  <td className="text-nowrap">
                    <time dateTime={t.updated_at}>{formatDateTime(t.updated_at)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" className="btn btn-outline-primary" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Caricamento…' : 'Carica altri'}
        </button>
      )}
    </>
  );
}

/** The desk's choice of rows for the bulk actions; rows no longer listed drop out of it. */
function useSelection(items: Ticket[] | null) {
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const listed = items ?? [];
  const ids = listed.filter((t) => chosen.has(t.id)).map((t) => t.id);
  const all = listed.length > 0 && ids.length === listed.length;
  // A new search starts with nothing selected.
  useEffect(() => {
    if (items === null) setChosen(new Set());
  }, [items]);
  return {
    ids,
    all,
    has: (id: number) => chosen.has(id),
    toggle: (id: number) =>
      setChosen((old) => {
        const s = new Set(old);
        if (!s.delete(id)) s.add(id);
        return s;
      }),
    toggleAll: () => setChosen(all ? new Set() : new Set(listed.map((t) => t.id))),
    clear: () => setChosen(new Set()),
  };
}

/** A checkbox in a table cell: Bootstrap Italia draws the box on the label, whose text only screen readers get. */
function RowCheck({ label, checked, partial = false, onChange }: { label: string; checked: boolean; partial?: boolean; onChange: () => void }) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = partial;
  }, [partial]);
  return (
    <div className="form-check cst-row-check">
      <input ref={ref} id={id} type="checkbox" className={partial ? 'semi-checked' : undefined} checked={checked} onChange={onChange} />
      <label htmlFor={id}>
        <span className="visually-hidden">{label}</span>
      </label>
    </div>
  );
}
