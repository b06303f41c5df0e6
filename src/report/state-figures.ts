/**
 * Recorded state: one figure per population with recorded state, one panel per state variable (own y scale, its
 * title in words with the unit, quantities.ts), one line per neuron, at most MAX_TRACE_NEURONS neurons.
 *
 * A trace of at most MAX_TRACE_POINTS samples per neuron is drawn whole, every sample. A longer one would be a
 * solid block at the figure's width, so it is split instead: the first and the last TRACE_WINDOW samples, side by
 * side with the same y scale, each drawn sample by sample, and the caption says which times they cover. The data
 * files keep every sample.
 */
import { MAX_TRACE_NEURONS, type StateTable } from './read-run.js';

export { MAX_TRACE_NEURONS };
import { round } from './aggregate.js';
import { quantityTitle } from './quantities.js';
import { baseSpec, WIDTH, type Figure } from './vl.js';

export const MAX_TRACE_POINTS = 2000;
/** Samples per neuron in each of the two windows a longer trace is split into. */
export const TRACE_WINDOW = 1000;

interface Window {
  label: string;
  /** Sample indices [from, to) of each neuron's rows. */
  from: number;
  to: number;
}

/** Rows per neuron, in time order (the CSV is time-major, neuron-minor), for the first `max` neurons. */
function rowsByNeuron(nCol: Float64Array, rows: number, max: number): Map<number, number[]> {
  const byNeuron = new Map<number, number[]>();
  for (let r = 0; r < rows; r++) {
    const n = nCol[r];
    let list = byNeuron.get(n);
    if (!list) {
      if (byNeuron.size >= max) continue;
      byNeuron.set(n, (list = []));
    }
    list.push(r);
  }
  return byNeuron;
}

const ms = (x: number) => round(x, 6).toLocaleString('en-US', { maximumFractionDigits: 6 });

export function traceFigure(st: StateTable): Figure | null {
  const { table } = st;
  const vars = table.header.filter((h) => h !== 't_ms' && h !== 'neuron');
  if (table.rows === 0 || vars.length === 0) return null;
  const t = table.col('t_ms');
  const nCol = table.col('neuron');
  const byNeuron = rowsByNeuron(nCol, table.rows, MAX_TRACE_NEURONS);
  const allNeurons = st.neurons;
  const first = [...byNeuron.values()][0];
  const samples = first.length;
  const tAt = (k: number) => t[first[Math.min(k, samples - 1)]];
  const windows: Window[] =
    samples <= MAX_TRACE_POINTS
      ? [{ label: 'all', from: 0, to: samples }]
      : [
          { label: `start: ${ms(tAt(0))}-${ms(tAt(TRACE_WINDOW - 1))} ms`, from: 0, to: TRACE_WINDOW },
          { label: `end: ${ms(tAt(samples - TRACE_WINDOW))}-${ms(tAt(samples - 1))} ms`, from: samples - TRACE_WINDOW, to: samples },
        ];
  const values: { t_ms: number; neuron: string; variable: string; window: string; value: number }[] = [];
  for (const v of vars) {
    const col = table.col(v);
    for (const [n, rows] of byNeuron) {
      for (const w of windows) {
        for (let k = w.from; k < Math.min(w.to, rows.length); k++) {
          values.push({ t_ms: round(t[rows[k]], 7), neuron: String(n), variable: v, window: w.label, value: round(col[rows[k]], 6) });
        }
      }
    }
  }
  const who = byNeuron.size < allNeurons ? `${byNeuron.size} of the ${allNeurons} recorded neurons` : allNeurons > 1 ? `the ${allNeurons} recorded neurons` : 'the recorded neuron';
  const caption =
    `State of ${who} of ${st.population} (one color per neuron), as recorded` +
    (windows.length === 1
      ? `: every sample (${samples.toLocaleString('en-US')} per neuron).`
      : `: ${samples.toLocaleString('en-US')} samples per neuron would be a solid block at this width, so the first and the last ` +
        `${TRACE_WINDOW.toLocaleString('en-US')} are drawn, every sample (t = ${ms(tAt(0))}-${ms(tAt(TRACE_WINDOW - 1))} ms and ` +
        `${ms(tAt(samples - TRACE_WINDOW))}-${ms(tAt(samples - 1))} ms); state/${st.population}.csv holds them all.`);
  const panelWidth = windows.length === 1 ? WIDTH - 60 : Math.floor((WIDTH - 110) / 2);
  const color = { field: 'neuron', type: 'nominal', title: 'neuron', sort: [...byNeuron.keys()].map(String) };
  const panel = (v: string, w: Window) => ({
    width: panelWidth,
    // At least as tall as a rotated axis title such as 'excitatory synaptic input (mV)', which would else push rows apart.
    height: vars.length > 1 ? 200 : 220,
    ...(windows.length > 1 && v === vars[0] ? { title: { text: w.label, fontSize: 12, fontWeight: 'normal' } } : {}),
    transform: [{ filter: { and: [{ field: 'variable', equal: v }, { field: 'window', equal: w.label }] } }],
    mark: { type: 'line', strokeWidth: 1.1 },
    encoding: {
      x: { field: 't_ms', type: 'quantitative', title: 'time (ms)', scale: { domain: [tAt(w.from), tAt(w.to - 1)], nice: false } },
      y: { field: 'value', type: 'quantitative', title: quantityTitle(v), scale: { zero: false } },
      color,
    },
  });
  const rowsSpec = vars.map((v) => (windows.length === 1 ? panel(v, windows[0]) : { hconcat: windows.map((w) => panel(v, w)), resolve: { scale: { y: 'shared' } } }));
  const spec = {
    ...baseSpec(`State traces: ${st.population}`, caption, values),
    vconcat: rowsSpec,
    spacing: 16,
    resolve: { scale: { color: 'shared' } },
  };
  return { name: `trace-${st.population}`, spec };
}
