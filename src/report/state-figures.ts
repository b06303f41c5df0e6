/**
 * Membrane traces: one figure per population with recorded state, one panel per state variable (own y scale),
 * one line per neuron. At most MAX_TRACE_NEURONS neurons are drawn, each decimated to about MAX_TRACE_POINTS points
 * by keeping every bucket's minimum and maximum (aggregate.ts), so spikes and resets survive the thinning.
 */
import type { StateTable } from './read-run.js';
import { decimate, round } from './aggregate.js';
import { baseSpec, WIDTH, type Figure } from './vl.js';

export const MAX_TRACE_NEURONS = 10;
export const MAX_TRACE_POINTS = 2000;

export function traceFigure(st: StateTable): Figure | null {
  const { table } = st;
  const vars = table.header.filter((h) => h !== 't_ms' && h !== 'neuron');
  if (table.rows === 0 || vars.length === 0) return null;
  const t = table.col('t_ms');
  const nCol = table.col('neuron');
  // Rows per neuron, in time order (the CSV is time-major, neuron-minor).
  const byNeuron = new Map<number, number[]>();
  for (let r = 0; r < table.rows; r++) {
    const n = nCol[r];
    let rows = byNeuron.get(n);
    if (!rows) {
      if (byNeuron.size >= MAX_TRACE_NEURONS) continue;
      byNeuron.set(n, (rows = []));
    }
    rows.push(r);
  }
  const allNeurons = new Set(nCol).size;
  const values: { t_ms: number; neuron: string; variable: string; value: number }[] = [];
  let decimated = false;
  for (const v of vars) {
    const col = table.col(v);
    for (const [n, rows] of byNeuron) {
      const series = rows.map((r) => col[r]);
      const keep = decimate(series, MAX_TRACE_POINTS);
      if (keep.length < rows.length) decimated = true;
      for (const k of keep) values.push({ t_ms: round(t[rows[k]], 7), neuron: String(n), variable: v, value: round(series[k], 6) });
    }
  }
  const caption =
    `State of ${byNeuron.size === allNeurons ? `the ${allNeurons} recorded neuron${allNeurons > 1 ? 's' : ''}` : `${byNeuron.size} of the ${allNeurons} recorded neurons`}` +
    ` of ${st.population}, sampled as recorded` +
    (decimated ? `, each trace thinned to about ${MAX_TRACE_POINTS} points (bucket minima and maxima kept).` : '.');
  const spec = {
    ...baseSpec(`State traces: ${st.population}`, caption, values),
    facet: { row: { field: 'variable', type: 'nominal', title: null, sort: vars } },
    spec: {
      width: WIDTH - 40,
      height: vars.length > 1 ? 150 : 220,
      mark: { type: 'line', strokeWidth: 1.1 },
      encoding: {
        x: { field: 't_ms', type: 'quantitative', title: 'time (ms)' },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'neuron', type: 'nominal', title: 'neuron', sort: [...byNeuron.keys()].map(String) },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
  return { name: `trace-${st.population}`, spec };
}
