import { lazy, Suspense, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, query } from '../api/client';
import type { Report, ReportGrouping, ReportLine } from '../api/types';
import { SelectField, TextField } from '../components/Field';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert } from '../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../components/useProblemForm';
import { addDays, formatDate, formatDecimal, formatInteger, formatMinutes, formatMonth, formatPercent, sentence, todayInItaly } from '../format';
import { HelpdeskBreadcrumb, mayReadReports } from '../helpdesk';
import { useSession } from '../session';
import { HelpdeskNav } from './HelpdeskNav';

// "Report" (/assistenza/report): the service's figures for a period, by ente, category,
// operator or month: a table (also the charts' text alternative), two charts and the CSV.
// The server scopes an ente's referent to its own ente.

const TITLE = 'Report del call center';

// Chart.js comes with the charts, in a chunk of its own loaded on this page only.
const ReportCharts = lazy(() => import('./ReportCharts'));

const GROUPINGS: Record<ReportGrouping, string> = { ente: 'Ente', category: 'Categoria', agent: 'Operatore', month: 'Mese' };

type Field = 'from' | 'to' | 'by';
const LABELS: Record<Field, string> = { from: 'Dal', to: 'Al', by: 'Raggruppa per' };

interface Period {
  from: string;
  to: string;
  by: ReportGrouping;
}

/** The last 30 days, today included, by ente. */
function defaultPeriod(): Period {
  const to = todayInItaly();
  return { from: addDays(to, -29), to, by: 'ente' };
}

function reportUrl(p: Period, csv = false): string {
  return '/api/v1/helpdesk/reports' + query({ from: p.from, to: p.to, by: p.by, format: csv ? 'csv' : null });
}

/** The group's name for the reader: months in words, the rest as the server names them. */
function lineLabel(line: ReportLine, by: ReportGrouping): string {
  return by === 'month' ? formatMonth(line.key || line.label) : line.label;
}

export function ReportsPage() {
  const { me } = useSession();
  if (!me || !mayReadReports(me.grants)) {
    return (
      <>
        <HelpdeskBreadcrumb current="Report" />
        <PageTitle title={TITLE}>{TITLE}</PageTitle>
        <div className="alert alert-warning" role="alert">
          I report sono riservati al CST, al comitato tecnico, ai revisori e ai referenti degli enti.
        </div>
      </>
    );
  }
  return <Reports />;
}

function Reports() {
  const form = useProblemForm<Field>({
    order: ['from', 'to', 'by'],
    labels: LABELS,
    toField: (f) => (f in LABELS ? (f as Field) : null),
    message: sentence,
  });
  const [values, setValues] = useState<Period>(defaultPeriod);
  const [report, setReport] = useState<Report | null>(null);
  const load = (p: Period) => form.send(() => api<Report>('GET', reportUrl(p)), setReport);

  // The default period right away.
  useEffect(() => {
    void load(values);
    // Once, on arrival; later reports come from the form.
  }, []);

  const set = (k: Field) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<Field> = {};
    if (!values.from) invalid.from = 'Indica il primo giorno del periodo.';
    if (!values.to) invalid.to = "Indica l'ultimo giorno del periodo.";
    else if (values.from && values.from > values.to) invalid.to = "La fine del periodo precede l'inizio.";
    if (!form.check(invalid)) return;
    void load(values);
  };

  const group = report ? GROUPINGS[report.by] ?? report.by : '';
  const chartLines = useMemo(
    () =>
      (report?.lines ?? []).map((l) => ({
        label: lineLabel(l, report?.by ?? 'ente'),
        opened: l.opened,
        solved: l.solved,
        backlog: l.backlog,
        sla: l.sla_compliance,
      })),
    [report],
  );

  return (
    <>
      <HelpdeskBreadcrumb current="Report" />
      <PageTitle title={TITLE} lead="Segnalazioni aperte e risolte, rispetto degli SLA, tempi medi e soddisfazione dei richiedenti nel periodo scelto.">
        {TITLE}
      </PageTitle>
      <HelpdeskNav />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-label="Periodo e raggruppamento" className="cst-panel cst-form mb-4" data-testid="report-form">
        <div className="row">
          <TextField className="col-12 col-md-6 col-lg-3" {...form.field('from')} label="Dal" type="date" required value={values.from} onChange={set('from')} />
          <TextField className="col-12 col-md-6 col-lg-3" {...form.field('to')} label="Al" type="date" required value={values.to} onChange={set('to')} />
          <SelectField className="col-12 col-md-6 col-lg-3" {...form.field('by')} label="Raggruppa per" value={values.by} onChange={set('by')}>
            {(Object.keys(GROUPINGS) as ReportGrouping[]).map((g) => (
              <option key={g} value={g}>
                {GROUPINGS[g]}
              </option>
            ))}
          </SelectField>
          <div className="col-12 col-md-6 col-lg-3 cst-filter-buttons">
            <button type="submit" className="btn btn-primary" disabled={form.busy}>
              {form.busy ? 'Caricamento…' : 'Mostra il report'}
            </button>
          </div>
        </div>
        <p className="form-text mb-0">Al massimo due anni per volta.</p>
      </form>
      <p className="visually-hidden" aria-live="polite">
        {report && !form.busy ? `Report dal ${formatDate(report.from)} al ${formatDate(report.to)} per ${group.toLowerCase()}: ${report.lines.length} righe.` : ''}
      </p>
      {!report && form.busy && <Loading />}
      {report && (
        <>
          <div className="d-flex flex-wrap align-items-center justify-content-between gap-2 mb-2">
            <h2 className="h3 mb-0" id="report-tabella">
              Dal {formatDate(report.from)} al {formatDate(report.to)}, per {group.toLowerCase()}
            </h2>
            <a className="btn btn-outline-primary btn-sm" href={reportUrl(report, true)} download data-testid="report-csv">
              Scarica CSV
            </a>
          </div>
          {report.lines.length === 0 ? (
            <div className="callout">
              <div className="callout-title">Nessuna segnalazione</div>
              <p>Nel periodo scelto non ci sono segnalazioni da riassumere.</p>
            </div>
          ) : (
            <>
              <ReportTable report={report} group={group} />
              <Suspense fallback={<Loading label="Caricamento dei grafici…" />}>
                <ReportCharts lines={chartLines} groupLabel={group} />
              </Suspense>
            </>
          )}
        </>
      )}
    </>
  );
}

