import { useMemo } from 'react';
import { BAR_MAX, BarChart, chartTheme, spoken, type BarDataset } from '../components/BarChart';
import { formatInteger, formatPercent } from '../format';

// The report's charts. This module is loaded only by the reports page (React.lazy), so Chart.js
// (in BarChart) stays out of the main bundle.

/** One group of the report, already labelled for the reader. */
export interface ChartLine {
  label: string;
  opened: number;
  solved: number;
  backlog: number;
  sla: number | null;
}

export default function ReportCharts({ lines, groupLabel }: { lines: ChartLine[]; groupLabel: string }) {
  const group = groupLabel.toLowerCase();
  const labels = useMemo(() => lines.map((l) => l.label), [lines]);
  const colours = useMemo(chartTheme, []);
  const volumes = useMemo<BarDataset[]>(
    () => [
      { label: 'Aperte', data: lines.map((l) => l.opened), backgroundColor: colours.primary, maxBarThickness: BAR_MAX },
      { label: 'Risolte', data: lines.map((l) => l.solved), backgroundColor: colours.success, maxBarThickness: BAR_MAX },
      { label: 'Arretrato', data: lines.map((l) => l.backlog), backgroundColor: colours.warning, maxBarThickness: BAR_MAX },
    ],
    [lines, colours],
  );
  const sla = useMemo<BarDataset[]>(
    () => [{ label: 'Rispetto degli SLA (%)', data: lines.map((l) => l.sla), backgroundColor: colours.primary, maxBarThickness: BAR_MAX }],
    [lines, colours],
  );
  const volumesText =
    `Grafico a barre delle segnalazioni aperte, risolte e in arretrato per ${group}. ` +
    spoken(lines, (l) => `${formatInteger(l.opened)} aperte, ${formatInteger(l.solved)} risolte, ${formatInteger(l.backlog)} in arretrato`);
  const slaText =
    `Grafico a barre della percentuale di segnalazioni risolte entro lo SLA per ${group}. ` +
    spoken(lines, (l) => (l.sla === null ? 'nessun dato' : formatPercent(l.sla)));

  return (
    <section aria-labelledby="report-grafici" className="mt-5" data-testid="report-charts">
      <h2 className="h3" id="report-grafici">
        Grafici
      </h2>
      <p>Gli stessi dati della tabella, in forma grafica.</p>
      <div className="row">
        <div className="col-12 col-xl-6 mb-4">
          <h3 className="h5">Segnalazioni per {group}</h3>
          <BarChart labels={labels} datasets={volumes} summary={volumesText} colours={colours} />
        </div>
        <div className="col-12 col-xl-6 mb-4">
          <h3 className="h5">Rispetto degli SLA di risoluzione per {group}</h3>
          <BarChart labels={labels} datasets={sla} summary={slaText} colours={colours} percent />
        </div>
      </div>
    </section>
  );
}
