import { useMemo } from 'react';
import type { EndpointSummary } from '../../api/types';
import { BAR_MAX, BarChart, chartTheme, spoken, type BarDataset } from '../../components/BarChart';
import { formatInteger } from '../../format';

// The endpoints of each ente as one stacked bar: protected, outdated, silent. Loaded with
// React.lazy, so Chart.js stays out of the main bundle. The summary table is its text alternative.

export default function EndpointsChart({ items }: { items: EndpointSummary['items'] }) {
  const colours = useMemo(chartTheme, []);
  const labels = useMemo(() => items.map((i) => i.name || i.ente), [items]);
  const datasets = useMemo<BarDataset[]>(
    () => [
      { label: 'Protette', data: items.map((i) => i.protected), backgroundColor: colours.success, maxBarThickness: BAR_MAX },
      { label: 'Non aggiornate', data: items.map((i) => i.outdated), backgroundColor: colours.warning, maxBarThickness: BAR_MAX },
      { label: 'Silenti', data: items.map((i) => i.silent), backgroundColor: colours.danger, maxBarThickness: BAR_MAX },
    ],
    [items, colours],
  );
  const summary =
    'Grafico a barre impilate delle postazioni protette, non aggiornate e silenti per ente. ' +
    spoken(
      items.map((i) => ({ ...i, label: i.name || i.ente })),
      (i) => `${formatInteger(i.protected)} protette, ${formatInteger(i.outdated)} non aggiornate, ${formatInteger(i.silent)} silenti`,
    );
  return (
    <div data-testid="endpoints-chart">
      <BarChart labels={labels} datasets={datasets} summary={summary} colours={colours} stacked />
    </div>
  );
}
