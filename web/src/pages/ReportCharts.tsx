import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartDataset } from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';
import { formatInteger, formatPercent } from '../format';

// The report's charts. This module is loaded only by the reports page (React.lazy), so Chart.js
// stays out of the main bundle; and only the parts drawn here are registered, so the rest of
// Chart.js is left out by the bundler.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** One group of the report, already labelled for the reader. */
export interface ChartLine {
  label: string;
  opened: number;
  solved: number;
  backlog: number;
  sla: number | null;
}

/** Above this many groups the bars lie down, one row each, so long names stay readable. */
const MAX_COLUMNS = 8;
/** A few groups should not make slabs of their bars (pixels). */
const BAR_MAX = 56;
/** At most this many groups are read out in a chart's text alternative; the table has them all. */
const MAX_SPOKEN = 12;

/** The page's palette and font, from Bootstrap Italia's custom properties. */
function theme() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--bs-body-color', '#1a1a1a'),
    font: v('--bs-font-sans-serif', 'sans-serif'),
    primary: v('--bs-primary', '#06c'),
    success: v('--bs-success', '#008055'),
    warning: v('--bs-warning', '#995c00'),
  };
}

/** "Cremona: 3, 1, 2; Crema: …" for the first groups, then how many more. */
function spoken(lines: ChartLine[], one: (l: ChartLine) => string): string {
  const shown = lines.slice(0, MAX_SPOKEN).map((l) => `${l.label}: ${one(l)}`);
  const more = lines.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; e altri ${more}, elencati nella tabella` : '') + '.';
}

export default function ReportCharts({ lines, groupLabel }: { lines: ChartLine[]; groupLabel: string }) {
  const group = groupLabel.toLowerCase();
  const labels = useMemo(() => lines.map((l) => l.label), [lines]);
  const colours = useMemo(theme, []);
  const volumes = useMemo<ChartDataset<'bar', (number | null)[]>[]>(
    () => [
      { label: 'Aperte', data: lines.map((l) => l.opened), backgroundColor: colours.primary, maxBarThickness: BAR_MAX },
      { label: 'Risolte', data: lines.map((l) => l.solved), backgroundColor: colours.success, maxBarThickness: BAR_MAX },
      { label: 'Arretrato', data: lines.map((l) => l.backlog), backgroundColor: colours.warning, maxBarThickness: BAR_MAX },
    ],
    [lines, colours],
  );
  const sla = useMemo<ChartDataset<'bar', (number | null)[]>[]>(
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

function BarChart({
  labels,
  datasets,
  summary,
  colours,
  percent = false,
}: {
  labels: string[];
  datasets: ChartDataset<'bar', (number | null)[]>[];
  summary: string;
  colours: ReturnType<typeof theme>;
  percent?: boolean;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const lying = labels.length > MAX_COLUMNS;

  useEffect(() => {
    if (!ref.current) return;
    const text = { color: colours.text, font: { family: colours.font, size: 13 } };
    const value = {
      beginAtZero: true,
      max: percent ? 100 : undefined,
      ticks: { ...text, precision: 0, callback: (v: string | number) => (percent ? `${v}%` : formatInteger(Number(v))) },
    };
    const category = { ticks: text };
    const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    const chart = new Chart(ref.current, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: lying ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: still ? false : undefined,
        locale: 'it-IT',
        scales: lying ? { x: value, y: category } : { x: category, y: value },
        plugins: {
          legend: { display: datasets.length > 1, position: 'bottom', labels: text },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const n = lying ? ctx.parsed.x : ctx.parsed.y;
                return `${ctx.dataset.label}: ${percent ? formatPercent(n) : formatInteger(n)}`;
              },
            },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [labels, datasets, percent, lying, colours]);

  // Lying bars need a row each; standing ones a fixed height.
  const height = lying ? Math.max(288, labels.length * (datasets.length * 12 + 12) + 64) : 288;
  return (
    <div className="cst-chart" style={{ height }}>
      {/* The canvas is a picture to assistive technologies: its label says what it shows. */}
      <canvas ref={ref} role="img" aria-label={summary}>
        {summary}
      </canvas>
    </div>
  );
}
