/**
 * Weight figures, per projection with saved weights:
 *
 * - weights-hist-<projection>: histogram of the final weights in 40 bins; with a recorded series, the first
 *   snapshot's histogram too, so learning shows as a change of shape (e.g. the bimodal split of Song et al. 2000).
 * - weights-evolution-<projection>: from the series, per snapshot: mean, median and the 25-75% and 5-95% quantile
 *   bands over synapses (numpy's linear quantiles); at most MAX_SNAPSHOTS snapshots are drawn (every k-th and the
 *   last), so a long series of many synapses costs one sort per drawn snapshot. weight-series.ts reads the series
 *   into just that: the first snapshot's weights and the drawn snapshots' summaries.
 */
import type { WeightTables } from './read-run.js';
import { histogram, round } from './aggregate.js';
import { baseSpec, WIDTH, type Figure } from './vl.js';

export { MAX_SNAPSHOTS } from './weight-series.js';
const BINS = 40;

export function weightHistogramFigure(w: WeightTables): Figure | null {
  const final = w.final?.col('weight_mv') ?? null;
  const first = w.series?.first;
  const initial = first ? first.weights : null;
  const sets: [string, Float64Array][] = [];
  if (initial && initial.length > 0) sets.push([`initial (t = ${round(first!.t_ms)} ms)`, initial]);
  if (final && final.length > 0) sets.push([sets.length > 0 ? 'final' : 'final weights', final]);
  if (sets.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, v] of sets) {
    for (const x of v) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  const width = hi > lo ? (hi - lo) / BINS : 1;
  if (!(hi > lo)) lo -= 0.5;
  const values: { w0: number; w1: number; synapses: number; when: string }[] = [];
  for (const [when, v] of sets) {
    const h = histogram(v, lo, width, BINS + 1); // the last bin catches x == hi
    for (let b = 0; b <= BINS; b++) if (h.counts[b] > 0) values.push({ w0: round(lo + b * width, 6), w1: round(lo + (b + 1) * width, 6), synapses: h.counts[b], when });
  }
  const caption = `Weights of the ${final?.length ?? initial?.length} synapses of ${w.projection}` + (sets.length > 1 ? ', at the first snapshot and at the end of the run (translucent bars: where they overlap, both show).' : ' at the end of the run.');
  const spec = {
    ...baseSpec(`Weight distribution: ${w.projection}`, caption, values),
    width: WIDTH,
    height: 200,
    mark: { type: 'rect', opacity: 0.55 },
    encoding: {
      x: { field: 'w0', type: 'quantitative', title: 'weight (mV)', scale: { zero: false } },
      x2: { field: 'w1' },
      y: { field: 'synapses', type: 'quantitative', title: 'synapses', stack: null },
      y2: { datum: 0 },
      color: { field: 'when', type: 'nominal', title: null, scale: { range: sets.length > 1 ? ['#9ecae1', '#08519c'] : ['#08519c'] }, sort: sets.map((s) => s[0]) },
    },
  };
  return { name: `weights-hist-${w.projection}`, spec };
}

export function weightEvolutionFigure(w: WeightTables): Figure | null {
  if (!w.series) return null;
  const { drawn, snapshots, step, synapses } = w.series;
  const q = (x: number) => round(x, 6);
  const values = drawn.map((s) => ({ t_ms: round(s.t_ms, 7), mean: q(s.mean), q05: q(s.q05), q25: q(s.q25), median: q(s.median), q75: q(s.q75), q95: q(s.q95) }));
  // Long form for the drawing (bands and lines keyed by a label, so one legend explains all four); the
  // summary table itself stays in `data` for anyone reopening the spec.
  const bands = values.flatMap((r) => [
    { t_ms: r.t_ms, band: '5-95%', lo: r.q05, hi: r.q95 },
    { t_ms: r.t_ms, band: '25-75%', lo: r.q25, hi: r.q75 },
  ]);
  const lines = values.flatMap((r) => [
    { t_ms: r.t_ms, stat: 'median', value: r.median },
    { t_ms: r.t_ms, stat: 'mean', value: r.mean },
  ]);
  const color = { type: 'nominal', title: null, scale: { domain: ['5-95%', '25-75%', 'median', 'mean'], range: ['#c6dbef', '#6baed6', '#08306b', '#e6550d'] } };
  const x = { field: 't_ms', type: 'quantitative', title: 'time (ms)' };
  const caption =
    `Weights of the ${synapses} synapses of ${w.projection} over time: quantile bands, median and mean over synapses at each snapshot` +
    (step > 1 ? ` (${drawn.length} of ${snapshots} snapshots shown: one in ${step}, and the last).` : ` (${snapshots} snapshots).`);
  const spec = {
    ...baseSpec(`Weight evolution: ${w.projection}`, caption, values),
    width: WIDTH,
    height: 240,
    layer: [
      {
        data: { values: bands },
        mark: { type: 'area', opacity: 0.85 },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'weight (mV)', scale: { zero: false } }, y2: { field: 'hi' }, color: { field: 'band', ...color } },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 1.6 },
        encoding: { x, y: { field: 'value', type: 'quantitative' }, color: { field: 'stat', ...color }, strokeDash: { field: 'stat', type: 'nominal', legend: null, scale: { domain: ['median', 'mean'], range: [[1, 0], [5, 3]] } } },
      },
    ],
  };
  return { name: `weights-evolution-${w.projection}`, spec };
}
