/**
 * The spike raster: every recorded population stacked on one neuron axis (population k starts at the sum of the
 * sizes before it), one tick per spike, colored by population.
 *
 * Above RASTER_SPIKE_CAP spikes, one tick per spike would be unreadable (the 820 x 420 px plot would be mostly ink)
 * and slow to draw, so the raster becomes a density raster, and its caption says why: time in at most 120 bins,
 * neurons in at most 60 rows (no row spans two populations), each cell shaded by its firing rate, count / (neurons
 * in the row * bin width). Empty cells are not drawn.
 */
import type { PopulationSpikes } from './read-run.js';
import { niceStep, round } from './aggregate.js';
import { baseSpec, colorScale, WIDTH, type Figure } from './vl.js';

/**
 * Most spikes drawn one by one; above it the raster shows spike density. 50,000 ticks of 1 x 2 px cover about a
 * third of the plot, still a readable texture, and keep the SVG near 3 MB; CUBA's 1 s (about 23,000 spikes) draws
 * ticks.
 */
export const RASTER_SPIKE_CAP = 50_000;

const TIME_BINS = 120;
const ROWS = 60;

function offsets(pops: PopulationSpikes[]): number[] {
  const out: number[] = [];
  let o = 0;
  for (const p of pops) {
    out.push(o);
    o += p.size;
  }
  return out;
}

const count = (n: number) => n.toLocaleString('en-US');

function rangesText(pops: PopulationSpikes[]): string {
  const off = offsets(pops);
  return pops.map((p, k) => `${p.name} ${p.size > 1 ? `${off[k]}-${off[k] + p.size - 1}` : off[k]}`).join(', ');
}

export function rasterFigure(pops: PopulationSpikes[], durationMs: number, cap = RASTER_SPIKE_CAP): Figure | null {
  const total = pops.reduce((a, p) => a + p.spikes.t.length, 0);
  if (total === 0) return null;
  return total <= cap ? tickRaster(pops, durationMs, total) : densityRaster(pops, durationMs, total, cap);
}

function tickRaster(pops: PopulationSpikes[], durationMs: number, total: number): Figure {
  const off = offsets(pops);
  const values: { t_ms: number; neuron: number; population: string }[] = [];
  pops.forEach((p, k) => {
    const { neuron, t } = p.spikes;
    for (let i = 0; i < t.length; i++) values.push({ t_ms: round(t[i], 6), neuron: off[k] + neuron[i], population: p.name });
  });
  const nTot = off[off.length - 1] + pops[pops.length - 1].size;
  const spec = {
    ...baseSpec('Spike raster', `Each tick is one spike (${count(total)} in all), colored by population. Neurons are stacked by population: ${rangesText(pops)}.`, values),
    width: WIDTH,
    height: Math.min(420, Math.max(140, 14 * nTot)),
    mark: { type: 'tick', orient: 'vertical', thickness: 1, size: Math.max(2, Math.min(10, 380 / nTot)) },
    encoding: {
      x: { field: 't_ms', type: 'quantitative', title: 'time (ms)', scale: { domain: [0, durationMs] } },
      y: { field: 'neuron', type: 'quantitative', title: 'neuron (stacked by population)', scale: { domain: [-0.5, nTot - 0.5], nice: false, zero: false }, axis: { tickMinStep: 1 } },
      color: { field: 'population', type: 'nominal', scale: colorScale(pops.map((p) => p.name)) },
    },
  };
  return { name: 'raster', spec };
}

function densityRaster(pops: PopulationSpikes[], durationMs: number, total: number, cap: number): Figure {
  const off = offsets(pops);
  const nTot = off[off.length - 1] + pops[pops.length - 1].size;
  const perRow = Math.max(1, Math.ceil(nTot / ROWS));
  const bin = niceStep(durationMs / TIME_BINS);
  const nb = Math.ceil(durationMs / bin);
  const values: { t0: number; t1: number; n0: number; n1: number; rate_hz: number; population: string }[] = [];
  pops.forEach((p, k) => {
    const rows = Math.ceil(p.size / perRow);
    const counts = new Float64Array(rows * nb);
    const { neuron, t } = p.spikes;
    for (let i = 0; i < t.length; i++) {
      const b = Math.min(nb - 1, Math.floor(t[i] / bin));
      if (b >= 0) counts[Math.floor(neuron[i] / perRow) * nb + b]++;
    }
    for (let r = 0; r < rows; r++) {
      const n0 = r * perRow;
      const n1 = Math.min(p.size, n0 + perRow);
      for (let b = 0; b < nb; b++) {
        const c = counts[r * nb + b];
        if (c === 0) continue;
        values.push({ t0: round(b * bin, 6), t1: round((b + 1) * bin, 6), n0: off[k] + n0, n1: off[k] + n1, rate_hz: c / (n1 - n0) / (bin * 1e-3), population: p.name });
      }
    }
  });
  const caption =
    `Density raster: ${count(total)} spikes would be unreadable as one tick each (ticks are drawn up to ${count(cap)} spikes; ` +
    `\`chronoprop report --spike-cap N\` changes it), so each cell shades the firing rate of ${perRow} neuron${perRow > 1 ? 's' : ''} ` +
    `in ${bin} ms; empty cells are blank. Neurons are stacked by population: ${rangesText(pops)}` +
    (pops.length > 1 ? ', with a dashed line at each boundary.' : '.');
  const bounds = off.slice(1).map((o) => ({ n: o, what: 'population boundary' }));
  const spec = {
    ...baseSpec('Spike raster (density)', caption, values),
    width: WIDTH,
    height: 380,
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          x: { field: 't0', type: 'quantitative', title: 'time (ms)', scale: { domain: [0, nb * bin], nice: false } },
          x2: { field: 't1' },
          y: { field: 'n0', type: 'quantitative', title: 'neuron (stacked by population)', scale: { domain: [0, nTot], nice: false, zero: true } },
          y2: { field: 'n1' },
          color: { field: 'rate_hz', type: 'quantitative', title: 'rate (Hz)', scale: { scheme: 'greys' } },
        },
      },
      ...(bounds.length === 0 ? [] : [{
        data: { values: bounds },
        mark: { type: 'rule', strokeDash: [4, 3] },
        encoding: {
          y: { field: 'n', type: 'quantitative' },
          stroke: { field: 'what', type: 'nominal', title: null, scale: { range: ['#d62728'] } },
        },
      }]),
    ],
  };
  return { name: 'raster', spec };
}