/** "—" for a figure the period has no data for, said in words to screen readers. */
function Figure({ text }: { text: string }) {
  return text ? (
    <>{text}</>
  ) : (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">nessun dato</span>
    </>
  );
}

function ReportTable({ report, group }: { report: Report; group: string }) {
  const row = (l: ReportLine, total = false) => (
    <tr key={total ? '' : l.key || l.label} data-key={total ? undefined : l.key}>
      <th scope="row">{total ? 'Totale' : lineLabel(l, report.by)}</th>
      <td className="text-end">{formatInteger(l.opened)}</td>
      <td className="text-end">{formatInteger(l.solved)}</td>
      <td className="text-end">{formatInteger(l.backlog)}</td>
      <td className="text-end">
        <Figure text={formatPercent(l.sla_compliance)} />
      </td>
      <td className="text-end">
        <Figure text={formatPercent(l.first_contact_rate)} />
      </td>
      <td className="text-end">
        <Figure text={formatMinutes(l.mean_time_to_own_minutes)} />
      </td>
      <td className="text-end">
        <Figure text={formatMinutes(l.mean_time_to_resolve_minutes)} />
      </td>
      <td className="text-end">
        <Figure text={l.satisfaction === null ? '' : `${formatDecimal(l.satisfaction)} su 5`} />
        <span className="d-block small">{l.rated === 1 ? '1 valutazione' : `${formatInteger(l.rated)} valutazioni`}</span>
      </td>
    </tr>
  );
  return (
    <div className="table-responsive">
      <table className="table cst-table" aria-labelledby="report-tabella" data-testid="report-table">
        <thead>
          <tr>
            <th scope="col">{group}</th>
            <th scope="col" className="text-end">
              Aperte
            </th>
            <th scope="col" className="text-end">
              Risolte
            </th>
            <th scope="col" className="text-end">
              Arretrato
            </th>
            <th scope="col" className="text-end">
              Entro lo SLA
            </th>
            <th scope="col" className="text-end">
              Risolte al primo contatto
            </th>
            <th scope="col" className="text-end">
              Presa in carico (media)
            </th>
            <th scope="col" className="text-end">
              Risoluzione (media)
            </th>
            <th scope="col" className="text-end">
              Soddisfazione
            </th>
          </tr>
        </thead>
        <tbody>{report.lines.map((l) => row(l))}</tbody>
        <tfoot className="cst-report-total">{row(report.total, true)}</tfoot>
      </table>
    </div>
  );
}
