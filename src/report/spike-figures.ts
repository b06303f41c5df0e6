/**
 * Spike-train figures, one line per population, all computed here from the spike tables so the specs carry at
 * most a few hundred points each:
 *
 * - rate: population rate r(b) = spikes in bin b / (neurons * bin width), bins of a round width giving <= 200 bins.
 * - isi: distribution of interspike intervals, pooled over each population's neurons, as a fraction of ISIs per ms,
 *   on [0, 99th percentile of all ISIs] in about 60 bins.
 * - cv: distribution over neurons of CV = std(ISI) / mean(ISI), for neurons with >= 3 spikes (as in run.json's
 *   cv_isi, which is this distribution's mean); 1 for a Poisson process, 0 for a clock.
 */
import type { PopulationSpikes } from './read-run.js';
import { cvPerNeuron, histogram, intervals, niceStep, quantileSorted, round } from './aggregate.js';
import { baseSpec, colorScale, WIDTH, type Figure } from './vl.js';

export function rateFigure(pops: PopulationSpikes[], durationMs: number): Figure | null {
  if (pops.length === 0) return null;
  const bin = niceStep(durationMs / 200);
  const nb = Math.max(1, Math.ceil(durationMs / bin));
  const values: { t_ms: number; rate_hz: number; population: string }[] = [];
  for (const p of pops) {
    const h = histogram(p.spikes.t, 0, bin, nb);
    const scale = 1 / (p.size * bin * 1e-3);
    for (let b = 0; b < nb; b++) values.push({ t_ms: round((b + 0.5) * bin, 6), rate_hz: h.counts[b] * scale, population: p.name });
  }
  const spec = {
    ...baseSpec('Population rate', `Spikes per neuron per second in ${bin} ms bins, plotted at bin centres.`, values),
    width: WIDTH,
    height: 220,
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.3 },
    encoding: {
      x: { field: 't_ms', type: 'quantitative', title: 'time (ms)', scale: { domain: [0, nb * bin] } },
      y: { field: 'rate_hz', type: 'quantitative', title: 'rate (Hz)' },
      color: { field: 'population', type: 'nominal', scale: colorScale(pops.map((p) => p.name)) },
    },
  };
  return { name: 'rate', spec };
}

function distributionSpec(
  title: string,
  caption: string,
  xTitle: string,
  yTitle: string,
  values: unknown[],
  pops: string[],
): Record<string, unknown> {
  return {
    ...baseSpec(title, caption, values),
    width: WIDTH,
    height: 200,
    mark: { type: 'line', interpolate: 'step', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'y', type: 'quantitative', title: yTitle },
      color: { field: 'population', type: 'nominal', title: 'population', scale: colorScale(pops) },
    },
  };
}

export function isiFigure(pops: PopulationSpikes[]): Figure | null {
  const per = pops.map((p) => ({ name: p.name, isi: intervals(p.spikes.neuron, p.spikes.t, p.size).isi }));
  const all = new Float64Array(per.reduce((a, p) => a + p.isi.length, 0));
  per.reduce((o, p) => (all.set(p.isi, o), o + p.isi.length), 0);
  all.sort();
  if (all.length < 2) return null;
  const top = quantileSorted(all, 0.99);
  const width = niceStep((top > 0 ? top : all[all.length - 1] || 1) / 60);
  const bins = Math.floor(top / width) + 1; // the last bin holds the 99th percentile itself
  const values: { x: number; y: number; population: string }[] = [];
  let outside = 0;
  for (const p of per) {
    if (p.isi.length === 0) continue;
    const h = histogram(p.isi, 0, width, bins);
    outside += h.outside;
    for (let b = 0; b < bins; b++) values.push({ x: round((b + 0.5) * width, 6), y: h.counts[b] / (p.isi.length * width), population: p.name });
  }
  const caption =
    `Interspike intervals pooled over each population's neurons (${all.length.toLocaleString('en-US')} in all), in ${width} ms bins` +
    (outside > 0 ? `; ${outside.toLocaleString('en-US')} interval${outside > 1 ? 's' : ''} longer than ${round(bins * width)} ms ${outside > 1 ? 'are' : 'is'} not shown.` : '.');
  return { name: 'isi', spec: distributionSpec('Interspike intervals', caption, 'interspike interval (ms)', 'fraction of intervals per ms', values, pops.map((p) => p.name)) };
}

export function cvFigure(pops: PopulationSpikes[]): Figure | null {
  const per = pops.map((p) => ({ name: p.name, cv: cvPerNeuron(p.spikes.neuron, p.spikes.t, p.size) }));
  const n = per.reduce((a, p) => a + p.cv.length, 0);
  if (n === 0) return null;
  let max = 1.5;
  for (const p of per) for (const c of p.cv) max = Math.max(max, c);
  const width = 0.05;
  const bins = Math.ceil(max / width) + 1;
  const values: { x: number; y: number; population: string }[] = [];
  for (const p of per) {
    if (p.cv.length === 0) continue;
    const h = histogram(p.cv, 0, width, bins);
    for (let b = 0; b < bins; b++) values.push({ x: round((b + 0.5) * width, 6), y: h.counts[b] / p.cv.length, population: p.name });
  }
  const caption = `Coefficient of variation of each neuron's interspike intervals (${n.toLocaleString('en-US')} neuron${n > 1 ? 's' : ''} with at least 3 spikes), in bins of ${width}. Poisson firing gives 1, regular firing 0.`;
  return { name: 'cv', spec: distributionSpec('ISI coefficient of variation', caption, 'CV of interspike intervals', 'fraction of neurons', values, pops.map((p) => p.name)) };
}
