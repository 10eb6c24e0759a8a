import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartDataset } from 'chart.js';
import { useEffect, useRef } from 'react';
import { formatInteger, formatPercent } from '../format';

// A Chart.js bar chart with the page's palette, Italian numbers and a text alternative. Import this
// module only from modules loaded with React.lazy, so Chart.js stays out of the main bundle; and
// only the parts drawn here are registered, so the rest of Chart.js is left out by the bundler.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Above this many groups the bars lie down, one row each, so long names stay readable. */
const MAX_COLUMNS = 8;
/** A few groups should not make slabs of their bars (pixels). */
export const BAR_MAX = 56;
/** At most this many groups are read out in a chart's text alternative; the table has them all. */
const MAX_SPOKEN = 12;

export type ChartTheme = ReturnType<typeof chartTheme>;
export type BarDataset = ChartDataset<'bar', (number | null)[]>;

/** The page's palette and font, from Bootstrap Italia's custom properties. */
export function chartTheme() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--bs-body-color', '#1a1a1a'),
    font: v('--bs-font-sans-serif', 'sans-serif'),
    primary: v('--bs-primary', '#06c'),
    success: v('--bs-success', '#008055'),
    warning: v('--bs-warning', '#995c00'),
    danger: v('--bs-danger', '#cc334d'),
  };
}

/** "Cremona: 3, 1, 2; Crema: …" for the first groups, then how many more. */
export function spoken<L extends { label: string }>(lines: L[], one: (l: L) => string): string {
  const shown = lines.slice(0, MAX_SPOKEN).map((l) => `${l.label}: ${one(l)}`);
  const more = lines.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; e altri ${more}, elencati nella tabella` : '') + '.';
}

/**
 * Bars per group (standing up to MAX_COLUMNS groups, lying beyond), one colour per dataset;
 * `stacked` piles the datasets of a group into one bar. `summary` is the canvas's text alternative.
 */
export function BarChart({
  labels,
  datasets,
  summary,
  colours,
  percent = false,
  stacked = false,
}: {
  labels: string[];
  datasets: BarDataset[];
  summary: string;
  colours: ChartTheme;
  percent?: boolean;
  stacked?: boolean;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const lying = labels.length > MAX_COLUMNS;

  useEffect(() => {
    if (!ref.current) return;
    const text = { color: colours.text, font: { family: colours.font, size: 13 } };
    const value = {
      beginAtZero: true,
      stacked,
      max: percent ? 100 : undefined,
      ticks: { ...text, precision: 0, callback: (v: string | number) => (percent ? `${v}%` : formatInteger(Number(v))) },
    };
    const category = { stacked, ticks: text };
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
  }, [labels, datasets, percent, stacked, lying, colours]);

  // Lying bars need a row each (one per group when stacked); standing ones a fixed height.
  const perGroup = stacked ? 1 : datasets.length;
  const height = lying ? Math.max(288, labels.length * (perGroup * 12 + 12) + 64) : 288;
  return (
    <div className="cst-chart" style={{ height }}>
      {/* The canvas is a picture to assistive technologies: its label says what it shows. */}
      <canvas ref={ref} role="img" aria-label={summary}>
        {summary}
      </canvas>
    </div>
  );
}
